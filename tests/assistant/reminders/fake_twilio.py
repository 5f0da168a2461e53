"""A tiny stand-in for Twilio's Messages API, for what Prism cannot do: answer 429/500 (the spec
defines only 201) or Twilio's error codes (21610, 21211, 30006), and list what it accepted.

Scripted answers are consumed one per POST; without a script every POST is accepted with a
fresh SID, as Twilio does.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeTwilio:
    def __init__(self) -> None:
        self.script: deque[tuple[int, dict]] = deque()
        self.accepted: list[dict] = []  # messages it answered 201 to
        self.calls: list[dict] = []  # calls it placed (To, Url ...)
        self.posts = 0
        self.clock: datetime | None = None  # Twilio's "now" for date_created (tests fix time)
        self.delay = 0.0  # seconds between accepting a message and answering (crash window)
        self.post_times: list[float] = []  # time.monotonic() of each POST
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def then(self, status: int, code: int | None = None) -> FakeTwilio:
        """Queue one answer: an HTTP status with Twilio's error body."""
        self.script.append(
            (status, {"code": code or status, "message": "scripted", "status": status})
        )
        return self

    def _answer(self, form: dict[str, str], path: str = "") -> tuple[int, dict]:
        with self.lock:
            self.posts += 1
            self.post_times.append(time.monotonic())
            if self.script:
                return self.script.popleft()
            if path.endswith("/Calls.json"):
                call = {
                    "sid": "CA" + uuid.uuid4().hex,
                    "to": form.get("To"),
                    "from": form.get("From"),
                    "url": form.get("Url"),
                    "status": "queued",
                    "date_created": format_datetime(self.clock or datetime.now(timezone.utc)),
                    "form": form,
                }
                self.calls.append(call)
                return 201, {k: v for k, v in call.items() if k != "form"}
            message = {
                "sid": "SM" + uuid.uuid4().hex,
                "to": form.get("To"),
                "body": form.get("Body"),
                "status": "queued",
                "date_created": format_datetime(self.clock or datetime.now(timezone.utc)),
            }
            self.accepted.append(message)
            return 201, message

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                answer = fake._answer(form, urlparse(self.path).path)
                time.sleep(fake.delay)  # accepted, answer not yet given
                self._send(*answer)

            def do_GET(self) -> None:  # noqa: N802
                query = parse_qs(urlparse(self.path).query)
                to = query.get("To", [None])[0]
                calls = urlparse(self.path).path.endswith("/Calls.json")
                with fake.lock:
                    rows = fake.calls if calls else fake.accepted
                    found = [
                        {k: v for k, v in m.items() if k != "form"}
                        for m in rows
                        if to is None or m["to"] == to
                    ]
                key = "calls" if calls else "messages"
                self._send(200, {key: found[::-1], "next_page_uri": None})

            def log_message(self, *_args: object) -> None:
                pass

        return Handler
