"""The district and ward dashboards: figures that equal counts made another way, the lists
behind them, charts, the progress matrix, the workbook, who may open what, and a query count
that does not grow with wards or rows."""

import datetime
import io
import re
import statistics

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core.periods import Period, PeriodForm
from core.work_fields import WorkField
from meetings.models import ProgressReport, Seminar
from reports.selectors import WardsByActivities
from teams.models import Activity, CitizenFeedback, Member
from tests.factories import (
    ActivityFactory,
    CitizenFeedbackFactory,
    DirectiveTaskFactory,
    DistrictFactory,
    MemberFactory,
    ProgressReportFactory,
    ResidentialGroupFactory,
    RoleUserFactory,
    SeminarFactory,
    TaskAssignmentFactory,
    TeamFactory,
    WardFactory,
)
from wards.models import SecurityEvent, Ward
from wards.roles import Role

pytestmark = pytest.mark.django_db

YEAR = "2025"
IN_YEAR = datetime.date(2025, 3, 14)
BEFORE = datetime.date(2024, 12, 31)


def figures_of(response):
    return {figure.key: figure.value for figure in response.context["figures"]}


@pytest.fixture
def district_data():
    """Two wards of one district, in varied states, and a ward of another district whose
    records must never count. Returns the wards and every record made, for counting."""
    w1 = WardFactory(name="Phường Một")
    w2 = WardFactory(name="Phường Hai", district=w1.district)
    outside = WardFactory(name="Phường Ngoài")
    # Ward 1's groups by code (the dashboard's order), whatever the factories' count.
    teams = [
        TeamFactory(residential_group__ward=w1, residential_group__code="01"),
        TeamFactory(residential_group__ward=w1, residential_group__code="02"),
        TeamFactory(residential_group__ward=w2),
        TeamFactory(residential_group__ward=outside),
    ]
    ResidentialGroupFactory(ward=w1, code="03")  # a group without a team
    members = [
        MemberFactory(team=teams[0], is_party_member=True),
        MemberFactory(team=teams[0], is_party_member=False, organisation="women"),
        MemberFactory(
            team=teams[0], is_party_member=True, left_on=datetime.date(2024, 1, 1)
        ),  # former
        MemberFactory(team=teams[1], is_party_member=False, organisation="youth"),
        MemberFactory(team=teams[2], is_party_member=True, organisation="veterans"),
        MemberFactory(team=teams[3], is_party_member=True),
    ]
    activities = [
        ActivityFactory(team=teams[0], date=IN_YEAR, households_reached=10),
        ActivityFactory(
            team=teams[0], date=datetime.date(2025, 3, 1), field="security", households_reached=7
        ),
        ActivityFactory(team=teams[1], date=datetime.date(2025, 11, 30), households_reached=3),
        ActivityFactory(team=teams[2], date=datetime.date(2025, 1, 1), households_reached=100),
        ActivityFactory(team=teams[0], date=BEFORE, households_reached=1000),
        ActivityFactory(team=teams[3], date=IN_YEAR, households_reached=5000),
    ]

    def resolved(team, received, days):
        return CitizenFeedbackFactory(
            team=team,
            received_on=received,
            status=CitizenFeedback.Status.RESOLVED,
            resolved_on=received + datetime.timedelta(days=days),
        )

    feedback = [
        resolved(teams[0], IN_YEAR, 2),
        resolved(teams[1], IN_YEAR, 9),
        resolved(teams[2], datetime.date(2025, 12, 20), 30),  # resolved in the next year
        resolved(teams[2], BEFORE, 1),
        CitizenFeedbackFactory(team=teams[0], received_on=IN_YEAR),
        CitizenFeedbackFactory(
            team=teams[2],
            received_on=IN_YEAR,
            status=CitizenFeedback.Status.FORWARDED,
            forwarded_to="UBND phường",
        ),
        resolved(teams[3], IN_YEAR, 50),
    ]
    return {
        "wards": [w1, w2],
        "outside": outside,
        "members": members,
        "activities": activities,
        "feedback": feedback,
    }


