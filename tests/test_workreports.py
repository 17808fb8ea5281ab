"""The reporting cycle (`workreports`): a ward's report from draft to accepted, its figures
counted, corrected with a reason and frozen when sent; the unit's page of a period, its
report summed from the wards' and issued with a number from the register."""

import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.periods import Period
from registry.models import IssuedDocument
from reminders import deadlines
from tests.factories import (
    ActivityFactory,
    CitizenFeedbackFactory,
    DistrictFactory,
    MemberFactory,
    RoleUserFactory,
    TeamFactory,
    WardFactory,
)
from tests.shared import pdf_pages
from wards.roles import Role
from workreports import selectors, services, views
from workreports.models import ReportEvent, WardReport
from workreports.services import StepRefused

pytestmark = pytest.mark.django_db

OCTOBER = Period.month(2026, 10)
NARRATIVES = {
    "results": "Ra quân tổng vệ sinh.",
    "shortcomings": "",
    "directions": "Kiện toàn tổ dân vận.",
    "proposals": "",
}


@pytest.fixture
def city():
    return DistrictFactory(
        code="01",
        name="Hà Nội",
        kind="city",
        party_committee="Thành ủy Hà Nội",
        office="Ban Dân vận Thành ủy",
        office_symbol="BDVTU",
    )


def ward_with_work(city, code, name, *, activities, households):
    """A ward with `activities` environment activities in October 2026 reaching
    `households` households each, two members (one a party member), one feedback."""
    ward = WardFactory(district=city, code=code, name=name)
    team = TeamFactory(residential_group__ward=ward)
    for day in range(1, activities + 1):
        ActivityFactory(
            team=team,
            date=datetime.date(2026, 10, day),
            field="environment",
            households_reached=households,
        )
    MemberFactory(team=team, is_party_member=True)
    MemberFactory(team=team, is_party_member=False)
    CitizenFeedbackFactory(team=team, received_on=datetime.date(2026, 10, 5), status="new")
    return ward


@pytest.fixture
def wards(city):
    return [
        ward_with_work(city, "90003", "Bồ Đề", activities=3, households=10),
        ward_with_work(city, "90004", "Long Biên", activities=2, households=5),
        ward_with_work(city, "90005", "Phúc Lợi", activities=1, households=7),
    ]


@pytest.fixture
def staff(city):
    return RoleUserFactory(username="canbo.thanhpho", role=Role.DISTRICT_STAFF, district=city)


@pytest.fixture
def officer(wards):
    return RoleUserFactory(username="canbo.bode", role=Role.WARD_OFFICER, wards=[wards[0]])


@pytest.fixture
def reporting(city, wards, staff):
    return services.period_open(
        district=city, period=OCTOBER, deadline=datetime.date(2026, 11, 5), user=staff
    )


def report_of(reporting, ward):
    return WardReport.objects.get(period=reporting, ward=ward)


def send(report, user, corrections=None):
    return services.report_save(
        report=report,
        user=user,
        narratives=NARRATIVES,
        corrections=corrections or {},
        submit=True,
    )


# The way of a report


def test_period_open_gives_each_existing_ward_a_draft(reporting, city):
    ended = WardFactory(district=city, code="00115", valid_until=datetime.date(2025, 6, 30))

    assert sorted(reporting.ward_reports.values_list("ward__name", "state")) == [
        ("Bồ Đề", "draft"),
        ("Long Biên", "draft"),
        ("Phúc Lợi", "draft"),
    ]
    assert not reporting.ward_reports.filter(ward=ended).exists()
    assert str(reporting) == "Tháng 10/2026"


def test_report_way_draft_submitted_returned_submitted_accepted_is_logged(
    reporting, wards, officer, staff
):
    report = report_of(reporting, wards[0])
    services.report_save(
        report=report, user=officer, narratives=NARRATIVES, corrections={}, submit=False
    )
    send(report, officer)
    services.report_return(report=report, user=staff, comment="Bổ sung số hộ.")
    send(report, officer)
    services.report_accept(report=report, user=staff)

    report.refresh_from_db()
    assert report.state == "accepted"
    assert list(report.events.values_list("action", "actor__username", "comment")) == [
        ("saved", "canbo.bode", ""),
        ("submitted", "canbo.bode", ""),
        ("returned", "canbo.thanhpho", "Bổ sung số hộ."),
        ("submitted", "canbo.bode", ""),
        ("accepted", "canbo.thanhpho", ""),
    ]


