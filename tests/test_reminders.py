"""Deadlines: what each home page lists as due soon and overdue, and the reminders e-mailed
before and after each deadline, each once (`reminders.deadlines`)."""

import datetime
import io
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.models import ProgressReport
from reminders import deadlines
from reminders.deadlines import due_for, send_reminders
from reminders.models import SentReminder
from reminders.tasks import next_run, schedule_reminders, send_daily_reminders
from tests.factories import (
    DirectiveTaskFactory,
    DistrictFactory,
    ProgressReportFactory,
    RoleUserFactory,
    SeminarFactory,
    TaskAssignmentFactory,
    UserFactory,
    WardFactory,
)
from wards.roles import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def days(count):
    return TODAY + datetime.timedelta(days=count)


@pytest.fixture
def ward():
    """Phường Bồ Đề's tasks of one seminar, due from 10 days ago to 10 days ahead."""
    district = DistrictFactory(name="Hà Nội", kind="city")
    ward = WardFactory(district=district, code="90003", name="Bồ Đề")
    seminar = SeminarFactory(district=district, title="Tọa đàm dân vận khéo")

    def task(number, due_on, **kwargs):
        text = f"Nhiệm vụ số {number} của tọa đàm"
        return TaskAssignmentFactory(
            task=DirectiveTaskFactory(seminar=seminar, number=number, text=text),
            ward=ward,
            due_on=due_on,
            **kwargs,
        )

    task(1, days(2))  # due soon
    task(2, days(-1))  # passed yesterday
    task(3, days(-10))  # passed too long ago to be e-mailed about
    task(4, days(10))  # not soon yet
    completed = task(5, days(1))
    ProgressReportFactory(
        assignment=completed, status=ProgressReport.Status.COMPLETED, percent=100
    )
    task(6, days(1), handed_over_on=days(-30))  # carried to a successor ward
    return ward


def officer(ward, username, **kwargs):
    return RoleUserFactory(
        username=username, role=Role.WARD_OFFICER, wards=[ward], email=f"{username}@x.vn", **kwargs
    )


def test_reminders_go_to_each_officer_once_before_and_after_the_deadline(ward):
    officer(ward, "canbo.bode", first_name="Nguyễn Thị Lan", last_name="")
    officer(ward, "tat.nhac", email_reminders=False)
    officer(ward, "khong.dia.chi").__class__.objects.filter(username="khong.dia.chi").update(
        email=""
    )
    officer(ward, "da.nghi", is_active=False)

    first = send_reminders(today=TODAY, days_before=3)
    second = send_reminders(today=TODAY, days_before=3)

    assert (first, second) == (1, 0)
    [email] = mail.outbox
    assert email.to == ["canbo.bode@x.vn"]
    assert email.subject == "[Dân vận] 1 việc sắp đến hạn, 1 việc quá hạn"
    assert email.body.splitlines() == [
        "Kính gửi Nguyễn Thị Lan,",
        "",
        "Sắp đến hạn:",
        "- Tọa đàm dân vận khéo, nhiệm vụ 1. Nhiệm vụ số 1 của tọa đàm · Phường Bồ Đề · "
        "hạn 03/12/2026",
        "  http://127.0.0.1:8000/wards/90003/",
        "",
        "Quá hạn:",
        "- Tọa đàm dân vận khéo, nhiệm vụ 2. Nhiệm vụ số 2 của tọa đàm · Phường Bồ Đề · "
        "đã quá hạn 30/11/2026",
        "  http://127.0.0.1:8000/wards/90003/",
        "",
        "Bạn nhận thư này vì bạn phụ trách các phường trên. Để thôi nhận thư: "
        "http://127.0.0.1:8000/accounts/reminders/",
    ]
    assert SentReminder.objects.count() == 2


class RefusingBackend(locmem.EmailBackend):
    """The SMTP server refuses one address."""

    def send_messages(self, messages):
        if any("tu.choi@x.vn" in message.to for message in messages):
            raise smtplib.SMTPRecipientsRefused({"tu.choi@x.vn": (550, b"No such user")})
        return super().send_messages(messages)


def test_an_address_refused_leaves_the_others_sent_and_is_tried_again(ward, settings):
    settings.EMAIL_BACKEND = "tests.test_reminders.RefusingBackend"
    officer(ward, "tu.choi")
    officer(ward, "canbo.bode")

    assert send_reminders(today=TODAY, days_before=3) == 1
    assert [email.to for email in mail.outbox] == [["canbo.bode@x.vn"]]
    assert SentReminder.objects.filter(user__username="tu.choi").count() == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_reminders(today=TODAY, days_before=3) == 1
    assert mail.outbox[-1].to == ["tu.choi@x.vn"]


def test_a_ward_keeps_its_deadlines_until_a_reorganisation_to_come_hands_them_over(ward):
    user = officer(ward, "canbo.bode")
    ward.task_assignments.filter(task__number=1).update(handed_over_on=days(5))

    due = due_for(user, today=TODAY)

    assert [item.title for item in due.soon] == [
        "Tọa đàm dân vận khéo, nhiệm vụ 1. Nhiệm vụ số 1 của tọa đàm"
    ]
    assert send_reminders(today=TODAY, days_before=3) == 1


def test_a_deadline_moved_is_reminded_of_again(ward):
    officer(ward, "canbo.bode")
    send_reminders(today=TODAY, days_before=3)
    moved = ward.task_assignments.get(task__number=1)
    moved.due_on = days(3)
    moved.save()

    assert send_reminders(today=TODAY, days_before=3) == 1
    assert mail.outbox[1].subject == "[Dân vận] 1 việc sắp đến hạn"


