"""The appointment database: practices, people, schedules, appointments, conversations, tasks.

All instants are stored in UTC (`UTCDateTime`); wall-clock reasoning happens in the location's
IANA time zone. Schema changes go through Alembic (`assistant/db/migrations`), never
`create_all` in production paths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import declarative_base, relationship

from assistant.db.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
if TYPE_CHECKING:
    # SQLAlchemy 1.4 ships no type information (mypy sees it as Any): give the type checker a
    # base class it can subclass, with the keyword constructor every model has.
    class Base:
        metadata: Any
        __table__: Any

        def __init__(self, **kwargs: Any) -> None: ...

else:
    Base = declarative_base(metadata=MetaData(naming_convention=NAMING))

# Appointment statuses (the practice's own, richer than FHIR's; mapped to FHIR at the edge).
HELD = "held"
BOOKED = "booked"
CONFIRMED = "confirmed"
ARRIVED = "arrived"
COMPLETED = "completed"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
RESCHEDULED = "rescheduled"
APPOINTMENT_STATUSES = (
    HELD,
    BOOKED,
    CONFIRMED,
    ARRIVED,
    COMPLETED,
    CANCELLED,
    NO_SHOW,
    RESCHEDULED,
)
# Statuses of a visit held or had (not cancelled, missed or moved): where a patient is seen.
KEPT_STATUSES = (BOOKED, CONFIRMED, ARRIVED, COMPLETED)
# Statuses that occupy the provider's time: at most one per (provider, start).
OCCUPYING_STATUSES = (HELD, BOOKED, CONFIRMED, ARRIVED)
_OCCUPYING_SQL = "status IN ('held', 'booked', 'confirmed', 'arrived')"


class Practice(Base):
    __tablename__ = "practices"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    slug = Column(String(80), nullable=False, unique=True)
    phone = Column(String(20))
    fax = Column(String(20))
    website = Column(String(200))
    time_zone = Column(String(64), nullable=False, default="America/New_York")
    # Policy knobs: late-cancel window, running-late grace, recording notice, hours text ...
    settings = Column(JSON, nullable=False, default=dict)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    locations = relationship("Location", back_populates="practice", order_by="Location.id")
    providers = relationship("Provider", back_populates="practice", order_by="Provider.id")


class Location(Base):
    __tablename__ = "locations"
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    address_line1 = Column(String(200), nullable=False)
    address_line2 = Column(String(200))
    city = Column(String(100), nullable=False)
    state = Column(String(50), nullable=False)
    postal_code = Column(String(20), nullable=False)
    phone = Column(String(20))
    fax = Column(String(20))
    time_zone = Column(String(64), nullable=False)
    parking = Column(Text)
    # {"mon": [["08:00", "17:00"]], ...}: when the doors are open (not provider availability)
    opening_hours = Column(JSON, nullable=False, default=dict)

    practice = relationship("Practice", back_populates="locations")


class Holiday(Base):
    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("practice_id", "location_id", "day"),)
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    location_id = Column(ForeignKey("locations.id"))  # null: the whole practice is closed
    day = Column(Date, nullable=False)
    name = Column(String(120), nullable=False)


class Provider(Base):
    __tablename__ = "providers"
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    title = Column(String(20))  # "Dr.", "NP" ...
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    specialty = Column(String(100))
    npi = Column(String(10))
    active = Column(Boolean, nullable=False, default=True)

    practice = relationship("Practice", back_populates="providers")

    @property
    def display_name(self) -> str:
        if self.title and self.title.lower().startswith("dr"):
            return f"Dr. {self.last_name}"
        return f"{self.first_name} {self.last_name}" + (f", {self.title}" if self.title else "")


class AppointmentType(Base):
    __tablename__ = "appointment_types"
    __table_args__ = (UniqueConstraint("practice_id", "code"),)
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    code = Column(String(40), nullable=False)
    name = Column(String(120), nullable=False)
    name_es = Column(String(120))
    duration_minutes = Column(Integer, nullable=False)
    buffer_minutes = Column(Integer, nullable=False, default=0)
    prep_instructions = Column(Text)
    prep_instructions_es = Column(Text)
    bookable_by_phone = Column(Boolean, nullable=False, default=True)
    new_patients_allowed = Column(Boolean, nullable=False, default=True)
    min_notice_hours = Column(Integer, nullable=False, default=2)
    max_horizon_days = Column(Integer, nullable=False, default=90)
    reminder_offsets_days = Column(JSON, nullable=False, default=lambda: [7, 2, 1])
    voice_reminder_offsets_days = Column(JSON)  # calls too, these days before; null: none (0006)


class ProviderSchedule(Base):
    """A weekly template: provider works at a location on a weekday between two wall-clock times."""

    __tablename__ = "provider_schedules"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),)
    id = Column(Integer, primary_key=True)
    provider_id = Column(ForeignKey("providers.id"), nullable=False, index=True)
    location_id = Column(ForeignKey("locations.id"), nullable=False)
    weekday = Column(Integer, nullable=False)  # Monday = 0
    start_time = Column(Time, nullable=False)
    end_time = Column(Time, nullable=False)
    valid_from = Column(Date)
    valid_until = Column(Date)
    # Allowed appointment type codes; null means every type the practice has.
    appointment_types = Column(JSON)


class ScheduleException(Base):
    """One-off change to a template: blocked time (vacation, meeting, break) or extra hours."""

    __tablename__ = "schedule_exceptions"
    id = Column(Integer, primary_key=True)
    provider_id = Column(ForeignKey("providers.id"), nullable=False, index=True)
    location_id = Column(ForeignKey("locations.id"))
    kind = Column(String(20), nullable=False)  # "blocked" | "extra"
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    reason = Column(String(200))


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("practice_id", "external_id"),)
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    external_id = Column(String(64))  # MRN / id in the practice-management system
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    date_of_birth = Column(Date, nullable=False)
    preferred_language = Column(String(5), nullable=False, default="en")
    email = Column(String(200))
    sms_consent = Column(Boolean, nullable=False, default=False)
    # IANA zone where the patient lives, when known; null: the location's zone (quiet hours)
    time_zone = Column(String(64))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    phones = relationship("PatientPhone", back_populates="patient", cascade="all, delete-orphan")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PatientPhone(Base):
    """A phone number of a patient, in E.164. Several patients may share one number."""

    __tablename__ = "patient_phones"
    __table_args__ = (UniqueConstraint("patient_id", "number"),)
    id = Column(Integer, primary_key=True)
    patient_id = Column(ForeignKey("patients.id"), nullable=False, index=True)
    number = Column(String(20), nullable=False, index=True)
    kind = Column(String(20), nullable=False, default="mobile")
    is_primary = Column(Boolean, nullable=False, default=True)

    patient = relationship("Patient", back_populates="phones")


class SmsOptOut(Base):
    """Opt-out is per phone number (that is how Twilio and the FCC see it), not per patient."""

    __tablename__ = "sms_opt_outs"
    number = Column(String(20), primary_key=True)
    opted_out_at = Column(UTCDateTime, nullable=False, default=utcnow)
    keyword = Column(String(20), nullable=False)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        # The database itself refuses a second occupying appointment at the same provider/start.
        Index(
            "uq_appointments_provider_start_active",
            "provider_id",
            "starts_at",
            unique=True,
            sqlite_where=text(_OCCUPYING_SQL),
            postgresql_where=text(_OCCUPYING_SQL),
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_appointments_patient_start", "patient_id", "starts_at"),
        UniqueConstraint("practice_id", "external_id"),
    )
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    external_id = Column(String(64))
    patient_id = Column(ForeignKey("patients.id"), nullable=False)
    provider_id = Column(ForeignKey("providers.id"), nullable=False)
    location_id = Column(ForeignKey("locations.id"), nullable=False)
    appointment_type_id = Column(ForeignKey("appointment_types.id"), nullable=False)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    status = Column(String(20), nullable=False, default=BOOKED)
    hold_expires_at = Column(UTCDateTime)
    confirmed_at = Column(UTCDateTime)
    cancel_reason = Column(String(200))
    late_cancel = Column(Boolean, nullable=False, default=False)
    running_late_note = Column(String(200))
    rescheduled_to_id = Column(ForeignKey("appointments.id"))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    patient = relationship("Patient")
    provider = relationship("Provider")
    location = relationship("Location")
    appointment_type = relationship("AppointmentType")
    history = relationship(
        "AppointmentHistory", back_populates="appointment", order_by="AppointmentHistory.id"
    )


class AppointmentHistory(Base):
    """Every change to an appointment, with who made it and through which channel."""

    __tablename__ = "appointment_history"
    id = Column(Integer, primary_key=True)
    appointment_id = Column(ForeignKey("appointments.id"), nullable=False, index=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow)
    action = Column(String(40), nullable=False)  # booked, confirmed, cancelled, ...
    from_status = Column(String(20))
    to_status = Column(String(20))
    actor = Column(String(80), nullable=False)  # "patient", "staff:12", "system:reminders"
    channel = Column(String(20), nullable=False)  # sms, voice, portal, console, import, system
    detail = Column(JSON)

    appointment = relationship("Appointment", back_populates="history")


class WaitlistEntry(Base):
    """A patient waiting for an earlier or better slot than the ones offered."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        CheckConstraint("latest_date >= earliest_date", name="date_window"),
        Index("ix_waitlist_entries_practice_status", "practice_id", "status"),
    )
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False)
    patient_id = Column(ForeignKey("patients.id"), nullable=False, index=True)
    appointment_type_id = Column(ForeignKey("appointment_types.id"), nullable=False)
    provider_id = Column(ForeignKey("providers.id"))  # null: any provider
    location_id = Column(ForeignKey("locations.id"))  # null: any location
    earliest_date = Column(Date, nullable=False)  # local dates at the location
    latest_date = Column(Date, nullable=False)
    # TimePreference as JSON: part_of_day, earliest, latest, weekdays, on_date
    preferences = Column(JSON, nullable=False, default=dict)
    priority = Column(Integer, nullable=False, default=0)  # higher is offered first
    status = Column(String(20), nullable=False, default="active")  # active|booked|cancelled|expired
    appointment_id = Column(ForeignKey("appointments.id"))  # the booking that satisfied it
    note = Column(String(200))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    offers = relationship("WaitlistOffer", back_populates="entry", order_by="WaitlistOffer.id")


