"""Load test: gunicorn with production-like settings and a background worker, and 50
concurrent users of locust (run from another process) for 5 minutes, each signing in as one
of 560 accounts after another over 120 wards of 10 managing units and working on their own
ward's (or unit's) pages, a fifth of the requests writes (bench/locustfile.py); then the
tallies compared with a full recount (`rebuild_tallies --check`).

    make load-test DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_national

(`make load-test` installs locust, the `bench` extra, first.) The database must hold data:
`manage.py seed_scale national` (the units with seminars, whose wards have tasks to report
on). The accounts (`load.…`) are made here, or given a new password if they exist. Prints
requests, errors, median and p95 per page and in all, the share of writes, and the recount.
"""

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--spawn-rate", type=float, default=2, help="users arriving each second at the start"
    )
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--wards", type=int, default=12, help="wards of each unit")
    parser.add_argument("--officers", type=int, default=4, help="accounts of each ward")
    parser.add_argument("--staff", type=int, default=8, help="accounts of each unit")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to a database filled by manage.py seed_scale.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings",
        "DEBUG": "false",
        "DJANGO_ENV": "development",  # plain HTTP on 127.0.0.1
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "BENCH_PASSWORD": secrets.token_urlsafe(16),
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.utils import timezone

    from wards.models import SecurityEvent

    accounts = make_accounts(args, env["BENCH_PASSWORD"])
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "danvan.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    worker = subprocess.Popen([python, "manage.py", "db_worker", "-v0"], env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            accounts_file = Path(folder) / "accounts.json"
            accounts_file.write_text(json.dumps(accounts))
            env.update(BENCH_ACCOUNTS=str(accounts_file))
            load = os.getloadavg()
            started = timezone.now()
            run = subprocess.run(
                [python, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                 "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
                 "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}",
                 "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                env=env, cwd=ROOT, check=False, capture_output=True, text=True,
            )  # fmt: skip
            load += os.getloadavg()
            if not Path(f"{prefix}_stats.csv").exists():
                sys.exit(f"locust did not run (exit {run.returncode}):\n{run.stderr}")
            rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
            failures = list(csv.DictReader(open(f"{prefix}_failures.csv")))  # noqa: SIM115
            # Errors raised inside a task end it without a request failing: listed too.
            exceptions = list(csv.DictReader(open(f"{prefix}_exceptions.csv")))  # noqa: SIM115
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
    signed_in = (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.LOGIN, created_at__gte=started, username__startswith="load."
        )
        .values("username")
        .distinct()
        .count()
    )
    officers, staff = len(accounts["officers"]), len(accounts["staff"])
    wards = {account["ward"] for account in accounts["officers"]}
    print(
        f"{args.users} users ({args.spawn_rate:g} arriving a second) for {args.seconds} s,"
        f" sign-ins included; {officers + staff} accounts"
        f" ({officers} officers of {len(wards)} wards, {staff} staff of {staff // args.staff}"
        f" units); gunicorn with {args.workers} workers and one background worker; load"
        f" average {load[0]:.2f} before, {load[3]:.2f} after; {signed_in} accounts signed in"
    )
    print(f"{'page':<28}{'requests':>9}{'errors':>8}{'req/s':>8}{'median ms':>10}{'p95 ms':>8}")
    for row in rows:
        print(
            f"{row['Name']:<28}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>10}{row['95%']:>8}"
        )
    total = int(rows[-1]["Request Count"])  # the last row: "Aggregated"
    writes = sum(int(row["Request Count"]) for row in rows if row["Name"].startswith("write:"))
    print(f"writes: {writes} of {total} requests ({writes / max(total, 1):.1%})")
    for failure in failures:
        print(f"failed {failure['Occurrences']}×: {failure['Name']}: {failure['Error']}")
    for exception in exceptions:
        print(f"exception {exception['Count']}×: {exception['Message']}")
    started = time.monotonic()
    check = subprocess.run(
        [python, "manage.py", "rebuild_tallies", "--check"],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    print(
        f"rebuild_tallies --check ({time.monotonic() - started:.0f} s, exit"
        f" {check.returncode}): {(check.stdout + check.stderr).strip()}"
    )


def make_accounts(args, password):
    """The test's accounts, made if missing, all with `password`: `args.officers` ward
    officers for each of `args.wards` wards with tasks to report on, in each of the first
    `args.units` units that have such wards, and `args.staff` staff of each unit. What each
    works on: {"officers": [{username, ward, groups, assignments}], "staff": [{username,
    wards, seminar}]}. Django is set up."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from meetings.models import Seminar, TaskAssignment
    from teams.models import Team
    from wards.models import User, Ward
    from wards.roles import Role
    from wards.scope import current

    def account(username, role):
        user, _made = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.groups.set([Group.objects.get(name=role.value)])
        return user

    assigned = TaskAssignment.objects.order_by("ward__district")
    units = list(assigned.values_list("ward__district", flat=True).distinct()[: args.units])
    officers, staff = [], []
    for unit in units:
        wards = Ward.objects.filter(current(), district=unit, task_assignments__isnull=False)
        wards = list(wards.distinct().order_by("pk")[: args.wards])
        for ward in wards:
            work = {
                "ward": ward.code,
                "groups": [
                    {"team": team, "code": code, "name": name}
                    for team, code, name in Team.objects.filter(residential_group__ward=ward)
                    .order_by("pk")
                    .values_list("pk", "residential_group__code", "residential_group__name")[:5]
                ],
            }
            tasks = list(assigned.filter(ward=ward).order_by("pk").values_list("pk", flat=True))
            for number in range(args.officers):
                user = account(f"load.{ward.code}.{number + 1}", Role.WARD_OFFICER)
                user.wards.set([ward])
                # Each officer reports on tasks of their own (a ward has six), so that two
                # do not make the same period's report at once (one would be refused).
                mine = tasks[number :: args.officers] or tasks
                officers.append({"username": user.username, **work, "assignments": mine})
        seminar = Seminar.objects.filter(district=unit).order_by("pk").first()
        for number in range(1, args.staff + 1):
            user = account(f"load.unit{unit}.{number}", Role.DISTRICT_STAFF)
            user.district_id = unit
            user.save()  # and the wards their unit's came from (`scope.store_ancestors`)
            staff.append(
                {
                    "username": user.username,
                    "wards": [ward.code for ward in wards],
                    "seminar": seminar.pk,
                }
            )
    # One hash for all: each costs a seventh of a second (Argon2id).
    User.objects.filter(username__startswith="load.").update(password=make_password(password))
    return {"officers": officers, "staff": staff}


if __name__ == "__main__":
    main()
