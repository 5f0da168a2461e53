"""Last line of defence: an unexpected error on a Twilio route still answers valid TwiML.

Twilio must never see a 5xx: a caller hears an apology and can leave a message; a texter is told
to call the office.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, request
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

SMS_SORRY = "Sorry, we could not process your message. Please call our office."
VOICE_SORRY = (
    "I'm sorry, something went wrong on our side. Please leave your name and number after the"
    " tone and we will call you back."
)
# After a recording could not be saved: not another recording (that would loop).
VOICEMAIL_SORRY = (
    "I'm sorry, we could not save your message. Please call us again a little later. Goodbye."
)

# Characters XML 1.0 forbids (C0 controls but tab, newline and return; U+FFFE, U+FFFF): a
# patient's text or a read-back could carry them, and Twilio cannot parse TwiML holding them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(response: Response) -> Response:
    """Drop characters that would make a TwiML answer unparseable (and the caller hear an
    application error instead of us)."""
    if request.path.startswith("/twilio/") and response.mimetype == "text/xml":
        body = response.get_data(as_text=True)
        if _NOT_XML.search(body):
            response.set_data(_NOT_XML.sub("", body))
    return response


def register(app: Flask) -> None:
    app.after_request(xml_safe)

    @app.errorhandler(Exception)
    def twilio_safe_error(exc: Exception):
        if isinstance(exc, HTTPException):
            return exc
        if not request.path.startswith("/twilio/"):
            log.exception("unhandled error on %s", request.path)
            return Response("internal error", status=500, mimetype="text/plain")
        log.exception("unhandled error on Twilio route %s", request.path)
        if request.path.startswith("/twilio/voice/voicemail"):
            response = VoiceResponse()
            response.say(VOICEMAIL_SORRY)
            response.hangup()
            return Response(str(response), mimetype="text/xml")
        if request.path.startswith(("/twilio/voice", "/twilio/reminder-call")):  # a caller
            response = VoiceResponse()
            response.say(VOICE_SORRY)
            response.record(action="/twilio/voice/voicemail", max_length=120, play_beep=True)
            return Response(str(response), mimetype="text/xml")
        if request.path.startswith("/twilio/sms"):
            response = MessagingResponse()
            response.message(SMS_SORRY)
            return Response(str(response), mimetype="text/xml")
        return Response("", status=204)
