"""Sign-in (details, then the code; or a link, then the date of birth), sign-out, switching
between family records, and what every portal page shares."""

from __future__ import annotations

import logging
from datetime import date

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from assistant.datetimes import parse_date_of_birth
from assistant.messaging.outbound import Outbound
from assistant.portal import signin, web_sessions
from assistant.unit_of_work import UnitOfWork
from webhooks.context import settings
from webhooks.portal import security
from webhooks.portal.texts import t

log = logging.getLogger(__name__)
bp = Blueprint("portal", __name__, url_prefix="/portal")


def outbound() -> Outbound:
    """The app's sending policy (recorded locally, through Twilio with credentials)."""
    if "portal_outbound" not in current_app.extensions:
        current_app.extensions["portal_outbound"] = Outbound(settings())
    return current_app.extensions["portal_outbound"]


@bp.before_request
def _before() -> None:
    security.load_state()
    security.check_csrf()


@bp.after_request
def _after(response: Response) -> Response:
    return security.save_state(response)


@bp.context_processor
def _template_helpers() -> dict:
    lang = security.language()
    return {
        "t": lambda key, **values: t(key, lang, **values),
        "lang": lang,
        "csrf_token": security.csrf_token,
        "portal": g.get("portal"),
        "records": g.get("records", []),
    }


@bp.errorhandler(BadRequest)
def _bad_request(exc: BadRequest):
    if security.wants_json():
        return {"error": "bad_request"}, 400
    return render_template("portal/message.html", message_key="bad_request"), 400


def _ip() -> str | None:
    """The client's address for rate limits: behind `TRUSTED_PROXIES` proxies, the entry of
    X-Forwarded-For the outermost trusted proxy appended (earlier entries can be forged)."""
    hops = settings().trusted_proxies
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.remote_addr


def _parse_dob(text: str, language: str) -> date | None:
    text = (text or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_date_of_birth(text, language)


# --- Sign-in -------------------------------------------------------------------------------------


@bp.get("")
@bp.get("/")
def index() -> Response:
    return redirect(url_for("portal.appointments" if g.state.get("sid") else "portal.sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    lang = security.language()
    error = None
    if request.method == "POST":
        dob = _parse_dob(request.form.get("dob", ""), lang)
        if dob is None:
            error = "invalid_dob"
        else:
            started = signin.start(
                UnitOfWork(settings().database_url),
                outbound(),
                signin.Visitor(_ip(), settings().secret_key, lang),
                phone_text=request.form.get("phone", ""),
                dob=dob,
            )
            if started.told_code_sent:
                security.put("ch", started.challenge_id or 0)
                security.put("wrong", 0)
                return redirect(url_for("portal.code"))
            error = {
                signin.INVALID: "invalid_phone",
                signin.LOCKED: "locked",
                signin.RATE_LIMITED: "rate_limited",
            }[started.status]
    notice = security.pop("notice")
    status = 400 if error else 200
    return render_template("portal/sign_in.html", error=error, notice=notice), status


@bp.route("/code", methods=["GET", "POST"])
def code():
    if "ch" not in g.state:
        return redirect(url_for("portal.sign_in"))
    lang = security.language()
    error, left = None, None
    if request.method == "POST":
        cfg = settings()
        challenge_id = int(g.state.get("ch") or 0)
        if challenge_id:
            checked = signin.verify_code(
                UnitOfWork(cfg.database_url),
                signin.Visitor(_ip(), cfg.secret_key, lang),
                challenge_id=challenge_id,
                code=request.form.get("code", ""),
            )
        else:  # the details matched nobody: behave exactly like a wrong code
            signin.wrong_without_challenge(
                UnitOfWork(cfg.database_url), phone_text=None, ip=_ip(), secret=cfg.secret_key
            )
            wrong = int(g.state.get("wrong", 0)) + 1
            security.put("wrong", wrong)
            left = signin.MAX_WRONG - wrong
            checked = signin.Checked(signin.WRONG if left > 0 else signin.LOCKED, max(left, 0))
        if checked.verified:
            security.begin_session(str(checked.session_token))
            return redirect(url_for("portal.appointments"))
        error, left = {
            signin.WRONG: ("wrong_code", checked.attempts_left),
            signin.LOCKED: ("locked", None),
            signin.EXPIRED: ("expired_code", None),
            signin.RATE_LIMITED: ("rate_limited", None),
        }[checked.status]
    status = 400 if error else 200
    locked = error == "locked"
    return (
        render_template("portal/code.html", error=error, left=left, locked=locked),
        status,
    )


@bp.get("/link/<token>")
def link(token: str) -> Response:
    """A link from a reminder text: remember the challenge, then leave the token out of the
    address bar (and of any later Referer) by redirecting."""
    cfg = settings()
    challenge_id = signin.open_link(UnitOfWork(cfg.database_url), token, secret=cfg.secret_key)
    if challenge_id is None:
        security.put("notice", "link_invalid")
        return redirect(url_for("portal.sign_in"))
    security.put("link", challenge_id)
    return redirect(url_for("portal.link_confirm"))


@bp.route("/link", methods=["GET", "POST"])
def link_confirm():
    if "link" not in g.state:
        return redirect(url_for("portal.sign_in"))
    lang = security.language()
    error = None
    if request.method == "POST":
        cfg = settings()
        dob = _parse_dob(request.form.get("dob", ""), lang)
        checked = signin.verify_link(
            UnitOfWork(cfg.database_url),
            signin.Visitor(_ip(), cfg.secret_key, lang),
            challenge_id=int(g.state["link"]),
            dob=dob,
        )
        if checked.verified:
            security.begin_session(str(checked.session_token))
            return redirect(url_for("portal.appointments"))
        if checked.status == signin.WRONG:
            error = "wrong_code" if dob else "invalid_dob"
        else:
            security.put("link", None)
            security.put("notice", "locked" if checked.status == signin.LOCKED else "link_invalid")
            return redirect(url_for("portal.sign_in"))
    return render_template("portal/link.html", error=error), 400 if error else 200


@bp.post("/sign-out")
def sign_out() -> Response:
    cfg = settings()
    with UnitOfWork(cfg.database_url) as uow:
        portal = web_sessions.current(
            uow.session, g.state.get("sid"), secret=cfg.secret_key, touch=False
        )
        if portal is not None:
            web_sessions.end(uow.session, portal, web_sessions.SIGNED_OUT)
        uow.commit()
    security.end_session()
    security.put("notice", "signed_out")
    return redirect(url_for("portal.sign_in"))


@bp.post("/switch")
@security.signed_in
def switch() -> Response:
    try:
        patient_id = int(request.form.get("patient_id", ""))
    except ValueError:
        patient_id = 0
    web_sessions.switch(g.uow.session, g.portal, patient_id)
    target = request.form.get("next")
    return redirect(url_for("portal.chat" if target == "chat" else "portal.appointments"))


def load_records() -> None:
    """The records on the verified number and the one being viewed, for the header."""
    g.records = web_sessions.records(g.uow.session, g.portal)