class WaitlistOffer(Base):
    """A freed slot offered to one waitlist entry; the first acceptor of a slot gets it.

    Rows with `notified_at` null are the outbox for whoever sends the SMS.
    """

    __tablename__ = "waitlist_offers"
    __table_args__ = (
        UniqueConstraint("entry_id", "provider_id", "starts_at"),  # one offer per slot per entry
        Index("ix_waitlist_offers_provider_start", "provider_id", "starts_at"),
        Index("ix_waitlist_offers_status_expires", "status", "expires_at"),
    )
    id = Column(Integer, primary_key=True)
    entry_id = Column(ForeignKey("waitlist_entries.id"), nullable=False, index=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False)
    provider_id = Column(ForeignKey("providers.id"), nullable=False)
    location_id = Column(ForeignKey("locations.id"), nullable=False)
    appointment_type_id = Column(ForeignKey("appointment_types.id"), nullable=False)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    # pending | accepted | declined | expired | withdrawn (the slot went to someone else)
    status = Column(String(20), nullable=False, default="pending")
    expires_at = Column(UTCDateTime, nullable=False)
    source_appointment_id = Column(ForeignKey("appointments.id"))  # whose cancellation freed it
    appointment_id = Column(ForeignKey("appointments.id"))  # the booking made on acceptance
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    notified_at = Column(UTCDateTime)
    responded_at = Column(UTCDateTime)

    entry = relationship("WaitlistEntry", back_populates="offers")


