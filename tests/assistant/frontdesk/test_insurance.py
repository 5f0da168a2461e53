"""Insurance questions: answered from the practice's plans, or a message for billing."""

from __future__ import annotations

import pytest

from assistant.demo.seed import SETTINGS
from assistant.frontdesk.insurance import reply_to

PLANS = SETTINGS["insurance_plans"]


@pytest.mark.parametrize(
    ("question", "plan"),
    [
        ("do you take medicaid?", "Medicaid (NJ FamilyCare)"),
        ("is UHC in network with you guys", "UnitedHealthcare"),
        ("aceptan el seguro de Aetna?", "Aetna"),
        ("do u accept horizon blue cross", "Blue Cross Blue Shield"),
        ("¿reciben Medicare?", "Medicare"),
    ],
)
def test_a_plan_on_the_list_is_answered_yes_without_billing(question, plan):
    reply = reply_to(question, PLANS)
    assert reply.message == "frontdesk.insurance_accepted"
    assert reply.fields == {"plan": plan}
    assert not reply.for_billing


@pytest.mark.parametrize(
    "question",
    ["do you take tricare", "aceptan molina?", "do you accept oscar health insurance"],
)
def test_a_plan_not_on_the_list_goes_to_billing_to_check(question):
    reply = reply_to(question, PLANS)
    assert (reply.message, reply.for_billing) == ("frontdesk.insurance_not_listed", True)


@pytest.mark.parametrize(
    "question",
    [
        "how much is my copay for the physical",
        "is my physical covered by insurance?",
        "does medicaid cover the dermatology visit",
        "I have new insurance since january",
        "cuanto voy a pagar con mi seguro",
    ],
)
def test_costs_coverage_and_new_insurance_are_for_billing(question):
    reply = reply_to(question, PLANS)
    assert (reply.message, reply.for_billing) == ("frontdesk.insurance_to_billing", True)


@pytest.mark.parametrize(
    "question", ["do I need to bring my insurance card?", "tengo que llevar mi tarjeta del seguro"]
)
def test_bringing_the_card_is_answered(question):
    reply = reply_to(question, PLANS)
    assert (reply.message, reply.for_billing) == ("frontdesk.insurance_bring_card", False)


@pytest.mark.parametrize(
    "question", ["what insurance do you take?", "do you guys take insurance", "que seguros aceptan"]
)
def test_which_plans_lists_them(question):
    reply = reply_to(question, PLANS)
    assert reply.message == "frontdesk.insurance_plans" and not reply.for_billing
    assert "Aetna" in reply.fields["plans"] and "Medicare" in reply.fields["plans"]


def test_a_practice_without_a_list_sends_every_question_to_billing():
    reply = reply_to("do you take medicaid?", {})
    assert (reply.message, reply.for_billing) == ("frontdesk.insurance_to_billing", True)
