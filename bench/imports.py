"""Time the imports of members and of activities as the admin runs them (a check, then the
import; then the same file again, unchanged), against the plain django-import-export
baseline on the same table in the same run.

    .venv/bin/python bench/imports.py [--rows 100000] [--baseline-rows 2000]
                                      [--database sqlite|postgres|both] [--kinds member activity]

Each database is a fresh one: a SQLite file in a temporary folder, or the PostgreSQL
database `danvan_bench_import` on 127.0.0.1 (dropped and created again), with 1,000 teams
(50 wards of 20 residential groups). The files are CSV, as a ward office would type them.

The baseline is what a new user of the library would write: a `ModelResource` on the same
table (on a proxy of the model, so that neither the project's signals nor its history
fire), its default columns (related records by id, an empty id for a new record), row by
row, a dry run then the import, on the first `--baseline-rows` rows (row by row, all of
them would take many minutes): the same-run ratio compares rows/s. Each figure: seconds
of check and of import, rows/s of both together, where the time went (read, parse,
resolve, match, validate, write, summed over check and import), the unchanged re-import's
rows/s, the process's peak memory so far.
"""

import argparse
import csv
import datetime
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
WARDS, GROUPS = 50, 20
ORGANISATIONS = ["Chi bộ", "Ban công tác Mặt trận", "Chi hội Phụ nữ", "Chi hội Cựu chiến binh"]
FIELDS = ["Vệ sinh môi trường", "Trật tự đô thị", "An sinh xã hội", "An ninh trật tự"]
STAGES = ("read", "parse", "resolve", "match", "validate", "write")


def csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def member_rows(count, teams):
    """`count` members spread over the teams (ward code, group code)."""
    for index in range(count):
        ward, group = teams[index % len(teams)]
        yield [
            ward, group, f"Nguyễn Văn Thành Viên {index}", "Nam", 1950 + index % 50,
            f"09{index:08d}", "Có" if index % 3 == 0 else "Không",
            ORGANISATIONS[index % len(ORGANISATIONS)], "Tổ viên",
            f"{1 + index % 28:02d}/{1 + index % 12:02d}/2020", "",
        ]  # fmt: skip


MEMBER_HEADER = [
    "Mã phường", "Mã tổ dân phố", "Họ và tên", "Giới tính", "Năm sinh", "Điện thoại",
    "Đảng viên", "Đại diện tổ chức", "Vai trò", "Ngày vào", "Ngày ra",
]  # fmt: skip


