"""A feedback item followed to its answer: the log of its steps, the state they give it, the
rule that shows what waits too long (ward home, list, dashboards), and the same log from its
form and from an import."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.imports import importer_for
from core.tables import Table
from teams.models import CitizenFeedback, FeedbackStep
from tests.factories import CitizenFeedbackFactory, RoleUserFactory, TeamFactory
from wards.roles import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def today(monkeypatch, settings):
    settings.FEEDBACK_ANSWER_DAYS = 15
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def ward(team):
    return team.residential_group.ward


@pytest.fixture
def officer_client(client, ward):
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))
    return client


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def add_step(client, feedback, **data):
    return client.post(reverse("teams:feedback_detail", args=[feedback.pk]), data)


def log(feedback):
    return list(feedback.steps.values_list("kind", "date", "party", "note"))


def test_feedback_detail_ward_officer_steps_forward_answer_reply_resolve_in_order(
    officer_client, team
):
    feedback = CitizenFeedbackFactory(team=team, received_on=day("02/11/2026"))

    add_step(officer_client, feedback, kind="forwarded", date="04/11/2026", party="UBND phường")
    feedback.refresh_from_db()
    assert (feedback.status, feedback.forwarded_to, feedback.awaiting_since) == (
        "forwarded",
        "UBND phường",
        day("04/11/2026"),
    )
    add_step(
        officer_client,
        feedback,
        kind="answered",
        date="20/11/2026",
        party="UBND phường",
        note="Lắp đèn trong tháng 12.",
    )
    add_step(officer_client, feedback, kind="replied", date="21/11/2026", party="Tổ trưởng")
    response = add_step(officer_client, feedback, kind="resolved", date="28/11/2026")

    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answered_on, feedback.resolved_on) == (
        "resolved",
        day("20/11/2026"),
        day("28/11/2026"),
    )
    assert feedback.awaiting_since is None
    assert log(feedback) == [
        ("forwarded", day("04/11/2026"), "UBND phường", ""),
        ("answered", day("20/11/2026"), "UBND phường", "Lắp đèn trong tháng 12."),
        ("replied", day("21/11/2026"), "Tổ trưởng", ""),
        ("resolved", day("28/11/2026"), "", ""),
    ]
    page = officer_client.get(reverse("teams:feedback_detail", args=[feedback.pk]))
    assert page.content.decode().count('<th scope="row"') == 5  # received + four steps


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"kind": "forwarded", "date": "01/11/2026", "party": "UBND"},
            "date",
            "The feedback was received on 02/11/2026: a step cannot come before.",
        ),
        ({"kind": "forwarded", "date": "03/11/2026", "party": ""}, "party", "Say to whom"),
        (
            {"kind": "answered", "date": "03/11/2026"},
            "kind",
            "Record the forwarding first: nothing awaits an answer.",
        ),
        ({"kind": "replied", "date": "01/12/2026"}, "date", "future"),
    ],
)
def test_feedback_detail_step_out_of_order_is_refused_beside_its_field(
    officer_client, team, data, field, message, settings
):
    settings.LANGUAGE_CODE = "en"
    feedback = CitizenFeedbackFactory(team=team, received_on=day("02/11/2026"))

    response = add_step(officer_client, feedback, **data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert log(feedback) == []


def test_feedback_detail_viewer_reads_the_log_and_cannot_add_a_step(client, team, ward):
    feedback = CitizenFeedbackFactory(team=team, received_on=day("02/11/2026"))
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=ward.district))

    page = client.get(reverse("teams:feedback_detail", args=[feedback.pk]))
    refused = add_step(client, feedback, kind="replied", date="03/11/2026")

    assert page.status_code == 200
    assert page.context["form"] is None
    assert refused.status_code == 403
    assert log(feedback) == []


def test_feedback_detail_other_wards_officer_gets_404_and_adds_nothing(client, team):
    feedback = CitizenFeedbackFactory(team=team, received_on=day("02/11/2026"))
    other = TeamFactory().residential_group.ward
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[other]))

    page = client.get(reverse("teams:feedback_detail", args=[feedback.pk]))
    refused = add_step(client, feedback, kind="replied", date="03/11/2026")

    assert (page.status_code, refused.status_code) == (404, 404)
    assert log(feedback) == []


def test_overdue_feedback_waits_more_than_the_set_days_for_forwarding_or_answer(team):
    CitizenFeedbackFactory(team=team, summary="mới, 15 ngày", received_on=day("15/11/2026"))
    CitizenFeedbackFactory(team=team, summary="mới, 16 ngày", received_on=day("14/11/2026"))
    CitizenFeedbackFactory(
        team=team,
        summary="đã chuyển, chưa trả lời",
        received_on=day("01/10/2026"),
        status="forwarded",
        forwarded_to="UBND",
        forwarded_on=day("10/11/2026"),
    )
    CitizenFeedbackFactory(
        team=team,
        summary="đã có trả lời",
        received_on=day("01/10/2026"),
        status="forwarded",
        forwarded_to="UBND",
        forwarded_on=day("02/10/2026"),
        answered_on=day("20/10/2026"),
    )
    CitizenFeedbackFactory(
        team=team,
        summary="đã giải quyết",
        received_on=day("01/10/2026"),
        status="resolved",
        resolved_on=day("05/10/2026"),
    )

    overdue = CitizenFeedback.objects.filter(CitizenFeedback.overdue()).order_by("summary")

    assert list(overdue.values_list("summary", flat=True)) == [
        "mới, 16 ngày",
        "đã chuyển, chưa trả lời",
    ]


def test_ward_home_list_and_dashboard_show_the_overdue_feedback(officer_client, team, ward):
    CitizenFeedbackFactory(team=team, summary="Đèn ngõ 3 hỏng", received_on=day("01/11/2026"))
    CitizenFeedbackFactory(team=team, summary="Rác ngõ 5", received_on=day("25/11/2026"))

    home = officer_client.get(reverse("reports:ward_home", args=[ward.code]))
    listed = officer_client.get(
        reverse("teams:feedback_list", args=[ward.code]), {"overdue": "yes"}
    )
    dashboard = officer_client.get(reverse("reports:ward_dashboard", args=[ward.code]))

    assert home.context["overdue_feedback_count"] == 1
    assert [f.summary for f in listed.context["page_obj"]] == ["Đèn ngõ 3 hỏng"]
    figures = {figure.key: figure.value for figure in dashboard.context["figures"]}
    assert figures["feedback_overdue"] == 1


def test_feedback_form_forwarding_and_resolution_go_into_the_log(officer_client, team, ward):
    feedback = CitizenFeedbackFactory(team=team, received_on=day("02/11/2026"))
    data = {
        "team": team.pk,
        "received_on": "02/11/2026",
        "field": feedback.field,
        "summary": feedback.summary,
        "status": "forwarded",
        "forwarded_to": "Công an phường",
        "forwarded_on": "05/11/2026",
        "answered_on": "",
        "resolved_on": "",
    }
    edit = reverse("teams:feedback_edit", args=[feedback.pk])

    officer_client.post(edit, data)
    officer_client.post(edit, {**data, "status": "resolved", "resolved_on": "25/11/2026"})

    assert log(feedback) == [
        ("forwarded", day("05/11/2026"), "Công an phường", ""),
        ("resolved", day("25/11/2026"), "", ""),
    ]


def test_feedback_import_new_and_changed_rows_log_their_steps_once(team, ward):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])
    importer = importer_for(CitizenFeedback)(user=officer)
    row = {
        "Mã phường": ward.code,
        "Mã tổ dân phố": team.residential_group.code,
        "Ngày tiếp nhận": "02/11/2026",
        "Lĩnh vực": "Trật tự đô thị",
        "Nội dung": "Đề nghị lắp đèn ngõ 12.",
        "Trạng thái": "Đã chuyển xử lý",
        "Chuyển đến": "UBND phường",
        "Ngày chuyển": "03/11/2026",
        "Ngày nhận trả lời": "",
        "Ngày giải quyết": "",
    }

    def run(cells):
        table = Table(list(cells), [(2, list(cells.values()))])
        return importer.run(table, commit=True)

    first = run(row)
    again = run(row)
    answered = run({**row, "Ngày nhận trả lời": "10/11/2026"})

    assert (first.new, again.unchanged, answered.changed) == (1, 1, 1)
    feedback = CitizenFeedback.objects.get()
    assert log(feedback) == [
        ("forwarded", day("03/11/2026"), "UBND phường", ""),
        ("answered", day("10/11/2026"), "UBND phường", ""),
    ]
    assert FeedbackStep.objects.filter(recorded_by=officer).count() == 2
