"""A believable demo practice: two locations, five providers, 60 patients, three weeks booked.

Everything is invented (names, addresses, 555-01xx numbers) and deterministic for a given
(`today`, `rng_seed`), so a demo and a test see the same schedule.

Two fixed demo patients that other code and tests rely on:

* Maria Lopez, born 1982-03-03, +15555550123, English: follow-up with the first provider at the
  first location on the next business day after `today` at 10:00 local, plus a recorded
  reminder SMS.
* José Hernández, born 1975-07-15, +15555550124, Spanish: the same at 14:00, reminder in Spanish.

Their numbers are not shared with anyone else; several generated families do share a number.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.db.models import (
    BOOKED,
    CANCELLED,
    CONFIRMED,
    Appointment,
    AppointmentHistory,
    AppointmentType,
    Holiday,
    Location,
    OutboundMessage,
    Patient,
    PatientPhone,
    Practice,
    Provider,
    ProviderSchedule,
)
from assistant.demo.staff import seed_staff
from assistant.messages import day_names, month_names, translate
from assistant.phones import to_e164
from assistant.scheduling.clock import local_today, now_utc

PRACTICE_NAME = "Riverside Family Health"
PRACTICE_SLUG = "riverside-family-health"
TIME_ZONE = "America/New_York"
ACTOR = "system:seed"
CHANNEL = "import"
WINDOW_DAYS = 21
SLOT_MINUTES = 20  # every seeded start lies on this grid, counted from its block's start

SETTINGS = {
    # plans the practice is in network with, and the words patients use for them
    "insurance_plans": {
        "Aetna": [],
        "AmeriHealth": ["amerihealth caritas"],
        "Blue Cross Blue Shield": ["blue cross", "bcbs", "blue shield", "horizon"],
        "Cigna": [],
        "Medicaid (NJ FamilyCare)": ["medicaid", "familycare", "family care"],
        "Medicare": ["medicare advantage"],
        "UnitedHealthcare": ["united healthcare", "united health", "uhc", "united"],
    },
    "late_cancel_hours": 24,
    "running_late_grace_minutes": 15,
    "recording_notice": "This call may be recorded for quality and training purposes.",
    "recording_notice_es": "Esta llamada puede ser grabada para fines de calidad y capacitación.",
    "office_hours_text": (
        "Main Street Office: Monday to Friday, 8 AM to 5 PM. Oak Park Dermatology Center: "
        "Monday to Thursday, 8 AM to 5 PM, and Friday, 8 AM to 3 PM. "
        "Both are closed on weekends and major holidays."
    ),
    "office_hours_text_es": (
        "Main Street Office: de lunes a viernes, de 8 a. m. a 5 p. m. Oak Park Dermatology "
        "Center: de lunes a jueves, de 8 a. m. a 5 p. m., y los viernes, de 8 a. m. a 3 p. m. "
        "Las dos cierran los fines de semana y los días festivos principales."
    ),
}

_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _opening_hours(*per_weekday: tuple[str, str] | None) -> dict[str, list[list[str]]]:
    """{"mon": [["08:00", "17:00"]], ..., "sun": []} from one (open, close) or None per day."""
    return {
        key: [list(hours)] if hours else []
        for key, hours in zip(_DAY_KEYS, per_weekday, strict=True)
    }


_FULL_DAY = ("08:00", "17:00")
LOCATIONS: tuple[dict, ...] = (
    {
        "name": "Main Street Office",
        "address_line1": "1420 Main Street",
        "address_line2": "Suite 200",
        "city": "Riverside",
        "state": "NJ",
        "postal_code": "08075",
        "phone": "+18565550100",
        "fax": "+18565550101",
        "parking": (
            "Free parking in the lot behind the building, entrance on Pavilion Avenue. "
            "Two accessible spaces are next to the front door."
        ),
        "opening_hours": _opening_hours(*[_FULL_DAY] * 5, None, None),
    },
    {
        "name": "Oak Park Dermatology Center",
        "address_line1": "310 Oak Park Boulevard",
        "address_line2": "Building B",
        "city": "Cinnaminson",
        "state": "NJ",
        "postal_code": "08077",
        "phone": "+18565550150",
        "fax": "+18565550151",
        "parking": (
            "Shared lot in front of Building B; the first two hours are free. "
            "The accessible entrance is on the left side of the building."
        ),
        "opening_hours": _opening_hours(*[_FULL_DAY] * 4, ("08:00", "15:00"), None, None),
    },
)

FAMILY_MEDICINE = "Family Medicine"
DERMATOLOGY = "Dermatology"
# title, first, last, specialty, NPI (invented)
PROVIDERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Dr.", "Sarah", "Chen", FAMILY_MEDICINE, "1902000011"),
    ("Dr.", "Michael", "Okafor", FAMILY_MEDICINE, "1902000029"),
    ("NP", "Emily", "Park", FAMILY_MEDICINE, "1902000037"),
    ("Dr.", "Ana", "Ruiz", DERMATOLOGY, "1902000045"),
    ("PA-C", "Daniel", "Brooks", DERMATOLOGY, "1902000052"),
)

_MORNING_AFTERNOON = (("08:00", "12:00"), ("13:00", "17:00"))
# provider index, weekdays (Mon = 0), location index, blocks (a lunch break between two blocks)
SCHEDULES: tuple[tuple[int, tuple[int, ...], int, tuple[tuple[str, str], ...]], ...] = (
    (0, (0, 1, 2, 3, 4), 0, _MORNING_AFTERNOON),
    (1, (0, 2, 4), 0, (("09:00", "12:30"), ("13:30", "17:00"))),
    (1, (1, 3), 1, (("08:00", "12:00"), ("13:00", "16:00"))),  # Oak Park on Tue/Thu
    (2, (0, 1, 2, 3), 0, (("08:30", "12:00"), ("13:00", "16:30"))),
    (3, (0, 1, 2, 3), 1, _MORNING_AFTERNOON),
    (3, (4,), 1, (("08:00", "11:00"), ("12:00", "15:00"))),
    (4, (1, 2, 3), 1, (("09:00", "12:00"), ("13:00", "17:00"))),
    (4, (4,), 1, (("08:00", "11:00"), ("12:00", "15:00"))),
)


@dataclass(frozen=True)
class _TypeSpec:
    code: str
    name: str
    name_es: str
    minutes: int
    new_patients_allowed: bool = False
    bookable_by_phone: bool = True
    prep: str | None = None
    prep_es: str | None = None


APPOINTMENT_TYPES: tuple[_TypeSpec, ...] = (
    _TypeSpec("new_patient", "New patient visit", "Consulta de paciente nuevo", 40, True),
    _TypeSpec("follow_up", "Follow-up visit", "Consulta de seguimiento", 20),
    _TypeSpec(
        "annual_physical",
        "Annual physical",
        "Examen físico anual",
        40,
        prep="If you need blood work, do not eat for 8 hours before your visit. Water is fine.",
        prep_es=(
            "Si necesita análisis de sangre, no coma nada 8 horas antes de su cita. "
            "Puede tomar agua."
        ),
    ),
    _TypeSpec("sick_visit", "Sick visit", "Consulta por enfermedad", 20, True),
    _TypeSpec(
        "skin_biopsy",
        "Skin biopsy",
        "Biopsia de piel",
        30,
        bookable_by_phone=False,
        prep=(
            "Shower the morning of your visit and do not put lotion, makeup or sunscreen on the "
            "area. Tell us if you take blood thinners, but do not stop them unless your doctor "
            "tells you to."
        ),
        prep_es=(
            "Báñese la mañana de su cita y no se ponga crema, maquillaje ni protector solar en la "
            "zona. Avísenos si toma anticoagulantes, pero no deje de tomarlos a menos que su "
            "médico se lo indique."
        ),
    ),
    _TypeSpec("telehealth", "Telehealth visit", "Consulta por video", 20),
)
# Which types each specialty books, with how often each occurs in the seeded schedule.
TYPE_WEIGHTS: dict[str, dict[str, int]] = {
    FAMILY_MEDICINE: {
        "follow_up": 35,
        "sick_visit": 20,
        "annual_physical": 20,
        "new_patient": 10,
        "telehealth": 15,
    },
    DERMATOLOGY: {"follow_up": 40, "new_patient": 25, "skin_biopsy": 20, "telehealth": 15},
}

# --- Invented people -------------------------------------------------------------------------

EN_FIRST = (
    "James", "Linda", "Robert", "Patricia", "John", "Jennifer", "William", "Elizabeth", "David",
    "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Karen", "Charles", "Nancy",
    "Christopher", "Lisa", "Daniel", "Margaret", "Matthew", "Betty", "Anthony", "Sandra", "Mark",
    "Ashley", "Donald", "Dorothy", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna",
    "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George",
)  # fmt: skip
EN_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Bennett", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker",
    "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans",
    "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook",
)  # fmt: skip
EN_CHILD_FIRST = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Mia")
ES_FIRST = (
    "Carlos", "Ana", "Luis", "Carmen", "Jorge", "Rosa", "Miguel", "Lucía", "Alejandro",
    "Guadalupe", "Fernando", "Sofía", "Ricardo", "Isabel",
)  # fmt: skip
ES_LAST = (
    "García", "Martínez", "Rodríguez", "González", "Pérez", "Sánchez", "Ramírez", "Torres",
    "Flores", "Rivera", "Gómez", "Díaz",
)  # fmt: skip
ES_CHILD_FIRST = ("Mateo", "Valentina", "Santiago", "Camila", "Diego", "Ximena")

# (language, number of children): a parent and their children share one phone number.
FAMILIES: tuple[tuple[str, int], ...] = (
    ("en", 2),
    ("en", 1),
    ("es", 2),
    ("en", 2),
    ("en", 1),
    ("es", 1),
)
EN_SINGLES = 37
ES_SINGLES = 6  # with the families and José: 12 of 60 patients (20 %) prefer Spanish
SMS_CONSENT_RATE = 0.85


@dataclass(frozen=True)
class _DemoSpec:
    first_name: str
    last_name: str
    date_of_birth: date
    phone: str
    language: str
    local_start: time


MARIA = _DemoSpec("Maria", "Lopez", date(1982, 3, 3), "+15555550123", "en", time(10, 0))
JOSE = _DemoSpec("José", "Hernández", date(1975, 7, 15), "+15555550124", "es", time(14, 0))
_RESERVED_NUMBERS = {MARIA.phone, JOSE.phone}


@dataclass(frozen=True)
class DemoPatient:
    """One of the two fixed demo patients, with the appointment and reminder made for them."""

    patient_id: int
    name: str
    date_of_birth: date
    phone: str
    language: str
    appointment_id: int
    appointment_starts_at: datetime  # UTC
    location_name: str
    provider_name: str
    reminder_message_id: int
    reminder_body: str


@dataclass(frozen=True)
class DemoSummary:
    practice_id: int
    practice_name: str
    locations: int
    providers: int
    appointment_types: int
    holidays: int
    patients: int
    spanish_speaking_patients: int
    appointments: int
    reminders: int
    first_day: date  # the next business day after `today`: the first day with appointments
    last_day: date  # the last calendar day of the seeded window
    english_demo: DemoPatient  # Maria Lopez
    spanish_demo: DemoPatient  # José Hernández
    shared_phones: tuple[str, ...]  # numbers on which more than one patient (a family) answers
    phones_to_try: tuple[str, ...]  # Maria, José, then a family number (disambiguation)

    def lines(self) -> list[str]:
        """A short human-readable description, for the command line."""
        return [
            f"{self.practice_name}: {self.locations} locations, {self.providers} providers, "
            f"{self.patients} patients ({self.spanish_speaking_patients} Spanish-speaking), "
            f"{self.appointments} appointments {self.first_day} to {self.last_day}.",
            f"Try {self.english_demo.phone}: {self.english_demo.name}, "
            f"born {self.english_demo.date_of_birth}, has a reminder to answer.",
            f"Try {self.spanish_demo.phone}: {self.spanish_demo.name} (español), "
            f"born {self.spanish_demo.date_of_birth}, has a reminder to answer.",
            f"Try {self.shared_phones[0]}: a number shared by a family.",
        ]


def database_is_empty(session: Session) -> bool:
    """True when no practice exists yet (the first run of a fresh install)."""
    return session.execute(select(Practice.id).limit(1)).first() is None


def seed_demo(
    session: Session,
    *,
    today: date | None = None,
    rng_seed: int = 7,
    now: datetime | None = None,
) -> DemoSummary:
    """Create the demo practice in the caller's transaction (the caller commits).

    `today` is the practice's day (by default its own today in New York, not the machine's:
    from 7 PM to midnight in New York a UTC machine is already on the next day). `now` stamps
    what the seed records (history, audit, the reminder texts, the staff queue); by default the
    real clock when seeding for the practice's today, else noon at the practice on `today`, so
    that a test's fixed day and what was "just" recorded agree.
    """
    if today is None:
        today = local_today(TIME_ZONE)
    now = now or _seed_clock(today)
    if session.execute(select(Practice.id).where(Practice.slug == PRACTICE_SLUG)).first():
        raise ValueError(f"the demo practice {PRACTICE_SLUG!r} already exists")
    rng = random.Random(rng_seed)
    setup = _create_setup(session, today)
    practice, types = setup.practice, setup.types

    people = [_demo_person(MARIA), _demo_person(JOSE), *_plan_patients(rng, today)]
    patients = [_patient(practice, person, index) for index, person in enumerate(people, 1)]
    session.add_all(patients)

    first_day = next_business_day(today, setup.holidays)
    days = _business_days(first_day, WINDOW_DAYS, setup.holidays)
    board = _Board(_work_blocks(days, setup.providers, setup.locations))
    demo_appointments = [
        _demo_appointment(board, patients[index], spec, first_day, types)
        for index, spec in enumerate((MARIA, JOSE))
    ]
    generated = _generate_appointments(
        rng, board, patients[2:], people[2:], first_day, today, types
    )
    appointments = [*demo_appointments, *generated]
    session.add_all(appointments)
    session.add_all(_booked_history(appointment, now) for appointment in appointments)
    session.flush()

    reminders = [
        _reminder(practice, patients[0], demo_appointments[0], "en", now),
        _reminder(practice, patients[1], demo_appointments[1], "es", now),
    ]
    session.add_all(reminders)
    _audit_creations(session, patients, appointments, now)
    session.flush()
    seed_staff(session, practice.id, now=now)  # departments, staff logins, a few queued requests
    return _summary(setup, people, patients, appointments, reminders, first_day)


class _Setup(NamedTuple):
    """The demo practice and what its schedule is made of."""

    practice: Practice
    locations: list[Location]
    holidays: dict[date, str]
    providers: list[Provider]
    types: dict[str, AppointmentType]


def _create_setup(session: Session, today: date) -> _Setup:
    """The practice, its locations, holidays, providers, appointment types and schedules."""
    practice = _create_practice(session)
    session.flush()  # holidays and types refer to the practice by id
    locations = _create_locations(session, practice)
    holidays = _create_holidays(session, practice, today)
    providers = _create_providers(session, practice)
    types = _create_appointment_types(session, practice)
    session.flush()
    _create_schedules(session, providers, locations)
    return _Setup(practice, locations, holidays, providers, types)


def _summary(
    setup: _Setup,
    people: list[_Person],
    patients: list[Patient],
    appointments: list[Appointment],
    reminders: list[OutboundMessage],
    first_day: date,
) -> DemoSummary:
    """What was seeded, and the two demo patients (the first two) to try."""
    practice = setup.practice
    shared = _shared_phones(people)
    english, spanish = (_demo_summary(patients[i], appointments[i], reminders[i]) for i in (0, 1))
    return DemoSummary(
        practice_id=practice.id,
        practice_name=practice.name,
        locations=len(setup.locations),
        providers=len(setup.providers),
        appointment_types=len(setup.types),
        holidays=len(setup.holidays),
        patients=len(patients),
        spanish_speaking_patients=sum(1 for p in people if p.language == "es"),
        appointments=len(appointments),
        reminders=len(reminders),
        first_day=first_day,
        last_day=first_day + timedelta(days=WINDOW_DAYS - 1),
        english_demo=english,
        spanish_demo=spanish,
        shared_phones=shared,
        phones_to_try=(english.phone, spanish.phone, shared[0]),
    )


# --- Calendar ----------------------------------------------------------------------------------


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=3)


def _seed_clock(today: date) -> datetime:
    real = now_utc()
    if local_today(TIME_ZONE, real) == today:
        return real
    return _local(today, time(12, 0), TIME_ZONE)


def next_business_day(today: date, holidays: dict[date, str]) -> date:
    """The first weekday after `today` that is not a practice holiday."""
    day = today + timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def _business_days(first: date, window_days: int, holidays: dict[date, str]) -> list[date]:
    days = (first + timedelta(days=offset) for offset in range(window_days))
    return [day for day in days if day.weekday() < 5 and day not in holidays]


def _holiday_calendar(today: date) -> dict[date, str]:
    """New Year's Day, Thanksgiving and Christmas of this year and the next, so that the seeded
    window (which may cross into January) never books a day the practice is closed."""
    calendar: dict[date, str] = {}
    for year in (today.year, today.year + 1):
        calendar[date(year, 1, 1)] = "New Year's Day"
        calendar[thanksgiving(year)] = "Thanksgiving Day"
        calendar[date(year, 12, 25)] = "Christmas Day"
    return dict(sorted(calendar.items()))


def _local(day: date, at: time, zone: str) -> datetime:
    """A wall-clock time at a location, as an aware UTC instant."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


