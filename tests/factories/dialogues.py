"""Running custom actions in tests: a conversation row, a tracker, the events an action returns;
and playing scripted conversations against the real Rasa and action servers (the runner of
bench/conversation_suite.py, on tests/integration/conversations/*.yml)."""

from __future__ import annotations

import asyncio
import importlib
import re
import sys
from datetime import datetime
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from assistant.config import PROJECT_ROOT
from assistant.conversations import sessions
from assistant.db.models import Appointment, Conversation, StaffTask
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.book import ValidateBookForm
from dialogues.actions.identity import ValidateIdentityForm
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask


def conversation(url: str, practice_id: int, phone: str, channel: str = "sms") -> str:
    with UnitOfWork(url) as uow:
        found = sessions.sms_conversation(
            uow.session, practice_id=practice_id, phone=phone, session_minutes=30
        )
        found.channel = channel
        uow.commit()
        return found.uid


def tracker(
    uid: str,
    *,
    text: str = "",
    intent: str | None = None,
    slots: dict[str, Any] | None = None,
    latest_action: str = "action_listen",
    active_loop: str | None = None,
) -> Tracker:
    values = {"language": "en", "channel": "sms", **(slots or {})}
    events: list[dict[str, Any]] = [{"event": "user", "text": text}]
    answered = values.get("requested_slot")
    if answered and values.get(answered) is not None:  # what action_extract_slots just set
        events.append({"event": "slot", "name": answered, "value": values[answered]})
    return Tracker(
        sender_id=f"sms:{uid}",
        slots=values,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0} if intent else {},
            "metadata": {"conversation_uid": uid},
        },
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action,
    )


def _domain() -> dict[str, Any]:
    """The forms of the real domain (what FormValidationAction reads)."""
    forms: dict[str, Any] = {}
    for path in sorted((PROJECT_ROOT / "dialogues" / "domain").glob("*.yml")):
        forms.update((yaml.safe_load(path.read_text()) or {}).get("forms") or {})
    return {"slots": {}, "forms": forms}


DOMAIN = _domain()


def run(action: Any, track: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events, messages) of one run of the action."""
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, track, DOMAIN)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return result, dispatcher.messages


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def verify_identity(uid: str, name: str = "Maria Lopez", dob: str = "March 3, 1982"):
    form = ValidateIdentityForm()
    events, messages = run(
        form,
        tracker(
            uid,
            text=dob,
            intent="inform",
            slots={"patient_name": name, "patient_dob": dob, "requested_slot": "patient_dob"},
            latest_action="identity_form",
            active_loop="identity_form",
        ),
    )
    return slots_of(events), messages


def routed_after_identity(
    uid: str, said: str, intent: str, language: str = "en", channel: str = "sms"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A request routed before verification (nothing about a visit told), then the router once
    the identity form has verified Maria: (slots, messages) of that second run."""
    base = {"language": language, "channel": channel}
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent=intent, slots=base))
    first = slots_of(events)
    assert first["flow"] == "identify"
    assert all("Okafor" not in str(m) and "Chen" not in str(m) for m in messages)  # no visit told
    verify_identity(uid)
    slots = {**base, **first, "verified": True}
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, text="03/03/1982", slots=slots, latest_action="identity_form"),
    )
    return {**slots, **slots_of(events)}, messages


def answer_form(form: Any, uid: str, slot: str, text: str, slots: dict[str, Any], intent="inform"):
    """One answer inside the form: returns (all slots after it, messages)."""
    values = {**slots, slot: text, "requested_slot": slot}
    name = "book_form" if isinstance(form, ValidateBookForm) else "late_form"
    events, messages = run(
        form,
        tracker(uid, text=text, intent=intent, slots=values, latest_action=name, active_loop=name),
    )
    return {**values, **slots_of(events)}, messages


def book_through_form(uid: str, answers: list[tuple[str, str]], slots: dict[str, Any]):
    form, said = ValidateBookForm(), []
    for slot, text in answers:
        slots, messages = answer_form(form, uid, slot, text, slots)
        said.append(messages)
    return slots, said


def submit_booking(uid: str, slots: dict[str, Any]):
    """The form has ended: the router acts on its decision (books, or back to the times)."""
    return run(
        ActionRouteTask(),
        tracker(uid, slots={**slots, "requested_slot": None}, latest_action="book_form"),
    )


def offer_times(uid: str, appointment_id: int, text: str = "as soon as possible"):
    """The reschedule form offers times for `text`: the options it offered."""
    events, _ = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text=text,
            slots={"appointment_id": appointment_id, "task": "reschedule",
                   "time_preference": text, "requested_slot": "time_preference"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    return slots_of(events)["offered_options"]


def staff_departments(url: str, uid: str) -> list[str]:
    """The departments of the staff tasks (messages, handoffs) this conversation made."""
    with UnitOfWork(url) as uow:
        query = (
            select(StaffTask.department)
            .join(Conversation, Conversation.id == StaffTask.conversation_id)
            .where(Conversation.uid == uid)
        )
        return list(uow.session.execute(query).scalars())


# --- scripted conversations, end to end ------------------------------------------------------

SCRIPTED = PROJECT_ROOT / "tests" / "integration" / "conversations"


def bench_suite() -> ModuleType:
    """bench/conversation_suite.py: the runner that plays and judges scripted conversations."""
    folder = str(PROJECT_ROOT / "bench")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module("conversation_suite")


def scripted_ids(prefix: str) -> list[str]:
    """The ids of the scripted conversations starting with `prefix` (for parametrize)."""
    return [s["id"] for s in bench_suite().load(prefix, folder=SCRIPTED)]


def play_scripted(sim: Any, database_url: str, conversation_id: str) -> None:
    """Play one scripted conversation on a fresh demo practice; fails with its transcript when
    the database does not hold what it expects, or an appointment changed without being named."""
    suite = bench_suite()
    [spec] = [s for s in suite.load(conversation_id, folder=SCRIPTED) if s["id"] == conversation_id]
    result = suite.run_one(sim, database_url, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
    assert not result.unchosen, transcript


def offered_clock(reply: str, number: int) -> tuple[int, int]:
    """(hour, minute) of an option in an SMS offer (12-hour "1:30 PM" or 24-hour "13:30")."""
    found = re.search(rf"{number}\) .*?(\d{{1,2}}):(\d{{2}})(?:\s*(AM|PM))?", reply)
    assert found, reply
    hour, minute = int(found[1]), int(found[2])
    if found[3] == "PM" and hour < 12:
        hour += 12
    return hour, minute


def moved_to(url: str, appointment_id: int) -> tuple[int, int] | None:
    """The local (hour, minute) the appointment was moved to; None while not moved."""
    with UnitOfWork(url) as uow:
        old = uow.session.get(Appointment, appointment_id)
        if old.status != "rescheduled":
            return None
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        at: datetime = new.starts_at.astimezone(ZoneInfo(new.location.time_zone))
        return at.hour, at.minute