def expected_figures(
    data, wards, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)
):
    """The figures counted in Python over the records the fixture made, for the period from
    `start` to `end` (2025 unless given)."""

    def in_wards(record):
        return record.team.residential_group.ward in wards

    def in_year(day):
        return start <= day <= end

    groups = [g for w in wards for g in w.residential_groups.all()]
    members = [m for m in data["members"] if in_wards(m) and m.left_on is None]
    activities = [a for a in data["activities"] if in_wards(a) and in_year(a.date)]
    received = [f for f in data["feedback"] if in_wards(f) and in_year(f.received_on)]
    resolved = [f for f in received if f.status == CitizenFeedback.Status.RESOLVED]
    teams = [g for g in groups if hasattr(g, "team")]
    return {
        "groups": len(groups),
        "teams": len(teams),
        "team_share": round(100 * len(teams) / len(groups)),
        "people": len({m.person_id for m in members}),
        "members": len(members),
        "party_share": round(100 * sum(m.is_party_member for m in members) / len(members)),
        "activities": len(activities),
        "households": sum(a.households_reached for a in activities),
        "feedback_received": len(received),
        "feedback_resolved": len(resolved),
        "median_days": statistics.median((f.resolved_on - f.received_on).days for f in resolved),
    }


@pytest.fixture
def staff(district_data):
    return RoleUserFactory(role=Role.DISTRICT_STAFF, district=district_data["wards"][0].district)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# The district overview


def test_overview_district_staff_figures_equal_counts_of_the_records(staff_client, district_data):
    response = staff_client.get(reverse("reports:overview"), {"period": YEAR})

    assert response.status_code == 200
    expected = expected_figures(district_data, district_data["wards"])
    assert figures_of(response) == {"wards": 2, **expected}
    # The feedback received late in December, resolved in January, counts as resolved.
    assert expected["median_days"] == 9


def test_overview_range_of_days_across_months_equals_counts_of_the_records(
    staff_client, district_data
):
    # Whole months April to November come from the tallies; 10–31 March and 1–25 December
    # from the records themselves.
    start, end = datetime.date(2025, 3, 10), datetime.date(2025, 12, 25)
    query = {"date_from": "10/03/2025", "date_to": "25/12/2025"}

    response = staff_client.get(reverse("reports:overview"), query)

    expected = expected_figures(district_data, district_data["wards"], start, end)
    assert figures_of(response) == {"wards": 2, **expected}
    assert expected["activities"] == 2  # 14 March and 30 November, not 1 March
    rows = {ward: figures for ward, figures, _filter in response.context["ward_rows"]}
    for ward, figures in rows.items():
        counted = expected_figures(district_data, [ward], start, end)
        assert (figures.activities, figures.feedback_received) == (
            counted["activities"],
            counted["feedback_received"],
        )
    chart = {label: total for label, _values, total in response.context["activity_chart"].rows}
    assert (chart["03/2025"], chart["11/2025"], sum(chart.values())) == (1, 1, 2)
    response = staff_client.get(reverse("reports:overview"), {**query, "sort": "activities"})
    assert [ward.name for ward, _f, _filter in response.context["ward_rows"]] == [
        "Phường Hai",
        "Phường Một",
    ]


def test_overview_superuser_counts_every_ward_of_every_unit(client, district_data, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("reports:overview"), {"period": YEAR})

    wards = [*district_data["wards"], district_data["outside"]]
    assert figures_of(response) == {"wards": 3, **expected_figures(district_data, wards)}
    chart = response.context["activity_chart"]
    assert sum(total for _label, _values, total in chart.rows) == 5


def test_overview_district_staff_each_wards_row_equals_its_own_counts(staff_client, district_data):
    response = staff_client.get(reverse("reports:overview"), {"period": YEAR})

    rows = {ward: figures for ward, figures, _filter in response.context["ward_rows"]}
    assert set(rows) == set(district_data["wards"])
    for ward, figures in rows.items():
        expected = expected_figures(district_data, [ward])
        assert figures.groups == expected["groups"]
        assert figures.teams == expected["teams"]
        assert figures.members == expected["members"]
        assert figures.activities == expected["activities"]
        assert figures.households == expected["households"]
        assert figures.feedback_received == expected["feedback_received"]
        assert figures.feedback_resolved == expected["feedback_resolved"]


