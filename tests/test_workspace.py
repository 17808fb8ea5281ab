"""The ward officer's workspace: lists with search, filters, order, pages and Excel files;
forms with Vietnamese errors; task progress; and the cost of each page."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import ProgressReport
from teams.models import Activity, CitizenFeedback, Member
from tests.factories import (
    ActivityFactory,
    CitizenFeedbackFactory,
    MemberFactory,
    ProgressReportFactory,
    ResidentialGroupFactory,
    RoleUserFactory,
    TaskAssignmentFactory,
    TeamFactory,
    TrainingFactory,
    WardFactory,
)
from wards.models import SecurityEvent
from wards.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def ward(team):
    return team.residential_group.ward


@pytest.fixture
def officer(ward):
    return RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def activity_data(team, **changes):
    return {
        "team": team.pk,
        "date": "05/09/2025",
        "field": "environment",
        "title": "Tổng vệ sinh ngõ 12",
        "description": "",
        "households_reached": "35",
        "participants": "20",
        "outcome": "",
        **changes,
    }


# Forms


def test_activity_add_ward_officer_is_saved_read_day_first_and_listed(officer_client, team, ward):
    response = officer_client.post(
        reverse("teams:activity_add", args=[ward.code]), activity_data(team)
    )

    assert response.status_code == 302
    assert response.url == reverse("teams:activity_list", args=[ward.code])
    activity = Activity.objects.get()
    assert activity.date == datetime.date(2025, 9, 5)
    assert activity.history.get().history_user == response.wsgi_request.user
    listing = officer_client.get(response.url)
    assert "Tổng vệ sinh ngõ 12" in listing.text


def test_activity_add_form_ward_officer_defaults_to_today_and_the_team_asked(
    officer_client, team, ward
):
    url = reverse("teams:activity_add", args=[ward.code]) + f"?team={team.pk}"

    form = officer_client.get(url).context["form"]

    assert form["date"].value() == timezone.localdate()
    assert str(form["team"].value()) == str(team.pk)


def test_activity_add_ward_officer_in_the_future_is_refused_in_vietnamese(
    officer_client, team, ward
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = officer_client.post(
        reverse("teams:activity_add", args=[ward.code]),
        activity_data(team, date=f"{tomorrow:%d/%m/%Y}"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Ngày này ở tương lai."]
    assert not Activity.objects.exists()


def test_activity_add_ward_officer_naming_another_wards_team_is_refused(officer_client, ward):
    other_team = TeamFactory()

    response = officer_client.post(
        reverse("teams:activity_add", args=[ward.code]), activity_data(other_team)
    )

    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_activity_edit_ward_officer_moving_it_to_another_wards_team_is_refused(
    officer_client, team
):
    activity = ActivityFactory(team=team, title="Họp tổ")
    other_team = TeamFactory()

    response = officer_client.post(
        reverse("teams:activity_edit", args=[activity.pk]),
        activity_data(other_team, title="Họp tổ"),
    )

    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.team == team


def test_member_add_ward_officer_with_an_implausible_birth_year_is_refused(
    officer_client, team, ward
):
    response = officer_client.post(
        reverse("teams:member_add", args=[ward.code]),
        {
            "team": team.pk,
            "full_name": "Lê Thị H",
            "gender": "female",
            "birth_year": "1890",
            "organisation": "women",
            "role": "member",
        },
    )

    assert "birth_year" in response.context["form"].errors
    assert not Member.objects.exists()


def test_member_add_ward_officer_second_current_leader_is_refused(officer_client, team, ward):
    MemberFactory(team=team, role=Member.Role.LEADER)

    response = officer_client.post(
        reverse("teams:member_add", args=[ward.code]),
        {
            "team": team.pk,
            "full_name": "Lê Văn K",
            "gender": "male",
            "birth_year": "1965",
            "organisation": "party_cell",
            "role": "leader",
        },
    )

    assert response.status_code == 200
    assert "Tổ dân vận này đã có tổ trưởng đương nhiệm." in response.text
    assert Member.objects.count() == 1


def test_member_add_ward_officer_lands_on_the_team_page(officer_client, team, ward):
    response = officer_client.post(
        reverse("teams:member_add", args=[ward.code]),
        {
            "team": team.pk,
            "full_name": "Lê Thị M",
            "gender": "female",
            "birth_year": "1970",
            "organisation": "women",
            "role": "member",
        },
    )

    assert response.url == reverse("teams:team_detail", args=[team.pk])
    assert "Lê Thị M" in officer_client.get(response.url).text


def test_team_page_lists_the_leader_the_deputy_then_members_in_vietnamese_name_order(
    officer_client, team
):
    for name, role in [
        ("Bùi Văn Em", "member"),
        ("Nguyễn Văn An", "deputy"),
        ("Đinh Văn Đức", "member"),
        ("Trần Văn Bình", "leader"),
        ("Lê Văn Dũng", "member"),
        ("Phạm Thị Cúc", "member"),
    ]:
        MemberFactory(team=team, full_name=name, role=role)

    page = officer_client.get(reverse("teams:team_detail", args=[team.pk]))

    assert [member.person.full_name for member in page.context["members"]] == [
        "Trần Văn Bình",
        "Nguyễn Văn An",
        "Phạm Thị Cúc",
        "Lê Văn Dũng",
        "Đinh Văn Đức",
        "Bùi Văn Em",
    ]


def test_feedback_add_ward_officer_resolved_before_received_is_refused(officer_client, team, ward):
    response = officer_client.post(
        reverse("teams:feedback_add", args=[ward.code]),
        {
            "team": team.pk,
            "received_on": "10/09/2025",
            "field": "urban_order",
            "summary": "Đề nghị dọn vỉa hè",
            "status": "resolved",
            "resolved_on": "01/09/2025",
        },
    )

    assert response.status_code == 200
    assert "Ngày giải quyết không được trước ngày tiếp nhận." in response.text
    assert not CitizenFeedback.objects.exists()


def test_feedback_add_a_broken_rule_shows_beside_its_field_which_takes_the_focus(
    officer_client, team, ward
):
    response = officer_client.post(
        reverse("teams:feedback_add", args=[ward.code]),
        {
            "team": team.pk,
            "received_on": "10/09/2025",
            "field": "urban_order",
            "summary": "Đề nghị dọn vỉa hè",
            "status": "resolved",
            "resolved_on": "",
        },
    )

    form = response.context["form"]
    assert form.errors == {
        "resolved_on": [
            "Ý kiến, kiến nghị đã giải quyết phải có ngày giải quyết; các trường hợp khác không "
            "ghi ngày giải quyết."
        ]
    }
    assert form.non_field_errors() == []
    assert 'aria-invalid="true" autofocus' in str(form["resolved_on"])
    assert "autofocus" not in str(form["summary"])


def test_feedback_delete_ward_officer_removes_it_and_keeps_its_history(officer_client, team):
    feedback = CitizenFeedbackFactory(team=team)

    response = officer_client.post(reverse("teams:feedback_delete", args=[feedback.pk]))

    assert response.status_code == 302
    assert not CitizenFeedback.objects.exists()
    assert CitizenFeedback.history.filter(id=feedback.pk, history_type="-").exists()


@pytest.mark.parametrize("name", ["teams:activity_edit", "teams:activity_delete"])
def test_activity_write_ward_officer_for_another_wards_record_is_404_and_changes_nothing(
    officer_client, name
):
    activity = ActivityFactory(title="Việc của phường khác")

    response = officer_client.post(reverse(name, args=[activity.pk]), activity_data(activity.team))

    assert response.status_code == 404
    assert Activity.objects.get().title == "Việc của phường khác"


def test_activity_add_viewer_is_403_and_the_list_offers_no_add(client, team, ward):
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=ward.district))

    response = client.post(reverse("teams:activity_add", args=[ward.code]), activity_data(team))
    listing = client.get(reverse("teams:activity_list", args=[ward.code]))

    assert response.status_code == 403
    assert not Activity.objects.exists()
    assert listing.status_code == 200
    assert reverse("teams:activity_add", args=[ward.code]) not in listing.text


def test_activity_add_district_staff_in_any_ward_of_their_district_is_saved(client, team, ward):
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=ward.district))

    response = client.post(reverse("teams:activity_add", args=[ward.code]), activity_data(team))

    assert response.status_code == 302
    assert Activity.objects.count() == 1


# Lists


def listed(client, name, ward, **query):
    response = client.get(reverse(name, args=[ward.code]), query)
    assert response.status_code == 200
    return response


def test_member_list_ward_officer_search_without_accents_finds_the_name(
    officer_client, team, ward
):
    MemberFactory(team=team, full_name="Nguyễn Văn Đông")
    MemberFactory(team=team, full_name="Trần Thị Bình")

    response = listed(officer_client, "teams:member_list", ward, q="nguyen van dong")

    assert [m.person.full_name for m in response.context["page_obj"]] == ["Nguyễn Văn Đông"]


def test_member_list_ward_officer_is_in_vietnamese_order_current_members_only(
    officer_client, team, ward
):
    for name in ["Trần Văn Đạt", "Lê Thị Ánh", "Phạm Văn Dũng", "Nguyễn Văn Anh"]:
        MemberFactory(team=team, full_name=name)
    MemberFactory(team=team, full_name="Vũ Văn An", left_on=datetime.date(2024, 1, 1))

    current = listed(officer_client, "teams:member_list", ward)
    former = listed(officer_client, "teams:member_list", ward, status="former")

    assert [m.person.full_name for m in current.context["page_obj"]] == [
        "Nguyễn Văn Anh",
        "Lê Thị Ánh",
        "Phạm Văn Dũng",
        "Trần Văn Đạt",
    ]
    assert [m.person.full_name for m in former.context["page_obj"]] == ["Vũ Văn An"]


def test_activity_list_ward_officer_filters_by_group_field_and_period(officer_client, team, ward):
    other_group_team = TeamFactory(residential_group=ResidentialGroupFactory(ward=ward))
    wanted = ActivityFactory(team=team, field="security", date=datetime.date(2025, 6, 1))
    ActivityFactory(team=team, field="security", date=datetime.date(2025, 1, 1))
    ActivityFactory(team=team, field="environment", date=datetime.date(2025, 6, 2))
    ActivityFactory(team=other_group_team, field="security", date=datetime.date(2025, 6, 3))

    response = listed(
        officer_client,
        "teams:activity_list",
        ward,
        group=team.residential_group.pk,
        field="security",
        date_from="01/05/2025",
        date_to="30/06/2025",
    )

    assert list(response.context["page_obj"]) == [wanted]


def test_activity_list_ward_officer_shows_25_a_page(officer_client, team, ward):
    ActivityFactory.create_batch(30, team=team)

    first = listed(officer_client, "teams:activity_list", ward)
    second = listed(officer_client, "teams:activity_list", ward, page=2)

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5


def test_feedback_list_ward_officer_never_shows_another_wards_feedback(officer_client, ward):
    CitizenFeedbackFactory(summary="Kiến nghị của phường khác")

    response = listed(officer_client, "teams:feedback_list", ward)

    assert response.context["page_obj"].paginator.count == 0
    assert "Kiến nghị của phường khác" not in response.text


def test_activity_list_export_ward_officer_is_the_filtered_scoped_list_in_excel(
    officer_client, team, ward
):
    ActivityFactory(team=team, title="Ra quân dọn rác", field="environment")
    ActivityFactory(team=team, title="Tuyên truyền PCCC", field="security")
    ActivityFactory(title="Của phường khác", field="environment")

    response = officer_client.get(
        reverse("teams:activity_list", args=[ward.code]),
        {"field": "environment", "format": "xlsx"},
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã phường", "Mã tổ dân phố", "Tên tổ dân phố", "Ngày")
    assert [row[5] for row in rows[1:]] == ["Ra quân dọn rác"]
    assert SecurityEvent.objects.filter(kind="export").exists()


def test_a_wards_list_downloads_as_a_workbook_that_feels_like_excel(officer_client, team, ward):
    ward.name = "Thượng Thanh"
    ward.save()
    ActivityFactory(team=team, title="Ra quân dọn rác", date=datetime.date(2025, 3, 15))

    response = officer_client.get(
        reverse("teams:activity_list", args=[ward.code]), {"format": "xlsx"}
    )

    today = datetime.date.today()
    assert response["Content-Disposition"] == (
        f'attachment; filename="hoat-dong-thuong-thanh-{today:%Y-%m-%d}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert (sheet.title, sheet.freeze_panes) == ("Hoạt động", "A2")
    assert sheet["C1"].value == "Tên tổ dân phố"
    assert sheet["C2"].value == team.residential_group.name
    date = sheet["D2"]
    assert (date.value, date.number_format) == (datetime.datetime(2025, 3, 15), "DD/MM/YYYY")
    assert sheet.column_dimensions["F"].width == 17  # “Ra quân dọn rác” and a margin
    assert sheet["A1"].font.bold


# Task progress


def test_progress_add_ward_officer_is_signed_and_shown_on_the_ward_home(officer_client, ward):
    assignment = TaskAssignmentFactory(ward=ward, due_on=datetime.date(2020, 6, 30))

    response = officer_client.post(
        reverse("meetings:progress_add", args=[assignment.pk]),
        {
            "period_start": "01/07/2025",
            "period_end": "30/09/2025",
            "status": "in_progress",
            "percent": "60",
            "narrative": "Đã tập huấn hai tổ.",
        },
    )

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.reported_by.wards.get() == ward
    home = officer_client.get(reverse("reports:ward_home", args=[ward.code]))
    assert "60%" in home.text
    assert home.context["assignments"][0].overdue


def test_progress_add_ward_officer_completed_below_100_is_refused(officer_client, ward):
    assignment = TaskAssignmentFactory(ward=ward)

    response = officer_client.post(
        reverse("meetings:progress_add", args=[assignment.pk]),
        {
            "period_start": "01/07/2025",
            "period_end": "30/09/2025",
            "status": "completed",
            "percent": "80",
        },
    )

    assert response.status_code == 200
    assert "100" in str(response.context["form"].errors)
    assert not ProgressReport.objects.exists()


def test_progress_add_ward_officer_second_report_for_a_period_is_a_form_error(
    officer_client, ward
):
    report = ProgressReportFactory(assignment=TaskAssignmentFactory(ward=ward))

    response = officer_client.post(
        reverse("meetings:progress_add", args=[report.assignment_id]),
        {
            "period_start": f"{report.period_start:%d/%m/%Y}",
            "period_end": f"{report.period_end:%d/%m/%Y}",
            "status": "in_progress",
            "percent": "70",
        },
    )

    assert response.status_code == 200
    assert "Đã có báo cáo cho kỳ này." in response.text
    assert ProgressReport.objects.count() == 1


def test_ward_home_completed_task_past_its_due_date_is_not_overdue(officer_client, ward):
    assignment = TaskAssignmentFactory(ward=ward, due_on=datetime.date(2020, 6, 30))
    ProgressReportFactory(assignment=assignment, status="completed", percent=100)

    home = officer_client.get(reverse("reports:ward_home", args=[ward.code]))

    assert home.context["assignments"] == [assignment]
    assert not home.context["assignments"][0].overdue


# What each page costs


def fill_ward(team, count):
    """`count` rows of each kind in the ward of `team`, half of them in new groups."""
    ward = team.residential_group.ward
    for index in range(count):
        if index % 2:
            team = TeamFactory(residential_group=ResidentialGroupFactory(ward=ward))
        MemberFactory(team=team)
        ActivityFactory(team=team)
        CitizenFeedbackFactory(team=team)
        ProgressReportFactory(assignment=TaskAssignmentFactory(ward=ward))


def page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The queries of each page: the session and the user (with the wards its own came from)
# are 2 of them, the wards the user serves 1, the user's permissions 2 (the session is
# written again only a minute after it was); the ward home adds the deadlines of the user's
# wards (one for the wards, one for their tasks, one for their work reports).
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("reports:ward_home", 15),
        ("teams:member_list", 9),
        ("teams:activity_list", 9),
        ("teams:feedback_list", 9),
        ("teams:team_detail", 10),
    ],
)
def test_page_queries_ward_officer_are_the_same_for_5_and_50_rows(
    officer_client, team, name, expected
):
    ward = team.residential_group.ward
    args = [team.pk] if name == "teams:team_detail" else [ward.code]
    url = reverse(name, args=args)
    fill_ward(team, 5)
    with_5 = page_queries(officer_client, url)

    fill_ward(team, 45)

    assert (with_5, page_queries(officer_client, url)) == (expected, expected)


def test_ward_home_other_ward_officer_is_404(client, ward):
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[WardFactory()]))

    assert client.get(reverse("reports:ward_home", args=[ward.code])).status_code == 404


# Every workspace URL that writes, by everyone who must not write there


def workspace_writes(records):
    """(URL, data) of every POST the workspace accepts, aimed at `records`' ward."""
    ward, team = records["ward"], records["team"]
    member, activity, feedback = records["member"], records["activity"], records["feedback"]
    member_data = {
        "team": team.pk,
        "full_name": "Tên đã sửa",
        "gender": "male",
        "birth_year": "1960",
        "organisation": "other",
        "role": "member",
    }
    feedback_data = {
        "team": team.pk,
        "received_on": "01/09/2025",
        "field": "other",
        "summary": "Nội dung đã sửa",
        "status": "new",
    }
    progress_data = {
        "period_start": "01/10/2025",
        "period_end": "31/12/2025",
        "status": "in_progress",
        "percent": "10",
    }
    return {
        "member_add": (reverse("teams:member_add", args=[ward.code]), member_data),
        "member_edit": (reverse("teams:member_edit", args=[member.pk]), member_data),
        "member_delete": (reverse("teams:member_delete", args=[member.pk]), {}),
        "activity_add": (reverse("teams:activity_add", args=[ward.code]), activity_data(team)),
        "activity_edit": (reverse("teams:activity_edit", args=[activity.pk]), activity_data(team)),
        "activity_delete": (reverse("teams:activity_delete", args=[activity.pk]), {}),
        "feedback_add": (reverse("teams:feedback_add", args=[ward.code]), feedback_data),
        "feedback_edit": (reverse("teams:feedback_edit", args=[feedback.pk]), feedback_data),
        "feedback_delete": (reverse("teams:feedback_delete", args=[feedback.pk]), {}),
        "progress_add": (
            reverse("meetings:progress_add", args=[records["assignment"].pk]),
            progress_data,
        ),
        "progress_edit": (
            reverse("meetings:progress_edit", args=[records["report"].pk]),
            progress_data,
        ),
    }