def test_the_command_sends_as_on_the_day_given(ward, settings):
    officer(ward, "canbo.bode")
    settings.REMINDER_DAYS_BEFORE = 3
    out = io.StringIO()

    call_command("send_reminders", "--date", "01/12/2026", stdout=out)
    call_command("send_reminders", "--date", "01/12/2026", stdout=out)

    assert out.getvalue().splitlines() == ["Đã gửi 1 e-mail.", "Đã gửi 0 e-mail."]


def test_a_user_turns_reminders_off_on_their_own_page(client, ward):
    user = officer(ward, "canbo.bode")
    client.force_login(user)

    response = client.post(
        reverse("reminders:settings"), {"email": "lan@bode.vn", "email_reminders": ""}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email, user.email_reminders, user.is_active) == ("lan@bode.vn", False, True)
    assert send_reminders(today=TODAY, days_before=3) == 0


def test_due_for_an_officer_lists_the_next_7_days_and_the_overdue(ward):
    user = officer(ward, "canbo.bode")

    due = due_for(user, today=TODAY)

    assert [item.title for item in due.soon] == [
        "Tọa đàm dân vận khéo, nhiệm vụ 1. Nhiệm vụ số 1 của tọa đàm"
    ]
    assert [(item.title[-22:], item.due_on) for item in due.overdue] == [
        ("Nhiệm vụ số 3 của tọa đàm"[-22:], days(-10)),
        ("Nhiệm vụ số 2 của tọa đàm"[-22:], days(-1)),
    ]
    assert (due.soon_more, due.overdue_more) == (0, 0)


def test_due_for_a_superuser_is_empty(ward):
    due = due_for(UserFactory(is_staff=True, is_superuser=True), today=TODAY)

    assert (due.soon, due.overdue) == ([], [])


def test_due_for_staff_of_another_unit_is_empty(ward):
    staff = RoleUserFactory(role=Role.DISTRICT_STAFF, district=DistrictFactory())

    due = due_for(staff, today=TODAY)

    assert (due.soon, due.overdue) == ([], [])


def test_due_lists_show_the_first_10_and_how_many_more(ward):
    user = officer(ward, "canbo.bode")
    seminar = SeminarFactory(district=ward.district)
    for number in range(12):
        TaskAssignmentFactory(
            task=DirectiveTaskFactory(seminar=seminar, number=number + 10),
            ward=ward,
            due_on=days(-20),
        )

    due = due_for(user, today=TODAY)

    assert (len(due.overdue), due.overdue_more) == (10, 4)


def test_the_ward_home_shows_the_deadlines_in_a_constant_number_of_queries(
    client, ward, monkeypatch
):
    """The deadlines are three queries of the ward home's 15 (the wards', the tasks', the
    work reports'; tests/test_workspace.py has the others), with 6 tasks and with 26."""
    monkeypatch.setattr(deadlines.timezone, "localdate", lambda: TODAY)
    client.force_login(officer(ward, "canbo.bode"))
    url = reverse("reports:ward_home", args=["90003"])
    client.get(url)
    counts = []
    for more in (0, 20):
        seminar = SeminarFactory(district=ward.district)
        for number in range(more):
            TaskAssignmentFactory(
                task=DirectiveTaskFactory(seminar=seminar, number=number + 1),
                ward=ward,
                due_on=days(-20),
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        if not more:
            box = response.text.split('<details class="card due" open>')[1]
            text = " ".join(re.sub(r"<[^>]+>", " ", box.split("</details>")[0]).split())

    assert counts == [15, 15]
    assert text == (
        "Hạn nhiệm vụ: 2 quá hạn · 1 sắp đến hạn "
        "Quá hạn Tọa đàm dân vận khéo, nhiệm vụ 3. Nhiệm vụ số 3 của tọa đàm "
        "Phường Bồ Đề · đã quá hạn 21/11/2026 Tọa đàm dân vận khéo, nhiệm vụ 2. Nhiệm vụ số 2 "
        "của tọa đàm Phường Bồ Đề · đã quá hạn 30/11/2026 Đến hạn trong 7 ngày tới Tọa đàm "
        "dân vận khéo, nhiệm vụ 1. Nhiệm vụ số 1 của tọa đàm Phường Bồ Đề · hạn 03/12/2026 "
        "Nhắc hạn qua e-mail"
    )


# The daily job of the background worker


def test_schedule_reminders_enqueues_one_run_at_7_and_no_second(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.all().delete()  # the run `migrate` enqueued
    now = datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.UTC)  # 15:30 in Hà Nội

    first = schedule_reminders(now=now)
    second = schedule_reminders(now=now)

    assert timezone.localtime(first.task.run_after).isoformat() == "2026-12-02T07:00:00+07:00"
    assert second is None
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_next_run_before_7_is_today():
    early = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=datetime.UTC)  # 06:00 on the 2nd

    assert timezone.localtime(next_run(early)).isoformat() == "2026-12-02T07:00:00+07:00"


def test_send_daily_reminders_sends_and_schedules_the_next_run(ward, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(deadlines.timezone, "localdate", lambda: TODAY)
    DBTaskResult.objects.all().delete()  # the run `migrate` enqueued
    officer(ward, "canbo.bode")

    sent = send_daily_reminders.call()

    assert (sent, len(mail.outbox)) == (1, 1)
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_migrate_enqueues_the_daily_run_when_none_waits(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.all().delete()

    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)

    assert list(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("reminders.tasks.send_daily_reminders", "READY")
    ]
