"""Hostile input against every Twilio webhook: property-based (hypothesis) and hand-picked.

Whatever arrives, Twilio never sees a 5xx; a request Twilio did not sign is refused (403) and
stores nothing; a caller always hears something (well-formed TwiML with a `<Say>`, or a
`<Dial>` to a person); replays and out-of-order callbacks change nothing twice.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from assistant.db.models import Conversation, ConversationTurn, OutboundMessage, StaffTask
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories.reliability import (
    CALL_SID,
    EXAMPLES,
    INJECTIONS,
    PATIENT_PHONE,
    PRACTICE_PHONE,
    ScriptedRasa,
    Twilio,
    row_counts,
    seed_practice,
    sms_twiml,
    text_chars,
    voice_twiml,
)
from tests.factories.webhooks import AUTH_TOKEN, PUBLIC_BASE_URL, make_settings
from webhooks import create_app
from webhooks.twilio.errors import _NOT_XML
from webhooks.twilio.status import MESSAGE_ORDER

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Routes whose answer the *caller* hears (never dead air), the SMS route, and the callbacks
# whose answer nobody hears (204).
VOICE_ROUTES = [
    "/twilio/voice",
    "/twilio/voice/gather",
    "/twilio/voice/voicemail",
    "/twilio/voice/fallback",
    "/twilio/transfer/hold",
    "/twilio/transfer/voicemail",
    "/twilio/transfer/on-call-done",
    "/twilio/transfer/recorded",
    "/twilio/reminder-call",
    "/twilio/reminder-call/answer",
]
STAFF_ROUTES = ["/twilio/transfer/whisper", "/twilio/transfer/whisper/answer"]
CALLBACK_ROUTES = [
    "/twilio/status",
    "/twilio/transfer/staff-status",
    "/twilio/transfer/conference-status",
]
SMS_ROUTE = "/twilio/sms"
ALL_ROUTES = [*VOICE_ROUTES, *STAFF_ROUTES, *CALLBACK_ROUTES, SMS_ROUTE]

hostile_text = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(text_chars, max_size=200),
    st.text(text_chars, min_size=1, max_size=20).map(lambda s: s * 500),  # long
)
sids = st.one_of(
    st.just(CALL_SID),
    st.from_regex(r"\A(CA|SM|MM)[0-9a-f]{32}\Z"),
    hostile_text,
)
form_fields = [
    "CallSid",
    "MessageSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "SpeechResult",
    "Confidence",
    "Digits",
    "CallStatus",
    "MessageStatus",
    "ErrorCode",
    "RecordingUrl",
    "RecordingDuration",
    "DialCallStatus",
    "StatusCallbackEvent",
]
hostile_forms = st.fixed_dictionaries(
    {"CallSid": sids, "From": st.one_of(st.just(PATIENT_PHONE), hostile_text)},
    optional={
        **{name: hostile_text for name in form_fields if name not in ("CallSid", "From")},
        "MessageSid": sids,
        "Digits": st.one_of(st.sampled_from(["0", "1", "2", "9", "#", "*", "12"]), hostile_text),
        "Confidence": st.one_of(
            st.sampled_from(["0.1", "0.9", "nan", "inf", "-1", "1e308"]), hostile_text
        ),
        "CallStatus": st.one_of(
            st.sampled_from(["ringing", "in-progress", "completed", "busy", "no-answer"]),
            hostile_text,
        ),
        "MessageStatus": st.one_of(st.sampled_from(list(MESSAGE_ORDER)), hostile_text),
    },
)
query_values = st.one_of(
    st.sampled_from(["1", "2", "0", "en", "es", "-1", "99999999999999999999", "\u00b2", ""]),
    st.text(text_chars, max_size=20),
)
hostile_queries = st.dictionaries(
    st.sampled_from(["lang", "step", "silent", "attempt", "transfer", "m", "tries"]),
    query_values,
    max_size=4,
)


@pytest.fixture
def app(sqlite_url: str, scripted_rasa: ScriptedRasa):
    """The app with a dialogue that repeats what it was told (as a read-back would)."""
    seed_practice(sqlite_url)
    scripted_rasa.answer = lambda m: [{"recipient_id": "x", "text": f"You said: {m['message']}"}]
    return create_app(make_settings(sqlite_url, RASA_URL=scripted_rasa.url))


@pytest.fixture
def twilio(app) -> Twilio:
    return Twilio(app.test_client())


def _with_query(path: str, query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return f"{path}?{urlencode(query)}" if query else path


def _check_answer(route: str, response) -> None:
    """What Twilio may receive from `route`: never a 5xx, and TwiML that parses."""
    assert response.status_code < 500, (route, response.status_code)
    if route in STAFF_ROUTES or (route in VOICE_ROUTES and response.status_code != 400):
        voice_twiml(response)
    elif route == SMS_ROUTE and response.status_code != 400:
        sms_twiml(response)
    elif route in CALLBACK_ROUTES:
        assert response.status_code in (204, 400)


# --- Nothing unsigned --------------------------------------------------------------------------


def _forged_headers(kind: str, path: str, form: dict[str, str]) -> dict[str, str]:
    from twilio.request_validator import RequestValidator

    if kind == "missing":
        return {}
    if kind == "garbage":
        return {"X-Twilio-Signature": base64.b64encode(b"not a signature at all").decode()}
    if kind == "wrong token":
        signature = RequestValidator("f" * 32).compute_signature(PUBLIC_BASE_URL + path, form)
        return {"X-Twilio-Signature": signature}
    if kind == "other url":
        other = "http://clinic.example.org" + path  # http, not the public https URL
        return {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(other, form)}
    # tampered: signed for other parameters than those sent
    signed = {**form, "Body": "hello"} if form.get("Body") != "hello" else {**form, "Body": "x"}
    return {
        "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(
            PUBLIC_BASE_URL + path, signed
        )
    }


@pytest.mark.parametrize("route", ALL_ROUTES)
@FUZZ
@given(
    form=hostile_forms,
    query=hostile_queries,
    kind=st.sampled_from(["missing", "garbage", "wrong token", "other url", "tampered"]),
)
def test_unsigned_or_forged_requests_are_refused_and_store_nothing(
    route, sqlite_url, twilio, form, query, kind
):
    before = row_counts(sqlite_url)
    path = _with_query(route, query)
    response = twilio.client.post(path, data=form, headers=_forged_headers(kind, path, form))
    # 413: a drawn form over 256 KiB (many 10 kB fields) is refused before it is read
    assert response.status_code in (403, 413)
    assert row_counts(sqlite_url) == before


def test_a_signature_for_another_query_string_is_refused(sqlite_url, twilio):
    """The query (lang, step, attempt ...) is part of what Twilio signs."""
    form = {"CallSid": CALL_SID, "From": PATIENT_PHONE, "To": PRACTICE_PHONE, "Digits": "1"}
    signature = twilio.signature("/twilio/voice/gather?lang=en&step=2", form)
    before = row_counts(sqlite_url)
    response = twilio.client.post(
        "/twilio/voice/gather?lang=en&step=9", data=form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403
    assert row_counts(sqlite_url) == before


# --- Signed but hostile ------------------------------------------------------------------------


@pytest.mark.parametrize("route", ALL_ROUTES)
@FUZZ
@given(form=hostile_forms, query=hostile_queries)
def test_signed_hostile_input_never_gets_a_5xx_or_dead_air(route, twilio, form, query):
    response = twilio.post(_with_query(route, query), form)
    _check_answer(route, response)


@FUZZ
@given(speech=hostile_text, digits=st.one_of(st.just(""), hostile_text))
def test_any_speech_result_is_answered_with_wellformed_twiml(twilio, scripted_rasa, speech, digits):
    """Whatever the caller said is read back inside valid TwiML (escaped, never markup)."""
    call = {"CallSid": CALL_SID, "From": PATIENT_PHONE, "To": PRACTICE_PHONE}
    voice_twiml(twilio.post("/twilio/voice", call))
    step = len(scripted_rasa.received) + 2  # a new turn each time (a repeated step is a replay)
    told = len(scripted_rasa.received)
    turn = {**call, "SpeechResult": speech, "Digits": digits, "Confidence": "0.95"}
    root = voice_twiml(twilio.post(f"/twilio/voice/gather?lang=en&step={step}", turn))
    assert root.find("Redirect") is None  # injected markup stays text
    heard = " ".join(s.text or "" for s in root.iter("Say"))
    if len(scripted_rasa.received) > told and speech.strip() and not digits.strip():
        expected = _NOT_XML.sub("", speech.strip()).replace("\r\n", "\n").replace("\r", "\n")
        assert expected in heard  # the read-back is the text, not markup


@FUZZ
@given(body=hostile_text, sender=st.one_of(st.just(PATIENT_PHONE), hostile_text.filter(bool)))
def test_any_sms_body_is_answered_with_wellformed_twiml(sqlite_url, twilio, body, sender):
    sid = "SM" + format(abs(hash((body, sender))), "032x")[:32]
    root = sms_twiml(twilio.post(SMS_ROUTE, {"MessageSid": sid, "From": sender, "Body": body}))
    assert root.find("Redirect") is None
    for message in root.iter("Message"):
        assert message.text  # a reply is never empty


def test_sql_injection_in_a_name_is_just_text(sqlite_url, twilio, scripted_rasa):
    """The dialogue is told exactly what was texted; the tables are all still there."""
    before = set(row_counts(sqlite_url))
    for i, attack in enumerate(INJECTIONS):
        response = twilio.post(
            SMS_ROUTE, {"MessageSid": f"SM{i:032d}", "From": PATIENT_PHONE, "Body": attack}
        )
        sms_twiml(response)
    assert [m["message"] for m in scripted_rasa.received] == INJECTIONS
    assert set(row_counts(sqlite_url)) == before
    with UnitOfWork(sqlite_url) as uow:
        stored = uow.session.execute(
            select(ConversationTurn.text).where(ConversationTurn.direction == "in")
        ).scalars()
        assert list(stored) == INJECTIONS


# --- Size and encoding -------------------------------------------------------------------------


@pytest.mark.parametrize("route", ALL_ROUTES)
def test_an_oversized_body_is_refused_before_anything_is_stored(route, sqlite_url, twilio):
    """Over 256 KiB (Twilio's requests are a few KiB): 413 even when signed, nothing stored."""
    form = {"CallSid": CALL_SID, "MessageSid": "SM" + "1" * 32, "From": PATIENT_PHONE}
    form["Body"] = form["SpeechResult"] = "x" * 300_000
    before = row_counts(sqlite_url)
    response = twilio.post(route, form)
    assert response.status_code == 413
    assert row_counts(sqlite_url) == before


def test_a_long_but_acceptable_text_is_kept_whole(sqlite_url, twilio):
    body = "please call me back " * 5000  # 100 kB, under the limit
    sms_twiml(twilio.post(SMS_ROUTE, {"MessageSid": "SM" + "2" * 32, "From": PATIENT_PHONE,
                                      "Body": body}))  # fmt: skip
    with UnitOfWork(sqlite_url) as uow:
        turn = uow.session.execute(
            select(ConversationTurn).where(ConversationTurn.direction == "in")
        ).scalar_one()
        assert turn.text == body


def _signed_raw(app, twilio: Twilio, path: str, raw: bytes):
    """POST raw form bytes, signed over the parameters as the app will decode them."""
    content_type = "application/x-www-form-urlencoded"
    with app.test_request_context(path, method="POST", data=raw, content_type=content_type):
        from flask import request

        params = request.form.to_dict(flat=True)
    return twilio.client.post(
        path,
        data=raw,
        content_type=content_type,
        headers={"X-Twilio-Signature": twilio.signature(path, params)},
    )


INVALID_UTF8 = [
    b"%FF%FE%FD",
    b"%C3%28",  # a broken two-byte sequence
    b"%ED%A0%80",  # an encoded surrogate
    b"\xff\xfe raw bytes \xc3\x28",
    b"%F4%90%80%80",  # beyond U+10FFFF
    b"%00nul",
]


@pytest.mark.parametrize("bad", INVALID_UTF8)
@pytest.mark.parametrize("route", ["/twilio/sms", "/twilio/voice/gather", "/twilio/voice"])
def test_invalid_utf8_is_answered_not_crashed(route, bad, app, twilio, sqlite_url):
    """Percent-encoded invalid UTF-8 decodes with replacement characters and is answered; raw
    undecodable bytes (Twilio never sends them) leave no readable form: a 400, nothing stored."""
    sid = b"MessageSid=SM" + b"3" * 32 + b"&CallSid=" + CALL_SID.encode()
    raw = sid + b"&From=%2B15555550123&To=%2B15555550100&Body=" + bad + b"&SpeechResult=" + bad
    before = row_counts(sqlite_url)
    response = _signed_raw(app, twilio, route, raw)
    if not bad.startswith(b"%"):
        assert response.status_code == 400
        assert row_counts(sqlite_url) == before
    elif route == SMS_ROUTE:
        sms_twiml(response)
    else:
        voice_twiml(response)


@pytest.mark.parametrize("bad", INVALID_UTF8)
def test_invalid_utf8_unsigned_is_refused(bad, sqlite_url, twilio):
    before = row_counts(sqlite_url)
    raw = b"MessageSid=SM" + b"4" * 32 + b"&From=%2B15555550123&Body=" + bad
    response = twilio.client.post(
        SMS_ROUTE, data=raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 403
    assert row_counts(sqlite_url) == before


def test_a_non_form_body_is_refused(sqlite_url, twilio):
    before = row_counts(sqlite_url)
    for content_type, body in [
        ("application/json", b'{"MessageSid": "SM1", "From": "+15555550123"}'),
        ("text/xml", b"<Response/>"),
        ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
    ]:
        response = twilio.client.post(
            SMS_ROUTE, data=body, content_type=content_type,
            headers={"X-Twilio-Signature": twilio.signature(SMS_ROUTE, {})},
        )  # fmt: skip
        assert response.status_code in (400, 403), (content_type, response.status_code)
    assert row_counts(sqlite_url) == before


# --- Replays, unknown and out-of-order callbacks ----------------------------------------------


@FUZZ
@given(body=hostile_text, times=st.integers(min_value=2, max_value=5))
def test_a_replayed_signed_sms_is_answered_once(sqlite_url, twilio, scripted_rasa, body, times):
    """Twilio signs no timestamp: a captured request can be replayed. It gets the first answer
    again and changes nothing."""
    sid = "SM" + format(abs(hash(body)), "032x")[:32]
    form = {"MessageSid": sid, "From": PATIENT_PHONE, "To": PRACTICE_PHONE, "Body": body}
    first = twilio.post(SMS_ROUTE, form)
    after_first, told = row_counts(sqlite_url), len(scripted_rasa.received)
    for _ in range(times):
        again = twilio.post(SMS_ROUTE, form)
        assert again.get_data() == first.get_data()
    assert row_counts(sqlite_url) == after_first
    assert len(scripted_rasa.received) == told  # the dialogue heard it once


def test_a_replayed_call_turn_is_acted_on_once(sqlite_url, twilio, scripted_rasa):
    call = {"CallSid": CALL_SID, "From": PATIENT_PHONE, "To": PRACTICE_PHONE}
    twilio.post("/twilio/voice", call)
    turn = {**call, "SpeechResult": "cancel my appointment", "Confidence": "0.9"}
    first = twilio.post("/twilio/voice/gather?lang=en&step=2", turn)
    after_first = row_counts(sqlite_url)
    for _ in range(3):
        assert twilio.post("/twilio/voice/gather?lang=en&step=2", turn).get_data() == (
            first.get_data()
        )
    assert row_counts(sqlite_url) == after_first
    assert [m["message"] for m in scripted_rasa.received] == ["cancel my appointment"]


@pytest.mark.parametrize("route", [*VOICE_ROUTES, *STAFF_ROUTES, *CALLBACK_ROUTES])
def test_unknown_call_sids_are_answered_safely(route, sqlite_url, twilio):
    form = {
        "CallSid": "CA" + "e" * 32,
        "From": PATIENT_PHONE,
        "To": PRACTICE_PHONE,
        "CallStatus": "completed",
        "Digits": "1",
        "RecordingUrl": "https://api.twilio.com/rec/RE1",
        "StatusCallbackEvent": "participant-leave",
        "DialCallStatus": "no-answer",
    }
    response = twilio.post(_with_query(route, {"attempt": "424242", "transfer": "424242"}), form)
    _check_answer(route, response)
    if route in CALLBACK_ROUTES:
        with UnitOfWork(sqlite_url) as uow:
            assert uow.session.execute(select(Conversation)).first() is None


def _outbound_message(url: str, sid: str, status: str) -> None:
    with UnitOfWork(url) as uow:
        practice = factories.practice(uow.session)
        uow.session.add(
            OutboundMessage(
                practice_id=practice.id,
                to_number=PATIENT_PHONE,
                body="Test Family Clinic: hello",
                purpose="reply",
                status=status,
                twilio_sid=sid,
            )
        )
        uow.commit()


@pytest.fixture
def bare_twilio(sqlite_url: str) -> Iterator[Twilio]:
    yield Twilio(create_app(make_settings(sqlite_url)).test_client())


@FUZZ
@given(
    order=st.permutations(["queued", "sent", "delivered", "read", "undelivered"]), data=st.data()
)
def test_message_status_callbacks_in_any_order_only_move_forward(
    sqlite_url, bare_twilio, order, data
):
    from tests.factories.databases import empty_all_tables

    empty_all_tables(sqlite_url)
    sid = "SM" + "5" * 32
    _outbound_message(sqlite_url, sid, "queued")
    callbacks = order + data.draw(st.lists(st.sampled_from(order), max_size=3))  # duplicates
    for status in callbacks:
        response = bare_twilio.post("/twilio/status", {"MessageSid": sid, "MessageStatus": status})
        assert response.status_code == 204
    with UnitOfWork(sqlite_url) as uow:
        message = uow.session.execute(select(OutboundMessage)).scalar_one()
        assert message.status == max(order, key=MESSAGE_ORDER.__getitem__)


def test_a_call_completed_before_its_last_turn_still_answers_the_turn(sqlite_url, twilio):
    """Status callbacks race the call's own webhooks: a late turn is answered, and the call's
    transcript keeps it."""
    call = {"CallSid": CALL_SID, "From": PATIENT_PHONE, "To": PRACTICE_PHONE}
    twilio.post("/twilio/voice", call)
    assert twilio.post("/twilio/status", {**call, "CallStatus": "completed"}).status_code == 204
    turn = {**call, "SpeechResult": "are you still there", "Confidence": "0.9"}
    voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=2", turn))
    assert twilio.post("/twilio/status", {**call, "CallStatus": "ringing"}).status_code == 204
    with UnitOfWork(sqlite_url) as uow:
        conversation = uow.session.execute(select(Conversation)).scalar_one()
        assert conversation.status == "closed"  # "ringing" after "completed" reopens nothing
        said = [t.text for t in conversation.turns if t.direction == "in"]
        assert said == ["are you still there"]


def test_a_voicemail_callback_for_an_unknown_call_still_becomes_a_task(sqlite_url, twilio):
    form = {
        "CallSid": "CA" + "f" * 32,
        "From": PATIENT_PHONE,
        "To": PRACTICE_PHONE,
        "RecordingUrl": "https://api.twilio.com/rec/RE2",
        "RecordingDuration": "12",
    }
    voice_twiml(twilio.post("/twilio/voice/voicemail?lang=en", form))
    with UnitOfWork(sqlite_url) as uow:
        task = uow.session.execute(select(StaffTask)).scalar_one()
        assert task.callback_number == PATIENT_PHONE


def test_nothing_is_lost_when_the_practice_is_missing(sqlite_url, bare_twilio):
    """An empty database (no practice configured yet): callers still hear an apology."""
    call = {"CallSid": CALL_SID, "From": PATIENT_PHONE, "To": PRACTICE_PHONE}
    voice_twiml(bare_twilio.post("/twilio/voice", call))
    sms = {"MessageSid": "SM" + "6" * 32, "From": PATIENT_PHONE, "Body": "hi"}
    [message] = sms_twiml(bare_twilio.post(SMS_ROUTE, sms)).iter("Message")
    assert "call our office" in message.text


@pytest.mark.parametrize("control", ["\x08", "\x1b[31m", "\x0c", "\uffff"])
def test_control_characters_read_back_keep_the_twiml_parseable(twilio, control):
    """Found by the property above: the dialogue repeating a text with a control character
    produced TwiML Twilio cannot parse. Those characters are now dropped from the answer."""
    body = f"my name is Ana{control} Ruiz"
    root = sms_twiml(twilio.post(SMS_ROUTE, {"MessageSid": "SM" + "7" * 32, "From": PATIENT_PHONE,
                                             "Body": body}))  # fmt: skip
    [message] = root.iter("Message")
    assert "my name is Ana" in message.text and "Ruiz" in message.text


@pytest.mark.parametrize(
    "caller",
    ["sip:front-desk-phone@clinic-practice.sip.us1.twilio.com", "client:reception", "anonymous"],
)
def test_calls_from_sip_clients_and_hidden_numbers_are_answered_on_both_databases(db_url, caller):
    """Twilio's From is not always a phone number (SIP, Twilio Client, withheld)."""
    seed_practice(db_url)
    twilio = Twilio(create_app(make_settings(db_url)).test_client())
    call = {"CallSid": CALL_SID, "From": caller, "To": PRACTICE_PHONE}
    root = voice_twiml(twilio.post("/twilio/voice", call))
    assert root.find("Gather") is not None, "greeted, not apologised to"
    turn = {**call, "SpeechResult": "I need a refill", "Confidence": "0.9"}
    root = voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=2", turn))
    assert root.find("Record") is not None  # the dialogue is down here: a message is taken
    with UnitOfWork(db_url) as uow:
        task = uow.session.execute(select(StaffTask)).scalar_one()
        assert "I need a refill" in task.summary


def test_a_nul_character_is_answered_on_both_databases(db_url):
    """PostgreSQL text cannot hold U+0000 (SQLite can): still no 5xx, the texter gets an answer
    (on PostgreSQL the apology; Twilio does not send NUL in practice)."""
    seed_practice(db_url)
    twilio = Twilio(create_app(make_settings(db_url)).test_client())
    form = {"MessageSid": "SM" + "9" * 32, "From": PATIENT_PHONE, "Body": "hi\x00there"}
    [message] = sms_twiml(twilio.post(SMS_ROUTE, form)).iter("Message")
    assert message.text
