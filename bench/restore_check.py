"""Back up a PostgreSQL database with pg_dump and the evidence files with tar, restore both
(the database into a fresh one with pg_restore, the files into a fresh folder), compare the
row count of every table, and check that every evidence file the restored database names
is in the restored folder with the SHA-256 it was uploaded with: the backup procedure of
docs/deploy.md, tested.

    .venv/bin/python bench/restore_check.py postgres://postgres@127.0.0.1:5432/danvan media/

Exits with 1 when a count differs or a file is missing or altered. The restored copies
(`<name>_restore_check` and a temporary folder) are removed at the end.
"""

import hashlib
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


def evidence_problems(url, media):
    """The evidence files the database at `url` names that `media` lacks or holds altered."""
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT file, sha256 FROM awards_evidence").fetchall()
    problems = []
    for name, digest in rows:
        path = media / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{name}: altered")
    return len(rows), problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, media = sys.argv[1], Path(sys.argv[2])
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
        archive = Path(folder) / "evidence.tar.gz"
        subprocess.run(["tar", "-czf", archive, "-C", media, "evidence"], check=True)
        restored_media = Path(folder) / "media"
        restored_media.mkdir()
        subprocess.run(["tar", "-xzf", archive, "-C", restored_media], check=True)
        restored = time.perf_counter()
        size, files_size = dump.stat().st_size, archive.stat().st_size
        files, file_problems = evidence_problems(copy, restored_media)
    before, after = counts(source), counts(copy)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{copy_name}"')
    different = {
        t: (before.get(t), after.get(t)) for t in before | after if before.get(t) != after.get(t)
    }
    print(
        f"pg_dump {dumped - started:.1f} s ({size / 2**20:.1f} MB), "
        f"evidence files {files_size / 2**20:.1f} MB, "
        f"restore {restored - dumped:.1f} s; {len(before)} tables, "
        f"{sum(before.values()):,} rows, {files} evidence files"
    )
    if different:
        print("Counts differ:", different)
    if file_problems:
        print("Evidence files:", "; ".join(file_problems))
    if different or file_problems:
        sys.exit(1)
    print(
        "Every table has the same number of rows after the restore, and every evidence "
        "file is back unaltered."
    )


if __name__ == "__main__":
    main()
