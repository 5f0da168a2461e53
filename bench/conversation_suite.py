"""Scripted conversations through the signed Twilio webhooks, against a real Rasa + action server.

Each conversation in bench/conversations/*.yml is played on a freshly seeded demo practice
(SMS: signed `/twilio/sms` posts; voice: a signed call answered turn by turn), then the database
is checked for the expected outcome. Reported:

* task success: the database holds the expected outcome (appointment moved, cancelled, booked,
  late note, staff task in the right department, ...);
* containment: share of all conversations finished (task success) without staff, i.e. no staff
  message/handoff task and no call transfer (a running-late note's follow-up task is
  informational and does not count);
* turns per finished task: patient turns in the contained, successful conversations.

    python bench/conversation_suite.py [--set unseen] [--only ID_SUBSTRING] [--verbose]

`--set unseen` plays bench/conversations_unseen/ instead: an evaluation set written without
looking at the training data or at these scripts (never train on it). Its conversations may
declare a patient of their own (`setup: {new_patient: {...}}` with `patient: new`), a Spanish
call that does not press 2 (`setup: {no_language_key: true}`) and a few more expectations about
the new appointment's time (`new_time`, `with_provider`) and `not_emergency`; `task_says`
lists words the staff task must carry (the patient's own, for a message); `late_minutes` the
minutes of the running-late note.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as wall_clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests
import yaml
from sqlalchemy import delete, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import stack  # noqa: E402
from assistant.actor import Actor  # noqa: E402
from assistant.config import PROJECT_ROOT, Settings, load_settings  # noqa: E402
from assistant.db import migrate  # noqa: E402
from assistant.db.engine import get_engine  # noqa: E402
from assistant.db.models import (  # noqa: E402
    COMPLETED,
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentType,
    Base,
    CallTransfer,
    Conversation,
    OutboundMessage,
    Patient,
    PatientPhone,
    Provider,
    ProviderSchedule,
    StaffTask,
)
from assistant.db.types import utcnow  # noqa: E402
from assistant.demo.seed import seed_demo  # noqa: E402
from assistant.rasa_model import ensure_model  # noqa: E402
from assistant.routing import URGENT_CLINICAL  # noqa: E402
from assistant.scheduling import operations  # noqa: E402
from assistant.scheduling.errors import SchedulingError  # noqa: E402
from assistant.scheduling.securing import SlotRequest  # noqa: E402
from assistant.simulator import SimulatedCall, TwilioSimulator  # noqa: E402
from assistant.unit_of_work import UnitOfWork  # noqa: E402

CONVERSATIONS = Path(__file__).with_name("conversations")
SETS = {
    "default": CONVERSATIONS,
    "unseen": Path(__file__).with_name("conversations_unseen"),
    "fresh": Path(__file__).with_name("conversations_fresh"),  # held out, written 2026-12-07
    "third": Path(__file__).with_name("conversations_third"),  # held out, written 2026-12-07 (4th)
    "fourth": Path(__file__).with_name("conversations_fourth"),  # held out, written in the 5th
    "fifth": Path(__file__).with_name("conversations_fifth"),  # held out, written blind
    "sixth": Path(__file__).with_name("conversations_sixth"),  # held out, written blind
}
PUBLIC_BASE_URL = "https://clinic.example.org"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
PATIENTS = {"maria": "english_demo", "jose": "spanish_demo"}
STAFF_KINDS = ("message", "handoff", "callback")
STAFF_OUTCOMES = ("message_taken", "handed_off", "transferred", "voicemail")


@dataclass
class Result:
    id: str
    channel: str
    language: str
    turns: int
    success: bool
    contained: bool
    outcome: str | None
    replies: list[str] = field(default_factory=list)
    why: str = ""
    unchosen: list[str] = field(default_factory=list)
    unneeded_handoff: bool = False


def load(only: str | None = None, folder: Path = CONVERSATIONS) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.glob("*.yml")):
        for item in yaml.safe_load(path.read_text()) or []:
            if any(isinstance(t, bool) for t in item["turns"]):
                raise SystemExit(f'{item["id"]}: quote turns like "yes" (YAML reads a bool)')
            item["turns"] = [str(t) for t in item["turns"]]
            if only is None or only in item["id"]:
                found.append(item)
    return found


# --- the stack ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_for(database_url: str) -> Settings:
    env = {
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": "AC" + "a" * 32,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_PHONE_NUMBER": "+15555550100",
        "SECRET_KEY": "bench-secret-key-0123456789",
        "RASA_URL": f"http://127.0.0.1:{_free_port()}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{_free_port()}",
        "RASA_TIMEOUT_SECONDS": "14",
    }
    return load_settings(env, read_dotenv=False)


def start_dialogue(settings: Settings, log_dir: Path) -> list[stack.Service]:
    """The Rasa server and the action server (the web app runs in-process)."""
    model = ensure_model(PROJECT_ROOT / "var")
    services = [
        s for s in stack.services(settings, model, app_port=0) if s.name in ("rasa", "actions")
    ]
    stack.start(services, stack.child_env(settings), log_dir)
    deadline = time.monotonic() + 300
    urls = [f"{settings.action_server_url}/health", f"{settings.rasa_url}/status"]
    while urls and time.monotonic() < deadline:
        died = stack.dead(services)
        if died:  # stop the others too: a Rasa server left running holds its port and memory
            stack.stop(services)
            raise SystemExit(f"{died.name} exited; logs in {log_dir}")
        try:
            response = requests.get(urls[0], timeout=2)
            if response.ok and (urls[0].endswith("/health") or response.json().get("model_file")):
                urls.pop(0)
                continue
        except requests.RequestException:
            pass
        time.sleep(0.5)
    if urls:
        stack.stop(services)
        raise SystemExit(f"dialogue not ready: {urls}; logs in {log_dir}")
    return services


class _InProcess:
    """`requests`-like poster over the Flask test client, for `TwilioSimulator`."""

    def __init__(self, app_url: str, client) -> None:
        self.app_url, self.client = app_url, client

    def post(self, url: str, data: dict[str, str], headers: dict[str, str], timeout: float):
        response = self.client.post(url.removeprefix(self.app_url), data=data, headers=headers)
        return _Response(response.status_code, response.get_data(as_text=True))


@dataclass
class _Response:
    status_code: int
    text: str

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.text[:200]}")


def simulator(settings: Settings) -> TwilioSimulator:
    from webhooks import create_app

    client = create_app(settings).test_client()
    app_url = "http://in-process"
    return TwilioSimulator(
        app_url=app_url,
        public_base_url=settings.public_base_url,
        auth_token=AUTH_TOKEN,
        http=_InProcess(app_url, client),  # type: ignore[arg-type]
    )


# --- one conversation --------------------------------------------------------------------------


def reset(database_url: str) -> Any:
    """Empty every table (the suite's own SQLite file) and seed the demo practice again."""
    with get_engine(database_url).begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    with UnitOfWork(database_url) as uow:
        demo = seed_demo(uow.session)
        uow.commit()
    return demo


def prepare(database_url: str, demo: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """Who is calling and what the scenario needs in the database."""
    setup = spec.get("setup") or {}
    who = spec.get("patient", "maria")
    ctx: dict[str, Any] = {
        "phone": spec.get("phone"),
        "seeded_patients": _max_patient(database_url),
        "language": spec.get("language", "en"),
    }
    if who in PATIENTS:
        person = getattr(demo, PATIENTS[who])
        ctx.update(phone=person.phone, patient_id=person.patient_id,
                   appointment_id=person.appointment_id, provider=person.provider_name)  # fmt: skip
    with UnitOfWork(database_url) as uow:
        session = uow.session
        if who == "new" and "new_patient" in setup:  # else: a caller the practice does not know
            ctx.update(_new_patient(session, demo, setup["new_patient"]))
        if setup.get("seen_before") and "patient_id" in ctx:
            _past_visit(session, ctx["patient_id"], ctx["appointment_id"])
        if setup.get("no_reminder") and "patient_id" in ctx:  # a cold start: nothing to answer
            _forget_reminders(session, ctx["patient_id"])
        if setup.get("second_appointment") and "patient_id" in ctx:
            second = setup["second_appointment"]
            ctx["second_appointment_id"] = (
                _second_with(session, ctx["patient_id"], ctx["appointment_id"], **second)
                if isinstance(second, dict)
                else _second(session, ctx["patient_id"], ctx["appointment_id"])
            )
        if setup.get("provider_away") and "appointment_id" in ctx:  # nothing with their provider
            away = session.get(Appointment, ctx["appointment_id"]).provider_id
            session.execute(delete(ProviderSchedule).where(ProviderSchedule.provider_id == away))
        if "appointment_in_minutes" in setup and "patient_id" in ctx:
            ctx["late_appointment_id"] = _soon(
                session, ctx["patient_id"], ctx["appointment_id"], setup["appointment_in_minutes"]
            )
        uow.commit()
    return ctx


def _new_patient(session, demo: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """A patient of the scenario's own (unusual name ...) on their own number, with an upcoming
    follow-up like Maria's: her provider, location and type, the same day, the free time
    nearest two hours after hers (`type`: another visit type's code, e.g. annual_physical)."""
    like = session.get(Appointment, demo.english_demo.appointment_id)
    kind = like.appointment_type
    if "type" in spec:
        kind = session.execute(
            select(AppointmentType).where(
                AppointmentType.practice_id == like.practice_id,
                AppointmentType.code == spec["type"],
            )
        ).scalar_one()
    dob = spec["dob"]
    patient = Patient(
        practice_id=like.practice_id,
        external_id=f"BENCH-{spec['phone'][-4:]}",
        first_name=spec["first"],
        last_name=spec["last"],
        date_of_birth=dob if isinstance(dob, date) else date.fromisoformat(str(dob)),
        preferred_language=spec.get("language", "en"),
        sms_consent=spec.get("sms_consent", True),
        phones=[PatientPhone(number=spec["phone"], kind="mobile", is_primary=True)],
    )
    session.add(patient)
    session.flush()
    visit = operations.book(
        session,
        SlotRequest(patient.id, like.provider_id, like.location_id, kind.id,
                    _free_start_near(session, like, timedelta(hours=2),
                                     timedelta(minutes=kind.duration_minutes))),
        actor=Actor("staff:1", "console"), enforce_rules=False,
    )  # fmt: skip
    return {
        "phone": spec["phone"],
        "patient_id": patient.id,
        "appointment_id": visit.id,
        "provider": like.provider.display_name,
    }


def _free_start_near(
    session, like: Appointment, offset: timedelta, length: timedelta | None = None
) -> datetime:
    """The free start in `like`'s provider's schedule on `like`'s day nearest `like` + offset
    (for a visit of `length`, by default `like`'s)."""
    zone = ZoneInfo(like.location.time_zone)
    local = like.starts_at.astimezone(zone)
    length = length or like.ends_at - like.starts_at
    blocks = session.execute(
        select(ProviderSchedule).where(
            ProviderSchedule.provider_id == like.provider_id,
            ProviderSchedule.location_id == like.location_id,
            ProviderSchedule.weekday == local.weekday(),
        )
    ).scalars()
    starts = []
    for block in blocks:
        at = datetime.combine(local.date(), block.start_time, tzinfo=zone)
        while at + length <= datetime.combine(local.date(), block.end_time, tzinfo=zone):
            starts.append(at)
            at += timedelta(minutes=20)
    taken = [
        (a.starts_at, a.ends_at)
        for a in session.execute(
            select(Appointment).where(
                Appointment.provider_id == like.provider_id,
                Appointment.status.in_(OCCUPYING_STATUSES),
            )
        ).scalars()
    ]
    wanted = local + offset
    for at in sorted(starts, key=lambda s: (abs(s - wanted), s < wanted)):
        if all(at + length <= start or at >= end for start, end in taken):
            return at.astimezone(ZoneInfo("UTC"))
    raise SystemExit(f"no free time on {local.date()} for the scenario's patient")


def _max_patient(database_url: str) -> int:
    with UnitOfWork(database_url) as uow:
        return max(uow.session.execute(select(Patient.id)).scalars(), default=0)


def _past_visit(session, patient_id: int, like_id: int) -> None:
    like = session.get(Appointment, like_id)
    start = like.starts_at - timedelta(days=120)
    session.add(
        Appointment(
            practice_id=like.practice_id, patient_id=patient_id, provider_id=like.provider_id,
            location_id=like.location_id, appointment_type_id=like.appointment_type_id,
            starts_at=start, ends_at=start + timedelta(minutes=20), status=COMPLETED,
        )
    )  # fmt: skip


def _forget_reminders(session, patient_id: int) -> None:
    for message in session.execute(
        select(OutboundMessage).where(
            OutboundMessage.patient_id == patient_id, OutboundMessage.purpose == "reminder"
        )
    ).scalars():
        session.delete(message)


def _second(session, patient_id: int, like_id: int) -> int:
    """Another upcoming visit a week after the first (a free time of the same provider)."""
    like = session.get(Appointment, like_id)
    for days in range(7, 21):
        start = like.starts_at + timedelta(days=days)
        if start.weekday() >= 5:
            continue
        try:
            with session.begin_nested():
                made = operations.book(
                    session,
                    SlotRequest(patient_id, like.provider_id, like.location_id,
                                like.appointment_type_id, start),
                    actor=Actor("staff:1", "console"), enforce_rules=False,
                )  # fmt: skip
        except SchedulingError:  # taken: try the next day
            continue
        return made.id
    raise SystemExit("no free time for a second appointment")


def _second_with(session, patient_id: int, like_id: int, provider: str, hour: int) -> int:
    """Another upcoming visit of the same type with `provider` (a last name) from `hour` (local)
    on a later weekday than the first visit's other than its own: "the later one", "the one
    with Dr. Okafor", "la de la tarde" tell the two apart."""
    like = session.get(Appointment, like_id)
    who = session.execute(select(Provider).where(Provider.last_name == provider)).scalar_one()
    zone = ZoneInfo(like.location.time_zone)
    first = like.starts_at.astimezone(zone).date()
    length = like.ends_at - like.starts_at
    for days in range(1, 21):
        day = first + timedelta(days=days)
        if day.weekday() in (5, 6, first.weekday()):
            continue
        blocks = session.execute(
            select(ProviderSchedule).where(
                ProviderSchedule.provider_id == who.id, ProviderSchedule.weekday == day.weekday()
            )
        ).scalars()
        for block in blocks:
            opens = datetime.combine(day, wall_clock(hour), tzinfo=zone)
            for minutes in range(0, 120, 20):
                start = opens + timedelta(minutes=minutes)
                closes = datetime.combine(day, block.end_time, tzinfo=zone)
                if start.time() < block.start_time or start + length > closes:
                    continue
                try:
                    with session.begin_nested():
                        made = operations.book(
                            session,
                            SlotRequest(patient_id, who.id, block.location_id,
                                        like.appointment_type_id, start),
                            actor=Actor("staff:1", "console"), enforce_rules=False,
                        )  # fmt: skip
                except SchedulingError:
                    continue
                return made.id
    raise SystemExit(f"no free time with {provider} for a second appointment")


def _soon(session, patient_id: int, like_id: int, minutes: int) -> int:
    like = session.get(Appointment, like_id)
    atype = session.execute(
        select(AppointmentType).where(AppointmentType.code == "follow_up")
    ).scalar_one()
    start = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=minutes)
    made = operations.book(
        session,
        SlotRequest(patient_id, like.provider_id, like.location_id, atype.id, start),
        actor=Actor("staff:1", "console"), enforce_rules=False,
    )  # fmt: skip
    return made.id


def play(sim: TwilioSimulator, spec: dict[str, Any], phone: str) -> tuple[list[str], str]:
    """Play the patient's turns; returns (the reply to each turn, what was said before them)."""
    replies: list[str] = []
    if spec.get("channel", "sms") == "sms":
        for body in spec["turns"]:
            replies.append(" ".join(sim.text(phone, body)))
        return replies, ""
    call = SimulatedCall(sim, phone)
    turn = call.start()
    intro = " ".join(turn.said)
    if spec.get("language") == "es" and not (spec.get("setup") or {}).get("no_language_key"):
        turn = call.answer(turn.next_path or "", "2")
        intro += " " + " ".join(turn.said)
    for said in spec["turns"]:
        if turn.next_path is None or "/gather" not in turn.next_path:
            break  # transferred, or voicemail: the call is with staff now
        turn = call.answer(turn.next_path, said)
        replies.append(" ".join(turn.said))
    call.hang_up()
    return replies, intro


def judge(database_url: str, spec: dict[str, Any], ctx: dict[str, Any], replies: list[str]):
    """(success, contained, outcome, why, unneeded handoff) from the database and what was
    said; a handoff is unneeded when the expectation names no department and no staff outcome."""
    expect = spec["expect"]
    with UnitOfWork(database_url) as uow:
        session = uow.session
        conversation = session.execute(
            select(Conversation).order_by(Conversation.id.desc()).limit(1)
        ).scalar_one_or_none()
        outcome = conversation.outcome if conversation else None
        tasks = (
            list(
                session.execute(
                    select(StaffTask).where(StaffTask.conversation_id == conversation.id)
                ).scalars()
            )
            if conversation
            else []
        )
        transfers = (
            session.execute(
                select(CallTransfer).where(CallTransfer.conversation_id == conversation.id)
            ).first()
            if conversation
            else None
        )
        staff = transfers is not None or any(t.kind in STAFF_KINDS for t in tasks)
        checks = _checks(session, expect, ctx, outcome, tasks, replies, conversation)
    failed = [name for name, ok in checks if not ok]
    success = not failed
    unneeded = staff and not _staff_expected(expect)
    return success, success and not staff, outcome, ", ".join(failed), unneeded


def _staff_expected(expect: dict[str, Any]) -> bool:
    """A conversation that should end with staff: a message for a department, a handoff."""
    return "department" in expect or expect.get("outcome") in STAFF_OUTCOMES


def _checks(
    session, expect, ctx, outcome, tasks, replies, conversation=None
) -> list[tuple[str, bool]]:
    said = " ".join(replies).lower()
    checks: list[tuple[str, bool]] = []
    for text in expect.get("says", []):
        checks.append((f"says {text!r}", text.lower() in said))
    for text in expect.get("never_says", []):
        checks.append((f"never says {text!r}", text.lower() not in said))
    if "outcome" in expect:
        checks.append(
            (f"outcome {expect['outcome']} (got {outcome})", outcome == expect["outcome"])
        )
    if "department" in expect:
        departments = {t.department for t in tasks if t.kind in STAFF_KINDS}
        checks.append((f"task for {expect['department']}", expect["department"] in departments))
    for words in expect.get("task_says", []):  # the patient's own words reach staff
        summaries = " ".join(t.summary for t in tasks if t.kind in STAFF_KINDS).lower()
        checks.append((f"task says {words!r}", words.lower() in summaries))
    appointment = (
        session.get(Appointment, ctx["appointment_id"]) if "appointment_id" in ctx else None
    )
    status = expect.get("appointment")
    if status and appointment is not None:
        checks.append((f"appointment {status} (got {appointment.status})",
                       appointment.status == status))  # fmt: skip
        if status == "rescheduled":
            new = session.get(Appointment, appointment.rescheduled_to_id)
            checks.append(("new appointment booked", new is not None and new.status == "booked"))
    if status == "rescheduled" and appointment is not None and "rescheduled_to_option" in expect:
        new = session.get(Appointment, appointment.rescheduled_to_id)
        label = _offered(replies, int(expect["rescheduled_to_option"]))
        when = _when(new, ctx.get("language", "en")) if new is not None else None
        wanted = expect["rescheduled_to_option"]
        checks.append((f"moved to option {wanted} ({label!r}, got {when!r})",
                       bool(label and when and label.startswith(when))))  # fmt: skip
    if status == "rescheduled" and appointment is not None:
        new = session.get(Appointment, appointment.rescheduled_to_id)
        if new is not None:
            checks += _moved_checks(expect, appointment, new)
    if "second_appointment" in expect and "second_appointment_id" in ctx:
        second = session.get(Appointment, ctx["second_appointment_id"])
        checks.append((f"second appointment {expect['second_appointment']} (got {second.status})",
                       second.status == expect["second_appointment"]))  # fmt: skip
    if expect.get("booked"):
        checks.append(("a new booking", _booked(session, ctx, expect["booked"])))
    if expect.get("late_note"):
        late = session.get(Appointment, ctx.get("late_appointment_id") or 0)
        checks.append(("late note", late is not None and bool(late.running_late_note)))
    if "late_minutes" in expect:  # the minutes noted, not a road or bus number said with them
        late = session.get(Appointment, ctx.get("late_appointment_id") or 0)
        note = late.running_late_note if late is not None else None
        wanted = f"running about {int(expect['late_minutes'])} min late"
        checks.append((f"late by {expect['late_minutes']} min (noted {note!r})", note == wanted))
    if expect.get("not_emergency"):  # a care question: a normal task, no urgent clinical path
        # A late arrival past the grace period is urgent for the desk (a follow-up), not a
        # clinical path: only urgent callbacks and urgent clinical transfers count.
        urgent = any(t.priority == "urgent" and t.kind != "follow_up" for t in tasks)
        emergency = (
            conversation is not None
            and session.execute(
                select(CallTransfer.id).where(
                    CallTransfer.conversation_id == conversation.id,
                    CallTransfer.reason.in_(sorted(URGENT_CLINICAL)),
                )
            ).first()
        )
        checks.append(("not handled as an emergency", not urgent and not emergency))
    if expect.get("new_time") or expect.get("with_provider"):
        new = _new_appointment(session, ctx, expect)
        for name, wanted in (expect.get("new_time") or {}).items():
            checks.append(
                (f"new time {name}={wanted}", _time_check(new, appointment, name, wanted))
            )
        if expect.get("with_provider"):
            who = str(expect["with_provider"]).lower()
            checks.append((f"new appointment with {expect['with_provider']}",
                           new is not None and who in new.provider.last_name.lower()))  # fmt: skip
    return checks


def _new_appointment(session, ctx: dict[str, Any], expect: dict[str, Any]) -> Appointment | None:
    """The appointment the conversation made: where the original was moved to, else the one new
    booking of the caller (or of the patient the dialogue created, `booked.name`)."""
    original = session.get(Appointment, ctx.get("appointment_id") or 0)
    if original is not None and original.rescheduled_to_id:
        return session.get(Appointment, original.rescheduled_to_id)
    query = select(Appointment).where(Appointment.status.in_(OCCUPYING_STATUSES))
    wanted = expect.get("booked") or {}
    if isinstance(wanted, dict) and "name" in wanted:
        first, last = wanted["name"].split(" ", 1)
        query = query.join(Patient, Patient.id == Appointment.patient_id).where(
            Patient.first_name == first,
            Patient.last_name == last,
            Patient.id > ctx["seeded_patients"],
        )
    elif "patient_id" in ctx:
        query = query.where(
            Appointment.patient_id == ctx["patient_id"], Appointment.id != ctx["appointment_id"]
        )
    else:
        return None
    found = list(session.execute(query.order_by(Appointment.id.desc())).scalars())
    return found[0] if len(found) == 1 else None


PARTS_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _time_check(new: Appointment | None, original: Appointment | None, name: str, wanted) -> bool:
    """One `new_time` expectation, on the new appointment's local (practice) wall clock.

    weekday: monday..; not_weekday: monday.. (any other day); part_of_day: morning (before 12)
    | afternoon (12-17) | evening;
    after / before: "HH:MM" (at or after / strictly before); later_than_original /
    earlier_than_original: true; same_day / same_time: true (as the original, local);
    days_later: N (local dates apart); weeks_after_original: N (calendar weeks after the
    original's, Monday first); week: this | next | after_next (calendar weeks from today's,
    Monday first)."""
    if new is None:
        return False
    zone = ZoneInfo(new.location.time_zone)
    at = new.starts_at.astimezone(zone)
    was = original.starts_at.astimezone(zone) if original is not None else None
    clock = at.strftime("%H:%M")
    if name == "weekday":
        return WEEKDAYS[at.weekday()] == str(wanted).lower()
    if name == "not_weekday":  # "any day but Monday"
        return WEEKDAYS[at.weekday()] != str(wanted).lower()
    if name == "part_of_day":
        low, high = PARTS_OF_DAY[wanted]
        return low <= at.hour < high
    if name == "after":
        return clock >= _hhmm(wanted)
    if name == "before":
        return clock < _hhmm(wanted)
    if name == "week":  # calendar weeks from today's (Monday first): needs no original visit
        today = datetime.now(zone).date()
        monday = today - timedelta(days=today.weekday())
        weeks = {"this": 0, "next": 1, "after_next": 2}[wanted]
        return (at.date() - monday).days // 7 == weeks
    if was is None:
        return False
    if name == "later_than_original":
        return (at > was) == bool(wanted)
    if name == "earlier_than_original":
        return (at < was) == bool(wanted)
    if name == "same_day":
        return (at.date() == was.date()) == bool(wanted)
    if name == "same_time":
        return (at.time() == was.time()) == bool(wanted)
    if name == "days_later":
        return (at.date() - was.date()).days == int(wanted)
    if name == "weeks_after_original":
        monday = was.date() - timedelta(days=was.weekday())
        return (at.date() - monday).days // 7 == int(wanted)
    raise SystemExit(f"unknown new_time expectation {name!r}")


def _hhmm(value) -> str:
    """A wall-clock "HH:MM" (YAML 1.1 reads an unquoted 15:00 as 900, in minutes)."""
    if isinstance(value, int):
        return f"{value // 60:02d}:{value % 60:02d}"
    hours, minutes = str(value).split(":")
    return f"{int(hours):02d}:{int(minutes):02d}"


def _booked(session, ctx: dict[str, Any], wanted: dict[str, Any]) -> bool:
    query = select(Appointment).where(Appointment.status == "booked")
    if "name" in wanted:  # the newest patient with this name: the one the dialogue created
        first, last = wanted["name"].split(" ", 1)
        patient = session.execute(
            select(Patient)
            .where(Patient.first_name == first, Patient.last_name == last)
            .order_by(Patient.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if patient is None or patient.id <= ctx["seeded_patients"]:
            return False
        query = query.where(Appointment.patient_id == patient.id)
    else:
        query = query.where(Appointment.patient_id == ctx["patient_id"])
        query = query.where(Appointment.id != ctx["appointment_id"])
    found = list(session.execute(query).scalars())
    if "type" in wanted:
        found = [a for a in found if a.appointment_type.code == wanted["type"]]
    if "specialty" in wanted:
        found = [a for a in found if a.provider.specialty == wanted["specialty"]]
    return len(found) == 1


def _moved_checks(expect, old: Appointment, new: Appointment) -> list[tuple[str, bool]]:
    """Where a reschedule went: later / earlier, from an hour on, with another provider."""
    from zoneinfo import ZoneInfo

    checks = []
    if expect.get("moved") == "later":
        checks.append(("moved later", new.starts_at > old.starts_at))
    if expect.get("moved") == "earlier":
        checks.append(("moved earlier", new.starts_at < old.starts_at))
    if "new_hour_from" in expect:
        hour = new.starts_at.astimezone(ZoneInfo(new.location.time_zone)).hour
        checks.append((f"new time from {expect['new_hour_from']}:00 (got {hour})",
                       hour >= int(expect["new_hour_from"])))  # fmt: skip
    if expect.get("new_provider") == "colleague":
        same = new.provider.specialty == old.provider.specialty
        checks.append(("a colleague of the same specialty",
                       new.provider_id != old.provider_id and same))  # fmt: skip
    return checks


def _when(appointment: Appointment, language: str = "en") -> str:
    from assistant.timefmt import format_when

    return format_when(appointment.starts_at, appointment.location.time_zone, language=language)


def _offered(replies: list[str], number: int) -> str | None:
    """The option numbered `number` in the first SMS offer ("1) ... 2) ...")."""
    for reply in replies:
        if f"{number}) " in reply and "1) " in reply:
            label = reply.split(f"{number}) ", 1)[1]
            return label.split(f" {number + 1}) ", 1)[0].split(" Which one", 1)[0]
    return None


def run_one(sim: TwilioSimulator, database_url: str, spec: dict[str, Any]) -> Result:
    demo = reset(database_url)
    ctx = prepare(database_url, demo, spec)
    before = _statuses(database_url)
    replies, intro = play(sim, spec, ctx["phone"])
    success, contained, outcome, why, unneeded = judge(database_url, spec, ctx, [intro, *replies])
    unchosen = unchosen_changes(database_url, before, [intro, *replies])
    return Result(
        spec["id"], spec.get("channel", "sms"), spec.get("language", "en"), len(spec["turns"]),
        success, contained, outcome, replies, why, unchosen, unneeded,
    )  # fmt: skip


def _statuses(database_url: str) -> dict[int, str]:
    with UnitOfWork(database_url) as uow:
        rows = uow.session.execute(select(Appointment.id, Appointment.status))
        return {row.id: row.status for row in rows}


def unchosen_changes(database_url: str, before: dict[int, str], replies: list[str]) -> list[str]:
    """Appointments the conversation booked, moved or cancelled without having said them.

    Issue #17's rule: nothing changes without a read-back naming the exact time (and, for a new
    visit, the provider). Every appointment that appeared or changed status during the
    conversation must have been named by the assistant, in either language and channel form.
    """
    from assistant.timefmt import format_when

    said = " ".join(replies).lower()
    wrong = []
    with UnitOfWork(database_url) as uow:
        for appointment in uow.session.execute(select(Appointment)).scalars():
            old = before.get(appointment.id)
            if old == appointment.status or appointment.status == "held":
                continue
            zone = appointment.location.time_zone
            forms = {
                format_when(appointment.starts_at, zone, language=lang, channel=ch).lower()
                for lang in ("en", "es")
                for ch in ("sms", "voice")
            }
            named = any(form in said for form in forms)
            if old is None:  # a new visit: its time and its provider
                named = named and appointment.provider.last_name.lower() in said
            if not named:
                change = "booked" if old is None else f"{old} -> {appointment.status}"
                wrong.append(f"appointment {appointment.id} {change} without naming it")
    return wrong


# --- the report --------------------------------------------------------------------------------


def report(results: list[Result]) -> str:
    n = len(results)
    done = [r for r in results if r.success]
    contained = [r for r in results if r.contained]
    unneeded = [r for r in results if r.unneeded_handoff]
    turns = sum(r.turns for r in contained) / len(contained) if contained else 0.0
    lines = [
        f"conversations: {n}  (sms {sum(r.channel == 'sms' for r in results)}, "
        f"voice {sum(r.channel == 'voice' for r in results)}; "
        f"en {sum(r.language == 'en' for r in results)}, "
        f"es {sum(r.language == 'es' for r in results)})",
        f"task success: {len(done)}/{n} = {len(done) / n:.0%}",
        f"containment (finished without staff): {len(contained)}/{n} = {len(contained) / n:.0%}",
        f"turns per finished task (contained): {turns:.1f}",
        f"unnecessary handoffs (staff where none was expected): {len(unneeded)}/{n} = "
        f"{len(unneeded) / n:.1%}",
    ]
    lines.append("| group | conversations | task success | contained | unneeded handoffs "
                 "| turns (contained) |")  # fmt: skip
    lines.append("|---|---:|---:|---:|---:|---:|")
    groups: dict[str, list[Result]] = {}
    for r in results:
        groups.setdefault(r.id.split("-", 1)[0], []).append(r)
    for r in results:
        groups.setdefault(f"{r.language} {r.channel}", []).append(r)
    for name, group in groups.items():
        held = [r for r in group if r.contained]
        mean = f"{sum(r.turns for r in held) / len(held):.1f}" if held else "-"
        lines.append(
            f"| {name} | {len(group)} | {sum(r.success for r in group)} | {len(held)} "
            f"| {sum(r.unneeded_handoff for r in group)} | {mean} |"
        )
    unchosen = [r for r in results if r.unchosen]
    lines.append(
        "appointments changed without a read-back naming them (must be 0): "
        f"{sum(len(r.unchosen) for r in unchosen)}"
    )
    for r in unchosen:
        lines.append(f"  UNCHOSEN {r.id}: {'; '.join(r.unchosen)}")
    for r in unneeded:
        lines.append(f"  TO STAFF {r.id}")
    for r in results:
        if not r.success:
            lines.append(f"  FAILED {r.id}: {r.why}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run the conversations whose id contains this")
    parser.add_argument(
        "--set",
        choices=sorted(SETS),
        default="default",
        help="bench/conversations (default), or the held-out bench/conversations_unseen (unseen)"
        " and bench/conversations_fresh (fresh), bench/conversations_third (third),"
        " bench/conversations_fourth (fourth), bench/conversations_fifth (fifth),"
        " bench/conversations_sixth (sixth)",
    )
    parser.add_argument(
        "--dir", type=Path, help="play the conversations of this folder instead (a probe set)"
    )
    parser.add_argument("--verbose", action="store_true", help="print every reply")
    args = parser.parse_args(argv)
    specs = load(args.only, args.dir or SETS[args.set])
    tmp = Path(tempfile.mkdtemp(prefix="conversations-"))
    database_url = f"sqlite:///{tmp / 'suite.sqlite3'}"
    migrate.upgrade(database_url)
    settings = settings_for(database_url)
    services = start_dialogue(settings, tmp / "logs")
    results = []
    try:
        sim = simulator(settings)
        for spec in specs:
            started = time.monotonic()
            result = run_one(sim, database_url, spec)
            results.append(result)
            mark = "ok " if result.success else "FAIL"
            print(f"{mark} {result.id} ({time.monotonic() - started:.1f} s) {result.why}")
            if args.verbose or not result.success:
                for said, reply in zip(spec["turns"], result.replies, strict=False):
                    print(f"      > {said}\n      < {reply}")
    finally:
        stack.stop(services)
    print(report(results))
    return 0 if results and all(r.success for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
