"""Every Twilio webhook refuses requests Twilio did not sign for our public URL."""

from __future__ import annotations

from dataclasses import replace

from twilio.request_validator import RequestValidator

from tests.factories.webhooks import AUTH_TOKEN, PUBLIC_BASE_URL, make_settings
from webhooks import create_app
from webhooks.twilio.signature import is_valid_request

KNOWN_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}


def test_known_answer_from_twilio_python(sqlite_url):
    """twilio-python's own validator test vector, through our URL reconstruction."""
    settings = make_settings(sqlite_url, PUBLIC_BASE_URL="https://mycompany.com")
    # The vector's token, "12345", is shorter than real tokens (which settings insist on).
    app = create_app(replace(settings, twilio_auth_token="12345"))
    with app.test_request_context(
        "/myapp.php?foo=1&bar=2",
        method="POST",
        data=KNOWN_PARAMS,
        headers={"X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
    ):
        assert is_valid_request()
    with app.test_request_context(
        "/myapp.php?foo=1&bar=2",
        method="POST",
        data={**KNOWN_PARAMS, "Digits": "1235"},
        headers={"X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
    ):
        assert not is_valid_request()


SMS = {"MessageSid": "SM" + "1" * 32, "From": "+15555550123", "To": "+15555550100", "Body": "hi"}


def test_tampered_parameter_is_refused(client):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + "/twilio/sms", SMS)
    response = client.post(
        "/twilio/sms", data={**SMS, "Body": "cancel everything"},
        headers={"X-Twilio-Signature": signature},
    )  # fmt: skip
    assert response.status_code == 403


def test_signature_for_another_url_is_refused(signed_post):
    response = signed_post("/twilio/sms", SMS, sign_url="https://evil.example.com/twilio/sms")
    assert response.status_code == 403


def test_missing_signature_is_refused(client):
    for path in ("/twilio/sms", "/twilio/voice", "/twilio/status", "/twilio/voice/gather"):
        assert client.post(path, data=SMS).status_code == 403


def test_wrong_token_is_refused(signed_post):
    assert signed_post("/twilio/sms", SMS, token="f" * 32).status_code == 403