class Conversation(Base):
    """One patient conversation on one channel, keyed by CallSid (voice) or number (SMS)."""

    __tablename__ = "conversations"
    id = Column(Integer, primary_key=True)
    uid = Column(String(32), nullable=False, unique=True)  # opaque; Rasa's sender id is built on it
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    channel = Column(String(10), nullable=False)  # sms | voice | portal
    call_sid = Column(String(64), unique=True)
    phone = Column(String(20), index=True)  # the patient side, E.164
    language = Column(String(5), nullable=False, default="en")
    verified_patient_id = Column(ForeignKey("patients.id"))
    status = Column(String(20), nullable=False, default="active")  # active | closed
    outcome = Column(String(30))  # confirmed, rescheduled, cancelled, booked, handed_off, ...
    summary = Column(Text)
    started_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_activity_at = Column(UTCDateTime, nullable=False, default=utcnow)
    ended_at = Column(UTCDateTime)

    turns = relationship(
        "ConversationTurn", back_populates="conversation", order_by="ConversationTurn.id"
    )


class ConversationTurn(Base):
    __tablename__ = "conversation_turns"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(ForeignKey("conversations.id"), nullable=False, index=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow)
    direction = Column(String(3), nullable=False)  # in | out
    text = Column(Text, nullable=False)
    meta = Column(JSON)

    conversation = relationship("Conversation", back_populates="turns")


