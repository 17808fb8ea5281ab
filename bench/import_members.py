"""Time the import of a members file of 100,000 rows for 1,000 teams, as the admin does it
(a check, then the import) and again unchanged, against a plain row-by-row
django-import-export ModelResource (`MemberResource`) on the same rows.

    .venv/bin/python bench/import_members.py [--rows 100000] [--baseline-rows 2000]
                                             [--database sqlite|postgres|both]

Each database is a fresh one: a SQLite file in a temporary folder, or the PostgreSQL
database `danvan_bench_import` on 127.0.0.1 (dropped and created again). The baseline runs
on the first `--baseline-rows` rows of the file (row by row it would take many minutes for
all of them); rows/s is what compares.
"""

import argparse
import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgres://postgres@127.0.0.1:5432/danvan_bench_import"
ORGANISATIONS = ["Chi bộ", "Ban công tác Mặt trận", "Chi hội Phụ nữ", "Chi hội Cựu chiến binh"]


def members_csv(rows, wards, groups_per_ward):
    """The file: `rows` members spread over the teams, as a ward office would type them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["Mã phường", "Mã tổ dân phố", "Họ và tên", "Giới tính", "Năm sinh", "Điện thoại",
         "Đảng viên", "Đại diện tổ chức", "Vai trò", "Ngày vào", "Ngày ra"]
    )  # fmt: skip
    teams = [(ward, group) for ward in wards for group in range(1, groups_per_ward + 1)]
    for index in range(rows):
        ward, group = teams[index % len(teams)]
        writer.writerow(
            [ward, f"{group:02d}", f"Nguyễn Văn Thành Viên {index}", "Nam", 1950 + index % 50,
             f"09{index:08d}", "Có" if index % 3 == 0 else "Không",
             ORGANISATIONS[index % len(ORGANISATIONS)], "Tổ viên",
             f"{1 + index % 28:02d}/{1 + index % 12:02d}/2020", ""]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def run(database, rows, baseline_rows):
    """One database's run, in this process: print a line of results."""
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    import django
    import tablib

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from core.tables import read_table
    from teams.imports import MemberImporter
    from teams.models import Member, Team
    from teams.resources import MemberResource
    from wards.models import District, ResidentialGroup, Ward

    call_command("migrate", verbosity=0)
    district = District.objects.create(
        code="BENCH", name="Bench", kind="urban_district", province="Hà Nội",
        party_committee="Quận ủy Bench",
    )  # fmt: skip
    wards = Ward.objects.bulk_create(
        Ward(district=district, code=f"{90000 + n}", name=f"Phường {n}", kind="ward")
        for n in range(50)
    )
    groups = ResidentialGroup.objects.bulk_create(
        ResidentialGroup(
            ward=ward, code=f"{g:02d}", name=f"Tổ {g}", households=100, population=300
        )
        for ward in wards
        for g in range(1, 21)
    )
    Team.objects.bulk_create(Team(residential_group=group) for group in groups)
    data = members_csv(rows, [ward.code for ward in wards], 20)

    def timed(step):
        start = time.perf_counter()
        result = step()
        return result, time.perf_counter() - start

    def bulk(commit):
        return MemberImporter().run(read_table("thanh-vien.csv", data), commit=commit)

    _check, check_s = timed(lambda: bulk(False))
    imported, import_s = timed(lambda: bulk(True))
    assert imported.written and imported.new == rows, imported.as_dict(max_errors=3)
    _recheck, recheck_s = timed(lambda: bulk(False))
    again, again_s = timed(lambda: bulk(True))
    assert again.unchanged == rows, again.as_dict(max_errors=3)

    # The baseline: a plain ModelResource, row by row, on a fresh set of the first rows.
    Member.objects.all().delete()
    Member.history.model.objects.all().delete()
    sample = b"\n".join(data.split(b"\n")[: baseline_rows + 1])
    rows_data = tablib.Dataset().load(sample.decode("utf-8"), format="csv")

    def baseline(dry_run):
        with transaction.atomic():
            result = MemberResource().import_data(rows_data, dry_run=dry_run, raise_errors=True)
        assert not result.has_errors() and not result.has_validation_errors()
        return result

    _dry, baseline_check_s = timed(lambda: baseline(True))
    _real, baseline_import_s = timed(lambda: baseline(False))

    bulk_rate = rows / (check_s + import_s)
    again_rate = rows / (recheck_s + again_s)
    baseline_rate = baseline_rows / (baseline_check_s + baseline_import_s)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{connection.vendor:<11}{rows:>8}  check {check_s:5.1f} s + import {import_s:5.1f} s"
        f" = {bulk_rate:7.0f} rows/s | unchanged {again_rate:7.0f} rows/s | baseline"
        f" ({baseline_rows} rows) {baseline_rate:5.0f} rows/s | {bulk_rate / baseline_rate:5.1f}×"
        f" | peak {peak_mb:4.0f} MB",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--url", help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()
    if args.url:
        run(args.url, args.rows, args.baseline_rows)
        return
    print("database      rows  bulk path (check + import)                   re-import"
          "              baseline                        ratio   memory")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        urls = {"sqlite": f"sqlite:///{folder}/bench.sqlite3", "postgres": POSTGRES}
        for name in ("sqlite", "postgres") if args.database == "both" else (args.database,):
            if name == "postgres":
                for statement in ("DROP DATABASE IF EXISTS", "CREATE DATABASE"):
                    subprocess.run(
                        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                         f"{statement} danvan_bench_import"],
                        check=True,
                    )  # fmt: skip
            subprocess.run(
                [sys.executable, __file__, "--url", urls[name], "--rows", str(args.rows),
                 "--baseline-rows", str(args.baseline_rows)],
                check=True,
            )  # fmt: skip


if __name__ == "__main__":
    main()
