"""`GET /healthz`: the database, the Rasa server and the action server, each up or down, and
how many Twilio requests wait in the spool (kept while the database was down)."""

from __future__ import annotations

import contextlib

from flask import Blueprint, jsonify
from sqlalchemy import text

from assistant.db.engine import get_engine
from assistant.spool import Spool
from webhooks import rasa_client
from webhooks.context import settings

bp = Blueprint("health", __name__)


def _database_up(url: str) -> bool:
    try:
        with get_engine(url).connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


@bp.get("/healthz")
def healthz():
    cfg = settings()
    checks = {
        "database": "up" if _database_up(cfg.database_url) else "down",
        "rasa": "up" if rasa_client.model_loaded(cfg.rasa_url) else "down",
        "action_server": "up" if rasa_client.action_server_up(cfg.action_server_url) else "down",
    }
    healthy = all(v == "up" for v in checks.values())
    body = {"status": "ok" if healthy else "degraded", "checks": checks}
    # Twilio requests kept while the database was down, not yet replayed (count only)
    with contextlib.suppress(OSError):
        body["spool_waiting"] = Spool(cfg.spool_dir).stats().count
    return jsonify(body), 200 if healthy else 503
