"""`load_demo` builds the district and the seed seminar as the 2019 article reports it."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Attendee, Seminar, TaskAssignment
from meetings.selectors import seminar_facts
from teams.models import Activity, Member, Team
from tests.shared import module_records
from wards.demo import DEMO_USERS
from wards.models import Ward, WardSuccession
from workreports.models import ReportingPeriod
from workreports.selectors import state_counts

REFORM = datetime.date(2025, 7, 1)
ARTICLE = (Path(__file__).parent / "data" / "toa-dam-to-dan-van-2019.txt").read_text()


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every project model, with its timestamps."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in ("wards", "teams", "meetings", "registry", "workreports")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """What the demo's first load printed: loaded once for the module (a load takes 5 to
    10 s), each test in a savepoint of its transaction."""
    with module_records(django_db_blocker, load_demo) as output:
        yield output


@pytest.fixture
def seminar(demo, db):
    return Seminar.objects.get(title__icontains="chất lượng hoạt động của tổ dân vận")


def test_load_demo_seminar_has_the_articles_clusters(seminar):
    facts = seminar_facts(seminar=seminar)

    assert [(s.number, s.date) for s in facts.sessions] == [
        (1, datetime.date(2019, 7, 31)),
        (2, datetime.date(2019, 8, 2)),
    ]
    assert "Thượng Thanh" in facts.sessions[0].venue
    assert "Thạch Bàn" in facts.sessions[1].venue
    assert [len(s.wards) for s in facts.sessions] == [7, 7]
    assert facts.ward_count == 14
    assert seminar.organiser == "Ban Dân vận Quận ủy"
    assert seminar.title in ARTICLE


def test_load_demo_seminar_has_the_articles_leaders(seminar):
    leaders = {a.full_name: a for a in seminar_facts(seminar=seminar).leaders}

    assert set(leaders) == {"Đào Ngọc Triệu", "Nguyễn Huy Thắng", "Nguyễn Quốc Long"}
    assert leaders["Nguyễn Quốc Long"].role == Attendee.Role.CHAIR
    assert leaders["Nguyễn Huy Thắng"].role == Attendee.Role.DIRECTING
    for leader in leaders.values():
        assert leader.full_name in ARTICLE


def test_load_demo_seminar_has_18_contributions_10_and_8(seminar):
    facts = seminar_facts(seminar=seminar)

    assert facts.contribution_count == 18
    assert [s.contribution_count for s in facts.sessions] == [10, 8]
    # Counted independently of the selector, and matching the article's own sentence.
    counts = re.search(
        r"tổng số (\d+) ý kiến.*\((\d+) ý kiến ở cụm 1, (\d+) ý kiến ở cụm 2\)", ARTICLE
    )
    assert [int(n) for n in counts.groups()] == [
        seminar.sessions.get(number=1).contributions.count()
        + seminar.sessions.get(number=2).contributions.count(),
        seminar.sessions.get(number=1).contributions.count(),
        seminar.sessions.get(number=2).contributions.count(),
    ]


def test_load_demo_seminar_has_3_points_and_the_articles_6_tasks(seminar):
    article_tasks = re.findall(r"^(\d)\. (.+)$", ARTICLE, flags=re.MULTILINE)

    assert seminar.directive_points.count() == 3
    assert seminar.directive_points.filter(session__number=2).count() == 3
    assert [(str(t.number), t.text) for t in seminar.conclusion.tasks.order_by("number")] == [
        (number, text.strip()) for number, text in article_tasks
    ]
    assert len(article_tasks) == 6


def test_load_demo_assigns_every_task_to_all_14_wards(seminar):
    assignments = TaskAssignment.objects.filter(task__directive__seminar=seminar)
    given = assignments.filter(carried_from__isnull=True)

    assert given.count() == 6 * 14
    assert set(given.values_list("ward__name", flat=True)) == set(
        Ward.objects.filter(district__code="004").values_list("name", flat=True)
    )
    assert Ward.objects.filter(district__code="004").count() == 14
    reports = [
        r for a in given.prefetch_related("progress_reports") for r in a.progress_reports.all()
    ]
    assert reports, "some wards have reported progress"
    assert all(0 <= r.percent <= 100 for r in reports)


def test_load_demo_reform_makes_four_wards_of_the_city_from_the_14(seminar):
    new = Ward.objects.filter(valid_from=REFORM).order_by("code")

    assert [(w.code, w.name, w.district.name) for w in new] == [
        ("90001", "Long Biên", "Hà Nội"),
        ("90002", "Phúc Lợi", "Hà Nội"),
        ("90003", "Bồ Đề", "Hà Nội"),
        ("90004", "Việt Hưng", "Hà Nội"),
    ]
    old = Ward.objects.filter(district__code="004")
    assert set(old.values_list("valid_until", flat=True)) == {datetime.date(2025, 6, 30)}
    assert set(
        WardSuccession.objects.filter(successor__code="90001").values_list(
            "predecessor__name", flat=True
        )
    ) == {"Long Biên", "Cự Khối", "Phúc Đồng", "Thạch Bàn", "Bồ Đề", "Gia Thụy"}
    # The tasks still open in an old ward went on in its successors, handed over.
    carried = TaskAssignment.objects.filter(
        task__directive__seminar=seminar, carried_from__isnull=False
    )
    assert sorted(set(carried.values_list("ward__code", flat=True))) == [
        "90001",
        "90002",
        "90003",
        "90004",
    ]
    for assignment in TaskAssignment.objects.filter(ward__in=old).prefetch_related(
        "progress_reports"
    ):
        done = any(r.status == "completed" for r in assignment.progress_reports.all())
        assert assignment.handed_over_on == (None if done else REFORM), assignment


def test_load_demo_gives_every_ward_groups_with_teams_and_members(seminar):
    for ward in Ward.objects.prefetch_related("residential_groups__team__members"):
        groups = list(ward.residential_groups.all())
        assert len(groups) >= 3 if ward.valid_until else len(groups) >= 6, ward
        for group in groups:
            members = list(group.team.members.all())
            assert len(members) >= 5, group
            current = [m for m in members if m.left_on is None]
            if ward.valid_until:  # carried to the new team on the reform's eve
                assert current == [], group
                assert {m.left_on for m in members} == {datetime.date(2025, 6, 30)}
            else:
                assert sum(m.role == Member.Role.LEADER for m in current) == 1, group


def test_load_demo_gives_the_work_of_each_ward_in_its_own_time(seminar):
    today = timezone.localdate()
    before = Activity.objects.filter(**{f"{Activity.ward_path}__valid_until__isnull": False})
    after = Activity.objects.filter(**{f"{Activity.ward_path}__valid_from": REFORM})
    dates = list(Activity.objects.values_list("date", flat=True))

    assert before.count() + after.count() == len(dates)
    assert min(before.values_list("date", flat=True)) >= datetime.date(2024, 7, 1)
    assert max(before.values_list("date", flat=True)) <= datetime.date(2025, 6, 30)
    assert min(after.values_list("date", flat=True)) >= REFORM
    assert max(dates) <= today
    months = (today.year - 2024) * 12 + today.month - 7 + 1
    assert len({(d.year, d.month) for d in dates}) == months
    assert len(set(Activity.objects.values_list("field", flat=True))) >= 8
    assert Team.objects.count() == Team.objects.filter(activities__isnull=False).distinct().count()


def test_load_demo_has_a_monthly_report_cycle_of_the_new_wards(seminar):
    today = timezone.localdate()
    earlier, last = ReportingPeriod.objects.order_by("start")
    states = dict(last.ward_reports.values_list("ward__name", "state"))

    assert (last.district.name, last.kind, last.end) == (
        "Hà Nội",
        "month",
        today.replace(day=1) - datetime.timedelta(days=1),
    )
    assert states == {
        "Bồ Đề": "returned",
        "Long Biên": "accepted",
        "Phúc Lợi": "draft",
        "Việt Hưng": "submitted",
    }
    assert (state_counts(last)["late"], state_counts(last)["sent_late"]) == (1, 0)
    assert set(earlier.ward_reports.values_list("state", flat=True)) == {"accepted"}
    assert earlier.consolidated.document.symbol == "1-BC/BTGDVTU"
    assert last.consolidated.document is None


def test_load_demo_twice_changes_nothing(demo, db):
    before = snapshot()

    second_output = load_demo()

    assert snapshot() == before
    assert second_output == demo


def test_load_demo_prints_a_login_for_every_role(demo, db):
    # `db` too: pytest-django runs the tests without it last, after the browser tests, whose
    # event loop forbids the module's transaction.
    output = demo

    for username in (
        "admin",
        "quantri.longbien",
        "canbo.quan",
        "canbo.thuongthanh",
        "canbo.thanhpho",
        "canbo.bode",
    ):
        assert f"{username} " in output
    assert output.count("danvan-demo-2019") == len(DEMO_USERS)
    assert "http://127.0.0.1:8000/" in output
