from __future__ import annotations


def test_health_reports_each_part_and_503_when_one_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"] == {"database": "up", "rasa": "down", "action_server": "down"}
