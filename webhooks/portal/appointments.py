"""Upcoming visits: confirm, cancel, reschedule (the dialogue's services, same rules), and an
.ics file to add a visit to a calendar."""

from __future__ import annotations

from flask import Response, abort, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.offers import OfferedTime
from assistant.portal import appointments as visits
from assistant.portal import web_sessions
from webhooks.context import settings
from webhooks.portal import security
from webhooks.portal.views import bp, load_records

OPTION_SECONDS = 30 * 60
MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger one in a URL is a 404, not a crash
CHANNEL = "portal"


def _options_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().secret_key, salt="portal-option")


def _conversation_uid() -> str:
    """The portal conversation of the record being viewed (made on first use). The dialogue's
    services below join the request's unit of work (`g.uow`), so they see it uncommitted; the
    request commits once, in `security.signed_in`."""
    return web_sessions.chat_conversation(g.uow.session, g.portal).uid


@bp.get("/appointments")
@security.signed_in
def appointments():
    load_records()
    lang = security.language()
    listed = visits.upcoming_for(g.uow.session, g.portal, lang)
    notice = security.pop("notice")
    changed = security.pop("changed")
    return render_template(
        "portal/appointments.html", visits=listed, notice=notice, changed=changed
    )


@bp.post(f"/appointments/<int(max={MAX_ID}):appointment_id>/confirm")
@security.signed_in
def confirm(appointment_id: int):
    done = visits.confirm(g.uow.session, g.portal, appointment_id)
    security.put("notice", "confirmed_notice" if done else "not_confirmable")
    security.put("changed", appointment_id if done else None)
    return redirect(url_for("portal.appointments"))


@bp.route(f"/appointments/<int(max={MAX_ID}):appointment_id>/cancel", methods=["GET", "POST"])
@security.signed_in
def cancel(appointment_id: int):
    lang = security.language()
    appointment = visits.own(g.uow.session, g.portal, appointment_id)
    if appointment is None:
        abort(404)
    if request.method == "GET":
        load_records()
        return render_template("portal/cancel.html", visit=visits.view(appointment, lang))
    reason = (request.form.get("reason") or "").strip()[:200] or None
    uid = _conversation_uid()
    result = frontdesk.cancel_for(g.uow, uid, appointment_id, reason, lang, CHANNEL)
    security.put("notice", "cancelled_notice" if result.status == frontdesk.DONE else "unavailable")
    return redirect(url_for("portal.appointments"))


def _sign_options(appointment_id: int, options: list[OfferedTime]) -> list[dict[str, str]]:
    signer = _options_signer()
    return [
        {"label": o.label, "token": signer.dumps({"a": appointment_id, "o": o.to_slot()})}
        for o in options
    ]


@bp.route(f"/appointments/<int(max={MAX_ID}):appointment_id>/reschedule", methods=["GET", "POST"])
@security.signed_in
def reschedule(appointment_id: int):
    load_records()
    lang = security.language()
    appointment = visits.own(g.uow.session, g.portal, appointment_id)
    if appointment is None:
        abort(404)
    shown = visits.view(appointment, lang)
    message = None
    if request.method == "POST":
        try:
            signed = _options_signer().loads(request.form.get("option", ""), max_age=OPTION_SECONDS)
        except BadSignature:
            signed = None
        if not signed or signed.get("a") != appointment_id:
            message = "no_options"
            options: list[OfferedTime] = []
        else:
            uid = _conversation_uid()
            option = OfferedTime.from_slot(signed["o"])
            result = frontdesk.reschedule_for(g.uow, uid, appointment_id, option, lang, CHANNEL)
            if result.status == frontdesk.DONE:
                security.put("notice", "rescheduled_notice")
                security.put("changed", result.appointment.appointment_id)
                return redirect(url_for("portal.appointments"))
            if result.status != frontdesk.TAKEN:
                security.put("notice", "unavailable")
                return redirect(url_for("portal.appointments"))
            message, options = "taken", result.options
        preference = ""
    else:
        preference = (request.args.get("when") or "").strip()[:120]
        uid = _conversation_uid()
        result = frontdesk.options_for(g.uow, uid, appointment_id, preference, lang, CHANNEL)
        options = result.options if result.status == frontdesk.DONE else []
        if not options:
            message = "no_options"
    return render_template(
        "portal/reschedule.html",
        visit=shown,
        options=_sign_options(appointment_id, options),
        preference=preference,
        message=message,
    )


@bp.get(f"/appointments/<int(max={MAX_ID}):appointment_id>/calendar.ics")
@security.signed_in
def calendar(appointment_id: int):
    body = visits.calendar_file(g.uow.session, g.portal, appointment_id, security.language())
    if body is None:
        abort(404)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="appointment.ics"'},
    )