class StaffTask(Base):
    """Work for a person: a callback, a routed message, a handoff that could not be connected."""

    __tablename__ = "staff_tasks"
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    kind = Column(String(20), nullable=False)  # callback | message | handoff | follow_up
    department = Column(String(40), nullable=False, default="front_desk")
    priority = Column(String(10), nullable=False, default="normal")  # urgent | normal
    status = Column(String(20), nullable=False, default="open")  # open | claimed | resolved
    patient_id = Column(ForeignKey("patients.id"))
    conversation_id = Column(ForeignKey("conversations.id"))
    callback_number = Column(String(20))
    summary = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_by = Column(String(80))
    resolved_at = Column(UTCDateTime)


class AuditEvent(Base):
    """Who read or changed which patient record, when and through which channel (HIPAA)."""

    __tablename__ = "audit_events"
    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(80), nullable=False)
    channel = Column(String(20), nullable=False)
    action = Column(String(20), nullable=False)  # read | create | update | delete | disclose
    entity = Column(String(40), nullable=False)  # patient | appointment | ...
    entity_id = Column(Integer)
    patient_id = Column(ForeignKey("patients.id"), index=True)
    conversation_id = Column(ForeignKey("conversations.id"))
    detail = Column(JSON)


class OutboundMessage(Base):
    """Every SMS we send (or, without Twilio credentials, record instead of sending)."""

    __tablename__ = "outbound_messages"
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    to_number = Column(String(20), nullable=False, index=True)
    body = Column(Text, nullable=False)
    purpose = Column(String(20), nullable=False)  # reminder | reply | notification | otp
    patient_id = Column(ForeignKey("patients.id"))
    appointment_id = Column(ForeignKey("appointments.id"))
    status = Column(String(20), nullable=False, default="queued")  # queued|recorded|sent|failed
    twilio_sid = Column(String(64), unique=True)
    error_code = Column(String(10))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = Column(UTCDateTime)


class WebhookEvent(Base):
    """Claimed once per Twilio event (MessageSid, CallSid+step, sid+status) for idempotency.

    The response we gave is kept so that a retry gets the same answer without acting twice.
    """

    __tablename__ = "webhook_events"
    key = Column(String(160), primary_key=True)
    received_at = Column(UTCDateTime, nullable=False, default=utcnow)
    response = Column(Text)


