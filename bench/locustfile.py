"""The load test's users (run by bench/load_test.py): ward officers and district staff, each
locust user one person at a time — it signs in with the next of the accounts made for the
test, does a short working session on their own ward's (or unit's) pages, as on a phone,
signs out, and takes the next account. The sign-ins are measured with everything else. A
person reads a page for 1–4 s before the next click, and fills a form for 3–10 s.

Officers read their ward's pages and write: an activity, a feedback item, a progress report
on one of the ward's tasks, now and then a small import of activities (upload, the check's
preview, confirm, the outcome). A write is one POST, named "write: …"; it fails unless the
application answers with its redirect (a form shown again means it refused the data).

The accounts are in the JSON file `BENCH_ACCOUNTS` (made by load_test.py), their password
`BENCH_PASSWORD`.
"""

import datetime
import itertools
import json
import os
import random
import re

import gevent
from locust import HttpUser, task

PASSWORD = os.environ["BENCH_PASSWORD"]
ACCOUNTS = json.load(open(os.environ["BENCH_ACCOUNTS"]))  # noqa: SIM115
OFFICERS = itertools.cycle(ACCOUNTS["officers"])
STAFF = itertools.cycle(ACCOUNTS["staff"])
STEPS = 4  # pages or writes in a working session
# The pauses of a person: reading a page before the next click, filling a form.
# Quick ones, as on a phone (a session then lasts about 30 s: 50 users sign in as 500 of the
# accounts in 5 minutes).
READING = (1, 4)
FILLING = (3, 10)
SIGN_IN = "/accounts/login/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IMPORT_HEADERS = (
    "Mã phường,Mã tổ dân phố,Tên tổ dân phố,Ngày,Lĩnh vực,Tên hoạt động,Mô tả,Số hộ tiếp cận,"
    "Số người tham gia,Kết quả"
)
written = itertools.count(1)


def day(days_ago):
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).strftime("%d/%m/%Y")


