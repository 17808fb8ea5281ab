"""Directives that are not a seminar's (plans, directives, resolutions, letters): written by
a managing unit, their tasks given to every ward of the unit in one click or to some, with a
due date and a rhythm; their progress on the ward home, the overview's matrix and in PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from meetings import services, views
from meetings.models import Body, Directive, TaskAssignment
from tests.factories import (
    DirectiveFactory,
    DirectiveTaskFactory,
    DistrictFactory,
    ProgressReportFactory,
    RoleUserFactory,
    TaskAssignmentFactory,
    WardFactory,
)
from tests.shared import pdf_pages
from wards.roles import Role
from workreports.figures import count_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    district = DistrictFactory(
        name="Long Biên",
        party_committee="Quận ủy Long Biên",
        office="Ban Dân vận Quận ủy",
        office_symbol="BDVQU",
    )
    WardFactory(district=district, code="00115", name="Thượng Thanh")
    WardFactory(district=district, code="00118", name="Ngọc Thụy")
    WardFactory(district=district, code="00121", name="Cũ", valid_until=datetime.date(2025, 6, 30))
    WardFactory(code="00200", name="Phường của đơn vị khác")
    return district


@pytest.fixture
def staff(unit):
    return RoleUserFactory(username="canbo.quan", role=Role.DISTRICT_STAFF, district=unit)


def test_directive_staff_writes_a_plan_its_tasks_and_gives_them_to_every_ward(client, unit, staff):
    client.force_login(staff)
    created = client.post(
        reverse("meetings:directive_add"),
        {
            "kind": "plan",
            "number": "12-KH/BDVQU",
            "signed_on": "02/03/2026",
            "issuer": "Ban Thường vụ Quận ủy",
            "title": "Kế hoạch dân vận khéo năm 2026",
        },
    )
    plan = Directive.objects.get()
    tasks_url = reverse("meetings:directive_tasks", args=[plan.pk])
    client.post(
        tasks_url,
        {
            "tasks-TOTAL_FORMS": "2",
            "tasks-INITIAL_FORMS": "0",
            "tasks-0-number": "1",
            "tasks-0-category": "exemplary_models",
            "tasks-0-text": "Đăng ký mô hình “Dân vận khéo”.",
            "tasks-0-rhythm": "quarterly",
            "tasks-1-number": "2",
            "tasks-1-category": "training",
            "tasks-1-text": "Tập huấn tổ trưởng tổ dân vận.",
            "tasks-1-rhythm": "once",
        },
    )
    given = client.post(
        reverse("meetings:directive_detail", args=[plan.pk]),
        {
            "tasks": [str(pk) for pk in plan.tasks.values_list("pk", flat=True)],
            "every_ward": "on",
            "due_on": "30/06/2026",
        },
    )

    assert created.status_code == 302
    assert (plan.district, plan.kind, plan.seminar) == (unit, "plan", None)
    assert list(plan.tasks.values_list("number", "rhythm")) == [(1, "quarterly"), (2, "once")]
    assert given.status_code == 302
    assert sorted(TaskAssignment.objects.values_list("task__number", "ward__name", "due_on")) == [
        (1, "Ngọc Thụy", datetime.date(2026, 6, 30)),
        (1, "Thượng Thanh", datetime.date(2026, 6, 30)),
        (2, "Ngọc Thụy", datetime.date(2026, 6, 30)),
        (2, "Thượng Thanh", datetime.date(2026, 6, 30)),
    ]


def test_directive_assign_to_some_wards_leaves_the_others(client, unit, staff):
    plan = DirectiveFactory(district=unit)
    task = DirectiveTaskFactory(directive=plan, number=1)
    client.force_login(staff)
    url = reverse("meetings:directive_detail", args=[plan.pk])
    ngoc_thuy = unit.wards.get(name="Ngọc Thụy")

    none_chosen = client.post(url, {"tasks": [task.pk]})
    chosen = client.post(url, {"tasks": [task.pk], "wards": [ngoc_thuy.pk]})

    assert "Hãy chọn các phường, hoặc mọi phường của đơn vị." in none_chosen.content.decode()
    assert chosen.status_code == 302
    assert list(TaskAssignment.objects.values_list("ward__name", "due_on")) == [
        ("Ngọc Thụy", None)
    ]


def test_directive_other_wards_and_units_may_not_assign(client, unit):
    plan = DirectiveFactory(district=unit)
    task = DirectiveTaskFactory(directive=plan, number=1)
    ward = unit.wards.get(name="Thượng Thanh")
    TaskAssignmentFactory(task=task, ward=ward)
    url = reverse("meetings:directive_detail", args=[plan.pk])
    statuses = []
    for user in (
        RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]),
        RoleUserFactory(role=Role.VIEWER, district=unit),
        RoleUserFactory(role=Role.DISTRICT_STAFF, district=DistrictFactory()),
    ):
        client.force_login(user)
        statuses.append(client.post(url, {"tasks": [task.pk], "every_ward": "on"}).status_code)

    assert statuses == [403, 403, 404]
    assert TaskAssignment.objects.count() == 1


def test_directive_form_offers_no_conclusion_notice(client, staff):
    client.force_login(staff)

    page = client.get(reverse("meetings:directive_add")).content.decode()

    assert 'value="plan"' in page and 'value="conclusion"' not in page


def test_directive_progress_on_the_ward_home_the_matrix_and_the_pdf(client, unit, staff):
    plan = DirectiveFactory(district=unit, title="Kế hoạch dân vận khéo năm 2026")
    task = DirectiveTaskFactory(directive=plan, number=1, text="Đăng ký mô hình.")
    ward = unit.wards.get(name="Thượng Thanh")
    TaskAssignmentFactory(task=task, ward=ward, due_on=datetime.date(2026, 6, 30))
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])

    client.force_login(officer)
    home = client.get(reverse("reports:ward_home", args=[ward.code])).content.decode()
    client.force_login(staff)
    overview = client.get(reverse("reports:overview"), {"directive": plan.pk, "period": "2026"})
    pdf = client.get(reverse("reports:directive_progress_pdf", args=[plan.pk]), {"period": "2026"})
    text = " ".join(pdf_pages(pdf))

    assert "Đăng ký mô hình." in home
    assert overview.context["directive"] == plan
    assert [row.ward.name for row in overview.context["matrix"]] == ["Thượng Thanh"]
    assert text.startswith("QUẬN ỦY LONG BIÊN BAN DÂN VẬN * Số …/BC-BDVQU")
    assert "Tiến độ thực hiện các nhiệm vụ của “Kế hoạch dân vận khéo năm 2026”, năm 2026" in text


def test_directive_carry_over_takes_the_open_tasks_into_the_next_year_once(
    client, unit, staff, monkeypatch
):
    monkeypatch.setattr(views.timezone, "localdate", lambda: datetime.date(2025, 12, 20))
    plan = DirectiveFactory(
        district=unit, title="Kế hoạch năm 2025", signed_on=datetime.date(2025, 2, 1)
    )
    task = DirectiveTaskFactory(directive=plan, number=1, rhythm="monthly")
    done, still_open = (
        TaskAssignmentFactory(task=task, ward=unit.wards.get(name=name), due_on=due)
        for name, due in (
            ("Thượng Thanh", datetime.date(2025, 12, 15)),
            ("Ngọc Thụy", datetime.date(2024, 2, 29)),
        )
    )
    ProgressReportFactory(assignment=done, status="completed", percent=100)
    client.force_login(staff)
    url = reverse("meetings:directive_carry_over", args=[plan.pk])

    carried = client.post(url)
    again = client.post(url, follow=True)

    successor = Directive.objects.get(continues=plan)
    assert carried.status_code == 302
    assert (successor.title, successor.signed_on) == (
        "Kế hoạch năm 2025 (chuyển tiếp sang năm 2026)",
        datetime.date(2026, 1, 1),
    )
    assert list(
        TaskAssignment.objects.filter(task__directive=successor).values_list(
            "task__number", "task__rhythm", "ward__name", "due_on"
        )
    ) == [(1, "monthly", "Ngọc Thụy", datetime.date(2025, 2, 28))]
    still_open.refresh_from_db()
    done.refresh_from_db()
    assert (still_open.handed_over_on, done.handed_over_on) == (datetime.date(2026, 1, 1), None)
    assert "Các nhiệm vụ chưa hoàn thành đã được chuyển tiếp rồi." in again.content.decode()
    assert Directive.objects.count() == 2


def test_directive_assign_chosen_wards_win_over_every_ward_left_ticked(client, unit, staff):
    plan = DirectiveFactory(district=unit)
    task = DirectiveTaskFactory(directive=plan, number=1)
    client.force_login(staff)

    client.post(
        reverse("meetings:directive_detail", args=[plan.pk]),
        {"tasks": [task.pk], "every_ward": "on", "wards": [unit.wards.get(name="Ngọc Thụy").pk]},
    )

    assert list(TaskAssignment.objects.values_list("ward__name", flat=True)) == ["Ngọc Thụy"]


def test_directive_tasks_a_task_carried_to_successor_wards_is_not_deleted(client, unit, staff):
    plan = DirectiveFactory(district=unit)
    task = DirectiveTaskFactory(directive=plan, number=1, text="Việc cũ")
    old, new = unit.wards.get(name="Thượng Thanh"), unit.wards.get(name="Ngọc Thụy")
    TaskAssignmentFactory(
        task=task, ward=new, carried_from=TaskAssignmentFactory(task=task, ward=old)
    )
    client.force_login(staff)
    data = {
        "tasks-TOTAL_FORMS": "1",
        "tasks-INITIAL_FORMS": "1",
        "tasks-0-id": str(task.pk),
        "tasks-0-number": "1",
        "tasks-0-category": task.category,
        "tasks-0-text": task.text,
        "tasks-0-rhythm": "once",
        "tasks-0-DELETE": "on",
    }

    response = client.post(reverse("meetings:directive_tasks", args=[plan.pk]), data)

    assert response.status_code == 200
    assert "đã được chuyển cho phường kế thừa; không thể xóa" in response.content.decode()
    assert plan.tasks.count() == 1


def test_directive_carry_over_counts_the_task_once_in_the_next_years_reports(unit, monkeypatch):
    ward = unit.wards.get(name="Thượng Thanh")
    plan = DirectiveFactory(district=unit, signed_on=datetime.date(2025, 2, 1))
    task = DirectiveTaskFactory(directive=plan, number=1)
    TaskAssignmentFactory(task=task, ward=ward, due_on=datetime.date(2025, 12, 15))
    services.directive_carry_over(directive=plan, year=2026)

    december = count_figures(
        ward=ward, start=datetime.date(2025, 12, 1), end=datetime.date(2025, 12, 31)
    )
    january = count_figures(
        ward=ward, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31)
    )

    assert (december["tasks_assigned"], december["tasks_overdue"]) == (1, 1)
    assert (january["tasks_assigned"], january["tasks_overdue"]) == (1, 0)


def test_directive_task_given_to_the_front_and_an_association_prints_them(client, unit, staff):
    plan = DirectiveFactory(district=unit, title="Kế hoạch phối hợp")
    client.force_login(staff)
    front, women = Body.objects.filter(code__in=["front", "women"]).order_by("order")
    client.post(
        reverse("meetings:directive_tasks", args=[plan.pk]),
        {
            "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "0",
            "tasks-0-number": "1",
            "tasks-0-category": "coordination",
            "tasks-0-text": "Phối hợp vận động nhân dân.",
            "tasks-0-rhythm": "once",
            "tasks-0-bodies": [front.pk, women.pk],
        },
    )
    task = plan.tasks.get()
    TaskAssignmentFactory(task=task, ward=unit.wards.get(name="Thượng Thanh"))

    page = client.get(reverse("meetings:directive_detail", args=[plan.pk])).content.decode()
    pdf = client.get(reverse("reports:directive_progress_pdf", args=[plan.pk]))
    text = " ".join(pdf_pages(pdf))

    assert list(task.bodies.values_list("name", flat=True)) == [
        "Ủy ban Mặt trận Tổ quốc",
        "Hội Liên hiệp Phụ nữ",
    ]
    assert "cùng Ủy ban Mặt trận Tổ quốc, Hội Liên hiệp Phụ nữ" in page
    assert (
        "Phối hợp vận động nhân dân. (Đồng thời giao: Ủy ban Mặt trận Tổ quốc, "
        "Hội Liên hiệp Phụ nữ)" in text
    )


def test_ward_home_groups_tasks_by_directive_and_opens_this_periods_report(client, unit):
    ward = unit.wards.get(name="Thượng Thanh")
    older = DirectiveFactory(
        district=unit, title="Kế hoạch năm 2025", signed_on=datetime.date(2025, 1, 5)
    )
    newer = DirectiveFactory(
        district=unit, title="Kế hoạch năm 2026", signed_on=datetime.date(2026, 1, 5)
    )
    long_text = " ".join(["Vận động nhân dân"] * 12) + " đến cùng."
    for directive, number, text in [
        (older, 1, "Tập huấn tổ trưởng."),
        (older, 2, long_text),
        (newer, 1, "Sơ kết mô hình."),
    ]:
        TaskAssignmentFactory(
            task=DirectiveTaskFactory(directive=directive, number=number, text=text), ward=ward
        )
    reported = TaskAssignment.objects.get(task__directive=newer)
    period = reported.task.reporting_period(datetime.date.today())
    made = ProgressReportFactory(
        assignment=reported, period_start=period.start, period_end=period.end
    )
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))

    home = client.get(reverse("reports:ward_home", args=[ward.code]))
    again = client.get(reverse("meetings:progress_add", args=[reported.pk]))

    text = " ".join(strip_tags(home.text).split())
    assert text.index("Kế hoạch năm 2026 1. Sơ kết mô hình.") < text.index(
        "Kế hoạch năm 2025 1. Tập huấn tổ trưởng."
    )
    # In full, behind its first words: the 40 words fold under the first 18.
    assert '<details class="task"><summary><strong>2.</strong>' in home.text
    assert long_text in text
    edit = reverse("meetings:progress_edit", args=[made.pk])
    assert f'href="{edit}">Sửa báo cáo kỳ này</a>' in home.text
    assert reverse("meetings:progress_add", args=[reported.pk]) not in home.text
    assert again.status_code == 302 and again.url == edit