@pytest.mark.parametrize(
    "state, step, message",
    [
        ("draft", "return", "Chỉ có thể trả lại báo cáo đã gửi."),
        ("draft", "accept", "Chỉ có thể tiếp nhận báo cáo đã gửi."),
        ("returned", "accept", "Chỉ có thể tiếp nhận báo cáo đã gửi."),
        ("accepted", "return", "Chỉ có thể trả lại báo cáo đã gửi."),
        ("accepted", "accept", "Chỉ có thể tiếp nhận báo cáo đã gửi."),
        ("submitted", "save", "Báo cáo đã gửi lúc"),
        ("accepted", "save", "Báo cáo đã gửi lúc"),
    ],
)
def test_report_steps_the_state_does_not_allow_are_refused(
    reporting, wards, officer, staff, state, step, message
):
    report = report_of(reporting, wards[0])
    if state != "draft":
        send(report, officer)
    if state == "returned":
        services.report_return(report=report, user=staff, comment="Sửa lại.")
    if state == "accepted":
        services.report_accept(report=report, user=staff)
    steps = {
        "return": lambda: services.report_return(report=report, user=staff, comment="Sửa."),
        "accept": lambda: services.report_accept(report=report, user=staff),
        "save": lambda: send(report, officer),
    }
    events = ReportEvent.objects.count()

    with pytest.raises(StepRefused) as refused:
        steps[step]()

    assert refused.value.message.startswith(message)
    assert ReportEvent.objects.count() == events
    assert WardReport.objects.get(pk=report.pk).state == state


def test_report_return_without_a_comment_is_refused(reporting, wards, officer, staff):
    report = send(report_of(reporting, wards[0]), officer)

    with pytest.raises(StepRefused, match="Hãy nêu phường cần sửa gì"):
        services.report_return(report=report, user=staff, comment="  ")


def test_report_sent_keeps_its_figures_when_the_records_change(reporting, wards, officer):
    report = send(report_of(reporting, wards[0]), officer)
    team = wards[0].residential_groups.get().team
    ActivityFactory(team=team, date=datetime.date(2026, 10, 20), field="environment")

    sent = selectors.report_figures(WardReport.objects.get(pk=report.pk))
    draft = selectors.report_figures(report_of(reporting, wards[1]))

    activities = {row.key: row.value for row in sent[0].rows}
    assert (activities["activities.environment"], sent[0].total) == (3, 3)
    assert report.counted["households.environment"] == 30
    assert (report.counted["members"], report.counted["party_members"]) == (2, 1)
    assert report.counted["feedback_received"] == 1
    assert draft[0].total == 2  # a draft is counted anew


def test_report_form_correction_needs_a_reason(client, reporting, wards, officer):
    report = report_of(reporting, wards[0])
    client.force_login(officer)
    data = dict(NARRATIVES)
    for section in selectors.report_figures(report):
        for row in section.rows:
            key = row.key.replace(".", "--")
            data[f"value-{key}"] = row.counted
            data[f"reason-{key}"] = ""
    data["value-households--environment"] = 45
    url = reverse("workreports:ward_report", args=[report.pk])

    refused = client.post(url, {**data, "action": "submit"})
    data["reason-households--environment"] = "Một buổi ra quân chưa nhập."
    accepted = client.post(url, {**data, "action": "submit"})

    assert refused.status_code == 200
    assert "Hãy nêu lý do báo cáo 45 thay cho 30 đếm được." in refused.content.decode()
    assert accepted.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    assert report.corrections == {
        "households.environment": {"value": 45, "reason": "Một buổi ra quân chưa nhập."}
    }


# The unit's report


def test_consolidation_sums_the_reports_sent_as_reported(reporting, wards, officer, staff):
    send(
        report_of(reporting, wards[0]),
        officer,
        {"households.environment": {"value": 45, "reason": "Chưa nhập đủ."}},
    )
    send(report_of(reporting, wards[1]), staff)
    returned = send(report_of(reporting, wards[2]), staff)
    services.report_return(report=returned, user=staff, comment="Sửa lại.")

    sums, count = selectors.sent_sums(reporting)

    assert count == 2
    assert sums["activities.environment"] == 3 + 2
    assert sums["households.environment"] == 45 + 10
    assert (sums["members"], sums["party_members"], sums["feedback_received"]) == (4, 2, 2)