# --- Practice, locations, providers, types -------------------------------------------------------


def _create_practice(session: Session) -> Practice:
    practice = Practice(
        name=PRACTICE_NAME,
        slug=PRACTICE_SLUG,
        phone=LOCATIONS[0]["phone"],
        fax=LOCATIONS[0]["fax"],
        website="https://riverside-family-health.example",
        time_zone=TIME_ZONE,
        settings=dict(SETTINGS),
    )
    session.add(practice)
    return practice


def _create_locations(session: Session, practice: Practice) -> list[Location]:
    locations = [Location(practice=practice, time_zone=TIME_ZONE, **spec) for spec in LOCATIONS]
    session.add_all(locations)
    return locations


def _create_holidays(session: Session, practice: Practice, today: date) -> dict[date, str]:
    calendar = _holiday_calendar(today)
    session.add_all(
        Holiday(practice_id=practice.id, location_id=None, day=day, name=name)
        for day, name in calendar.items()
    )
    return calendar


def _create_providers(session: Session, practice: Practice) -> list[Provider]:
    providers = [
        Provider(
            practice=practice,
            title=title,
            first_name=first,
            last_name=last,
            specialty=specialty,
            npi=npi,
            active=True,
        )
        for title, first, last, specialty, npi in PROVIDERS
    ]
    session.add_all(providers)
    return providers


