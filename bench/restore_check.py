"""Back up a PostgreSQL database with pg_dump, restore it into a fresh database with
pg_restore, and compare the row count of every table: the backup procedure of
docs/deploy.md, tested.

    .venv/bin/python bench/restore_check.py postgres://postgres@127.0.0.1:5432/danvan

Exits with 1 when a count differs. The restored copy (`<name>_restore_check`) is dropped at
the end.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg


def counts(url):
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables
        }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    parts = urlsplit(source)
    copy_name = parts.path.lstrip("/") + "_restore_check"
    copy = parts._replace(path=f"/{copy_name}").geturl()
    admin = parts._replace(path="/postgres").geturl()
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "danvan.dump"
        started = time.perf_counter()
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
        dumped = time.perf_counter()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
            connection.execute(f'CREATE DATABASE "{copy_name}"')
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={copy}", str(dump)],
            check=True,
        )
        restored = time.perf_counter()
        size = dump.stat().st_size
    before, after = counts(source), counts(copy)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{copy_name}"')
    different = {
        t: (before.get(t), after.get(t)) for t in before | after if before.get(t) != after.get(t)
    }
    print(
        f"pg_dump {dumped - started:.1f} s ({size / 2**20:.1f} MB), "
        f"pg_restore {restored - dumped:.1f} s; {len(before)} tables, "
        f"{sum(before.values()):,} rows"
    )
    if different:
        print("Counts differ:", different)
        sys.exit(1)
    print("Every table has the same number of rows after the restore.")


if __name__ == "__main__":
    main()