def test_consolidated_issue_takes_the_next_number_and_keeps_the_sums(
    reporting, wards, officer, staff
):
    send(report_of(reporting, wards[0]), officer)
    first = services.consolidated_issue(
        consolidated=reporting.consolidated, user=staff, day=datetime.date(2026, 11, 10)
    )
    send(report_of(reporting, wards[1]), staff)  # after the issue: not in its figures

    assert first.document.symbol == "1-BC/BDVTU"
    assert (first.reports_summed, first.figures["activities.environment"]) == (1, 3)
    with pytest.raises(StepRefused, match="Báo cáo này đã được ban hành"):
        services.consolidated_issue(consolidated=first, user=staff)
    assert IssuedDocument.objects.count() == 1


def test_consolidated_issue_with_no_report_sent_is_refused(reporting, staff):
    with pytest.raises(StepRefused, match="Chưa có phường nào gửi báo cáo"):
        services.consolidated_issue(consolidated=reporting.consolidated, user=staff)

    assert IssuedDocument.objects.count() == 0


def pdf_text(response):
    return " ".join(pdf_pages(response))


def test_consolidated_pdf_draft_prints_a_blank_number_then_the_issued_one(
    client, reporting, wards, officer, staff
):
    send(report_of(reporting, wards[0]), officer)
    client.force_login(staff)
    url = reverse("reports:consolidated_report_pdf", args=[reporting.pk])

    draft = pdf_text(client.get(url))
    services.consolidated_issue(
        consolidated=reporting.consolidated, user=staff, day=datetime.date(2026, 11, 10)
    )
    issued = pdf_text(client.get(url))

    assert draft.startswith("THÀNH ỦY HÀ NỘI BAN DÂN VẬN * Số …/BC-BDVTU")
    assert "Trong số 3 phường được yêu cầu báo cáo trước ngày 05/11/2026, 1 phường đã gửi" in draft
    assert "2 phường chưa gửi báo cáo: Long Biên, Phúc Lợi." in draft
    assert issued.startswith(
        "THÀNH ỦY HÀ NỘI BAN DÂN VẬN * Số 1-BC/BDVTU ĐẢNG CỘNG SẢN VIỆT NAM "
        "Hà Nội, ngày 10 tháng 11 năm 2026 BÁO CÁO "
        "Kết quả công tác dân vận, Tháng 10/2026"
    )
    assert "Vệ sinh môi trường 3" in issued


def test_consolidation_workbook_has_a_row_per_ward(client, reporting, wards, officer, staff):
    send(
        report_of(reporting, wards[0]),
        officer,
        {"households.environment": {"value": 45, "reason": "Chưa nhập đủ."}},
    )
    client.force_login(staff)

    response = client.get(
        reverse("workreports:consolidation", args=[reporting.pk]) + "?format=xlsx"
    )

    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    column = header.index("Số hộ vận động: Vệ sinh môi trường")
    assert [(row[1], row[2], row[column]) for row in rows[1:]] == [
        ("Bồ Đề", "Đã gửi", 45),
        ("Long Biên", "Nháp", None),
        ("Phúc Lợi", "Nháp", None),
    ]
    reasons = list(book.worksheets[1].iter_rows(values_only=True))
    assert reasons[1] == (
        "90003",
        "Bồ Đề",
        "Số hộ vận động: Vệ sinh môi trường",
        30,
        45,
        "Chưa nhập đủ.",
    )


# Who may do what on the pages (tests/test_access.py requests every page as every role)


def report_url(report):
    return reverse("workreports:ward_report", args=[report.pk])


def test_ward_report_officer_sees_the_form_and_may_not_review(client, reporting, wards, officer):
    report = report_of(reporting, wards[0])
    client.force_login(officer)

    page = client.get(report_url(report)).content.decode()
    accept = client.post(report_url(report), {"action": "accept"})

    assert "Gửi báo cáo" in page and "Tiếp nhận báo cáo" not in page
    assert accept.status_code == 403
    assert WardReport.objects.get(pk=report.pk).state == "draft"


