"""Writes dialogues/tests/test_stories.yml: Rasa test stories for every flow.

One helper per recurring shape (verify identity, run a form, route), so that a story reads as the
conversation it tests. Run `python dialogues/tests/make_stories.py` after editing.
"""

from pathlib import Path

import yaml

OUT = Path(__file__).with_name("test_stories.yml")


def u(text, intent):
    return {"user": text, "intent": intent}


def a(name):
    return {"action": name}


def loop(name):
    return {"active_loop": name}


def flow(value):
    return {"slot_was_set": [{"flow": value}]}


def route(value):
    return [a("action_route_task"), flow(value)]


def start_form(form):
    return [a(form), loop(form)]


def in_form(form, *answers):
    steps = []
    for text in answers:
        steps += [u(text, "inform"), a(form)]
    return steps


def end_form(form):
    return [loop(None), {"slot_was_set": [{"requested_slot": None}]}]


def identify(name="Maria Lopez", dob="03/03/1982"):
    return (
        route("identify")
        + start_form("identity_form")
        + in_form("identity_form", name, dob)
        + end_form("identity_form")
    )


stories = []


def story(title, *parts):
    steps = []
    for p in parts:
        steps += p if isinstance(p, list) else [p]
    stories.append({"story": title, "steps": steps})


# --- check, cancel, reschedule -------------------------------------------------------------
story(
    "check: verified, told the appointment, says no more",
    u("when is my appointment?", "check_appointment"),
    identify(),
    route("done"),
    u("no thanks", "deny"),
    a("utter_goodbye"),
)
story(
    "check: three failed verifications go to staff (unhappy)",
    u("when is my appt", "check_appointment"),
    route("identify"),
    start_form("identity_form"),
    in_form(
        "identity_form",
        "Maria Lopez",
        "01/01/1990",
        "Maria Lopez",
        "01/01/1991",
        "Maria Lopez",
        "01/01/1992",
    ),
    end_form("identity_form"),
    route("done"),
)
story(
    "cancel: verified, cancelled, no new time",
    u("I need to cancel my appointment", "cancel_appointment"),
    identify(),
    route("cancel"),
    start_form("cancel_form"),
    in_form("cancel_form", "yes"),
    end_form("cancel_form"),
    route("cancel"),  # cancelled by the router at the yes; then: why (noted at once)
    start_form("cancel_form"),
    in_form("cancel_form", "feeling better"),
    end_form("cancel_form"),
    route("cancel"),  # then: a new time?
    start_form("cancel_form"),
    in_form("cancel_form", "no"),
    end_form("cancel_form"),
    route("done"),
    u("no thanks", "deny"),
    a("utter_goodbye"),
)
story(
    "cancel: changes their mind (unhappy)",
    u("cancel my appointment", "cancel_appointment"),
    identify(),
    route("cancel"),
    start_form("cancel_form"),
    in_form("cancel_form", "no"),
    end_form("cancel_form"),
    route("done"),
)
story(
    "cancel then rebook",
    u("quiero cancelar mi cita", "cancel_appointment"),
    identify("José Hernández", "15/07/1975"),
    route("cancel"),
    start_form("cancel_form"),
    in_form("cancel_form", "si"),
    end_form("cancel_form"),
    route("cancel"),
    start_form("cancel_form"),
    in_form("cancel_form", "no"),
    end_form("cancel_form"),
    route("cancel"),
    start_form("cancel_form"),
    in_form("cancel_form", "si"),
    end_form("cancel_form"),
    route("reschedule"),
    start_form("reschedule_form"),
    in_form("reschedule_form", "lo antes posible", "la primera", "si"),
    end_form("reschedule_form"),
    route("done"),
)
story(
    "reschedule: the second one, confirmed",
    u("I need to reschedule", "reschedule_appointment"),
    identify(),
    route("reschedule"),
    start_form("reschedule_form"),
    in_form("reschedule_form", "as soon as possible", "the second one", "yes"),
    end_form("reschedule_form"),
    route("done"),
)
story(
    "reschedule: asks for hours in the middle, then continues (digression)",
    u("can we move my appointment", "reschedule_appointment"),
    identify(),
    route("reschedule"),
    start_form("reschedule_form"),
    in_form("reschedule_form", "tuesday afternoon"),
    u("wait what time do you close", "office_info"),
    a("action_office_info"),
    a("reschedule_form"),
    loop("reschedule_form"),
    in_form("reschedule_form", "the first one", "yes"),
    end_form("reschedule_form"),
    route("done"),
)
story(
    "reschedule: asks for a person (unhappy)",
    u("reschedule please", "reschedule_appointment"),
    identify(),
    route("reschedule"),
    start_form("reschedule_form"),
    u("let me talk to a person", "request_human"),
    a("action_deactivate_loop"),
    loop(None),
    a("action_take_message"),
)

