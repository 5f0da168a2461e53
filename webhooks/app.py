"""Flask application factory."""

from __future__ import annotations

import logging

from flask import Flask

from assistant.config import Settings, load_settings
from assistant.db.engine import limit_postgres_waits


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024  # Twilio's requests are far smaller
    app.extensions["assistant_settings"] = settings
    if settings.database_url.startswith("postgresql"):
        limit_postgres_waits(settings.database_timeout_seconds)

    from webhooks.console import bp as console_bp
    from webhooks.fhir import bp as fhir_bp
    from webhooks.health import bp as health_bp
    from webhooks.portal import bp as portal_bp
    from webhooks.twilio import errors as twilio_errors
    from webhooks.twilio.reminder_call import bp as reminder_call_bp
    from webhooks.twilio.sms import bp as sms_bp
    from webhooks.twilio.status import bp as status_bp
    from webhooks.twilio.transfer import bp as transfer_bp
    from webhooks.twilio.voice import bp as voice_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(sms_bp)
    app.register_blueprint(voice_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(transfer_bp)
    app.register_blueprint(reminder_call_bp)
    app.register_blueprint(fhir_bp)
    app.register_blueprint(console_bp)
    app.register_blueprint(portal_bp)
    twilio_errors.register(app)
    logging.getLogger(__name__).info(
        "app ready (twilio %s)", "live" if settings.twilio_enabled else "local: outbound recorded"
    )
    return app