def test_ward_report_other_wards_officer_is_404(client, reporting, wards, officer):
    client.force_login(officer)

    assert client.get(report_url(report_of(reporting, wards[1]))).status_code == 404
    assert (
        client.post(report_url(report_of(reporting, wards[1])), {"action": "submit"}).status_code
        == 404
    )


def test_ward_report_staff_returns_with_a_comment_and_may_not_write(
    client, reporting, wards, officer, staff
):
    report = send(report_of(reporting, wards[0]), officer)
    client.force_login(staff)

    page = client.get(report_url(report)).content.decode()
    written = client.post(report_url(report), {"action": "save", **NARRATIVES})
    no_comment = client.post(report_url(report), {"action": "return", "comment": " "})
    returned = client.post(report_url(report), {"action": "return", "comment": "Bổ sung."})

    assert "Tiếp nhận báo cáo" in page and "Gửi báo cáo" not in page
    assert written.status_code == 403
    assert no_comment.status_code == 200
    assert "Trường này là bắt buộc." in no_comment.content.decode()
    assert returned.status_code == 302
    assert WardReport.objects.get(pk=report.pk).state == "returned"


def test_ward_report_viewer_reads_and_may_do_nothing(client, city, reporting, wards, officer):
    report = send(report_of(reporting, wards[0]), officer)
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=city))

    page = client.get(report_url(report))
    steps = [
        client.post(report_url(report), {"action": action}).status_code
        for action in ("save", "submit", "return", "accept")
    ]

    assert page.status_code == 200
    assert steps == [403, 403, 403, 403]
    assert WardReport.objects.get(pk=report.pk).state == "submitted"


def test_consolidated_issue_only_the_units_staff_may(
    client, city, reporting, wards, officer, staff
):
    send(report_of(reporting, wards[0]), officer)
    url = reverse("workreports:consolidated_issue", args=[reporting.pk])
    other_unit = RoleUserFactory(role=Role.DISTRICT_STAFF, district=DistrictFactory())
    statuses = []
    for user in (officer, RoleUserFactory(role=Role.VIEWER, district=city), other_unit):
        client.force_login(user)
        statuses.append(client.post(url).status_code)
    client.force_login(staff)
    issued = client.post(url)

    assert statuses == [403, 403, 404]
    assert issued.status_code == 302
    assert list(IssuedDocument.objects.values_list("symbol", "issued_by__username")) == [
        ("1-BC/BDVTU", "canbo.thanhpho")
    ]


def test_period_create_staff_asks_every_ward_once(client, city, wards, staff):
    client.force_login(staff)
    url = reverse("workreports:period_create")
    data = {
        "district": city.pk,
        "kind": "quarter",
        "year": 2026,
        "number": 4,
        "deadline": "05/01/2027",
    }

    created = client.post(url, data)
    again = client.post(url, data)
    wrong = client.post(url, {**data, "number": 5})

    assert created.status_code == 302
    periods = WardReport.objects.order_by().values_list("period__start", "period__end")
    assert list(periods.distinct()) == [(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))]
    assert WardReport.objects.count() == 3
    assert "Đơn vị đã yêu cầu báo cáo kỳ này rồi." in again.content.decode()
    assert "Hãy nhập số từ 1 đến 4 cho loại báo cáo này." in wrong.content.decode()


# What the pages cost