__all__ = [
    "Base",
    "Practice",
    "Location",
    "Holiday",
    "Provider",
    "AppointmentType",
    "ProviderSchedule",
    "ScheduleException",
    "Patient",
    "PatientPhone",
    "SmsOptOut",
    "Appointment",
    "AppointmentHistory",
    "WaitlistEntry",
    "WaitlistOffer",
    "Conversation",
    "ConversationTurn",
    "StaffTask",
    "AuditEvent",
    "OutboundMessage",
    "WebhookEvent",
]


# --- Staff directory, console and warm transfers (revision 0004) ------------------------------

STAFF_ROLES = ("front_desk", "nurse", "billing", "manager")
AFTER_HOURS_MODES = ("voicemail", "on_call")


class Department(Base):
    """A team that takes calls and tasks: its hours, after-hours behaviour and hunt group."""

    __tablename__ = "departments"
    __table_args__ = (
        UniqueConstraint("practice_id", "code"),
        CheckConstraint("after_hours IN ('voicemail', 'on_call')", name="after_hours_mode"),
    )
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    code = Column(String(40), nullable=False)  # front_desk, billing, nurse_line, ...
    name = Column(String(120), nullable=False)
    # {"mon": [["08:00", "17:00"]], ..., "sun": []}, wall-clock in the practice's time zone
    hours = Column(JSON, nullable=False, default=dict)
    after_hours = Column(String(20), nullable=False, default="voicemail")  # voicemail | on_call
    on_call_number = Column(String(20))  # E.164; urgent clinical calls after hours
    ring_seconds = Column(Integer, nullable=False, default=20)  # per hunt-group attempt
    active = Column(Boolean, nullable=False, default=True)

    practice = relationship("Practice")
    staff = relationship("StaffUser", back_populates="department", order_by="StaffUser.hunt_order")


class StaffUser(Base):
    """A person at the practice: console login, role, and how to ring them for a transfer."""

    __tablename__ = "staff_users"
    __table_args__ = (
        CheckConstraint("role IN ('front_desk', 'nurse', 'billing', 'manager')", name="role_known"),
    )
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    email = Column(String(200), nullable=False, unique=True)  # stored lower-case
    name = Column(String(120), nullable=False)
    password_hash = Column(String(255), nullable=False)  # werkzeug.security
    role = Column(String(20), nullable=False)
    department_id = Column(ForeignKey("departments.id"), index=True)
    phone = Column(String(20))  # E.164, rung for warm transfers
    client_identity = Column(String(80))  # Twilio Client identity (softphone), instead of a phone
    hunt_order = Column(Integer, nullable=False, default=100)  # lower rings first
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(UTCDateTime)
    last_login_at = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    department = relationship("Department", back_populates="staff")


class StaffTaskNote(Base):
    """A note on a staff task, or a recorded step of its handling (claimed, resolved)."""

    __tablename__ = "staff_task_notes"
    id = Column(Integer, primary_key=True)
    task_id = Column(ForeignKey("staff_tasks.id"), nullable=False, index=True)
    author_id = Column(ForeignKey("staff_users.id"))  # null: the system
    kind = Column(String(20), nullable=False, default="note")  # note | claimed | resolved
    text = Column(Text, nullable=False)
    at = Column(UTCDateTime, nullable=False, default=utcnow)

    author = relationship("StaffUser")


