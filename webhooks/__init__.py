"""The HTTP edge: Twilio voice/SMS/status webhooks, health, (later) portal and staff console."""

from webhooks.app import create_app

__all__ = ["create_app"]