class Person(HttpUser):
    abstract = True
    accounts = None
    # The pause between two clicks is in `session`; a session follows the last at once.
    wait_time = staticmethod(lambda: 0)

    @task
    def session(self):
        self.account = next(self.accounts)
        page = self.client.get(SIGN_IN, name="sign in: form")
        with self.client.post(
            SIGN_IN,
            {
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.token(page),
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: not signed in")
                return
        self.client.get(response.headers["Location"], name="home, after signing in")
        steps = self.steps()
        for step in random.choices(list(steps), weights=list(steps.values()), k=STEPS):
            gevent.sleep(random.uniform(*READING))
            step()
        self.client.post(
            "/accounts/logout/",
            {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            name="sign out",
        )

    def steps(self):
        raise NotImplementedError

    def token(self, page):
        found = TOKEN.search(page.text)
        return found.group(1) if found else ""

    def write(self, url, data, name, files=None, form=None):
        """POST `data` to `url` (with the token of `form`, the page read first) and expect
        the application's redirect: a form shown again is a refusal, counted as a failure."""
        form = form or self.client.get(url, name=f"{name}: form")
        gevent.sleep(random.uniform(*FILLING))
        with self.client.post(
            url,
            {**data, "csrfmiddlewaretoken": self.token(form)},
            files=files,
            name=f"write: {name}",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or location.startswith(SIGN_IN):
                response.failure(f"{response.status_code} {location}: refused")
                return None
            return location


class WardOfficer(Person):
    weight = 9  # to each district staff (a unit of a dozen wards has a few staff)
    accounts = OFFICERS

    def steps(self):
        return {
            self.ward_home: 2,
            self.lists: 1.5,
            self.search: 0.5,
            self.dashboard: 1,
            self.team: 1,
            self.add_activity: 6,
            self.add_feedback: 5,
            self.report_progress: 2,
            self.import_activities: 0.5,
        }

    @property
    def ward(self):
        return self.account["ward"]

    def ward_home(self):
        self.client.get(f"/wards/{self.ward}/", name="ward home")

    def lists(self):
        kind = random.choice(["members", "activities", "feedback"])
        self.client.get(f"/wards/{self.ward}/{kind}/", name=f"{kind} list")

    def search(self):
        self.client.get(f"/wards/{self.ward}/activities/?q=ve+sinh", name="activities search")

    def dashboard(self):
        self.client.get(f"/wards/{self.ward}/dashboard/", name="ward dashboard")

    def team(self):
        team = random.choice(self.account["groups"])["team"]
        self.client.get(f"/teams/{team}/", name="team page")

    def add_activity(self):
        number = next(written)
        self.write(
            f"/wards/{self.ward}/activities/add/",
            {
                "team": random.choice(self.account["groups"])["team"],
                "date": day(random.randint(0, 20)),
                "field": random.choice(["environment", "security", "social_welfare"]),
                "title": f"Tổng vệ sinh ngõ {number}",
                "households_reached": str(random.randint(5, 60)),
                "participants": str(random.randint(3, 30)),
            },
            "activity",
        )

    def add_feedback(self):
        self.write(
            f"/wards/{self.ward}/feedback/add/",
            {
                "team": random.choice(self.account["groups"])["team"],
                "received_on": day(random.randint(0, 20)),
                "field": "urban_order",
                "summary": f"Đề nghị dọn vỉa hè số {next(written)}",
                "status": "new",
            },
            "feedback",
        )

    def report_progress(self):
        """This period's report on one of the ward's tasks: made, or corrected when made."""
        url = f"/assignments/{random.choice(self.account['assignments'])}/progress/"
        form = self.client.get(url, name="progress report: form")  # or the made one's
        period = {
            name: re.search(rf'name="{name}" value="([^"]*)"', form.text)
            for name in ("period_start", "period_end")
        }
        self.write(
            form.url,
            {
                **{name: found.group(1) if found else "" for name, found in period.items()},
                "status": "in_progress",
                "percent": str(random.randint(10, 90)),
                "narrative": "Đã tập huấn các tổ dân vận.",
            },
            "progress report",
            form=form,
        )

    def import_activities(self):
        """Five activities in a CSV file: upload, wait for the check, confirm, wait."""
        group = random.choice(self.account["groups"])
        rows = [
            f"{self.ward},{group['code']},{group['name']},{day(3)},Vệ sinh môi trường,"
            f"Ra quân làm sạch ngõ {next(written)},,{10 + n},{5 + n},"
            for n in range(5)
        ]
        data = "\n".join([IMPORT_HEADERS, *rows]).encode("utf-8-sig")
        job = self.write(
            "/admin/teams/activity/import/",
            {},
            "import upload",
            files={"file": ("hoat-dong.csv", data, "text/csv")},
        )
        checked = job and self.wait_for(job, 'name="job"')  # the confirm button's form
        if not checked:
            return
        location = self.write(
            "/admin/teams/activity/process_import/",
            {"job": job.rstrip("/").rsplit("/", 1)[-1]},
            "import confirm",
            form=checked,
        )
        if location is not None:
            self.wait_for(location, "Đã nhập xong")

    def wait_for(self, url, done):
        """The job's page, read as its own reload does (every 2 s) until the worker has done
        its part, when it shows `done`; None if it does not."""
        for attempt in range(30):
            with self.client.get(url, name="import: job", catch_response=True) as page:
                if 'http-equiv="refresh"' not in page.text:
                    if done not in page.text:
                        page.failure("the import's job did not end as expected")
                        return None
                    return page
                if attempt == 29:
                    page.failure("the import's job still running after a minute")
            gevent.sleep(2)
        return None


class DistrictStaff(Person):
    weight = 1
    accounts = STAFF

    def steps(self):
        return {self.overview: 3, self.ward_dashboard: 2, self.seminar: 1, self.ward_list: 1}

    def overview(self):
        self.client.get("/overview/", name="district overview")

    def ward_dashboard(self):
        ward = random.choice(self.account["wards"])
        self.client.get(f"/wards/{ward}/dashboard/", name="ward dashboard (staff)")

    def seminar(self):
        self.client.get(f"/seminars/{self.account['seminar']}/", name="seminar detail")

    def ward_list(self):
        ward = random.choice(self.account["wards"])
        self.client.get(f"/wards/{ward}/activities/", name="activities list (staff)")
