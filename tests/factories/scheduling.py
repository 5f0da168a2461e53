"""A small practice to schedule against, built directly in the database (not the demo seed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import select

from assistant.actor import Actor
from assistant.db.models import (
    BOOKED,
    Appointment,
    AppointmentHistory,
    AppointmentType,
    Holiday,
    Location,
    Patient,
    Practice,
    Provider,
    ProviderSchedule,
    ScheduleException,
)
from assistant.scheduling import operations, waitlist
from assistant.scheduling.availability import SearchRequest, search
from assistant.scheduling.clock import to_utc
from assistant.scheduling.securing import SlotRequest
from assistant.unit_of_work import UnitOfWork

NY = "America/New_York"


def utc(text: str) -> datetime:
    """'2026-06-02 13:00' (UTC) -> aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def at(text: str, tz: str = NY, *, fold: int = 0) -> datetime:
    """'2026-06-02 09:00' local at `tz` -> aware UTC datetime (fold picks the repeated hour)."""
    return to_utc(datetime.fromisoformat(text), tz, ambiguous="later" if fold else "earlier")


def hhmm(options: Iterable[Any]) -> list[str]:
    """Local start times of options as 'HH:MM', what a patient would read."""
    return [o.local_start.strftime("%H:%M") for o in options]


def day_hhmm(options: Iterable[Any]) -> list[str]:
    return [o.local_start.strftime("%a %d %H:%M") for o in options]


@dataclass
class Clinic:
    """Ids of what was built, and helpers that add more (each commits)."""

    url: str
    tz: str
    practice_id: int = 0
    location_id: int = 0
    providers: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    patients: dict[str, int] = field(default_factory=dict)
    appointments: dict[str, int] = field(default_factory=dict)  # named by the test

    def _add(self, obj: Any) -> int:
        with UnitOfWork(self.url) as uow:
            uow.session.add(obj)
            uow.commit()
            return obj.id

    def add_location(self, name: str = "Main", tz: str | None = None) -> int:
        return self._add(
            Location(
                practice_id=self.practice_id,
                name=name,
                address_line1="1 Main St",
                city="Springfield",
                state="NY",
                postal_code="10001",
                time_zone=tz or self.tz,
                opening_hours={},
            )
        )

    def add_type(
        self,
        code: str,
        minutes: int,
        *,
        buffer: int = 0,
        new_patients: bool = True,
        notice_hours: int = 2,
        horizon_days: int = 90,
        by_phone: bool = True,
    ) -> int:
        self.types[code] = self._add(
            AppointmentType(
                practice_id=self.practice_id,
                code=code,
                name=code.replace("_", " ").title(),
                duration_minutes=minutes,
                buffer_minutes=buffer,
                new_patients_allowed=new_patients,
                min_notice_hours=notice_hours,
                max_horizon_days=horizon_days,
                bookable_by_phone=by_phone,
                reminder_offsets_days=[2, 1],
            )
        )
        return self.types[code]

    def add_provider(self, last_name: str) -> int:
        self.providers[last_name] = self._add(
            Provider(practice_id=self.practice_id, title="Dr.", first_name="A", last_name=last_name)
        )
        return self.providers[last_name]

    def add_template(
        self,
        provider: str,
        weekdays: Iterable[int],
        start: str,
        end: str,
        *,
        location_id: int | None = None,
        types: list[str] | None = None,
        valid_from: date | None = None,
        valid_until: date | None = None,
    ) -> None:
        with UnitOfWork(self.url) as uow:
            for weekday in weekdays:
                uow.session.add(
                    ProviderSchedule(
                        provider_id=self.providers[provider],
                        location_id=location_id or self.location_id,
                        weekday=weekday,
                        start_time=time.fromisoformat(start),
                        end_time=time.fromisoformat(end),
                        appointment_types=types,
                        valid_from=valid_from,
                        valid_until=valid_until,
                    )
                )
            uow.commit()

    def add_patient(self, name: str, *, seen_before: bool = False) -> int:
        """A patient; `seen_before` gives them a completed visit (an established patient)."""
        self.patients[name] = self._add(
            Patient(
                practice_id=self.practice_id,
                first_name=name,
                last_name="Test",
                date_of_birth=date(1980, 1, 1),
            )
        )
        if seen_before:
            self.add_appointment(
                name,
                next(iter(self.providers)),
                next(iter(self.types)),
                utc("2020-01-06 15:00"),
                status="completed",
            )
        return self.patients[name]

    def add_holiday(self, day: date, *, location_id: int | None = None) -> None:
        self._add(
            Holiday(practice_id=self.practice_id, location_id=location_id, day=day, name="Closed")
        )

    def add_exception(
        self,
        provider: str,
        kind: str,
        starts_at: datetime,
        ends_at: datetime,
        *,
        location_id: int | None = None,
    ) -> None:
        self._add(
            ScheduleException(
                provider_id=self.providers[provider],
                location_id=location_id,
                kind=kind,
                starts_at=starts_at,
                ends_at=ends_at,
            )
        )

    def add_appointment(
        self,
        patient: str,
        provider: str,
        type_code: str,
        starts_at: datetime,
        *,
        status: str = BOOKED,
        minutes: int | None = None,
        hold_expires_at: datetime | None = None,
    ) -> int:
        """Written straight to the table (bypassing the engine), like an import would."""
        with UnitOfWork(self.url) as uow:
            atype = uow.session.get(AppointmentType, self.types[type_code])
            appointment = Appointment(
                practice_id=self.practice_id,
                patient_id=self.patients[patient],
                provider_id=self.providers[provider],
                location_id=self.location_id,
                appointment_type_id=atype.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes or atype.duration_minutes),
                status=status,
                hold_expires_at=hold_expires_at,
            )
            uow.session.add(appointment)
            uow.commit()
            return appointment.id

    def appointment(self, appointment_id: int) -> Appointment:
        """A fresh read of an appointment (what the database holds now), detached."""
        with UnitOfWork(self.url) as uow:
            appointment = uow.session.get(Appointment, appointment_id)
            uow.session.expunge_all()  # leaving the unit of work rolls back and would expire it
            return appointment

    def history(self, appointment_id: int) -> list[tuple[str, str | None, str | None, str]]:
        with UnitOfWork(self.url) as uow:
            rows = uow.session.execute(
                select(AppointmentHistory)
                .where(AppointmentHistory.appointment_id == appointment_id)
                .order_by(AppointmentHistory.id)
            ).scalars()
            return [(h.action, h.from_status, h.to_status, h.actor) for h in rows]

    def occupying(self, provider: str) -> list[Appointment]:
        from assistant.db.models import OCCUPYING_STATUSES

        with UnitOfWork(self.url) as uow:
            rows = list(
                uow.session.execute(
                    select(Appointment)
                    .where(
                        Appointment.provider_id == self.providers[provider],
                        Appointment.status.in_(OCCUPYING_STATUSES),
                    )
                    .order_by(Appointment.starts_at)
                ).scalars()
            )
            uow.session.expunge_all()
            return rows