def _create_appointment_types(session: Session, practice: Practice) -> dict[str, AppointmentType]:
    types = {
        spec.code: AppointmentType(
            practice_id=practice.id,
            code=spec.code,
            name=spec.name,
            name_es=spec.name_es,
            duration_minutes=spec.minutes,
            buffer_minutes=0,
            prep_instructions=spec.prep,
            prep_instructions_es=spec.prep_es,
            bookable_by_phone=spec.bookable_by_phone,
            new_patients_allowed=spec.new_patients_allowed,
        )
        for spec in APPOINTMENT_TYPES
    }
    session.add_all(types.values())
    return types


def _create_schedules(
    session: Session, providers: Sequence[Provider], locations: Sequence[Location]
) -> None:
    for provider_index, weekdays, location_index, blocks in SCHEDULES:
        provider = providers[provider_index]
        codes = sorted(TYPE_WEIGHTS[provider.specialty])
        for weekday in weekdays:
            for start, end in blocks:
                session.add(
                    ProviderSchedule(
                        provider_id=provider.id,
                        location_id=locations[location_index].id,
                        weekday=weekday,
                        start_time=_hhmm(start),
                        end_time=_hhmm(end),
                        appointment_types=codes,
                    )
                )


# --- Patients ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    first_name: str
    last_name: str
    date_of_birth: date
    language: str
    phone: str
    sms_consent: bool
    email: str | None