def activity_rows(count, teams):
    """`count` activities spread over the teams and the days of 2024–2025."""
    first = datetime.date(2024, 1, 1)
    for index in range(count):
        ward, group = teams[index % len(teams)]
        day = first + datetime.timedelta(days=(index // len(teams)) % 730)
        yield [
            ward, group, day.strftime("%d/%m/%Y"), FIELDS[index % len(FIELDS)],
            f"Hoạt động số {index}", "Ra quân dọn vệ sinh, khơi thông cống rãnh, tuyên truyền.",
            10 + index % 40, 5 + index % 30, "Hoàn thành",
        ]  # fmt: skip


ACTIVITY_HEADER = [
    "Mã phường", "Mã tổ dân phố", "Ngày", "Lĩnh vực", "Tên hoạt động", "Mô tả",
    "Số hộ tiếp cận", "Số người tham gia", "Kết quả",
]  # fmt: skip


def run(database, rows, baseline_rows, kinds):
    """One database's run, in this process: a line of results per kind of import."""
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import tablib
    from django.core.management import call_command
    from django.db import connection, transaction
    from import_export import resources

    from core.imports import import_file
    from people.models import Person
    from teams.imports import ActivityImporter, MemberImporter
    from teams.models import Activity, Member, Team
    from wards.models import District, ResidentialGroup, Ward

    call_command("migrate", verbosity=0)
    district = District.objects.create(
        code="BENCH", name="Bench", kind="urban_district", province="Hà Nội",
        party_committee="Quận ủy Bench",
    )  # fmt: skip
    wards = Ward.objects.bulk_create(
        Ward(district=district, code=f"{90000 + n}", name=f"Phường {n}", kind="ward")
        for n in range(WARDS)
    )
    groups = ResidentialGroup.objects.bulk_create(
        ResidentialGroup(
            ward=ward, code=f"{g:02d}", name=f"Tổ {g}", households=100, population=300
        )
        for ward in wards
        for g in range(1, GROUPS + 1)
    )
    teams = Team.objects.bulk_create(Team(residential_group=group) for group in groups)
    codes = [(group.ward.code, group.code) for group in groups]

    def plain_resource(model, fields):
        """The baseline's resource: a ModelResource on a proxy of `model`."""
        meta = type("Meta", (), {"proxy": True, "app_label": model._meta.app_label})
        proxy = type(f"Plain{model.__name__}", (model,), {"__module__": __name__, "Meta": meta})
        return type(
            "PlainResource",
            (resources.ModelResource,),
            {"Meta": type("Meta", (), {"model": proxy, "fields": fields})},
        )

    def member_baseline(count):
        people = Person.objects.bulk_create(
            Person(residential_group=groups[n % GROUPS], full_name=f"Người {n}", gender="male")
            for n in range(count)
        )
        fields = ["id", "team", "person", "is_party_member", "organisation", "role", "joined_on"]
        data = [
            ["", teams[n % len(teams)].pk, people[n].pk, n % 3 == 0, "party_cell", "member",
             datetime.date(2020, 1 + n % 12, 1 + n % 28).isoformat()]
            for n in range(count)
        ]  # fmt: skip
        return plain_resource(Member, fields), tablib.Dataset(*data, headers=fields)

    def activity_baseline(count):
        fields = ["id", "team", "date", "field", "title", "description", "households_reached",
                  "participants", "outcome"]  # fmt: skip
        data = [
            ["", teams[n % len(teams)].pk, datetime.date(2023, 1 + n % 12, 1 + n % 28).isoformat(),
             "urban_order", f"Hoạt động mẫu {n}", "Ra quân dọn vệ sinh.", 10, 5, "Xong"]
            for n in range(count)
        ]  # fmt: skip
        return plain_resource(Activity, fields), tablib.Dataset(*data, headers=fields)

    plans = {
        "member": (MemberImporter, MEMBER_HEADER, member_rows, member_baseline),
        "activity": (ActivityImporter, ACTIVITY_HEADER, activity_rows, activity_baseline),
    }
    for kind in kinds:
        importer_class, header, make_rows, make_baseline = plans[kind]
        data = csv_bytes(header, make_rows(rows, codes))

        def timed(commit, data=data, importer_class=importer_class):
            result = import_file(importer_class(), "bench.csv", data, commit=commit)
            assert not result.errors, result.as_dict(max_errors=3)
            return result

        check, imported = timed(False), timed(True)
        assert imported.written and imported.new == rows, imported.as_dict(max_errors=3)
        recheck, again = timed(False), timed(True)
        assert again.unchanged == rows, again.as_dict(max_errors=3)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        resource_class, dataset = make_baseline(baseline_rows)
        started = time.perf_counter()
        for dry_run in (True, False):
            with transaction.atomic():
                outcome = resource_class().import_data(dataset, dry_run=dry_run, raise_errors=True)
            assert not outcome.has_errors() and not outcome.has_validation_errors()
        baseline_rate = baseline_rows / (time.perf_counter() - started)

        rate = rows / (check.seconds + imported.seconds)
        again_rate = rows / (recheck.seconds + again.seconds)
        stages = "  ".join(
            f"{stage} {check.stages.get(stage, 0) + imported.stages.get(stage, 0):5.2f}"
            for stage in STAGES
        )
        print(
            f"{connection.vendor:<11}{kind:<9}{rows:>7}  check {check.seconds:5.1f} s + import"
            f" {imported.seconds:5.1f} s = {rate:6.0f} rows/s | unchanged {again_rate:6.0f}"
            f" rows/s | baseline {baseline_rate:4.0f} rows/s | {rate / baseline_rate:5.1f}×"
            f" | peak {peak_mb:4.0f} MB\n{'':20}seconds by stage: {stages}",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--kinds", nargs="+", choices=["member", "activity"],
                        default=["member", "activity"])  # fmt: skip
    parser.add_argument("--url", help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()
    if args.url:
        run(args.url, args.rows, args.baseline_rows, args.kinds)
        return
    uptime = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average {' '.join(uptime)} on {os.cpu_count()} cores")
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
                 "--baseline-rows", str(args.baseline_rows), "--kinds", *args.kinds],
                check=True,
            )  # fmt: skip


if __name__ == "__main__":
    main()
