"""Portal sign-in against a real database (SQLite and PostgreSQL): codes, expiry, locking,
rate limits, signed links and sessions. Codes are read from the recorded outbound SMS."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from assistant.config import load_settings
from assistant.db.models import (
    AuditEvent,
    OutboundMessage,
    Patient,
    PortalChallenge,
    PortalSession,
    Practice,
)
from assistant.messaging.outbound import Outbound
from assistant.portal import limits, signin, web_sessions
from assistant.unit_of_work import UnitOfWork
from tests import factories

SECRET = "portal-test-secret-0123456789"
PHONE = "+15555550123"
DOB = date(1982, 3, 3)
T0 = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def clinic(db_url: str) -> dict:
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        maria = factories.patient(uow.session, practice)
        child = factories.patient(
            uow.session, practice, first="Sofia", last="Lopez", dob=date(2015, 6, 1)
        )
        uow.commit()
        return {"url": db_url, "maria": maria.id, "sofia": child.id}


def outbound(url: str) -> Outbound:
    return Outbound(load_settings({"DATABASE_URL": url, "SECRET_KEY": SECRET}))


def start(url: str, *, phone: str = PHONE, dob: date = DOB, ip: str = "203.0.113.5", now=T0, **kw):
    return signin.start(
        UnitOfWork(url),
        outbound(url),
        signin.Visitor(ip, SECRET, now=now, **kw),
        phone_text=phone,
        dob=dob,
    )


def texted_code(url: str) -> str:
    """The code in the last recorded SMS to the patient's number (what the patient reads)."""
    with UnitOfWork(url) as uow:
        body = uow.session.execute(
            select(OutboundMessage.body)
            .where(OutboundMessage.to_number == PHONE, OutboundMessage.purpose == "otp")
            .order_by(OutboundMessage.id.desc())
            .limit(1)
        ).scalar_one()
    return re.search(r"\b(\d{6})\b", body).group(1)


def verify(url: str, challenge_id, code: str, *, ip: str = "203.0.113.5", now=T0, **kw):
    return signin.verify_code(
        UnitOfWork(url),
        signin.Visitor(ip, SECRET, now=now, **kw),
        challenge_id=challenge_id,
        code=code,
    )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_right_code_signs_in_and_the_code_is_stored_only_hashed(clinic):
    url = clinic["url"]
    started = start(url, phone="(555) 555-0123")
    assert started.status == signin.SENT
    code = texted_code(url)
    assert len(code) == 6
    with UnitOfWork(url) as uow:
        challenge = uow.session.get(PortalChallenge, started.challenge_id)
        stored = [challenge.secret_hash, challenge.salt, challenge.nonce or ""]
        message = uow.session.execute(select(OutboundMessage)).scalar_one()
        assert message.status == "recorded" and message.patient_id == clinic["maria"]
        assert "expires in 10 minutes" in message.body
    assert all(code not in value for value in stored)

    checked = verify(url, started.challenge_id, code, now=T0 + timedelta(minutes=9))
    assert checked.verified and checked.session_token
    with UnitOfWork(url) as uow:
        portal = web_sessions.current(
            uow.session, checked.session_token, secret=SECRET, now=T0 + timedelta(minutes=10)
        )
        assert portal is not None and portal.patient_id == clinic["maria"]
        results = uow.session.execute(
            select(AuditEvent.detail).where(
                AuditEvent.channel == "portal", AuditEvent.action == "verify"
            )
        ).scalars()
        assert [d["result"] for d in results] == ["code_sent", "success"]
    # a code works once
    assert verify(url, started.challenge_id, code).status == signin.EXPIRED


def test_a_code_expires_after_ten_minutes(clinic):
    url = clinic["url"]
    started = start(url)
    later = T0 + timedelta(minutes=10, seconds=1)
    assert verify(url, started.challenge_id, texted_code(url), now=later).status == signin.EXPIRED


def test_three_wrong_codes_lock_even_the_right_one_and_new_codes(clinic):
    url = clinic["url"]
    started = start(url)
    code = texted_code(url)
    first = verify(url, started.challenge_id, wrong(code))
    assert (first.status, first.attempts_left) == (signin.WRONG, 2)
    assert verify(url, started.challenge_id, wrong(code)).attempts_left == 1
    assert verify(url, started.challenge_id, wrong(code)).status == signin.LOCKED
    assert verify(url, started.challenge_id, code).status == signin.LOCKED
    assert start(url, now=T0 + timedelta(minutes=5)).status == signin.LOCKED
    # after the lock period a new code may be requested
    assert start(url, now=T0 + timedelta(minutes=16)).status == signin.SENT


def test_details_matching_nobody_look_the_same_and_send_nothing(clinic):
    url = clinic["url"]
    started = start(url, dob=date(1990, 1, 1))
    assert started.status == signin.NOT_SENT and started.told_code_sent
    assert start(url, phone="+15555550199").told_code_sent
    with UnitOfWork(url) as uow:
        assert uow.session.execute(select(func.count(OutboundMessage.id))).scalar_one() == 0
    assert start(url, phone="12").status == signin.INVALID


