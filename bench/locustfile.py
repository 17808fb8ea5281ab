"""The load test's users (run by bench/load_test.py): ward officers, district staff and the
country's staff (a superuser), who sign in once, then move between the pages they use, with
a second or two between clicks.

The measured window starts when the last user has signed in: the statistics are reset then,
every user starts work at once, and the test stops `BENCH_SECONDS` later. How long the
sign-ins took is written to `BENCH_SIGN_IN_FILE`.
"""

import os
import random
import re
import time

import gevent
from gevent.event import Event
from locust import HttpUser, between, task

PASSWORD = os.environ["BENCH_PASSWORD"]
WARD = os.environ["BENCH_WARD"]
TEAM = os.environ["BENCH_TEAM"]
SEMINAR = os.environ["BENCH_SEMINAR"]
USERS = int(os.environ["BENCH_USERS"])
SECONDS = int(os.environ["BENCH_SECONDS"])
STARTED = time.monotonic()
signed_in = []
all_signed_in = Event()


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 2)
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="sign in")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign in",
        )
        signed_in.append(self)
        if len(signed_in) == USERS:
            with open(os.environ["BENCH_SIGN_IN_FILE"], "w") as file:
                file.write(f"{time.monotonic() - STARTED:.1f}")
            self.environment.runner.stats.reset_all()
            gevent.spawn_later(SECONDS, self.environment.runner.quit)
            all_signed_in.set()
        all_signed_in.wait()


# Of 50 users: 36 ward officers, 12 district staff, 2 of the country's staff.
class WardOfficer(Person):
    weight = 18
    username = "bench.officer"

    @task(4)
    def ward_home(self):
        self.client.get(f"/wards/{WARD}/", name="ward home")

    @task(2)
    def lists(self):
        kind = random.choice(["members", "activities", "feedback"])
        self.client.get(f"/wards/{WARD}/{kind}/", name=f"{kind} list")

    @task(1)
    def search(self):
        self.client.get(f"/wards/{WARD}/activities/?q=ve+sinh", name="activities search")

    @task(1)
    def dashboard(self):
        self.client.get(f"/wards/{WARD}/dashboard/", name="ward dashboard")

    @task(1)
    def team(self):
        self.client.get(f"/teams/{TEAM}/", name="team page")


class DistrictStaff(Person):
    weight = 6
    username = "bench.staff"

    @task(3)
    def overview(self):
        self.client.get("/overview/", name="district overview")

    @task(1)
    def seminar(self):
        self.client.get(f"/seminars/{SEMINAR}/", name="seminar detail")

    @task(1)
    def ward(self):
        self.client.get(f"/wards/{WARD}/dashboard/", name="ward dashboard")


class CountryStaff(Person):
    """Sees every ward: the overview over the whole country, and the admin's lists."""

    weight = 1
    username = "bench.root"

    @task(3)
    def overview(self):
        self.client.get("/overview/", name="country overview")

    @task(1)
    def least_active(self):
        self.client.get("/overview/?sort=activities", name="country overview, least active")

    @task(1)
    def activities(self):
        self.client.get("/admin/teams/activity/", name="admin activities")