class CallTransfer(Base):
    """One warm transfer of a caller to a department: the hunt and its final result."""

    __tablename__ = "call_transfers"
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False, index=True)
    conversation_id = Column(ForeignKey("conversations.id"), index=True)
    call_sid = Column(String(64), nullable=False, unique=True)  # the caller's; names the conference
    department = Column(String(40), nullable=False)
    reason = Column(String(80), nullable=False)  # the intent or request that needed a person
    summary = Column(Text, nullable=False)  # what the whisper tells staff
    # hunting | connected | voicemail | callback | on_call | abandoned
    status = Column(String(20), nullable=False, default="hunting")
    staff_user_id = Column(ForeignKey("staff_users.id"))  # who took the call
    task_id = Column(ForeignKey("staff_tasks.id"))  # the voicemail / callback task, if any
    started_at = Column(UTCDateTime, nullable=False, default=utcnow)
    ended_at = Column(UTCDateTime)

    attempts = relationship(
        "TransferAttempt", back_populates="transfer", order_by="TransferAttempt.attempt"
    )


class TransferAttempt(Base):
    """Ringing one member of the hunt group, and how it ended."""

    __tablename__ = "transfer_attempts"
    __table_args__ = (UniqueConstraint("transfer_id", "attempt"),)
    id = Column(Integer, primary_key=True)
    transfer_id = Column(ForeignKey("call_transfers.id"), nullable=False, index=True)
    attempt = Column(Integer, nullable=False)  # 1, 2, ...
    staff_user_id = Column(ForeignKey("staff_users.id"))
    target = Column(String(100), nullable=False)  # +1555... or client:identity
    call_sid = Column(String(64), unique=True)  # the outbound leg
    # dialing | accepted | declined | no_answer | busy | failed
    status = Column(String(20), nullable=False, default="dialing")
    started_at = Column(UTCDateTime, nullable=False, default=utcnow)
    ended_at = Column(UTCDateTime)

    transfer = relationship("CallTransfer", back_populates="attempts")


__all__ += [
    "Department",
    "StaffUser",
    "StaffTaskNote",
    "CallTransfer",
    "TransferAttempt",
]


# --- Reminder campaigns (revision 0003) --------------------------------------------------------

REMINDER_STATUSES = ("pending", "claimed", "sent", "skipped", "failed")