def queries_of(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_consolidation_staff_reads_a_constant_number_of_queries(
    client, city, reporting, wards, officer, staff
):
    """1-2 the session, the user; 3 the wards they serve; 4 the period with its unit and its
    report; 5 the sums of the reports sent; 6 whether the user manages the unit; 7 the counts
    by state; 8-9 the page of wards and their number; 10-11 the user's permissions."""
    send(report_of(reporting, wards[0]), officer)
    client.force_login(staff)
    url = reverse("workreports:consolidation", args=[reporting.pk])
    with_3 = queries_of(client, url)
    for number in range(30):
        ward = WardFactory(district=city, code=f"91{number:03d}")
        report = WardReport.objects.create(period=reporting, ward=ward)
        send(report, staff)

    assert (with_3, queries_of(client, url)) == (11, 11)


def test_ward_report_officer_reads_a_constant_number_of_queries(client, reporting, wards, officer):
    """1-2 the session, the user; 3 the wards they serve; 4 the report, its ward and period,
    and whether the user manages it; 5-6 the user's permissions (an officer's has no review:
    the period is not read again); 7-13 the figures counted
    (`workreports.figures.count_figures`); 14 the report's steps."""
    report = report_of(reporting, wards[0])
    client.force_login(officer)
    with_few = queries_of(client, report_url(report))
    team = wards[0].residential_groups.get().team
    for day in range(1, 29):
        ActivityFactory(team=team, date=datetime.date(2026, 10, day))
        CitizenFeedbackFactory(team=team, received_on=datetime.date(2026, 10, day))
        MemberFactory(team=team)

    assert (with_few, queries_of(client, report_url(report))) == (14, 14)


# Deadlines


def test_report_deadline_is_on_the_officers_home_until_sent_and_e_mailed_once(
    client, reporting, wards, officer, monkeypatch
):
    monkeypatch.setattr(deadlines.timezone, "localdate", lambda: datetime.date(2026, 11, 3))
    report = report_of(reporting, wards[0])
    officer.email = "canbo.bode@x.vn"
    officer.save(update_fields=["email"])

    due = deadlines.due_for(officer)
    first = deadlines.send_reminders(days_before=3)
    second = deadlines.send_reminders(days_before=3)
    send(report, officer)

    assert [(item.title, item.ward.name, item.due_on) for item in due.soon] == [
        ("Báo cáo công tác Tháng 10/2026", "Bồ Đề", datetime.date(2026, 11, 5))
    ]
    assert (first, second) == (1, 0)
    assert mail.outbox[0].subject == "[Dân vận] 1 việc sắp đến hạn"
    assert f"http://127.0.0.1:8000/work-reports/report/{report.pk}/" in mail.outbox[0].body
    assert deadlines.due_for(officer).soon == []


# Found by a review: the first sending decides lateness; an issued report prints as issued;
# an edit and an issue at once keep the issue.


def test_report_sent_in_time_returned_and_sent_again_late_is_not_sent_late(
    reporting, wards, officer, staff, monkeypatch
):
    report = report_of(reporting, wards[0])
    for day, step in ((3, "send"), (4, "return"), (9, "send")):
        moment = datetime.datetime(2026, 11, day, 9, tzinfo=datetime.UTC)
        monkeypatch.setattr(services.timezone, "now", lambda moment=moment: moment)
        if step == "send":
            send(report, officer)
        else:
            services.report_return(report=report, user=staff, comment="Bổ sung.")

    counts = selectors.state_counts(reporting, today=datetime.date(2026, 11, 10))

    # Sent in time once; the two other wards never sent: late.
    assert (counts["submitted"], counts["sent_late"], counts["late"]) == (1, 0, 2)


def test_consolidated_issued_prints_the_wards_as_they_stood_when_issued(
    client, reporting, wards, officer, staff
):
    send(report_of(reporting, wards[0]), officer)
    services.consolidated_issue(
        consolidated=reporting.consolidated, user=staff, day=datetime.date(2026, 11, 10)
    )
    send(report_of(reporting, wards[1]), staff)
    client.force_login(staff)

    text = pdf_text(client.get(reverse("reports:consolidated_report_pdf", args=[reporting.pk])))

    assert "2 phường chưa gửi báo cáo: Long Biên, Phúc Lợi." in text
    assert "Trong số 3 phường được yêu cầu báo cáo trước ngày 05/11/2026, 1 phường đã gửi" in text


def test_consolidated_edit_issued_meanwhile_keeps_the_issue(
    client, reporting, wards, officer, staff, monkeypatch
):
    send(report_of(reporting, wards[0]), officer)
    gather = views.selectors.gathered_narratives

    def issued_meanwhile(period):
        services.consolidated_issue(consolidated=period.consolidated, user=staff)
        return gather(period)

    monkeypatch.setattr(views.selectors, "gathered_narratives", issued_meanwhile)
    client.force_login(staff)
    data = {"results": "Sửa", "shortcomings": "", "directions": "", "proposals": ""}
    data |= {"signer": "A", "signer_position": "Trưởng ban", "recipients": ""}

    response = client.post(
        reverse("workreports:consolidated_edit", args=[reporting.pk]), data, follow=True
    )

    reporting.consolidated.refresh_from_db()
    assert reporting.consolidated.document.symbol == "1-BC/BDVTU"
    assert reporting.consolidated.results == ""
    assert "Báo cáo này đã ban hành, không thể sửa nữa." in response.content.decode()