def _demo_person(spec: _DemoSpec) -> _Person:
    return _Person(
        spec.first_name, spec.last_name, spec.date_of_birth, spec.language, spec.phone, True, None
    )


class _NamePools:
    """Names drawn without replacement, so no two households share a surname."""

    def __init__(self, rng: random.Random) -> None:
        self._pools = {
            key: rng.sample(names, len(names))
            for key, names in {
                ("en", "first"): EN_FIRST,
                ("en", "last"): EN_LAST,
                ("en", "child"): EN_CHILD_FIRST,
                ("es", "first"): ES_FIRST,
                ("es", "last"): ES_LAST,
                ("es", "child"): ES_CHILD_FIRST,
            }.items()
        }

    def take(self, language: str, kind: str) -> str:
        return self._pools[(language, kind)].pop()


def _fictional_numbers() -> Iterator[str]:
    """+15555550100 ... +15555550199 (the fictional 555-01xx range), minus the demo numbers."""
    for suffix in range(100, 200):
        number = to_e164(f"(555) 555-{suffix:04d}")
        if number not in _RESERVED_NUMBERS:
            yield number


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, today: date, age: int) -> date:
    """A birth date at which the person is exactly `age` years old on `today`."""
    return _years_before(today, age) - timedelta(days=rng.randrange(365))