WRITES = [
    "member_add",
    "member_edit",
    "member_delete",
    "activity_add",
    "activity_edit",
    "activity_delete",
    "feedback_add",
    "feedback_edit",
    "feedback_delete",
    "progress_add",
    "progress_edit",
]


@pytest.fixture
def ward_b_records():
    team = TeamFactory()
    assignment = TaskAssignmentFactory(ward=team.residential_group.ward)
    return {
        "ward": team.residential_group.ward,
        "team": team,
        "member": MemberFactory(team=team),
        "activity": ActivityFactory(team=team),
        "feedback": CitizenFeedbackFactory(team=team),
        "assignment": assignment,
        "report": ProgressReportFactory(assignment=assignment),
    }


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Member, Activity, CitizenFeedback, ProgressReport)
    ]


@pytest.mark.parametrize("write", WRITES)
def test_workspace_write_other_ward_officer_is_404_and_changes_nothing(
    officer_client, ward_b_records, write
):
    url, data = workspace_writes(ward_b_records)[write]
    before = snapshot()

    response = officer_client.post(url, data)

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_workspace_write_viewer_is_403_and_changes_nothing(client, ward_b_records, write):
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=ward_b_records["ward"].district))
    url, data = workspace_writes(ward_b_records)[write]
    before = snapshot()

    response = client.post(url, data)

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_workspace_write_anonymous_goes_to_sign_in_and_changes_nothing(
    client, ward_b_records, write
):
    url, data = workspace_writes(ward_b_records)[write]
    before = snapshot()

    response = client.post(url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_workspace_write_own_ward_officer_changes_the_record(client, ward_b_records, write):
    """The control of the three above: the same requests by the ward's officer write."""
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward_b_records["ward"]]))
    url, data = workspace_writes(ward_b_records)[write]
    before = snapshot()

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert snapshot() != before


