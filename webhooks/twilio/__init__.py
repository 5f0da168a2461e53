"""Twilio webhooks: SMS, voice, status callbacks."""
