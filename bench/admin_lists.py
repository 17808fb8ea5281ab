"""Every admin list with each of its filters and each of its sortable columns, as the
superuser (whose lists are the largest), on the database DATABASE_URL names:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_national \\
        .venv/bin/python bench/admin_lists.py [--runs 3] [--only teams_activity]

For each list the filters offered are read from the page itself, and the first choice of
each is requested (the first district, the first status, the latest year…). Prints the
median server time and the query count of each request, and marks those over 150 ms.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MS = 150


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="only the lists whose name has this text")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib import admin
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from pages import bench_user, measure

    from wards.roles import Role

    setup_test_environment()  # responses carry their template context (the filters offered)
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(bench_user("bench.root", Role.ADMINISTRATOR, is_superuser=True))

    def timed(url):
        times, queries, response = measure(client, url, runs=args.runs, warm_up=1)
        return statistics.median(times), queries, response

    slow = 0
    print(f"{'list':<32}{'request':<48}{'ms':>7}{'queries':>9}")
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        if args.only not in name:
            continue
        url = reverse(f"admin:{name}_changelist")
        ms, queries, response = timed(url)
        requests = []
        changelist = response.context["cl"]
        for spec in changelist.filter_specs:
            choice = next(iter(list(spec.choices(changelist))[1:]), None)
            if choice:
                requests.append((f"filter {spec.title}", url + choice["query_string"]))
        for index, header in enumerate(response.context["result_headers"]):
            if header["sortable"]:
                for sign in ("", "-"):
                    requests.append((f"sort {sign}{header['text']}", f"{url}?o={sign}{index}"))
        rows = [("list", ms, queries), *((label, *timed(u)[:2]) for label, u in requests)]
        for label, ms, queries in rows:
            mark = " *" if ms > LIMIT_MS else ""
            slow += bool(mark)
            print(f"{name:<32}{label[:46]:<48}{ms:>7.0f}{queries:>9}{mark}")
    print(f"{slow} requests over {LIMIT_MS} ms (marked *)")


if __name__ == "__main__":
    main()