def build_clinic(
    url: str, *, tz: str = NY, settings: dict[str, Any] | None = None, weekday_hours: bool = True
) -> Clinic:
    """Practice + one location + Dr. Ada working Mon-Fri 09:00-12:00 and 13:00-17:00 (lunch
    break), types: follow_up 30 min, new_visit 60 min, procedure 30 min + 15 min buffer
    (established patients only). Patients: Pat (established), Nia (new)."""
    clinic = Clinic(url=url, tz=tz)
    with UnitOfWork(url) as uow:
        practice = Practice(name="Test Clinic", slug="test", time_zone=tz, settings=settings or {})
        uow.session.add(practice)
        uow.commit()
        clinic.practice_id = practice.id
    clinic.location_id = clinic.add_location()
    clinic.add_provider("Ada")
    clinic.add_type("follow_up", 30)
    clinic.add_type("new_visit", 60)
    clinic.add_type("procedure", 30, buffer=15, new_patients=False)
    if weekday_hours:
        clinic.add_template("Ada", range(5), "09:00", "12:00")
        clinic.add_template("Ada", range(5), "13:00", "17:00")
    clinic.add_patient("Pat", seen_before=True)
    clinic.add_patient("Nia")
    return clinic


NOW = utc("2026-06-01 12:00")  # Monday 08:00 in New York


TUE = date(2026, 6, 2)


def find(
    clinic: Clinic,
    type_code: str = "follow_up",
    *,
    day: date | None = TUE,
    until: date | None = None,
    now=NOW,
    **kwargs,
):
    """Every option (no spreading) for Dr. Ada, as the engine would offer them."""
    kwargs.setdefault("provider_id", clinic.providers["Ada"])
    kwargs.setdefault("limit", 500)
    kwargs.setdefault("spread", False)
    kwargs.setdefault("patient_id", clinic.patients["Pat"])
    with UnitOfWork(clinic.url) as uow:
        return search(
            uow.session,
            SearchRequest(
                practice_id=clinic.practice_id,
                appointment_type_id=clinic.types[type_code],
                date_from=day,
                date_to=until or day,
                **kwargs,
            ),
            now=now,
        )


def book(clinic: Clinic, start: str, *, patient: str = "Pat", type_code: str = "follow_up", **kw):
    with UnitOfWork(clinic.url) as uow:
        appointment = operations.book(
            uow.session,
            SlotRequest(
                clinic.patients[patient],
                clinic.providers[kw.pop("provider", "Ada")],
                clinic.location_id,
                clinic.types[type_code],
                at(start),
            ),
            actor=Actor("patient", "sms"),
            now=kw.pop("now", NOW),
            **kw,
        )
        uow.commit()
        return appointment.id


def hold(clinic: Clinic, start: str, *, patient: str = "Pat", now=NOW) -> int:
    with UnitOfWork(clinic.url) as uow:
        appointment = operations.hold(
            uow.session,
            SlotRequest(
                clinic.patients[patient],
                clinic.providers["Ada"],
                clinic.location_id,
                clinic.types["follow_up"],
                at(start),
            ),
            actor=Actor("patient", "sms"),
            now=now,
        )
        uow.commit()
        return appointment.id


def join_waitlist(clinic: Clinic, name: str, type_code: str = "follow_up", **kwargs) -> int:
    if name not in clinic.patients:
        clinic.add_patient(name, seen_before=kwargs.pop("seen_before", False))
    with UnitOfWork(clinic.url) as uow:
        entry = waitlist.join(
            uow.session,
            patient_id=clinic.patients[name],
            appointment_type_id=clinic.types[type_code],
            actor="patient",
            channel="sms",
            now=NOW,
            **{**WINDOW, **kwargs},
        )
        uow.commit()
        return entry.id


def cancel_appointment(clinic: Clinic, appointment_id: int, now=NOW) -> None:
    with UnitOfWork(clinic.url) as uow:
        operations.cancel(
            uow.session, appointment_id, reason="conflict", actor=Actor("patient", "sms"), now=now
        )
        uow.commit()


WINDOW = {"earliest_date": date(2026, 6, 1), "latest_date": date(2026, 6, 30)}
