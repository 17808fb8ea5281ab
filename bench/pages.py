"""Server time and query count of every main page, on the database DATABASE_URL names
(fill it first with `manage.py seed_scale district|city|national`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_national \\
        .venv/bin/python bench/pages.py [--runs 20]

Pages are requested in-process through Django's test client, as district staff of the first
district, as the officer of its first ward, and as a superuser who sees the whole country (all
made here if missing), after two warm-up requests; the time is the whole request (middleware,
queries, template). The admin's lists are requested as the superuser: theirs are the largest.

The reporting cycle's pages are requested for a unit of 10,000 wards (`BENCH_WARDS`), made
here once with a monthly period whose reports are mostly sent: the consolidation page (its
first and last page of wards, the late ones), its workbook and its printed report.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="only the pages whose name has this text")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from meetings.models import Seminar
    from people.models import Person
    from teams.models import Activity, CitizenFeedback, Team
    from wards.models import District, Ward
    from wards.roles import Role

    settings.ALLOWED_HOSTS = ["*"]
    district = District.objects.order_by("pk").first()
    ward = Ward.objects.filter(district=district).order_by("pk").first()
    team = Team.objects.in_ward(ward).order_by("pk").first()
    seminar = Seminar.objects.filter(district=district).order_by("pk").first()
    person = Person.objects.in_ward(ward).order_by("pk").first()
    feedback = CitizenFeedback.objects.in_ward(ward).order_by("pk").first()
    staff = bench_user("bench.staff", Role.DISTRICT_STAFF, district=district)
    officer = bench_user("bench.officer", Role.WARD_OFFICER, wards=[ward])
    root = bench_user("bench.root", Role.ADMINISTRATOR, is_superuser=True)
    word = Activity.objects.filter(team=team).values_list("title", flat=True).first().split()[-1]
    clients = {"staff": Client(), "officer": Client(), "root": Client()}
    clients["staff"].force_login(staff)
    clients["officer"].force_login(officer)
    clients["root"].force_login(root)
    code = ward.code
    year = f"?period={datetime.date.today().year}"
    past = f"?period={datetime.date.today().year - 1}"
    this_year = datetime.date.today().year
    days = f"?from={this_year - 1}-01-15&to={this_year}-02-10"
    pages = [
        ("district overview", "staff", reverse("reports:overview") + year),
        ("country overview", "root", reverse("reports:overview") + year),
        (
            "country overview, least active",
            "root",
            reverse("reports:overview") + year + "&sort=activities",
        ),
        # A range of days: whole months from the tallies, the days at its edges counted.
        ("country overview, days", "root", reverse("reports:overview") + days),
        (
            "country overview, days, least active",
            "root",
            reverse("reports:overview") + days + "&sort=activities",
        ),
        ("ward dashboard", "officer", reverse("reports:ward_dashboard", args=[code]) + year),
        # As of a past period: the units of that period, from the same tallies.
        ("district overview, last year", "staff", reverse("reports:overview") + past),
        ("country overview, last year", "root", reverse("reports:overview") + past),
        ("ward lineage", "officer", reverse("reports:ward_lineage", args=[code])),
        (
            "ward lineage, history",
            "officer",
            reverse("reports:ward_lineage", args=[code]) + "?history=1",
        ),
        ("ward home", "officer", reverse("reports:ward_home", args=[code])),
        ("team page", "officer", reverse("teams:team_detail", args=[team.pk])),
        ("member list", "officer", reverse("teams:member_list", args=[code])),
        ("member list, search", "officer", reverse("teams:member_list", args=[code]) + "?q=van"),
        ("activity list", "officer", reverse("teams:activity_list", args=[code])),
        (
            "activity list, search",
            "officer",
            reverse("teams:activity_list", args=[code]) + f"?q={word}",
        ),
        ("feedback list", "officer", reverse("teams:feedback_list", args=[code])),
        (
            "feedback list, search",
            "officer",
            reverse("teams:feedback_list", args=[code]) + "?q=den",
        ),
        # People, trainings, “Dân vận khéo”, a feedback's follow-up.
        ("people list", "officer", reverse("people:person_list", args=[code])),
        ("people list, search", "officer", reverse("people:person_list", args=[code]) + "?q=van"),
        (
            "people list, prestigious",
            "officer",
            reverse("people:person_list", args=[code]) + "?role=prestigious",
        ),
        ("people recorded twice", "officer", reverse("people:duplicates", args=[code])),
        ("person page", "officer", reverse("people:person_detail", args=[person.pk])),
        ("feedback page", "officer", reverse("teams:feedback_detail", args=[feedback.pk])),
        (
            "feedback list, overdue",
            "officer",
            reverse("teams:feedback_list", args=[code]) + "?overdue=yes",
        ),
        ("training list", "staff", reverse("teams:training_list")),
        ("training list, country", "root", reverse("teams:training_list")),
        ("dân vận khéo, unit", "staff", reverse("awards:model_list")),
        ("dân vận khéo, country", "root", reverse("awards:model_list")),
        (
            "dân vận khéo, unit, PDF",
            "staff",
            reverse("awards:model_list") + f"?year={datetime.date.today().year - 1}&format=pdf",
        ),
    ]
    for model, search in ADMIN_LISTS:
        url = reverse(f"admin:{model}_changelist")
        pages += [
            (f"admin {model.split('_')[1]}", "root", url),
            (f"admin {model.split('_')[1]}, search", "root", f"{url}?q={search}"),
        ]
    pages += [
        (
            "admin activity, one ward",
            "root",
            reverse("admin:teams_activity_changelist")
            + f"?{Activity.ward_path}__id__exact={ward.pk}",
        ),
        ("seminar list", "staff", reverse("meetings:seminar_list")),
        # Downloads: a ward's activities, the overview of a unit and of the country.
        (
            "activity list, xlsx",
            "officer",
            reverse("teams:activity_list", args=[code]) + "?format=xlsx",
        ),
        ("district overview, xlsx", "staff", reverse("reports:overview") + year + "&format=xlsx"),
        ("country overview, xlsx", "root", reverse("reports:overview") + year + "&format=xlsx"),
    ]
    if seminar:
        pages += [
            ("seminar detail", "staff", reverse("meetings:seminar_detail", args=[seminar.pk])),
            (
                "progress matrix (overview)",
                "staff",
                reverse("reports:overview") + f"{year}&seminar={seminar.pk}",
            ),
            ("PDF report", "staff", reverse("reports:seminar_report_pdf", args=[seminar.pk])),
            (
                "PDF conclusion",
                "staff",
                reverse("reports:conclusion_notice_pdf", args=[seminar.pk]),
            ),
            ("PDF progress", "staff", reverse("reports:progress_report_pdf", args=[seminar.pk])),
        ]
    reporting = bench_reporting_period()
    consolidation = reverse("workreports:consolidation", args=[reporting.pk])
    pages += [
        (f"consolidation, {BENCH_WARDS:,} wards", "root", consolidation),
        ("consolidation, late wards", "root", consolidation + "?state=late"),
        ("consolidation, last page", "root", consolidation + "?page=999999"),
        ("consolidation workbook", "root", consolidation + "?format=xlsx"),
        (
            "PDF consolidated report",
            "root",
            reverse("reports:consolidated_report_pdf", args=[reporting.pk]),
        ),
    ]
    print(f"{connection.vendor}, {Activity.objects.count():,} activities; {args.runs} runs a page")
    print(f"{'page':<30}{'median ms':>10}{'p95 ms':>8}{'queries':>9}")
    for name, who, url in pages:
        if args.only not in name:
            continue
        times, queries, _response = measure(clients[who], url, runs=args.runs, warm_up=2)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
        print(f"{name:<30}{statistics.median(times):>10.0f}{p95:>8.0f}{queries:>9}")


def measure(client, url, *, runs, warm_up):
    """The times (ms) of `runs` requests of `url` after `warm_up` more, the queries of the
    last one, and its response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm_up):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, len(queries), response