@pytest.mark.parametrize("kind", ["member", "activity", "feedback"])
def test_export_queries_ward_officer_are_the_same_for_5_and_50_rows(officer_client, team, kind):
    url = reverse(f"teams:{kind}_list", args=[team.residential_group.ward.code]) + "?format=xlsx"
    fill_ward(team, 5)
    with_5 = page_queries(officer_client, url)

    fill_ward(team, 45)

    assert page_queries(officer_client, url) == with_5


@pytest.mark.parametrize("kind", ["member", "activity", "feedback"])
def test_export_viewer_is_403_and_the_list_offers_no_download(client, ward, kind):
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=ward.district))
    url = reverse(f"teams:{kind}_list", args=[ward.code])

    assert client.get(url, {"format": "xlsx"}).status_code == 403
    assert "format=xlsx" not in client.get(url).text


@pytest.mark.parametrize("kind", ["member", "activity", "feedback"])
def test_export_other_ward_officer_is_404(officer_client, kind):
    other = WardFactory()

    response = officer_client.get(
        reverse(f"teams:{kind}_list", args=[other.code]), {"format": "xlsx"}
    )

    assert response.status_code == 404


def test_member_delete_ward_officer_keeps_the_persons_trainings(officer_client, team):
    member = MemberFactory(team=team, full_name="Đinh Văn T")
    training = TrainingFactory(
        district=team.residential_group.ward.district, attendees=[member.person]
    )

    officer_client.post(reverse("teams:member_delete", args=[member.pk]))

    assert not Member.objects.filter(pk=member.pk).exists()
    assert list(training.attendees.values_list("full_name", flat=True)) == ["Đinh Văn T"]


def test_activity_search_ward_officer_finds_words_after_punctuation(officer_client, team, ward):
    activity = ActivityFactory(team=team, title="Hưởng ứng “Ngày Chủ nhật xanh” (Tổ 5), đường-phố")

    for query in ("ngay chu nhat xanh", "to 5", "pho"):
        response = listed(officer_client, "teams:activity_list", ward, q=query)
        assert list(response.context["page_obj"]) == [activity], query