def _email(first: str, last: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
    return f"{ascii_name.decode().lower()}@example.com"


def _plan_patients(rng: random.Random, today: date) -> list[_Person]:
    """Households in a shuffled order: families (a parent and 1-2 children on one number) and
    people living alone (ages 18-90)."""
    households = [*FAMILIES, *[("en", 0)] * EN_SINGLES, *[("es", 0)] * ES_SINGLES]
    rng.shuffle(households)
    names = _NamePools(rng)
    numbers = _fictional_numbers()
    people: list[_Person] = []
    for language, children in households:
        phone = next(numbers)
        last = names.take(language, "last")
        first = names.take(language, "first")
        age = rng.randint(28, 52) if children else rng.randint(18, 90)
        consent = True if children else rng.random() < SMS_CONSENT_RATE
        email = _email(first, last) if rng.random() < 0.4 else None
        people.append(
            _Person(first, last, _birth_date(rng, today, age), language, phone, consent, email)
        )
        for _ in range(children):
            child_age = rng.randint(1, min(17, age - 21))
            people.append(
                _Person(
                    names.take(language, "child"),
                    last,
                    _birth_date(rng, today, child_age),
                    language,
                    phone,
                    consent,
                    None,
                )
            )
    return people


def _patient(practice: Practice, person: _Person, index: int) -> Patient:
    return Patient(
        practice_id=practice.id,
        external_id=f"RFH-{index:05d}",
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        preferred_language=person.language,
        email=person.email,
        sms_consent=person.sms_consent,
        phones=[PatientPhone(number=person.phone, kind="mobile", is_primary=True)],
    )


def _shared_phones(people: Sequence[_Person]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for person in people:
        counts[person.phone] = counts.get(person.phone, 0) + 1
    return tuple(sorted(number for number, count in counts.items() if count > 1))


# --- Appointments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """One schedule block of one provider on one day, in local minutes after midnight."""

    provider_index: int
    provider: Provider
    location: Location
    day: date
    start: int
    end: int


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _work_blocks(
    days: Sequence[date], providers: Sequence[Provider], locations: Sequence[Location]
) -> list[_Block]:
    return [
        _Block(index, providers[index], locations[where], day, *map(_minutes, map(_hhmm, block)))
        for day in days
        for index, weekdays, where, blocks in SCHEDULES
        if day.weekday() in weekdays
        for block in blocks
    ]


class _Board:
    """Who works when, and which grid slots are already taken (per provider and day)."""

    def __init__(self, blocks: Sequence[_Block]) -> None:
        self._blocks: dict[tuple[int, date], list[_Block]] = {}
        for block in blocks:
            self._blocks.setdefault((block.provider_index, block.day), []).append(block)
        self._taken: dict[tuple[int, date], set[int]] = {}

    def blocks(self, provider_index: int, day: date) -> list[_Block]:
        return self._blocks.get((provider_index, day), [])

    def working_days(self, provider_index: int) -> list[date]:
        return sorted({day for index, day in self._blocks if index == provider_index})

    def free_starts(self, block: _Block, minutes: int) -> list[int]:
        taken = self._taken.get((block.provider_index, block.day), set())
        return [
            start
            for start in range(block.start, block.end - minutes + 1, SLOT_MINUTES)
            if taken.isdisjoint(range(start, start + minutes, SLOT_MINUTES))
        ]

    def take(self, block: _Block, start: int, minutes: int) -> None:
        taken = self._taken.setdefault((block.provider_index, block.day), set())
        taken.update(range(start, start + minutes, SLOT_MINUTES))


def _appointment(
    block: _Block,
    start: int,
    kind: AppointmentType,
    patient: Patient,
    status: str,
    confirmed_at: datetime | None,
) -> Appointment:
    starts_at = _local(block.day, time(start // 60, start % 60), block.location.time_zone)
    return Appointment(
        practice_id=block.location.practice_id,
        patient=patient,
        provider=block.provider,
        location=block.location,
        appointment_type=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=kind.duration_minutes),
        status=status,
        confirmed_at=confirmed_at if status == CONFIRMED else None,
    )


def _demo_appointment(
    board: _Board,
    patient: Patient,
    spec: _DemoSpec,
    day: date,
    types: dict[str, AppointmentType],
) -> Appointment:
    """A follow-up with the first provider at the first location, at the spec's local time."""
    kind = types["follow_up"]
    start = _minutes(spec.local_start)
    block = next(
        block
        for block in board.blocks(0, day)
        if block.location.name == LOCATIONS[0]["name"]
        and start in board.free_starts(block, kind.duration_minutes)
    )
    board.take(block, start, kind.duration_minutes)
    return _appointment(block, start, kind, patient, BOOKED, None)


def _status(rng: random.Random, day: date, first_day: date) -> str:
    """Mostly booked; confirmations cluster in the next few days (reminders went out)."""
    return CONFIRMED if rng.random() < (0.5 if (day - first_day).days <= 3 else 0.15) else BOOKED


def _cancel_a_few(rng: random.Random, appointments: Sequence[Appointment]) -> None:
    """About one in twenty generated appointments (at least two) were cancelled by the patient."""
    for appointment in rng.sample(list(appointments), max(2, len(appointments) // 20)):
        appointment.status = CANCELLED
        appointment.confirmed_at = None
        appointment.cancel_reason = "Cancelled by the patient"


def _generate_appointments(
    rng: random.Random,
    board: _Board,
    patients: Sequence[Patient],
    people: Sequence[_Person],
    first_day: date,
    today: date,
    types: dict[str, AppointmentType],
) -> list[Appointment]:
    """0-3 appointments per patient on different days; children see family medicine only."""
    confirmed_at = _local(today, time(9, 0), TIME_ZONE)
    appointments: list[Appointment] = []
    for patient, person in zip(patients, people, strict=True):
        adult = _years_before(today, 18) >= person.date_of_birth
        taken_days: set[date] = set()
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            placed = _place(rng, board, types, adult, taken_days)
            if placed is None:
                continue
            block, start, kind = placed
            taken_days.add(block.day)
            status = _status(rng, block.day, first_day)
            appointments.append(_appointment(block, start, kind, patient, status, confirmed_at))
    _cancel_a_few(rng, appointments)
    return appointments


def _place(
    rng: random.Random,
    board: _Board,
    types: dict[str, AppointmentType],
    adult: bool,
    taken_days: set[date],
) -> tuple[_Block, int, AppointmentType] | None:
    weights = (3, 2, 2, 2, 1) if adult else (3, 2, 2, 0, 0)
    provider_index = rng.choices(range(len(PROVIDERS)), weights=weights)[0]
    type_weights = TYPE_WEIGHTS[PROVIDERS[provider_index][3]]
    kind = types[rng.choices(list(type_weights), weights=list(type_weights.values()))[0]]
    days = [day for day in board.working_days(provider_index) if day not in taken_days]
    rng.shuffle(days)
    for day in days:
        options = [
            (block, start)
            for block in board.blocks(provider_index, day)
            for start in board.free_starts(block, kind.duration_minutes)
        ]
        if options:
            block, start = rng.choice(options)
            board.take(block, start, kind.duration_minutes)
            return block, start, kind
    return None


def _booked_history(appointment: Appointment, now: datetime) -> AppointmentHistory:
    """The one history row of a seeded appointment: it arrived as-is, in its current status."""
    return AppointmentHistory(
        appointment=appointment,
        at=now,
        action="booked",
        from_status=None,
        to_status=appointment.status,
        actor=ACTOR,
        channel=CHANNEL,
        detail={"source": "demo seed"},
    )


def _audit_creations(
    session: Session,
    patients: Sequence[Patient],
    appointments: Sequence[Appointment],
    now: datetime,
) -> None:
    """One audit event per created patient and per created appointment."""
    created = [("patient", patient.id, patient.id) for patient in patients] + [
        ("appointment", appointment.id, appointment.patient_id) for appointment in appointments
    ]
    for entity, entity_id, patient_id in created:
        audit.record(
            session,
            actor=ACTOR,
            channel=CHANNEL,
            action="create",
            entity=entity,
            entity_id=entity_id,
            patient_id=patient_id,
            detail={"source": "demo seed"},
            now=now,
        )


# --- Reminders ---------------------------------------------------------------------------------


def _when_en(local: datetime, clock: str) -> str:
    meridiem = "AM" if local.hour < 12 else "PM"
    day, month = day_names("en")[local.weekday()][:3], month_names("en")[local.month - 1][:3]
    return f"{day} {month} {local.day} at {clock} {meridiem}"


def _when_es(local: datetime, clock: str) -> str:
    article = "la" if local.hour % 12 == 1 else "las"
    meridiem = "a. m." if local.hour < 12 else "p. m."
    day, month = day_names("es")[local.weekday()], month_names("es")[local.month - 1]
    return f"{day} {local.day} de {month} a {article} {clock} {meridiem}"


_WHEN = {"en": _when_en, "es": _when_es}


def reminder_body(
    practice_name: str, location_name: str, local_start: datetime, language: str
) -> str:
    """Minimum necessary: when and where, no provider, specialty or reason for the visit."""
    clock = f"{local_start.hour % 12 or 12}:{local_start.minute:02d}"
    when = _WHEN.get(language, _when_en)(local_start, clock)
    return translate(
        language, "reminders.demo_reminder", practice=practice_name, when=when, place=location_name
    )


def _reminder(
    practice: Practice, patient: Patient, appointment: Appointment, language: str, now: datetime
) -> OutboundMessage:
    location = appointment.location
    local_start = appointment.starts_at.astimezone(ZoneInfo(location.time_zone))
    return OutboundMessage(
        practice_id=practice.id,
        to_number=patient.phones[0].number,
        body=reminder_body(practice.name, location.name, local_start, language),
        purpose="reminder",
        patient_id=patient.id,
        appointment_id=appointment.id,
        status="recorded",
        created_at=now,
    )


def _demo_summary(
    patient: Patient, appointment: Appointment, reminder: OutboundMessage
) -> DemoPatient:
    return DemoPatient(
        patient_id=patient.id,
        name=patient.full_name,
        date_of_birth=patient.date_of_birth,
        phone=patient.phones[0].number,
        language=patient.preferred_language,
        appointment_id=appointment.id,
        appointment_starts_at=appointment.starts_at,
        location_name=appointment.location.name,
        provider_name=appointment.provider.display_name,
        reminder_message_id=reminder.id,
        reminder_body=reminder.body,
    )