# The admin's lists of the largest tables, with a search for each.
ADMIN_LISTS = [
    ("wards_ward", "phu"),
    ("wards_residentialgroup", "to"),
    ("teams_team", "to 5"),
    ("teams_member", "nguyen van"),
    ("teams_activity", "tuyen truyen"),
    ("teams_citizenfeedback", "den"),
]


BENCH_WARDS = 10_000


def bench_reporting_period():
    """A unit of BENCH_WARDS wards (code BENCH, made once) asked for its reports of last
    month: 80 % sent with figures, 5 % of them returned, the rest never sent and late."""
    from django.db import transaction

    from core.periods import Period
    from wards.models import District, Ward
    from workreports.figures import KEYS
    from workreports.models import ReportingPeriod, WardReport
    from workreports.services import period_open

    today = datetime.date.today()
    month = Period.containing("month", today.replace(day=1) - datetime.timedelta(days=1))
    unit, created = District.objects.get_or_create(
        code="BENCH",
        defaults={
            "name": "Đơn vị thử tải",
            "kind": District.Kind.CITY,
            "province": "Thử tải",
            "party_committee": "Thành ủy Thử tải",
            "office_symbol": "BDVTU",
        },
    )
    if created:
        Ward.objects.bulk_create(
            Ward(district=unit, code=f"B{number:05d}", name=f"Phường thử {number:05d}")
            for number in range(BENCH_WARDS)
        )
    reporting = ReportingPeriod.objects.filter(district=unit, kind="month", start=month.start)
    if reporting.exists():
        return reporting.get()
    with transaction.atomic():
        reporting = period_open(district=unit, period=month, deadline=month.end, user=None)
        reports = list(reporting.ward_reports.order_by("pk"))
        sent_at = datetime.datetime.combine(month.end, datetime.time(9), datetime.UTC)
        for index, report in enumerate(reports):
            if index % 5 == 4:
                continue  # never sent
            report.state = "returned" if index % 20 == 3 else "submitted"
            report.submitted_at = sent_at
            report.counted = {key: (index + position) % 50 for position, key in enumerate(KEYS)}
            if index % 10 == 0:
                report.corrections = {"households.environment": {"value": 99, "reason": "Thử"}}
        WardReport.objects.bulk_update(
            reports, ["state", "submitted_at", "counted", "corrections"], batch_size=2000
        )
    return reporting


def bench_user(username, role, *, is_superuser=False, **scope):
    from django.contrib.auth.models import Group

    from wards.models import User

    user, created = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": is_superuser}
    )
    if created:
        user.groups.add(Group.objects.get(name=role.value))
        if "district" in scope:
            user.district = scope["district"]
            user.save()
        user.wards.set(scope.get("wards", []))
    return user


if __name__ == "__main__":
    main()