def test_overview_district_staff_charts_count_what_the_figures_count(staff_client, district_data):
    response = staff_client.get(reverse("reports:overview"), {"period": YEAR})

    chart = response.context["activity_chart"]
    assert [label for label, _values, _total in chart.rows] == [
        f"{month:02d}/2025" for month in range(1, 13)
    ]
    assert sum(total for _label, _values, total in chart.rows) == 4
    march = {label: values for label, values, _total in chart.rows}["03/2025"]
    fields = [series.key for series in chart.series]
    assert march[fields.index(WorkField.ENVIRONMENT)] == 1
    assert march[fields.index(WorkField.SECURITY)] == 1
    members = response.context["member_chart"]
    counts = {label: total for label, _values, total in members.rows}
    assert counts[str(Member.Organisation.PARTY_CELL.label)] == 1
    assert counts[str(Member.Organisation.WOMEN.label)] == 1
    assert sum(counts.values()) == 4


def test_overview_district_staff_charts_are_svg_with_a_title_and_a_table(
    staff_client, district_data
):
    response = staff_client.get(reverse("reports:overview"), {"period": YEAR})

    svgs = re.findall(r'<svg [^>]*class="chart".*?</svg>', response.text, re.S)
    assert len(svgs) == 2  # no seminar in this data, so no progress chart
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        # It scales to its box: a viewBox, no fixed size.
        assert re.match(r'<svg [^>]*viewBox="0 0 480 \d+" role="img"', svg)
        # Coordinates stay in dot decimals whatever the language's number format.
        assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]', svg)
    assert response.text.count('<details class="chart-data">') == 2
    # The legend (of the chart with several series) is a list that wraps, of full names.
    legends = re.findall(r'<ul class="chart-legend">(.*?)</ul>', response.text, re.S)
    assert [re.findall(r"</svg>([^<]+)</li>", legend) for legend in legends] == [
        [
            "Thực hiện QCDC trong giải phóng mặt bằng",
            "Trật tự đô thị",
            "Trật tự xây dựng",
            "Phòng, chống dịch bệnh",
            "Không chăn nuôi gia súc, gia cầm trong khu dân cư",
            "Vệ sinh môi trường",
            "An ninh trật tự",
            "Phong trào thi đua",
            "An sinh xã hội",
            "Hoạt động của tổ dân vận",
            "Khác",
        ]
    ]


def test_overview_other_districts_staff_counts_only_their_own(client, district_data):
    client.force_login(
        RoleUserFactory(role=Role.DISTRICT_STAFF, district=district_data["outside"].district)
    )

    response = client.get(reverse("reports:overview"), {"period": YEAR})

    figures = figures_of(response)
    assert (figures["wards"], figures["activities"], figures["households"]) == (1, 1, 5000)
    assert "Phường Một" not in response.text


def test_overview_ward_officer_is_403(client, district_data):
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=district_data["wards"][:1]))

    response = client.get(reverse("reports:overview"))

    assert response.status_code == 403
    assert "Phường Hai" not in response.text