class Reminder(Base):
    """One planned reminder: (appointment, days before, channel) is sent at most once.

    The row is the unit of work of the reminder worker: claimed atomically (`claim_token`,
    `claimed_at`), linked to the `OutboundMessage` before the message goes to Twilio, and marked
    sent with the Twilio SID, so a crash at any point neither sends twice nor skips.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("appointment_id", "offset_days", "channel"),
        CheckConstraint(
            "status IN ('pending', 'claimed', 'sent', 'skipped', 'failed')", name="status_known"
        ),
        Index("ix_reminders_status_due", "status", "due_at"),
        Index("ix_reminders_patient_sent", "patient_id", "sent_at"),
    )
    id = Column(Integer, primary_key=True)
    appointment_id = Column(ForeignKey("appointments.id"), nullable=False)
    patient_id = Column(ForeignKey("patients.id"), nullable=False)
    offset_days = Column(Integer, nullable=False)
    channel = Column(String(10), nullable=False, default="sms")  # sms | voice
    status = Column(String(20), nullable=False, default="pending")
    due_at = Column(UTCDateTime, nullable=False)  # deferred (quiet hours, caps) by moving it
    claimed_at = Column(UTCDateTime)
    claim_token = Column(String(32))
    attempts = Column(Integer, nullable=False, default=0)
    outbound_message_id = Column(ForeignKey("outbound_messages.id"))
    twilio_sid = Column(String(64))
    includes_prep = Column(Boolean, nullable=False, default=False)
    # The one reminder of a visit booked after all its offsets had passed (0007; its row takes
    # the smallest offset's key): due the morning after the booking, or at once for a same-day
    # visit, and sent down to `policy.SHORT_NOTICE_MIN_LEAD` before the visit.
    short_notice = Column(Boolean, nullable=False, default=False, server_default=false())
    skip_reason = Column(String(40))  # why it was skipped or failed (a code, never PHI)
    error_code = Column(String(10))  # Twilio error code of a failure
    delivery_status = Column(String(20))  # from status callbacks: delivered, undelivered ...
    sent_at = Column(UTCDateTime)  # when it was handed to Twilio (or recorded)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    appointment = relationship("Appointment")
    outbound_message = relationship("OutboundMessage")


class UndeliverableNumber(Base):
    """A number Twilio refused for good (21211 invalid, 30006 landline ...): never texted again
    until staff correct it. Opt-outs (21610) are `SmsOptOut` rows instead."""

    __tablename__ = "undeliverable_numbers"
    number = Column(String(20), primary_key=True)
    reason = Column(String(20), nullable=False)  # invalid_number | landline | not_mobile
    error_code = Column(String(10), nullable=False)
    marked_at = Column(UTCDateTime, nullable=False, default=utcnow)


__all__ += ["Reminder", "UndeliverableNumber"]


# --- Patient portal (revision 0005) ------------------------------------------------------------

PORTAL_CHALLENGE_STATUSES = ("pending", "verified", "locked", "expired", "superseded")


class PortalChallenge(Base):
    """One sign-in attempt to the portal: an SMS code or a signed link from a reminder text.

    Only a keyed hash of the code (or link nonce) is stored; three wrong answers lock it.
    """

    __tablename__ = "portal_challenges"
    __table_args__ = (
        CheckConstraint("method IN ('code', 'link')", name="method_known"),
        CheckConstraint(
            "status IN ('pending', 'verified', 'locked', 'expired', 'superseded')",
            name="status_known",
        ),
        Index("ix_portal_challenges_phone_created", "phone", "created_at"),
    )
    id = Column(Integer, primary_key=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False)
    method = Column(String(10), nullable=False, default="code")  # code | link
    phone = Column(String(20), nullable=False)  # E.164, where the code or link was sent
    patient_id = Column(ForeignKey("patients.id"), nullable=False, index=True)
    secret_hash = Column(String(64), nullable=False)  # HMAC-SHA256 of salt + code (or nonce)
    salt = Column(String(32), nullable=False)
    nonce = Column(String(32), unique=True)  # links only: the id inside the signed token
    attempts = Column(Integer, nullable=False, default=0)  # wrong answers so far
    status = Column(String(20), nullable=False, default="pending")
    ip_hash = Column(String(32))  # keyed hash of the requesting address (rate limits)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False)
    used_at = Column(UTCDateTime)


class PortalAttempt(Base):
    """Rate-limit ledger: code sends and failed answers, per number and per address (hashed)."""

    __tablename__ = "portal_attempts"
    __table_args__ = (
        Index("ix_portal_attempts_kind_phone", "kind", "phone_hash", "at"),
        Index("ix_portal_attempts_kind_ip", "kind", "ip_hash", "at"),
    )
    id = Column(Integer, primary_key=True)
    kind = Column(String(20), nullable=False)  # send | wrong_code | no_match
    phone_hash = Column(String(32))
    ip_hash = Column(String(32))
    at = Column(UTCDateTime, nullable=False, default=utcnow)


class PortalSession(Base):
    """A signed-in portal visitor: the cookie holds a random token, the row its hash."""

    __tablename__ = "portal_sessions"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    practice_id = Column(ForeignKey("practices.id"), nullable=False)
    phone = Column(String(20), nullable=False)  # verified by the code: records sharing it
    verified_patient_id = Column(ForeignKey("patients.id"), nullable=False, index=True)
    patient_id = Column(ForeignKey("patients.id"), nullable=False)  # the record being viewed
    conversation_id = Column(ForeignKey("conversations.id"))  # the chat of that record
    challenge_id = Column(ForeignKey("portal_challenges.id"))
    language = Column(String(5), nullable=False, default="en")
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False)  # absolute limit, whatever the activity
    ended_at = Column(UTCDateTime)
    end_reason = Column(String(20))  # signed_out | idle | expired | replaced


__all__ += ["PortalChallenge", "PortalAttempt", "PortalSession"]
