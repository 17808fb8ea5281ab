"""Time the printed documents of the seed seminar: the report, the conclusion notice and the
progress report, each requested as district staff would (view, queries, template, WeasyPrint).
The first request of each is shown apart, after the warm-up the web server runs at start-up
(`reports.pdf.warm_up`, timed too).

    .venv/bin/python bench/pdf_renders.py [--runs 20] [--out DIR] [--big]

Runs on a fresh SQLite file with the demo data unless DATABASE_URL names a database that
already has it. With --out, the PDFs are also written to DIR (`make screenshots` turns the
report's pages into the README's images). With --big, the same three documents of a large
seminar are timed too: 200 contributions in two clusters of 50 wards each, 20 tasks given
to all 100 wards, a progress report of each ward on each task.
"""

import argparse
import datetime
import io
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    ("bao-cao-toa-dam", "reports:seminar_report_pdf", ""),
    ("thong-bao-ket-luan", "reports:conclusion_notice_pdf", ""),
    ("bao-cao-tien-do", "reports:progress_report_pdf", "?period=2019-Q4"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--big", action="store_true", help="time a large seminar's too")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DEBUG", "true")
    scratch = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch.name}/bench.sqlite3")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    from meetings.models import Seminar
    from wards.models import User

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    # As the web server does at start-up (danvan/wsgi.py).
    from reports.pdf import warm_up

    start = time.perf_counter()
    warm_up()
    print(f"warm-up at start-up: {(time.perf_counter() - start) * 1000:.0f} ms")
    if not Seminar.objects.exists():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    seminars = [("", Seminar.objects.order_by("pk").first())]
    if args.big:
        seminars.append(("lớn ", big_seminar(seminars[0][1].district)))
    client = Client()
    client.force_login(User.objects.get(username="canbo.quan"))

    columns = (
        ("runs", 6), ("first ms", 10), ("median ms", 11), ("p95 ms", 9), ("max ms", 9),
        ("pages", 7), ("kB", 7),
    )  # fmt: skip
    print(f"{'document':<22}" + "".join(f"{title:>{width}}" for title, width in columns))
    for (prefix, seminar), (name, url_name, query) in itertools.product(seminars, DOCUMENTS):
        name = prefix + name
        url = reverse(url_name, args=[seminar.pk]) + query
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
        p95 = (
            statistics.quantiles(times, n=20, method="inclusive")[-1]
            if len(times) > 1
            else times[0]
        )
        print(
            f"{name:<22}{len(times):>6}{times[0]:>10.0f}{statistics.median(times):>11.0f}{p95:>9.0f}"
            f"{max(times):>9.0f}{pages:>7}{len(response.content) / 1024:>7.0f}"
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{name}.pdf").write_bytes(response.content)


def big_seminar(district):
    """A seminar of 200 contributions and 20 tasks over 100 wards of `district` (made as
    needed), each ward's progress on each task reported for the fourth quarter of 2019."""
    from tests.factories import (
        ContributionFactory,
        DirectiveTaskFactory,
        ProgressReportFactory,
        SeminarFactory,
        SeminarSessionFactory,
        TaskAssignmentFactory,
        WardFactory,
    )
    from wards.models import Ward

    wards = list(Ward.objects.filter(district=district).order_by("pk")[:100])
    wards += WardFactory.create_batch(100 - len(wards), district=district)
    seminar = SeminarFactory(district=district, title="Tọa đàm lớn: 200 ý kiến, 20 nhiệm vụ")
    for number, half in ((1, wards[::2]), (2, wards[1::2])):
        session = SeminarSessionFactory(seminar=seminar, number=number, wards=half)
        for order in range(1, 101):
            ContributionFactory(
                session=session, order=order, speaker=f"Đại biểu {number}.{order}",
                summary="Kinh nghiệm vận động nhân dân giải phóng mặt bằng, giữ gìn trật tự "
                "đô thị và vệ sinh môi trường ở tổ dân phố. " * 3,
            )  # fmt: skip
    for number in range(1, 21):
        task = DirectiveTaskFactory(seminar=seminar, number=number)
        for ward in wards:
            assignment = TaskAssignmentFactory(
                task=task, ward=ward, due_on=datetime.date(2020, 6, 30)
            )
            ProgressReportFactory(
                assignment=assignment, period_start=datetime.date(2019, 10, 1),
                period_end=datetime.date(2019, 12, 31), percent=10 * (ward.pk % 11),
            )  # fmt: skip
    return seminar


if __name__ == "__main__":
    main()
