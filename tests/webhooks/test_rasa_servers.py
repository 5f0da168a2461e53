"""Several Rasa servers behind the app (RASA_URL comma-separated): round robin, failover to the
next server when one cannot be reached, and the endpoints Rasa needs to share conversations.
(Real Rasa servers: tests/reliability/test_scaling.py.)"""

from __future__ import annotations

import pytest

from assistant import stack
from assistant.config import ConfigError, load_settings
from tests.factories.webhooks import FakeRasa, closed_port_url, make_settings
from webhooks import rasa_client


def _answer(fake: FakeRasa, text: str) -> None:
    fake.answers.append([{"recipient_id": "x", "text": text}])


@pytest.fixture
def second_rasa():
    import threading

    from werkzeug.serving import make_server

    fake = FakeRasa()
    server = make_server("127.0.0.1", 0, fake.wsgi, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()


def test_turns_alternate_between_servers(fake_rasa: FakeRasa, second_rasa: FakeRasa) -> None:
    for _ in range(2):
        _answer(fake_rasa, "one")
        _answer(second_rasa, "two")
    urls = f"{fake_rasa.url},{second_rasa.url}"
    texts = [rasa_client.send(urls, "s", "hi", {}, 2).texts[0] for _ in range(4)]
    assert sorted(texts) == ["one", "one", "two", "two"]
    assert all(a != b for a, b in zip(texts, texts[1:], strict=False))


def test_a_server_that_is_down_passes_the_turn_to_the_next(fake_rasa: FakeRasa) -> None:
    urls = f"{closed_port_url()},{fake_rasa.url}"
    for _ in range(3):
        _answer(fake_rasa, "here")
        assert rasa_client.send(urls, "s", "hi", {}, 2).texts == ["here"]
    assert len(fake_rasa.received) == 3


def test_all_servers_down_is_an_outage() -> None:
    with pytest.raises(rasa_client.DialogueUnavailable):
        rasa_client.send(f"{closed_port_url()},{closed_port_url()}", "s", "hi", {}, 2)


def test_an_empty_answer_is_not_retried_elsewhere(
    fake_rasa: FakeRasa, second_rasa: FakeRasa
) -> None:
    with pytest.raises(rasa_client.DialogueUnavailable):
        rasa_client.send(f"{fake_rasa.url},{second_rasa.url}", "s", "hi", {}, 2)
    assert len(fake_rasa.received) + len(second_rasa.received) == 1


@pytest.fixture
def dies_mid_turn():
    """A Rasa server killed while it handles a turn: it reads the request, then the connection
    closes without an answer. Yields its URL and the number of turns it took."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    taken: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                taken.append(conn.recv(65536))

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", taken
    listener.close()


def test_a_server_that_died_with_the_turn_is_not_retried_elsewhere(
    fake_rasa: FakeRasa, dies_mid_turn
) -> None:
    """The turn may have run there (an appointment cancelled, a slot booked): running it again on
    the next server could do it twice, so the patient gets the outage answer instead."""
    dead_url, taken = dies_mid_turn
    _answer(fake_rasa, "here")
    outcomes = []
    for _ in range(2):  # one turn starts on each server
        try:
            outcomes.append(rasa_client.send(f"{dead_url},{fake_rasa.url}", "s", "hi", {}, 2).texts)
        except rasa_client.DialogueUnavailable:
            outcomes.append(None)
    assert sorted(outcomes, key=str) == [None, ["here"]]
    assert len(taken) == 1 and len(fake_rasa.received) == 1


def test_lock_lifetime_outlasts_a_turn_and_reaches_rasa(sqlite_url: str) -> None:
    assert load_settings({}).rasa_lock_lifetime_seconds == 10
    assert load_settings({"RASA_TIMEOUT_SECONDS": "8"}).rasa_lock_lifetime_seconds == 16
    settings = make_settings(sqlite_url, RASA_LOCK_LIFETIME_SECONDS="7")
    assert stack.child_env(settings)["TICKET_LOCK_LIFETIME"] == "7"
    for wrong in ("2", "2.5", "soon"):  # not longer than the 3 s turn timeout, not whole
        with pytest.raises(ConfigError, match="RASA_LOCK_LIFETIME_SECONDS"):
            load_settings({"RASA_TIMEOUT_SECONDS": "3", "RASA_LOCK_LIFETIME_SECONDS": wrong})


def test_health_needs_one_server_with_a_model() -> None:
    assert not rasa_client.model_loaded(f"{closed_port_url()},{closed_port_url()}")


def test_rasa_url_lists_servers_and_one_server_is_unchanged() -> None:
    one = load_settings({"RASA_URL": "http://127.0.0.1:5005/"})
    assert one.rasa_url == "http://127.0.0.1:5005" and one.rasa_urls == ("http://127.0.0.1:5005",)
    two = load_settings({"RASA_URL": "http://a:5005/ , http://b:5006"})
    assert two.rasa_urls == ("http://a:5005", "http://b:5006")
    with pytest.raises(ConfigError, match="RASA_URL"):
        load_settings({"RASA_URL": "http://a:5005,ftp://b"})
    with pytest.raises(ConfigError, match="RASA_URL"):
        load_settings({"RASA_URL": " , "})


def test_endpoints_share_tracker_and_lock_stores(sqlite_url: str, tmp_path) -> None:
    settings = make_settings(
        sqlite_url,
        ASSISTANT_VAR_DIR=str(tmp_path),
        RASA_URL="http://127.0.0.1:5305,http://127.0.0.1:5306",
        RASA_TRACKER_STORE_URL="postgresql://rasa:p%40ss@db.internal:5433/tracker",
        RASA_LOCK_STORE_URL="redis://127.0.0.1:6379/12",
    )
    endpoints = stack.render_endpoints(settings).read_text()
    assert 'type: "SQL"' in endpoints and 'url: "db.internal"' in endpoints
    assert 'db: "tracker"' in endpoints and 'password: "p@ss"' in endpoints
    assert 'type: "redis"' in endpoints and "db: 12" in endpoints
    assert "socket_timeout: 1.0" in endpoints  # not Rasa's 10 s: a stalled Redis stalls Rasa
    rasas = [s for s in stack.services(settings, stack.Path("m.tar.gz"), 0) if "rasa" in s.name]
    assert [s.name for s in rasas] == ["rasa", "rasa-2"]
    assert [s.argv[s.argv.index("--port") + 1] for s in rasas] == ["5305", "5306"]
    assert len({s.argv[s.argv.index("--endpoints") + 1] for s in rasas}) == 1
