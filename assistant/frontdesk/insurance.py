"""Insurance questions a receptionist answers on the spot, and the ones for the billing team.

"Do you take Medicaid?", "do I need my insurance card?" and "what insurance do you accept?"
are answered from the practice's list of accepted plans (`practice.settings["insurance_plans"]`:
plan name -> the words patients use for it). What needs someone who can look at an account
(a copay, a deductible, whether a service is covered, a plan not on the list, new insurance to
put on file) is a message for billing. A practice without a list keeps the old behaviour: every
insurance question goes to billing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.conversations import sessions
from assistant.conversations.messages import take_message
from assistant.db.models import Practice
from assistant.frontdesk.short_answers import folded_text, mentions_insurance
from assistant.messages import translate
from assistant.routing import department_for
from assistant.unit_of_work import UnitOfWork

# Needs an account or a benefits check: the billing team answers.
_FOR_BILLING = re.compile(
    r"\b(copay|co pay|copago|deductible|deducible|cover(ed|s|age)?|cubre|cubierto|cobertura"
    r"|how much|cost|costs|price|pay|owe|cuanto (cuesta|cobran|voy a pagar|tengo que pagar)"
    r"|precio|pagar|balance|bill|factura|prior auth\w*|authorization|autorizacion"
    r"|new insurance|changed (my )?insurance|different insurance|seguro nuevo|nuevo seguro"
    r"|cambie (de|mi) seguro|otro seguro|lost my (insurance )?card)\b"
)
_CARD = re.compile(r"\b(card|cards|tarjeta|tarjetas|credencial|id|identificacion)\b")
# "do you take ...", "is ... accepted", "aceptan ...", "¿reciben ...?": a plan asked about.
_TAKES = re.compile(
    r"\b(take|takes|accept|accepts|accepted|in network|in-network|work with|participate"
    r"|aceptan|acepta|aceptado|toman|reciben|trabajan con)\b"
)
# The plan asked about when it is not on the list: the words after "take"/"aceptan".
_PLAN_ASKED = re.compile(
    r"\b(?:take|accept|work with|aceptan|acepta|toman|reciben|trabajan con)\s+(?:the\s+|el\s+"
    r"|la\s+)?(?P<plan>[a-z][a-z0-9 &'-]{1,40}?)(?:\s+(?:insurance|plan|seguro)\b|[?.!,]|$)"
)
_GENERIC = frozenset({
    "insurance", "my insurance", "seguro", "mi seguro", "aseguranza", "mi aseguranza", "it",
    "that", "eso", "esa", "ese", "plans", "planes", "any insurance", "all insurance",
    "insurances", "what insurance", "which insurance", "que seguro", "cual seguro",
})  # fmt: skip


def asks_if_taken(text: str) -> bool:
    """ "... if you take Medicaid before I make an appointment": a plan asked about."""
    folded = folded_text(text)
    return bool(_TAKES.search(folded)) and mentions_insurance(text)


@dataclass(frozen=True)
class InsuranceReply:
    """What to say (a message id and its fields) and whether billing gets a message too."""

    message: str
    fields: Mapping[str, str]
    for_billing: bool


def _accepted(folded: str, plans: Mapping[str, Sequence[str]]) -> str | None:
    for name, words in plans.items():
        for word in (name, *words):
            if re.search(rf"\b{re.escape(folded_text(word))}\b", folded):
                return name
    return None


def reply_to(question: str, plans: Mapping[str, Sequence[str]]) -> InsuranceReply:
    """The answer to an insurance question, given the practice's accepted plans."""
    folded = folded_text(question)
    if not plans:
        return InsuranceReply("frontdesk.insurance_to_billing", {}, True)
    named = _accepted(folded, plans)
    if _FOR_BILLING.search(folded):
        return InsuranceReply("frontdesk.insurance_to_billing", {}, True)
    if named is not None:
        return InsuranceReply("frontdesk.insurance_accepted", {"plan": named}, False)
    asked = _PLAN_ASKED.search(folded)
    plan = asked.group("plan").strip() if asked and _TAKES.search(folded) else ""
    if plan and plan not in _GENERIC and not plan.startswith(("my ", "mi ", "your ", "su ")):
        return InsuranceReply("frontdesk.insurance_not_listed", {}, True)
    if _CARD.search(folded) and not _TAKES.search(folded):
        return InsuranceReply("frontdesk.insurance_bring_card", {}, False)
    return InsuranceReply("frontdesk.insurance_plans", {"plans": ", ".join(plans)}, False)


def answer_insurance(
    uow: UnitOfWork, conversation_uid: str | None, language: str, question: str
) -> str:
    """Answer from the practice's list; a message for billing when only they can answer."""
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid) if conversation_uid else None
        practice = uow.session.get(Practice, conversation.practice_id) if conversation else None
        settings = (practice.settings if practice else None) or {}
        reply = reply_to(question, settings.get("insurance_plans") or {})
        if reply.for_billing and conversation is not None:
            billing = department_for("billing_question", settings)
            take_message(uow.session, conversation, reason="insurance question",
                         department=billing)  # fmt: skip
        elif conversation is not None and conversation.outcome is None:
            sessions.set_outcome(conversation, "office_info")  # answered: what it achieved
        uow.commit()
    return translate(language, reply.message, **reply.fields)