def test_overview_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("reports:overview"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_overview_sorted_by_activity_lists_the_least_active_ward_first(
    staff_client, district_data
):
    response = staff_client.get(
        reverse("reports:overview"), {"period": YEAR, "sort": "activities"}
    )

    assert [ward.name for ward, _f, _filter in response.context["ward_rows"]] == [
        "Phường Hai",
        "Phường Một",
    ]


def test_wards_by_activities_sums_months_and_edge_days_and_reads_a_page_sorted():
    """15/01–10/12/2025: February to November from the tallies, 15–31 January and 1–10
    December from the activities; ties by name; a page is a slice read sorted."""
    district = DistrictFactory()
    wards = {name: WardFactory(name=f"Phường {name}", district=district) for name in "DCBA"}
    teams = {name: TeamFactory(residential_group__ward=ward) for name, ward in wards.items()}
    days = {
        "A": ["2025-03-10", "2025-03-11", "2025-03-12"],  # 3, in a whole month
        "B": ["2025-01-20", "2025-06-01"],  # 2: an edge day and a month
        "C": ["2025-01-15", "2025-12-10"],  # 2: both edges' outer days
        "D": ["2025-01-14", "2025-12-11"],  # 0: the days just outside
    }
    for name, dates in days.items():
        for date in dates:
            ActivityFactory(team=teams[name], date=datetime.date.fromisoformat(date))
    other = TeamFactory()  # another unit's ward, busier than all
    ActivityFactory.create_batch(4, team=other, date=datetime.date(2025, 5, 5))
    period = Period("range", datetime.date(2025, 1, 15), datetime.date(2025, 12, 10))
    in_unit = Ward.objects.filter(district=district)
    ids = {ward.pk: name for name, ward in wards.items()}

    least = WardsByActivities(in_unit, period=period, least_first=True)
    most = WardsByActivities(in_unit, period=period, least_first=False)

    assert [ids[pk] for pk in least] == ["D", "B", "C", "A"]
    assert [ids[pk] for pk in most] == ["A", "B", "C", "D"]
    assert [ids[pk] for pk in least[1:3]] == ["B", "C"]
    assert [ids[pk] for pk in most[3:50]] == ["D"]
    assert len(least) == 4
    every = WardsByActivities(Ward.objects.all(), period=period, least_first=False)
    assert every[0:1] == [other.residential_group.ward_id]


# Periods


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ({"period": "2025"}, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ({"period": "2025-Q1"}, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
        ({"period": "2024-02"}, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        (
            {"from": "2025-03-01", "to": "2025-03-14"},
            datetime.date(2025, 3, 1),
            datetime.date(2025, 3, 14),
        ),
        (
            {"date_from": "01/03/2025", "date_to": "14/03/2025"},
            datetime.date(2025, 3, 1),
            datetime.date(2025, 3, 14),
        ),
    ],
)
def test_period_form_reads_years_quarters_months_and_ranges(query, start, end):
    period = PeriodForm(_query(query)).get_period()

    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "query",
    [
        {"period": "2025-Q5"},
        {"period": "năm ngoái"},
        {"from": "2025-03-14", "to": "2025-03-01"},
        {"from": "2019-01-01", "to": "2025-01-01"},
        {"from": "2025-03-01"},
    ],
)
def test_period_form_wrong_period_is_explained_and_the_current_year_shown(client, staff, query):
    client.force_login(staff)

    response = client.get(reverse("reports:overview"), query)

    assert response.status_code == 200
    assert response.context["period_form"].errors
    assert response.context["period"].kind == "year"
    assert "Đang hiển thị năm nay" in response.text


def test_period_shifted_crosses_years():
    assert Period.month(2025, 1).shifted(-1) == Period.month(2024, 12)
    assert Period.quarter(2025, 4).shifted(1) == Period.quarter(2026, 1)
    assert Period.year(2025).shifted(-1) == Period.year(2024)
    week = Period("range", datetime.date(2025, 3, 1), datetime.date(2025, 3, 7))
    assert week.shifted(1) == Period(
        "range", datetime.date(2025, 3, 8), datetime.date(2025, 3, 14)
    )


def test_period_labels_are_vietnamese():
    assert str(Period.quarter(2025, 3).label) == "Quý III/2025"
    assert str(Period.month(2025, 11).label) == "Tháng 11/2025"
    assert str(Period.year(2025).label) == "Năm 2025"


def _query(data):
    query = QueryDict(mutable=True)
    query.update(data)
    return query


# The ward dashboard and the lists behind its figures


def test_ward_dashboard_ward_officer_figures_equal_counts_of_the_records(client, district_data):
    ward = district_data["wards"][0]
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))

    response = client.get(reverse("reports:ward_dashboard", args=[ward.code]), {"period": YEAR})

    assert response.status_code == 200
    assert figures_of(response) == expected_figures(district_data, [ward])
    groups = {group: figures for group, figures, _filter in response.context["group_rows"]}
    assert sum(f.activities for f in groups.values()) == 3
    assert [f.teams for f in groups.values()] == [1, 1, 0]


