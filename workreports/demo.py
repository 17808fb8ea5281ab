"""The demo's reporting cycle: the city asks its new wards for monthly reports; the month
before last is gathered and issued, last month's reports are on their way (one accepted,
one waiting for review, one returned, one late)."""

import datetime

from django.utils import timezone

from core.periods import Period

from . import services
from .models import ReportEvent, ReportingPeriod, WardReport

NARRATIVES = {
    "results": (
        "Các tổ dân vận bám sát địa bàn, phối hợp với Ban công tác Mặt trận tổ dân phố vận "
        "động nhân dân giữ gìn vệ sinh môi trường, trật tự đô thị; nắm bắt và phản ánh kịp "
        "thời ý kiến, kiến nghị của nhân dân."
    ),
    "shortcomings": (
        "Một số tổ dân vận sau sắp xếp chưa kiện toàn đủ thành viên; việc cập nhật hoạt động "
        "lên hệ thống còn chậm."
    ),
    "directions": (
        "Tiếp tục kiện toàn tổ dân vận ở các tổ dân phố mới; đẩy mạnh phong trào thi đua "
        "“Dân vận khéo” gắn với xây dựng văn minh đô thị."
    ),
    "proposals": "Đề nghị cấp trên tổ chức tập huấn nghiệp vụ cho tổ trưởng tổ dân vận mới.",
}


def load_demo_work_reports(city, *, staff, officer, today):
    """Two monthly cycles of `city`'s wards, made once; `staff` reviews, `officer` (of the
    ward whose report is returned) writes."""
    last_month = Period.containing("month", today.replace(day=1) - datetime.timedelta(days=1))
    before = last_month.shifted(-1)
    if ReportingPeriod.objects.filter(district=city, kind="month", start=before.start).exists():
        return
    earlier = services.period_open(
        district=city, period=before, deadline=before.end + datetime.timedelta(days=5), user=staff
    )
    served = set(officer.wards.values_list("pk", flat=True))
    for report in earlier.ward_reports.all():
        _send(report, officer if report.ward_id in served else staff)
        services.report_accept(report=report, user=staff)
    _backdate(earlier, earlier.deadline - datetime.timedelta(days=1))
    consolidated = earlier.consolidated
    consolidated.signer = "Nguyễn Văn Bình"
    consolidated.recipients = "Thường trực Thành ủy\nCác Đảng ủy phường\nLưu VP"
    for name, text in NARRATIVES.items():
        setattr(consolidated, name, text)
    consolidated.save()
    services.consolidated_issue(consolidated=consolidated, user=staff, day=earlier.deadline)

    # Last month's reports were due yesterday: one ward has not sent its report.
    current = services.period_open(
        district=city,
        period=last_month,
        deadline=max(today - datetime.timedelta(days=1), last_month.start),
        user=staff,
    )
    reports = {report.ward.name: report for report in current.ward_reports.select_related("ward")}
    accepted, waiting, returned = (
        reports.get("Long Biên"),
        reports.get("Việt Hưng"),
        reports.get("Bồ Đề"),
    )
    for report in filter(None, (accepted, waiting, returned)):
        _send(report, officer if report == returned else staff, correct=report == waiting)
    if accepted:
        services.report_accept(report=accepted, user=staff)
    if returned:
        services.report_return(
            report=returned,
            user=staff,
            comment="Đề nghị bổ sung số hộ được tiếp cận trong lĩnh vực vệ sinh môi trường.",
        )
    _backdate(current, current.deadline - datetime.timedelta(days=2))


def _backdate(reporting, day):
    """The steps of the demo's reports, taken before their deadline (they are made today)."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
    WardReport.objects.filter(period=reporting, submitted_at__isnull=False).update(submitted_at=at)
    ReportEvent.objects.filter(report__period=reporting).update(at=at)


def _send(report, user, *, correct=False):
    corrections = {}
    if correct:
        corrections["households.environment"] = {
            "value": 120,
            "reason": "Hai buổi ra quân tổng vệ sinh chưa được nhập vào hệ thống.",
        }
    services.report_save(
        report=report, user=user, narratives=NARRATIVES, corrections=corrections, submit=True
    )
    report.refresh_from_db()
