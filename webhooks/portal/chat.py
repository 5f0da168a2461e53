"""Chat with the same Rasa assistant, server-side: the browser never talks to Rasa.

The portal conversation is verified from its start (`Conversation.verified_patient_id`), so the
dialogue's router skips the identity form. Rasa's sender id is `portal:<conversation uid>`
(opaque); metadata carries the uid, the channel and the language. When the dialogue cannot
answer, the message becomes a staff task and the patient is told so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import g, jsonify, redirect, render_template, request, url_for

from assistant import audit
from assistant.actor import Actor
from assistant.conversations import sessions as conversations
from assistant.conversations.messages import take_message_for_uid
from assistant.portal import web_sessions
from webhooks import rasa_client
from webhooks.context import settings
from webhooks.portal import security
from webhooks.portal.texts import t
from webhooks.portal.views import bp, load_records

log = logging.getLogger(__name__)
MAX_MESSAGE = 500


def _transcript(conversation) -> list[dict[str, Any]]:
    if conversation is None:
        return []
    return [
        {"from": "patient" if turn.direction == "in" else "assistant", "text": turn.text}
        for turn in conversation.turns
    ]


@bp.get("/chat")
@security.signed_in
def chat():
    load_records()
    conversation = web_sessions.conversation_of(g.uow.session, g.portal)
    transcript = _transcript(conversation)
    if transcript:
        audit.record(
            g.uow.session,
            **Actor.patient(g.portal.verified_patient_id, "portal", conversation.id).fields(),
            action="read",
            entity="conversation",
            entity_id=conversation.id,
            patient_id=g.portal.patient_id,
        )
    return render_template("portal/chat.html", transcript=transcript)


def _buttons(reply: rasa_client.DialogueReply | None) -> list[dict[str, str]]:
    out = []
    for button in reply.buttons if reply else []:
        title, payload = str(button.get("title") or ""), str(button.get("payload") or "")
        if title:
            out.append({"title": title[:80], "payload": (payload or title)[:200]})
    return out


@bp.post("/chat")
@security.signed_in
def send():
    """One patient message: stored, answered by the dialogue (or by staff, later)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(data, Mapping):  # JSON that is not an object (a list, a number ...)
        data = {}
    text = str((data or {}).get("message") or "").strip()[:MAX_MESSAGE]
    shown = str((data or {}).get("shown") or text).strip()[:MAX_MESSAGE]
    if not text:
        if security.wants_json():
            return jsonify({"error": "empty"}), 400
        return redirect(url_for("portal.chat"))
    lang = security.language()
    conversation = web_sessions.chat_conversation(g.uow.session, g.portal)
    conversations.add_turn(g.uow.session, conversation, "in", shown, {"payload": text})
    uid = conversation.uid
    g.uow.commit()  # the patient's words are stored before we depend on the dialogue

    reply = rasa_client.turn(settings(), "portal", uid, text, lang)
    g.uow.session.expire_all()  # the dialogue's actions changed rows in their own transactions
    stored = conversations.by_uid(g.uow.session, uid)
    if reply is None:
        take_message_for_uid(g.uow.session, uid, reason="assistant unavailable")
        texts = [t("chat_unavailable", lang)]
        log.info("portal chat: dialogue unavailable, message taken for staff")
    else:
        texts = list(reply.texts)
    for said in texts:
        conversations.add_turn(g.uow.session, stored, "out", said)
    # the answer is committed with the request (security.signed_in)
    if not security.wants_json():
        return redirect(url_for("portal.chat"))
    return jsonify(
        {
            "messages": texts,
            "buttons": _buttons(reply),
            "unavailable": reply is None,
        }
    )