@pytest.mark.parametrize(
    ("key", "count"),
    [
        ("members", lambda e: e["members"]),
        ("party_share", lambda e: 1),  # one current party member in ward 1
        ("activities", lambda e: e["activities"]),
        ("feedback_received", lambda e: e["feedback_received"]),
        ("feedback_resolved", lambda e: e["feedback_resolved"]),
    ],
)
def test_ward_dashboard_each_figure_links_to_the_list_that_counts_it(
    client, district_data, key, count
):
    ward = district_data["wards"][0]
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))
    response = client.get(reverse("reports:ward_dashboard", args=[ward.code]), {"period": YEAR})
    figure = next(f for f in response.context["figures"] if f.key == key)

    listed = client.get(figure.href)

    assert listed.status_code == 200
    assert listed.context["page_obj"].paginator.count == count(
        expected_figures(district_data, [ward])
    )


def test_ward_dashboard_group_row_links_to_the_groups_activities(client, district_data):
    ward = district_data["wards"][0]
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))
    response = client.get(reverse("reports:ward_dashboard", args=[ward.code]), {"period": YEAR})
    group, figures, _filter = response.context["group_rows"][0]
    link = re.search(
        rf'href="([^"]*activities/\?group={group.pk}&amp;[^"]*)"', response.text
    ).group(1)

    listed = client.get(link.replace("&amp;", "&"))

    assert listed.context["page_obj"].paginator.count == figures.activities == 2


def test_ward_dashboard_activity_chart_segments_link_to_their_activities(client, district_data):
    ward = district_data["wards"][0]
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))
    response = client.get(reverse("reports:ward_dashboard", args=[ward.code]), {"period": YEAR})
    segment = next(r for r in response.context["activity_chart"].rects if "security" in r.href)

    listed = client.get(segment.href)

    assert [a.field for a in listed.context["page_obj"]] == ["security"]
    # A chart of links is a group (an image's links reach no one), each link named.
    svg = re.search(r'<svg [^>]*class="chart"[^>]*>.*?</svg>', response.text, re.S).group()
    assert 'role="group"' in svg
    assert f'<a href="{escape(segment.href)}" aria-label="{segment.tooltip}">' in svg


def test_ward_dashboard_other_ward_officer_is_404(client, district_data):
    w1, w2 = district_data["wards"]
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[w1]))

    response = client.get(reverse("reports:ward_dashboard", args=[w2.code]))

    assert response.status_code == 404


# The progress matrix


