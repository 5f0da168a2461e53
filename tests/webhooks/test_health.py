from __future__ import annotations


def test_health_reports_each_part_and_503_when_one_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"] == {"database": "up", "rasa": "down", "action_server": "down"}


def test_a_rasa_url_answering_other_json_is_down_not_a_crash(sqlite_url, fake_rasa):
    """Something else at RASA_URL (a JSON list from /status: here the REST channel's stand-in)
    is reported down (503); it was an AttributeError and a 500 (found by schemathesis)."""
    from tests.factories.webhooks import make_settings
    from webhooks import create_app

    settings = make_settings(sqlite_url, RASA_URL=fake_rasa.url, ACTION_SERVER_URL=fake_rasa.url)
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {
        "database": "up",
        "rasa": "down",
        "action_server": "down",
    }
