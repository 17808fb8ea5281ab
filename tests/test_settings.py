"""Settings come from the environment: no secret key in production, SQLite in WAL mode."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_django(code, **env):
    """Run `code` in a fresh Python process with the project's settings and `env`."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_without_secret_key_and_debug_off_refuse_to_start():
    result = run_django("print('started')", DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_settings_production_with_debug_on_refuse_to_start():
    result = run_django("print('started')", DJANGO_ENV="production", DEBUG="true")

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_settings_production_send_only_secure_cookies_and_hsts():
    result = run_django(
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)",
        DJANGO_ENV="production",
        DEBUG="false",
        SECRET_KEY="x" * 60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]


def test_settings_with_debug_on_start_with_the_development_key():
    result = run_django(
        "from django.conf import settings; print(settings.SECRET_KEY[:16])",
        DEBUG="true",
        SECRET_KEY="",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django-insecure-"


def test_settings_sqlite_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    result = run_django(
        "from django.db import connection; cursor = connection.cursor(); "
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
        "cursor.execute('PRAGMA busy_timeout').fetchone()[0])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DEBUG="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]


def test_settings_read_postgres_url_into_psycopg_backend():
    result = run_django(
        "from django.conf import settings; db = settings.DATABASES['default']; "
        "print(db['ENGINE'], db['HOST'], db['PORT'], db['NAME'])",
        DATABASE_URL="postgres://someone@db.example:5433/danvan",
        DEBUG="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example",
        "5433",
        "danvan",
    ]


def test_settings_of_a_new_env_file_show_the_sites_own_error_pages_and_its_static_files():
    """The `.env` that the Makefile creates (DEBUG off, no DJANGO_ENV): a newcomer's 404 is
    the site's Vietnamese page, not Django's debug page, and the styles load without a
    collectstatic."""
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    result = run_django(
        "from django.test import Client; client = Client(HTTP_HOST='127.0.0.1'); "
        "page = client.get('/khong-co-trang-nay/'); "
        "print(page.status_code, 'Không tìm thấy' in page.content.decode(), "
        "'technical_404' in page.content.decode() or 'Page not found at' in "
        "page.content.decode()); "
        "print(client.get('/static/css/site.css').status_code)",
        **{**example, "SECRET_KEY": "x" * 60},
    )

    assert example["DEBUG"] == "false"
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "True", "False", "200"]