@pytest.fixture
def seminar_data(district_data):
    """A seminar of the district with two tasks for both wards, and one for a ward of
    another district (which the district's staff must not see)."""
    w1, w2 = district_data["wards"]
    seminar = SeminarFactory(district=w1.district, title="Tọa đàm quận")
    tasks = [DirectiveTaskFactory(seminar=seminar, number=n) for n in (1, 2)]
    due = datetime.date(2025, 6, 30)
    a = {
        (ward.pk, task.number): TaskAssignmentFactory(task=task, ward=ward, due_on=due)
        for ward in (w1, w2)
        for task in tasks
    }
    outsider = TaskAssignmentFactory(task=tasks[0], ward=district_data["outside"])
    # Ward 1 reported on task 1 in Q1 (in progress), then in Q3 (completed): completed by
    # the end of the year; it also reported task 2 in Q3.
    q1 = (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    q3 = (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    ProgressReportFactory(assignment=a[w1.pk, 1], period_start=q1[0], period_end=q1[1], percent=40)
    ProgressReportFactory(
        assignment=a[w1.pk, 1],
        period_start=q3[0],
        period_end=q3[1],
        status=ProgressReport.Status.COMPLETED,
        percent=100,
    )
    ProgressReportFactory(assignment=a[w1.pk, 2], period_start=q3[0], period_end=q3[1], percent=70)
    ProgressReportFactory(
        assignment=outsider,
        period_start=q3[0],
        period_end=q3[1],
        narrative="BIMAT-NGOAI",
    )
    return {"seminar": seminar, "tasks": tasks, "w1": w1, "w2": w2}


def matrix_of(response):
    return {
        row.ward.name: [
            (cell.latest_status, cell.latest_percent, cell.overdue) if cell else None
            for cell in row.cells
        ]
        for row in response.context["matrix"]
    }


def test_matrix_district_staff_year_shows_latest_status_unreported_wards_first(
    staff_client, seminar_data
):
    response = staff_client.get(reverse("reports:overview"), {"period": YEAR})

    assert [row.ward.name for row in response.context["matrix"]] == ["Phường Hai", "Phường Một"]
    assert [row.reported for row in response.context["matrix"]] == [False, True]
    assert matrix_of(response) == {
        "Phường Một": [("completed", 100, False), ("in_progress", 70, True)],
        "Phường Hai": [(None, None, True), (None, None, True)],
    }
    assert "BIMAT-NGOAI" not in response.text


def test_matrix_district_staff_at_the_end_of_q2_shows_the_status_then(staff_client, seminar_data):
    response = staff_client.get(reverse("reports:overview"), {"period": "2025-Q2"})

    # Due on the last day of Q2: not overdue yet on that day.
    assert matrix_of(response)["Phường Một"] == [("in_progress", 40, False), (None, None, False)]
    # Neither ward reported for Q2 itself.
    assert [row.reported for row in response.context["matrix"]] == [False, False]


def test_matrix_progress_chart_counts_the_wards_by_status(staff_client, seminar_data):
    response = staff_client.get(reverse("reports:overview"), {"period": YEAR})

    chart = response.context["progress_chart"]
    statuses = [series.key for series in chart.series]
    rows = {label: dict(zip(statuses, values, strict=True)) for label, values, _t in chart.rows}
    assert rows["Nhiệm vụ 1"] == {"completed": 1, "in_progress": 0, "not_started": 0, None: 1}
    assert rows["Nhiệm vụ 2"] == {"completed": 0, "in_progress": 1, "not_started": 0, None: 1}
    assert "3 trong 4" not in chart.description and "1 trong 4" in chart.description


def test_matrix_other_districts_seminar_asked_by_number_is_not_shown(client, seminar_data):
    other = RoleUserFactory(role=Role.DISTRICT_STAFF, district=WardFactory().district)
    client.force_login(other)

    response = client.get(reverse("reports:overview"), {"seminar": seminar_data["seminar"].pk})

    assert response.status_code == 200
    assert response.context["directive"] is None
    assert "Tọa đàm quận" not in response.text
    assert "Phường Một" not in response.text


def test_matrix_demo_seed_seminar_has_14_wards_by_6_tasks(client):
    call_command("load_demo", stdout=io.StringIO())
    seminar = Seminar.objects.get(title__icontains="chất lượng hoạt động của tổ dân vận")
    staff = RoleUserFactory(role=Role.DISTRICT_STAFF, district=seminar.district)
    client.force_login(staff)

    response = client.get(
        reverse("reports:overview"), {"period": "2019-Q4", "seminar": seminar.pk}
    )

    matrix = response.context["matrix"]
    assert len(matrix) == 14
    assert all(len(row.cells) == 6 and all(row.cells) for row in matrix)
    assert [task.number for task in response.context["tasks"]] == [1, 2, 3, 4, 5, 6]


# The workbook


def test_overview_xlsx_district_staff_has_the_figures_and_matrix_and_is_logged(
    staff_client, seminar_data
):
    response = staff_client.get(reverse("reports:overview"), {"period": YEAR, "format": "xlsx"})

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Số liệu chính",
        "Theo phường",
        "Hoạt động theo tháng",
        "Ma trận tiến độ",
    ]
    key = {row[0]: row[1] for row in book["Số liệu chính"].iter_rows(values_only=True)}
    assert key["Hoạt động"] == 4 and key["Số hộ vận động"] == 120
    by_ward = {row[1]: row for row in book["Theo phường"].iter_rows(min_row=2, values_only=True)}
    assert set(by_ward) == {"Phường Một", "Phường Hai"}
    matrix = list(book["Ma trận tiến độ"].iter_rows(values_only=True))
    assert matrix[0] == (
        "Phường",
        "Thời gian tồn tại trong kỳ",
        "Đã báo cáo kỳ này",
        "Nhiệm vụ 1",
        "Nhiệm vụ 2",
    )
    assert matrix[2][:4] == ("Phường Một", "cả kỳ", "Có", "Đã hoàn thành 100%")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).count() == 1


