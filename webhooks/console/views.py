"""Console routes. Each view reads the request, calls one service, renders a template."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from assistant.console import auth, metrics, patients, reminder_metrics, schedule, tasks
from assistant.unit_of_work import UnitOfWork
from webhooks.console import formatting, security
from webhooks.context import settings

bp = Blueprint("console", __name__, url_prefix="/console")
MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger one in a URL is a 404, not a crash


@bp.record_once
def _setup(state) -> None:
    security.configure(state.app)
    formatting.register(state.app)
    state.app.jinja_env.globals["csrf_token"] = security.csrf_token


@bp.before_request
def _before() -> ResponseReturnValue | None:
    if not security.touch_session():
        if request.headers.get(security.PASSIVE_HEADER):
            abort(401)
        flash("You were signed out after 30 minutes without activity.", "info")
        return redirect(url_for("console.login"))
    security.check_csrf()
    return None


bp.after_request(security.secure_headers)


@bp.app_context_processor
def _globals() -> dict:
    viewer = getattr(g, "viewer", None)
    return {"viewer": viewer, "is_manager": lambda: viewer is not None and viewer.role == "manager"}


@bp.errorhandler(400)
@bp.errorhandler(403)
@bp.errorhandler(404)
def _error(error) -> ResponseReturnValue:
    titles = {400: "Request refused", 403: "Not allowed", 404: "Not found"}
    return (
        render_template("console/error.html", title=titles.get(error.code, "Error"), error=error),
        error.code,
    )


@bp.errorhandler(tasks.TaskNotFound)
@bp.errorhandler(patients.PatientNotFound)
def _unknown_id(_missing: LookupError) -> ResponseReturnValue:
    """A task or patient that does not exist, or belongs to another practice: the 404 page."""
    return _error(NotFound())


# --- Sign-in -------------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("console/login.html", email="", next=request.args.get("next", ""))
    email = request.form.get("email", "")[:200]
    with UnitOfWork(settings().database_url) as uow:
        result = auth.authenticate(uow.session, email, request.form.get("password", ""))
        user_id = result.user.id if result.user else None
        uow.commit()
    if user_id is None:
        if result.error == auth.LOCKED:
            message, status = (
                f"Too many failed sign-in attempts. This account is locked for "
                f"{auth.LOCK_MINUTES} minutes.",
                429,
            )
        else:
            message, status = "The email or password is not correct.", 401
        page = render_template(
            "console/login.html", email=email, error=message, next=request.form.get("next", "")
        )
        return page, status
    security.sign_in(user_id)
    return redirect(security.safe_next(request.form.get("next")) or url_for("console.queue"))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    security.sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("console.login"))


@bp.get("/")
@security.login_required
def home() -> ResponseReturnValue:
    return redirect(url_for("console.queue"))


# --- Queue and tasks -----------------------------------------------------------------------------


def _render_queue(template: str) -> ResponseReturnValue:
    """The task queue filtered by the `status` argument (unknown or missing: open tasks)."""
    status = request.args.get("status", "open")
    if status not in tasks.STATUS_FILTERS:
        status = "open"
    rows = tasks.queue(g.uow.session, g.user, status=status)
    return render_template(template, rows=rows, status=status)


@bp.get("/queue")
@security.login_required
def queue() -> ResponseReturnValue:
    return _render_queue("console/queue.html")


@bp.get("/queue/rows")
@security.login_required
def queue_rows() -> ResponseReturnValue:
    """The queue table alone, for the page's periodic refresh."""
    return _render_queue("console/_queue_table.html")


@bp.get(f"/tasks/<int(max={MAX_ID}):task_id>")
@security.login_required
def task(task_id: int) -> ResponseReturnValue:
    detail = tasks.task_detail(g.uow.session, g.user, task_id)
    return render_template("console/task.html", d=detail)


def _task_step(task_id: int, step, done: str) -> ResponseReturnValue:
    try:
        step()
        flash(done, "success")
    except tasks.TaskConflict as conflict:
        g.uow.rollback()
        flash(str(conflict), "error")
    return redirect(url_for("console.task", task_id=task_id))


@bp.post(f"/tasks/<int(max={MAX_ID}):task_id>/claim")
@security.login_required
def claim(task_id: int) -> ResponseReturnValue:
    return _task_step(
        task_id, lambda: tasks.claim(g.uow.session, g.user, task_id), "You claimed this task."
    )


@bp.post(f"/tasks/<int(max={MAX_ID}):task_id>/notes")
@security.login_required
def add_note(task_id: int) -> ResponseReturnValue:
    text = request.form.get("text", "")
    return _task_step(
        task_id, lambda: tasks.add_note(g.uow.session, g.user, task_id, text), "Note added."
    )


@bp.post(f"/tasks/<int(max={MAX_ID}):task_id>/resolve")
@security.login_required
def resolve(task_id: int) -> ResponseReturnValue:
    note = request.form.get("note", "")
    return _task_step(
        task_id,
        lambda: tasks.resolve(g.uow.session, g.user, task_id, note=note),
        "Task resolved.",
    )


# --- Schedule, patients, metrics -----------------------------------------------------------------


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@bp.get("/schedule")
@security.login_required
def day_schedule() -> ResponseReturnValue:
    today = schedule.local_today(g.uow.session, g.user.practice_id)
    day = _date_arg("day") or today
    providers = schedule.day_schedule(g.uow.session, g.user, day)
    return render_template(
        "console/schedule.html",
        day=day,
        today=today,
        providers=providers,
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
    )


@bp.get("/patients")
@security.login_required
def patient_search() -> ResponseReturnValue:
    name, phone = request.args.get("name", "")[:100], request.args.get("phone", "")[:30]
    dob_raw = request.args.get("dob", "").strip()
    dob = _date_arg("dob")
    searched = bool(name.strip() or dob_raw or phone.strip())
    results, error = [], None
    if dob_raw and dob is None:
        error = "Enter the date of birth as YYYY-MM-DD."
    elif searched:
        try:
            results = patients.search(
                g.uow.session, g.user, name=name, date_of_birth=dob, phone=phone
            )
        except patients.BadQuery as bad:
            error = str(bad)
    return render_template(
        "console/patients.html",
        name=name,
        dob=dob_raw,
        phone=phone,
        searched=searched,
        results=results,
        error=error,
    )


@bp.get(f"/patients/<int(max={MAX_ID}):patient_id>")
@security.login_required
def patient(patient_id: int) -> ResponseReturnValue:
    view = patients.view(g.uow.session, g.user, patient_id)
    return render_template("console/patient.html", v=view)


@bp.get("/metrics")
@security.login_required
@security.roles_required("manager")
def manager_metrics() -> ResponseReturnValue:
    days = request.args.get("days", "7")
    period = int(days) if days.isdecimal() and int(days) in metrics.PERIODS else 7
    figures = metrics.compute(g.uow.session, g.user.practice_id, days=period)
    reminders = reminder_metrics.compute(g.uow.session, g.user.practice_id, days=period)
    return render_template(
        "console/metrics.html", m=figures, r=reminders, days=period, periods=metrics.PERIODS
    )