def test_sends_are_limited_per_number_and_per_address(clinic):
    url = clinic["url"]
    policy = limits.Limits(sends_per_number=2, sends_per_ip=2)
    assert start(url, policy=policy).status == signin.SENT
    assert start(url, policy=policy, ip="198.51.100.1").status == signin.SENT
    assert start(url, policy=policy, ip="198.51.100.2").status == signin.RATE_LIMITED
    # per address: a third number from the first address is refused too
    with UnitOfWork(url) as uow:
        practice = uow.session.execute(select(Practice)).scalar_one()
        factories.patient(uow.session, practice, first="Ana", phone="+15555550140")
        factories.patient(uow.session, practice, first="Luz", phone="+15555550141")
        uow.commit()
    assert start(url, policy=policy, phone="+15555550140").status == signin.SENT
    assert start(url, policy=policy, phone="+15555550141").status == signin.RATE_LIMITED
    # the window passes
    later = T0 + timedelta(hours=1, minutes=1)
    assert start(url, policy=policy, phone="+15555550141", now=later).status == signin.SENT


def test_a_newer_code_replaces_the_older_one(clinic):
    url = clinic["url"]
    first = start(url)
    old_code = texted_code(url)
    second = start(url, now=T0 + timedelta(minutes=1))
    assert verify(url, first.challenge_id, old_code).status == signin.EXPIRED
    assert verify(url, second.challenge_id, texted_code(url)).verified


def test_failures_are_limited_per_address_across_numbers(clinic):
    url = clinic["url"]
    policy = limits.Limits(failures_per_ip=2)
    assert start(url, dob=date(1990, 1, 1), policy=policy).status == signin.NOT_SENT
    assert start(url, dob=date(1990, 1, 2), policy=policy).status == signin.NOT_SENT
    assert start(url, policy=policy).status == signin.RATE_LIMITED
    assert start(url, policy=policy, ip="198.51.100.9").status == signin.SENT


def test_signed_link_then_date_of_birth_of_someone_on_the_number(clinic):
    url = clinic["url"]
    with UnitOfWork(url) as uow:
        sofia = uow.session.get(Patient, clinic["sofia"])
        url_in_text = signin.link_url(
            uow.session,
            secret=SECRET,
            public_base_url="https://clinic.example.org/",
            patient_id=sofia.id,
            phone=PHONE,
            now=T0,
        )
        uow.commit()
    assert url_in_text.startswith("https://clinic.example.org/portal/link/")
    token = url_in_text.rsplit("/", 1)[1]
    assert len(url_in_text) < 110 and "Sofia" not in token and PHONE[1:] not in token
    assert signin.open_link(UnitOfWork(url), token + "x", secret=SECRET, now=T0) is None
    assert (
        signin.open_link(UnitOfWork(url), token, secret="another-secret-0123456789", now=T0) is None
    )
    too_late = T0 + timedelta(hours=signin.LINK_HOURS, seconds=1)
    assert signin.open_link(UnitOfWork(url), token, secret=SECRET, now=too_late) is None
    challenge_id = signin.open_link(UnitOfWork(url), token, secret=SECRET, now=T0)
    assert challenge_id is not None

    def answer(dob):
        return signin.verify_link(
            UnitOfWork(url),
            signin.Visitor("203.0.113.5", SECRET, now=T0),
            challenge_id=challenge_id,
            dob=dob,
        )

    assert answer(date(2000, 1, 1)).status == signin.WRONG
    checked = answer(DOB)  # the parent's date of birth: the parent's record is opened
    assert checked.verified
    with UnitOfWork(url) as uow:
        portal = web_sessions.current(uow.session, checked.session_token, secret=SECRET, now=T0)
        assert portal.patient_id == clinic["maria"]
    assert signin.open_link(UnitOfWork(url), token, secret=SECRET, now=T0) is None  # used


def test_sessions_end_when_idle_and_family_records_can_be_switched(clinic):
    url = clinic["url"]
    started = start(url)
    token = verify(url, started.challenge_id, texted_code(url)).session_token
    with UnitOfWork(url) as uow:
        portal = web_sessions.current(uow.session, token, secret=SECRET, now=T0)
        names = [r.first_name for r in web_sessions.records(uow.session, portal)]
        assert names == ["Maria", "Sofia"]
        assert web_sessions.switch(uow.session, portal, clinic["sofia"])
        assert not web_sessions.switch(uow.session, portal, 999)
        conversation = web_sessions.chat_conversation(uow.session, portal)
        assert conversation.verified_patient_id == clinic["sofia"]
        assert conversation.channel == "portal"
        uow.commit()
    idle = T0 + timedelta(minutes=web_sessions.IDLE_MINUTES, seconds=1)
    with UnitOfWork(url) as uow:
        assert web_sessions.current(uow.session, token, secret=SECRET, now=idle) is None
        uow.commit()
    with UnitOfWork(url) as uow:
        row = uow.session.execute(select(PortalSession)).scalar_one()
        assert (row.end_reason, row.ended_at is not None) == ("idle", True)
        assert web_sessions.current(uow.session, token, secret=SECRET, now=T0) is None