def test_overview_xlsx_formula_in_a_ward_name_comes_back_as_text(staff_client, district_data):
    ward = district_data["wards"][0]
    ward.name = '=HYPERLINK("http://x")'
    ward.save()

    response = staff_client.get(reverse("reports:overview"), {"format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Theo phường"]
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[1].value))
    assert cell.data_type == "s"


def test_overview_xlsx_viewer_is_403_and_offered_no_download(client, district_data):
    client.force_login(
        RoleUserFactory(role=Role.VIEWER, district=district_data["wards"][0].district)
    )

    assert client.get(reverse("reports:overview"), {"format": "xlsx"}).status_code == 403
    assert "format=xlsx" not in client.get(reverse("reports:overview")).text


# The cost of the pages


def page_queries(client, url, data=None):
    client.get(url, data)  # the session's first request writes it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


def add_ward_with_work(district, seminar_tasks, activities=1):
    team = TeamFactory(residential_group__ward__district=district)
    MemberFactory(team=team)
    CitizenFeedbackFactory(team=team, received_on=IN_YEAR)
    Activity.objects.bulk_create(
        Activity(team=team, date=IN_YEAR, field="environment", title=f"Hoạt động {n}")
        for n in range(activities)
    )
    for task in seminar_tasks:
        assignment = TaskAssignmentFactory(task=task, ward=team.residential_group.ward)
        ProgressReportFactory(assignment=assignment)
    return team


@pytest.fixture
def one_ward():
    district = DistrictFactory()
    tasks = [
        DirectiveTaskFactory(seminar=SeminarFactory(district=district), number=n) for n in (1, 2)
    ]
    team = add_ward_with_work(district, tasks, activities=10)
    return district, tasks, team


def test_overview_queries_are_the_same_for_1_and_30_wards(client, one_ward):
    district, tasks, _team = one_ward
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=district))
    url = reverse("reports:overview")
    with_1 = page_queries(client, url, {"period": YEAR})
    # A range of days, least active first: its edge days counted for all wards at once.
    custom = {"date_from": "15/01/2025", "date_to": "10/12/2025", "sort": "activities"}
    custom_with_1 = page_queries(client, url, custom)

    for _ in range(29):
        add_ward_with_work(district, tasks)

    assert page_queries(client, url, {"period": YEAR}) == with_1
    # Sorted by activities: the wards' counts and names, then the page's wards (one more).
    assert page_queries(client, url, {"period": YEAR, "sort": "-activities"}) == with_1 + 1
    assert page_queries(client, url, custom) == custom_with_1
    response = client.get(url, {"period": YEAR})
    assert response.context["ward_page"].paginator.count == 30
    assert len(response.context["matrix"]) == 30


def test_overview_queries_are_the_same_for_10_and_1000_activities(client, one_ward):
    district, _tasks, team = one_ward
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=district))
    url = reverse("reports:overview")
    with_10 = page_queries(client, url, {"period": YEAR})

    Activity.objects.bulk_create(
        Activity(team=team, date=IN_YEAR, field="security", title=f"Tuần tra {n}")
        for n in range(990)
    )

    assert page_queries(client, url, {"period": YEAR}) == with_10
    assert figures_of(client.get(url, {"period": YEAR}))["activities"] == 1000


