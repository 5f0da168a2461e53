"""The staff console in headless Chromium: what a person at the front desk does with it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.conversations import sessions
from assistant.db.models import AuditEvent, StaffTask, StaffUser
from assistant.unit_of_work import UnitOfWork
from tests.factories.console import SCREENSHOTS, Console, sign_in


def _user_id(console: Console, email: str) -> int:
    with UnitOfWork(console.database_url) as uow:
        query = select(StaffUser.id).where(StaffUser.email == email)
        return uow.session.execute(query).scalar_one()


def test_manager_sees_every_queue_and_the_metrics(page: Page):
    """Runs first, on the untouched demo: its screenshots are the ones in the README."""
    sign_in(page, "manager@riverside.example", "demo-manager")
    expect(page.get_by_text("All departments.")).to_be_visible()
    table = page.locator("#queue-table")
    for department in ("Front desk", "Billing", "Nurse line", "Refills", "Medical records"):
        expect(table).to_contain_text(department)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-queue.png"), full_page=True)

    page.get_by_role("link", name="Metrics").click()
    expect(page.get_by_role("heading", name="Metrics", level=1)).to_be_visible()
    for label in ("Calls handled", "Texts handled", "Containment", "Abandoned calls"):
        expect(page.get_by_text(label, exact=True)).to_be_visible()
    expect(page.get_by_text("Confirmation rate", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Transfers by reason")).to_be_visible()
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "console-metrics.png"), full_page=True)


def test_front_desk_works_a_task_from_queue_to_resolved(page: Page, console_server: Console):
    sign_in(page, "frontdesk@riverside.example", "demo-frontdesk")
    expect(page).to_have_url(re.compile(r"/console/queue$"))
    expect(page.get_by_role("heading", name="Handoff and task queue")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="tasks")).to_be_visible()
    table = page.locator("#queue-table")
    expect(table).to_contain_text("Maria Lopez")
    row = table.locator("tbody tr", has_text="Maria Lopez")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"Task \d+: Handoff"))).to_be_visible()
    transcript = page.get_by_role("list").filter(has_text="work trip")
    expect(transcript).to_contain_text("Patient")
    expect(transcript).to_contain_text("Assistant")
    expect(page.get_by_text("Verified by the assistant")).to_be_visible()

    page.get_by_role("button", name="Claim this task").click()
    expect(page.get_by_text("You claimed this task.")).to_be_visible()
    expect(page.get_by_role("button", name="Claim this task")).to_have_count(0)

    page.get_by_label("Add a note").fill("Left a voicemail, will try again at 2 pm.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    expect(page.get_by_text("Left a voicemail, will try again at 2 pm.")).to_be_visible()

    page.get_by_label("Outcome (optional)").fill("Rescheduled to Thursday 9 AM.")
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.get_by_text("Task resolved.")).to_be_visible()
    expect(page.get_by_text("This task is resolved.")).to_be_visible()

    task_id = int(re.search(r"/tasks/(\d+)", page.url).group(1))
    with UnitOfWork(console_server.database_url) as uow:
        task = uow.session.get(StaffTask, task_id)
        assert task.status == "resolved" and task.claimed_by.startswith("staff:")


def test_five_wrong_passwords_lock_the_account(page: Page):
    for _ in range(4):
        sign_in(page, "records@riverside.example", "not-the-password")
        expect(page.get_by_role("alert")).to_contain_text("not correct")
    sign_in(page, "records@riverside.example", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("locked for 15 minutes")
    sign_in(page, "records@riverside.example", "demo-records")  # the right one, too late
    expect(page.get_by_role("alert")).to_contain_text("locked")
    expect(page).to_have_url(re.compile(r"/console/login$"))


def test_a_nurse_does_not_see_billing_tasks(page: Page, console_server: Console):
    sign_in(page, "nurse@riverside.example", "demo-nurse")
    table = page.locator("#queue-table")
    expect(table).to_contain_text("Nurse line")
    expect(table).not_to_contain_text("Billing")
    expect(page.get_by_role("link", name="Metrics")).to_have_count(0)
    with UnitOfWork(console_server.database_url) as uow:
        billing_task = uow.session.execute(
            select(StaffTask.id).where(StaffTask.department == "billing").limit(1)
        ).scalar_one()
    response = page.goto(f"/console/tasks/{billing_task}")
    assert response is not None and response.status == 404
    response = page.goto("/console/metrics")
    assert response is not None and response.status == 403


def test_patient_lookup_and_view_are_audited(page: Page, console_server: Console):
    sign_in(page, "frontdesk@riverside.example", "demo-frontdesk")
    page.get_by_role("link", name="Patients").click()
    page.get_by_label("Name").fill("Lopez")
    page.get_by_label("Date of birth").fill("1982-03-03")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 patient found")).to_be_visible()
    page.get_by_role("link", name="Lopez, Maria").click()
    expect(page.get_by_role("heading", name="Maria Lopez", level=1)).to_be_visible()

    actor = f"staff:{_user_id(console_server, 'frontdesk@riverside.example')}"
    patient_id = console_server.demo.english_demo.patient_id
    with UnitOfWork(console_server.database_url) as uow:
        events = uow.session.execute(
            select(AuditEvent.entity, AuditEvent.patient_id, AuditEvent.detail).where(
                AuditEvent.actor == actor,
                AuditEvent.channel == "console",
                AuditEvent.entity.in_(("patient", "patient_search")),
            )
        ).all()
    assert ("patient", patient_id, None) in [tuple(e) for e in events]
    searches = [e.detail for e in events if e.entity == "patient_search"]
    assert any(patient_id in detail["patient_ids"] for detail in searches)


def test_html_in_a_patient_message_is_shown_as_text(page: Page, console_server: Console):
    payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    with UnitOfWork(console_server.database_url) as uow:
        conversation = sessions.sms_conversation(
            uow.session,
            practice_id=console_server.demo.practice_id,
            phone="+15555550177",
            session_minutes=30,
        )
        sessions.add_turn(uow.session, conversation, "in", payload)
        task = StaffTask(
            practice_id=console_server.demo.practice_id,
            kind="message",
            department="front_desk",
            conversation_id=conversation.id,
            summary=f"SMS message: {payload}",
        )
        uow.session.add(task)
        uow.commit()
        task_id = task.id
    sign_in(page, "scheduling@riverside.example", "demo-frontdesk")
    expect(page.locator("#queue-table")).to_contain_text('<img src=x onerror="window.__xss=1">')
    page.goto(f"/console/tasks/{task_id}")
    expect(page.locator(".transcript")).to_contain_text("<script>window.__xss=2</script>")
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    assert page.evaluate("window.__xss") is None


def _focused(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return (e.tagName + ' ' + (e.innerText || e.value || '')).trim(); }"
    )


def test_keyboard_alone_reaches_the_main_actions(page: Page):
    sign_in(page, "scheduling@riverside.example", "demo-frontdesk")
    page.goto("/console/queue")
    page.keyboard.press("Tab")
    assert _focused(page) == "A Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto("/console/queue")
    seen = []
    for _ in range(20):
        page.keyboard.press("Tab")
        seen.append(_focused(page))
        if seen[-1].startswith("A Task "):
            break
    order = [s for s in seen if s in ("A Queue", "A Schedule", "A Patients", "BUTTON Sign out")]
    assert order == ["A Queue", "A Schedule", "A Patients", "BUTTON Sign out"]
    assert seen[-1].startswith("A Task ")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Task \d+"))).to_be_visible()

    for _ in range(20):
        page.keyboard.press("Tab")
        if _focused(page) == "BUTTON Claim this task":
            break
    assert _focused(page) == "BUTTON Claim this task"
    page.keyboard.press("Enter")
    expect(page.get_by_text("You claimed this task.")).to_be_visible()