# --- book ----------------------------------------------------------------------------------
BOOK_NEW = (
    "no I'm new",
    "Tom Baker",
    "june 2 1990",
    "yes",
    "a bad cough",
    "sick visit",
    "anyone",
    "as soon as possible",
    "the second one",
    "yes",
)
story(
    "book: a new patient, all the way",
    u("I'd like to make an appointment", "book_appointment"),
    route("book"),
    start_form("book_form"),
    in_form("book_form", *BOOK_NEW),
    end_form("book_form"),
    route("done"),
    u("no that's all", "deny"),
    a("utter_goodbye"),
)
story(
    "book: a returning patient is verified first",
    u("can I book a physical", "book_appointment"),
    route("book"),
    start_form("book_form"),
    in_form("book_form", "yes I've been there before"),
    end_form("book_form"),
    identify(),
    route("book"),
    start_form("book_form"),
    in_form("book_form", "sick visit", "Dr. Chen", "next week", "the first one", "yes"),
    end_form("book_form"),
    route("done"),
)
story(
    "book: a verified patient books again straight away",
    u("when is my appointment", "check_appointment"),
    identify(),
    route("done"),
    u("I also need to book another visit", "book_appointment"),
    route("book"),
    start_form("book_form"),
    in_form("book_form", "sick visit", "anyone", "tomorrow morning", "1", "yes"),
    end_form("book_form"),
    route("done"),
)
story(
    "book: asks for the address in the middle (digression)",
    u("quiero hacer una cita", "book_appointment"),
    route("book"),
    start_form("book_form"),
    in_form("book_form", "soy paciente nuevo", "Ana Torres"),
    u("¿dónde queda la clínica?", "office_info"),
    a("action_office_info"),
    a("book_form"),
    loop("book_form"),
    in_form("book_form", "2 de junio de 1990", "sí", "un chequeo"),
    end_form("book_form"),
    route("done"),
)
story(
    "book: an emergency comes first (unhappy)",
    u("I need an appointment", "book_appointment"),
    route("book"),
    start_form("book_form"),
    in_form("book_form", "I'm new"),
    u("I have crushing chest pain", "medical_emergency"),
    a("utter_emergency"),
    a("action_deactivate_loop"),
    loop(None),
)
story(
    "book: wants a person instead (unhappy)",
    u("book an appointment", "book_appointment"),
    route("book"),
    start_form("book_form"),
    u("agent", "request_human"),
    a("action_deactivate_loop"),
    loop(None),
    a("action_take_message"),
)
story(
    "book: nothing fits twice, staff will call (unhappy)",
    u("I want to book", "book_appointment"),
    route("book"),
    start_form("book_form"),
    in_form(
        "book_form",
        "no",
        "Tom Baker",
        "6/2/1990",
        "yes",
        "checkup",
        "new patient visit",
        "anyone",
        "sunday at midnight",
        "saturday night",
    ),
    end_form("book_form"),
    route("done"),
)

story(
    "move or book: a time asked without saying which, then the move (verified after)",
    u("do you have anything thursday morning?", "book_appointment"),
    route("move_or_book"),
    start_form("move_or_book_form"),
    in_form("move_or_book_form", "the one I have"),
    end_form("move_or_book_form"),
    identify(),
    route("reschedule"),
    start_form("reschedule_form"),
    in_form("reschedule_form", "the first one", "yes"),
    end_form("reschedule_form"),
    route("done"),
)
story(
    "move or book: a new one, while a question about parking comes in between",
    u("¿tienen algo el jueves en la tarde?", "book_appointment"),
    route("move_or_book"),
    start_form("move_or_book_form"),
    u("¿hay estacionamiento?", "office_info"),
    a("action_office_info"),
    a("move_or_book_form"),
    loop("move_or_book_form"),
    in_form("move_or_book_form", "una nueva"),
    end_form("move_or_book_form"),
    route("book"),
    start_form("book_form"),
    in_form("book_form", "Ana Torres", "2 de junio de 1990", "un chequeo", "la primera", "sí"),
    end_form("book_form"),
    route("done"),
)