def test_ward_dashboard_queries_are_the_same_for_1_and_30_groups_and_1000_activities(
    client, one_ward
):
    _district, _tasks, team = one_ward
    ward = team.residential_group.ward
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))
    url = reverse("reports:ward_dashboard", args=[ward.code])
    with_1 = page_queries(client, url, {"period": YEAR})

    for _ in range(29):
        other = TeamFactory(residential_group__ward=ward)
        MemberFactory(team=other)
        ActivityFactory(team=other, date=IN_YEAR)
    Activity.objects.bulk_create(
        Activity(team=team, date=IN_YEAR, field="security", title=f"Tuần tra {n}")
        for n in range(961)
    )

    assert page_queries(client, url, {"period": YEAR}) == with_1
    assert figures_of(client.get(url, {"period": YEAR}))["activities"] == 1000


def test_overview_staff_reads_28_queries(client, one_ward):
    """What the overview costs, query by query:
    1-2   the session, the user (with the wards its own came from, `scope.ancestor_ids`);
    3     the wards the user serves (`scope.served_ward_ids`; none for staff);
    4     the ids of the wards in the user's scope that existed in the period;
    5-6   the seminar of the matrix, its tasks;
    7     the number of wards in the scope;
    8     the table's page of wards;
    9-11  their groups and teams, their members, their activities and feedback (tallies);
    12    the units wholly in the scope, whose tallies the key figures and charts read;
    13-14 the scope's groups, its teams;
    15-19 the key figures and charts: members and people (15), activities and households
          (16), days to resolve feedback (17), activities by month and field (18), members by
          organisation (19);
    20-21 the matrix: the number of its wards, its page of them;
    22    their assignments, each with its latest report;
    23    the progress chart: the tasks' assignments by latest status;
    24-25 the user's permissions: their own, their groups';
    26-28 the deadlines of the unit's wards: the wards, their tasks, their work reports
          (`reminders.deadlines.due_for`).
    (The session is written again only a minute after it was: `IdleSessionMiddleware`.)
    (The feedback overdue today is a query more for a period that has not ended.)"""
    district, _tasks, _team = one_ward
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=district))
    url = reverse("reports:overview")
    client.get(url, {"period": YEAR})  # fills per-process caches (content types)

    assert page_queries(client, url, {"period": YEAR}) == 28


def test_overview_workbook_staff_reads_23_queries(client, one_ward):
    """What the overview's workbook costs, query by query:
    1-2   the session, the user (with the wards its own came from);
    3-4   the user's permissions (the export's): their own, their groups';
    5     the wards the user serves (none for staff);
    6     the ids of the wards in the user's scope that existed in the period;
    7-8   the seminar of the matrix, its tasks;
    9     every ward of the scope, by name;
    10-12 their groups and teams, their members, their activities and feedback (tallies);
    13    the units wholly in the scope, whose tallies the key figures read;
    14-15 the scope's groups, its teams;
    16-20 the key figures: members and people, activities and households, days to resolve
          feedback, activities by month and field, members by organisation;
    21-22 the matrix: its wards, their assignments, each with its latest report;
    23    the export, in the security log."""
    district, _tasks, _team = one_ward
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=district))
    url = reverse("reports:overview")
    client.get(url, {"period": YEAR, "format": "xlsx"})  # fills per-process caches

    assert page_queries(client, url, {"period": YEAR, "format": "xlsx"}) == 23


def test_ward_dashboard_officer_reads_20_queries(client, one_ward):
    """What a ward's dashboard costs, query by query:
    1-2   the session, the user (with the wards its own came from);
    3     the wards the user serves;
    4     the ward;
    5-6   the number of its groups, the table's page of them;
    7-10  their teams, members, activities and feedback;
    11    whether the ward is a whole unit, whose tallies the key figures would then read;
    12-13 the ward's groups, its teams;
    14-18 the key figures and charts, as on the overview (15-19 there);
    19-20 the user's permissions: their own, their groups'."""
    _district, _tasks, team = one_ward
    ward = team.residential_group.ward
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))
    url = reverse("reports:ward_dashboard", args=[ward.code])
    client.get(url, {"period": YEAR})

    assert page_queries(client, url, {"period": YEAR}) == 20
