"""Load test: gunicorn with production-like settings, and 50 concurrent users of locust (run
from another process) for 60 s, over the pages ward officers and district staff use.

    make load-test DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_national

(`make load-test` installs locust, the `bench` extra, first.) The database must hold data:
`manage.py seed_scale district|national`. Prints requests/s, p95 and errors per page and
in all.
"""

import argparse
import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
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
    names = subprocess.run(
        [python, str(ROOT / "bench" / "pages.py"), "--setup-only"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    env.update(dict(name.split("=", 1) for name in names))
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "danvan.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            sign_in_file = Path(folder) / "sign-in"
            env.update(
                BENCH_USERS=str(args.users),
                BENCH_SECONDS=str(args.seconds),
                BENCH_SIGN_IN_FILE=str(sign_in_file),
            )
            # The users stop the test `seconds` after the last has signed in; the run time
            # only bounds it.
            subprocess.run(
                [python, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                 "--headless", "--users", str(args.users), "--spawn-rate", "10",
                 "--run-time", f"{args.seconds + 120}s", "--host", f"http://127.0.0.1:{port}",
                 "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                env=env, cwd=ROOT, check=False, capture_output=True,
            )  # fmt: skip
            rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
            sign_ins = sign_in_file.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{args.users} users for {args.seconds} s, gunicorn with {args.workers} workers; all"
        f" signed in after {sign_ins} s, when the measured window starts"
    )
    print(f"{'page':<22}{'requests':>9}{'errors':>8}{'req/s':>8}{'median ms':>10}{'p95 ms':>8}")
    for row in rows:
        if row["Request Count"] == "0":  # the sign-ins, counted before the window
            continue
        print(
            f"{row['Name']:<22}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>10}{row['95%']:>8}"
        )


if __name__ == "__main__":
    main()