# --- running late --------------------------------------------------------------------------
story(
    "late: within the grace period, noted",
    u("I'm running 10 minutes late", "running_late"),
    identify(),
    route("done"),
    u("thanks", "thank"),
    a("action_thank"),
)
story(
    "late: how late is asked, past grace, reschedules",
    u("running late", "running_late"),
    identify(),
    route("late"),
    start_form("late_form"),
    in_form("late_form", "about 40 minutes", "yes"),
    end_form("late_form"),
    route("reschedule"),
    start_form("reschedule_form"),
    in_form("reschedule_form", "tomorrow afternoon", "the first one", "yes"),
    end_form("reschedule_form"),
    route("done"),
)
story(
    "late: past grace, will come anyway",
    u("voy a llegar como media hora tarde", "running_late"),
    identify("José Hernández", "15/07/1975"),
    route("late"),
    start_form("late_form"),
    in_form("late_form", "no"),
    end_form("late_form"),
    route("done"),
)
story("late: no appointment today", u("gonna be late", "running_late"), identify(), route("done"))

# --- everything else -------------------------------------------------------------------------
story("confirm a reminder", u("yes", "affirm"), a("action_confirm_appointment"))
story("confirm in words (a reminder's answer)", u("I'll be there", "confirm_appointment"),
      route("done"))  # fmt: skip
story(
    "confirm without a reminder: verified, then the next visit confirmed",
    u("just confirming my appointment", "confirm_appointment"),
    identify(),
    route("done"),
    u("no thanks", "deny"),
    a("utter_goodbye"),
)
story(
    "confirm without a reminder, two visits: which one",
    u("quiero confirmar mi cita", "confirm_appointment"),
    identify("José Hernández", "15/07/1975"),
    route("confirm"),
    start_form("confirm_form"),
    in_form("confirm_form", "la segunda"),
    end_form("confirm_form"),
    route("done"),
)
story(
    "emergency while choosing which visit to confirm",
    u("confirm my appointment", "confirm_appointment"),
    identify(),
    route("confirm"),
    start_form("confirm_form"),
    u("my chest hurts and I can't breathe", "medical_emergency"),
    a("utter_emergency"),
    a("action_deactivate_loop"),
    loop(None),
)
story(
    "reschedule: a question and another choice at the read-back, then yes",
    u("I need to reschedule", "reschedule_appointment"),
    identify(),
    route("reschedule"),
    start_form("reschedule_form"),
    in_form(
        "reschedule_form",
        "as soon as possible",
        "the third one",
        "is there parking?",
        "ok I'll take the first one",
        "yes",
    ),  # fmt: skip
    end_form("reschedule_form"),
    route("done"),
)
story(
    "reschedule: never mind (unhappy)",
    u("I need to move my appointment", "reschedule_appointment"),
    identify(),
    route("reschedule"),
    start_form("reschedule_form"),
    in_form("reschedule_form", "as soon as possible", "never mind"),
    end_form("reschedule_form"),
    route("done"),
)
story(
    "emergency at the start",
    u("my father can't move his arm and his face is drooping", "medical_emergency"),
    a("action_weigh_emergency"),
    a("utter_emergency"),
    a("action_after_emergency"),
)
story(
    "emergency while verifying",
    u("check my appointment", "check_appointment"),
    route("identify"),
    start_form("identity_form"),
    u("I took too many pills", "medical_emergency"),
    a("utter_emergency"),
    a("action_deactivate_loop"),
    loop(None),
)
story(
    "billing message",
    u("I have a question about my bill", "billing_question"),
    a("action_take_message"),
)
story(
    "refill message",
    u("I need a refill of my lisinopril", "prescription_refill"),
    a("action_take_message"),
)
story("lab results message", u("are my lab results back", "lab_results"), a("action_take_message"))
story(
    "office information",
    u("what are your hours", "office_info"),
    a("action_office_info"),
    u("thank you", "thank"),
    a("action_thank"),
    u("bye", "goodbye"),
    a("utter_goodbye"),
)
story(
    "greet, then a person",
    u("hi", "greet"),
    a("utter_greet"),
    u("representative", "request_human"),
    a("action_take_message"),
)
story("opt-out in a sentence", u("please stop texting me", "opt_out"), a("action_take_message"))
story("not understood", u("blorf", "nlu_fallback"), a("action_take_message"))
story("out of scope", u("what's the weather tomorrow", "out_of_scope"), a("action_take_message"))

header = """# Test stories for every flow, happy and unhappy paths (generated by
# dialogues/tests/make_stories.py; edit that and run it). They check what the policies predict:
#   rasa test core --stories dialogues/tests --fail-on-prediction-errors
# tests/dialogues/test_rasa_stories.py runs them against the trained model.
"""


class Dumper(yaml.SafeDumper):
    pass


def str_rep(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


Dumper.add_representer(str, str_rep)
text = yaml.dump(
    {"version": "3.1", "stories": stories},
    Dumper=Dumper,
    allow_unicode=True,
    sort_keys=False,
    width=100,
)
OUT.write_text(header + text)
print(len(stories), "stories")
