"""The dashboards' tallies stay equal to counts of the records after every kind of write:
saves and deletes of one record, moves of teams, groups and wards, deletions of many, bulk
inserts, imports, writes at the same time, and a rebuild."""

import datetime
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.signals import writes_batched
from core.tables import read_table
from meetings.models import TaskAssignment
from reports import tallies
from reports.models import DistrictMembers, DistrictMonth, WardMembers, WardMonth
from teams.imports import ActivityImporter, MemberImporter
from teams.models import Activity, CitizenFeedback, Member
from teams.resources import ActivityResource, MemberResource
from tests.factories import (
    ActivityFactory,
    CitizenFeedbackFactory,
    DistrictFactory,
    MemberFactory,
    RoleUserFactory,
    TaskAssignmentFactory,
    TeamFactory,
    WardFactory,
)
from wards.imports import WardImporter
from wards.models import Ward
from wards.resources import WardResource
from wards.roles import Role

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2025, 3, 1)
APRIL = datetime.date(2025, 4, 1)


def assert_tallies_are_counts():
    """The stored tallies are what counting every record again gives."""
    assert tallies.differences() == {}


def ward_month(ward, month):
    return (
        WardMonth.objects.filter(ward=ward, month=month)
        .values("activities", "households", "feedback_received", "feedback_resolved")
        .first()
    )


@pytest.fixture
def two_wards():
    """Two wards of one district and a ward of another, with a team each."""
    first = WardFactory(name="Bồ Đề")
    second = WardFactory(name="Gia Thụy", district=first.district)
    other = WardFactory(name="Trâu Quỳ")
    teams = [TeamFactory(residential_group__ward=ward) for ward in (first, second, other)]
    return [first, second, other], teams


def test_saved_activity_is_tallied_in_its_ward_month_and_unit(two_wards):
    (first, *_rest), (team, *_teams) = two_wards

    ActivityFactory(team=team, date=datetime.date(2025, 3, 14), households_reached=12)
    ActivityFactory(team=team, date=datetime.date(2025, 3, 20), households_reached=3)

    assert ward_month(first, MARCH) == {
        "activities": 2,
        "households": 15,
        "feedback_received": 0,
        "feedback_resolved": 0,
    }
    assert DistrictMonth.objects.get(district=first.district, month=MARCH).activities == 2
    assert_tallies_are_counts()


def test_activity_moved_to_another_month_and_ward_leaves_both_tallies_right(two_wards):
    (first, second, _other), (team, second_team, _team) = two_wards
    activity = ActivityFactory(team=team, date=datetime.date(2025, 3, 14))

    activity.team = second_team
    activity.date = datetime.date(2025, 4, 2)
    activity.save()

    assert ward_month(first, MARCH) is None
    assert ward_month(second, APRIL)["activities"] == 1
    assert list(Activity.objects.values_list("ward__name", flat=True)) == ["Gia Thụy"]
    assert_tallies_are_counts()


def test_deleted_activity_leaves_its_tally(two_wards):
    (first, *_rest), (team, *_teams) = two_wards
    kept = ActivityFactory(team=team, date=datetime.date(2025, 3, 14))
    ActivityFactory(team=team, date=datetime.date(2025, 3, 15)).delete()

    assert ward_month(first, MARCH)["activities"] == 1
    kept.delete()
    assert ward_month(first, MARCH) is None
    assert_tallies_are_counts()


def test_feedback_resolved_later_counts_as_resolved_in_the_month_received(two_wards):
    (first, *_rest), (team, *_teams) = two_wards
    feedback = CitizenFeedbackFactory(team=team, received_on=datetime.date(2025, 3, 14))
    assert ward_month(first, MARCH)["feedback_resolved"] == 0

    feedback.status = CitizenFeedback.Status.RESOLVED
    feedback.resolved_on = datetime.date(2025, 4, 20)
    feedback.save()

    assert ward_month(first, MARCH)["feedback_received"] == 1
    assert ward_month(first, MARCH)["feedback_resolved"] == 1
    assert_tallies_are_counts()


def test_member_who_leaves_is_no_longer_tallied(two_wards):
    (first, *_rest), (team, *_teams) = two_wards
    member = MemberFactory(team=team, organisation="women", is_party_member=True)
    MemberFactory(team=team, organisation="women", is_party_member=False)
    tally = WardMembers.objects.get(ward=first, organisation="women")
    assert (tally.members, tally.party_members) == (2, 1)

    member.left_on = datetime.date(2025, 5, 1)
    member.save()

    tally = DistrictMembers.objects.get(district=first.district, organisation="women")
    assert (tally.members, tally.party_members) == (1, 0)
    assert_tallies_are_counts()


def member_tallies(model, **place):
    return sorted(
        model.objects.filter(**place).values_list(
            "organisation", "members", "party_members", "people"
        )
    )


def test_person_in_two_teams_is_two_seats_and_one_person(two_wards):
    (first, second, _other), (team, second_team, _other_team) = two_wards
    seat = MemberFactory(team=team, organisation="women", is_party_member=True)
    neighbours = TeamFactory(residential_group__ward=first)
    MemberFactory(team=neighbours, organisation="youth", is_party_member=False, person=seat.person)
    MemberFactory(team=second_team, organisation="women", person=seat.person)
    MemberFactory(team=second_team, organisation="women", is_party_member=False)

    # (organisation, seats, party members, people): "" for all of them.
    assert member_tallies(WardMembers, ward=first) == [
        ("", 2, 1, 1),
        ("women", 1, 1, None),
        ("youth", 1, 0, None),
    ]
    assert member_tallies(WardMembers, ward=second) == [("", 2, 1, 2), ("women", 2, 1, None)]
    assert member_tallies(DistrictMembers, district=first.district) == [
        ("", 4, 2, 2),
        ("women", 3, 2, None),
        ("youth", 1, 0, None),
    ]
    assert_tallies_are_counts()


def test_team_moved_to_another_wards_group_takes_its_tallies(two_wards):
    (first, _second, other), (team, _second_team, other_team) = two_wards
    ActivityFactory(team=team, date=datetime.date(2025, 3, 14))
    MemberFactory(team=team)

    team.residential_group = other_team.residential_group.ward.residential_groups.create(
        code="99", name="Tổ 99"
    )
    team.save()

    assert ward_month(first, MARCH) is None
    assert ward_month(other, MARCH)["activities"] == 1
    assert not DistrictMonth.objects.filter(district=first.district).exists()
    assert list(Activity.objects.values_list("ward__name", flat=True)) == ["Trâu Quỳ"]
    assert_tallies_are_counts()


def test_group_and_ward_moved_take_their_tallies(two_wards):
    (first, second, _other), (team, *_teams) = two_wards
    ActivityFactory(team=team, date=datetime.date(2025, 3, 14))
    group = team.residential_group

    group.ward = second
    group.save()
    assert ward_month(second, MARCH)["activities"] == 1
    assert list(Activity.objects.values_list("ward__name", flat=True)) == ["Gia Thụy"]

    second.district = DistrictFactory(name="Gia Lâm")
    second.save()
    assert DistrictMonth.objects.get(district=second.district, month=MARCH).activities == 1
    assert not DistrictMonth.objects.filter(district=first.district).exists()
    assert_tallies_are_counts()


def test_records_deleted_together_leave_no_tally(two_wards):
    (first, *_rest), (team, *_teams) = two_wards
    ActivityFactory.create_batch(3, team=team, date=datetime.date(2025, 3, 14))
    MemberFactory(team=team)

    # As the admin's "delete selected" does.
    Activity.objects.filter(team=team).delete()
    Member.objects.filter(team=team).delete()

    assert not WardMonth.objects.filter(ward=first).exists()
    assert not WardMembers.objects.filter(ward=first).exists()
    assert_tallies_are_counts()


def test_records_deleted_together_are_counted_again_once(two_wards):
    (first, *_rest), (team, *_teams) = two_wards
    ActivityFactory.create_batch(20, team=team, date=datetime.date(2025, 3, 14))

    with CaptureQueriesContext(connection) as queries:
        Activity.objects.filter(team=team).delete()

    recounts = [q for q in queries if q["sql"].startswith('DELETE FROM "reports_wardmonth"')]
    assert len(recounts) == 1
    assert ward_month(first, MARCH) is None
    assert_tallies_are_counts()


def test_bulk_created_records_are_tallied(two_wards):
    (first, *_rest), (team, *_teams) = two_wards

    Activity.objects.bulk_create(
        Activity(team=team, date=datetime.date(2025, 3, d), field="security", title=f"Tuần {d}")
        for d in range(1, 11)
    )

    assert ward_month(first, MARCH)["activities"] == 10
    assert_tallies_are_counts()


def export_table(resource, queryset, name):
    return read_table(name, resource().export(queryset=queryset).csv.encode())


def test_import_new_and_changed_rows_are_tallied(two_wards):
    (first, *_rest), (team, *_teams) = two_wards
    ActivityFactory(team=team, date=datetime.date(2025, 3, 14), households_reached=1)
    table = export_table(ActivityResource, Activity.objects.all(), "hoat-dong.csv")
    number, cells = table.rows[0]
    cells[table.headers.index("Số hộ tiếp cận")] = "40"
    new = list(cells)
    new[table.headers.index("Tên hoạt động")] = "Họp tổ tháng 4"
    new[table.headers.index("Ngày")] = "02/04/2025"
    table.rows.append((number + 1, new))

    result = ActivityImporter().run(table, commit=True)

    assert (result.new, result.changed, result.errors) == (1, 1, [])
    assert ward_month(first, MARCH)["households"] == 40
    assert ward_month(first, APRIL)["households"] == 40
    assert_tallies_are_counts()


def test_import_member_of_another_wards_team_is_tallied_there(two_wards):
    (_first, _second, other), (team, _second_team, other_team) = two_wards
    MemberFactory(team=team, organisation="youth")
    table = export_table(MemberResource, Member.objects.all(), "thanh-vien.csv")
    # The member's key includes the team: the row is a new member of the other ward's team.
    _number, cells = table.rows[0]
    cells[table.headers.index("Mã phường")] = other.code
    cells[table.headers.index("Mã tổ dân phố")] = other_team.residential_group.code

    result = MemberImporter().run(table, commit=True)

    assert result.errors == []
    assert WardMembers.objects.get(ward=other, organisation="youth").members == 1
    assert_tallies_are_counts()


def test_import_ward_moved_to_another_unit_is_refused_and_keeps_the_tallies(two_wards):
    (first, second, other), (team, *_teams) = two_wards
    ActivityFactory(team=team, date=datetime.date(2025, 3, 14))
    table = export_table(WardResource, Ward.objects.filter(pk=first.pk), "phuong.csv")
    _number, cells = table.rows[0]
    cells[table.headers.index("Mã đơn vị quản lý")] = other.district.code

    result = WardImporter().run(table, commit=True)

    assert result.changed == 0
    assert [(error.column, error.message) for error in result.errors] == [
        (
            "Mã đơn vị quản lý",
            "Không thể đổi đơn vị quản lý của một đơn vị đã có: đơn vị chuyển đi bằng một quyết "
            "định sắp xếp, để lịch sử của nó được giữ ở nơi đã diễn ra.",
        )
    ]
    assert DistrictMonth.objects.get(district=second.district, month=MARCH).activities == 1
    assert not DistrictMonth.objects.filter(district=other.district).exists()
    assert_tallies_are_counts()


def test_import_renaming_wards_counts_no_tally_again(two_wards):
    (first, *_rest), (team, *_teams) = two_wards
    ActivityFactory(team=team, date=datetime.date(2025, 3, 14))
    table = export_table(WardResource, Ward.objects.filter(pk=first.pk), "phuong.csv")
    _number, cells = table.rows[0]
    cells[table.headers.index("Tên phường")] = "Bồ Đề mới"

    with CaptureQueriesContext(connection) as queries:
        result = WardImporter().run(table, commit=True)

    assert (result.changed, result.errors) == (1, [])
    assert not [q for q in queries if "reports_" in q["sql"]]
    assert ward_month(first, MARCH)["activities"] == 1


def test_rebuild_tallies_command_counts_everything_again(two_wards, capsys):
    (first, *_rest), (team, *_teams) = two_wards
    ActivityFactory(team=team, date=datetime.date(2025, 3, 14))
    WardMonth.objects.all().delete()  # as if written by SQL

    call_command("rebuild_tallies")

    assert ward_month(first, MARCH)["activities"] == 1
    assert "Đã đếm lại số liệu tổng hợp" in capsys.readouterr().out


def test_rebuild_tallies_check_lists_the_differences_and_changes_nothing(two_wards, capsys):
    (first, *_rest), (team, *_teams) = two_wards
    ActivityFactory(team=team, date=datetime.date(2025, 3, 14), households_reached=7)
    WardMonth.objects.filter(ward=first, month=MARCH).update(activities=5)  # as if by SQL

    with pytest.raises(CommandError, match="khác với khi đếm lại"):
        call_command("rebuild_tallies", "--check")

    assert capsys.readouterr().out.splitlines() == [
        "reports_wardmonth: 1 dòng đã lưu mà đếm lại không có, 1 dòng đếm lại có mà chưa lưu.",
        f"  - (datetime.date(2025, 3, 1), 5, 7, 0, 0, {first.pk})",
        f"  + (datetime.date(2025, 3, 1), 1, 7, 0, 0, {first.pk})",
    ]
    assert ward_month(first, MARCH)["activities"] == 5  # left as it was
    WardMonth.objects.filter(ward=first, month=MARCH).update(activities=1)
    call_command("rebuild_tallies", "--check")
    assert "bằng kết quả đếm lại" in capsys.readouterr().out


ONLY_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"
)


def at_once(*steps):
    """Run each step in a thread of its own, with its own connection; the errors raised."""
    errors = []

    def run(step):
        try:
            step()
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@ONLY_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_officers_saving_at_once_in_one_unit_leave_both_counted(two_wards):
    (first, second, _other), (team, second_team, _team) = two_wards
    ready = threading.Barrier(2)

    def save(team, title):
        def step():
            ready.wait(timeout=10)
            with transaction.atomic():
                ActivityFactory(team=team, date=MARCH, title=title)
                time.sleep(0.5)  # both transactions are open with their tallies counted

        return step

    assert at_once(save(team, "Một"), save(second_team, "Hai")) == []
    assert DistrictMonth.objects.get(district=first.district, month=MARCH).activities == 2
    assert ward_month(first, MARCH)["activities"] == ward_month(second, MARCH)["activities"] == 1
    assert_tallies_are_counts()


@ONLY_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_edits_of_one_activity_at_once_leave_no_stale_month(two_wards):
    _wards, (team, *_teams) = two_wards
    activity = ActivityFactory(team=team, date=MARCH)
    saved = threading.Event()

    def edit(day, *, first):
        def step():
            if not first:
                saved.wait(timeout=10)
            with transaction.atomic():
                record = Activity.objects.get(pk=activity.pk)  # the second reads March
                record.date = day
                record.save()
                if first:
                    saved.set()
                    time.sleep(0.5)

        return step

    may = datetime.date(2025, 5, 10)
    assert at_once(edit(datetime.date(2025, 4, 10), first=True), edit(may, first=False)) == []
    assert Activity.objects.get().date == may
    assert_tallies_are_counts()


@ONLY_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_activity_saved_while_its_group_moves_is_tallied_in_the_new_ward(two_wards):
    (_first, second, _other), (team, *_teams) = two_wards
    moved = threading.Event()

    def move():
        with transaction.atomic():
            group = team.residential_group
            group.ward = second
            group.save()  # both wards counted again, their unit locked
            moved.set()
            time.sleep(0.5)

    def write():
        moved.wait(timeout=10)
        with transaction.atomic():
            ActivityFactory(team=team, date=MARCH)  # reads the group as still in `first`

    assert at_once(move, write) == []
    assert ward_month(second, MARCH)["activities"] == 1
    assert_tallies_are_counts()


@ONLY_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_imports_across_two_units_at_once_do_not_deadlock(two_wards, monkeypatch):
    _wards, (team, _second_team, other_team) = two_wards
    for each in (team, other_team):
        ActivityFactory(team=each, date=MARCH, title="Họp tổ", households_reached=1)

    def table(changed, added):
        """A file that changes the activity of one unit and adds one in the other."""
        rows = export_table(ActivityResource, Activity.objects.filter(team=changed), "a.csv")
        number, cells = rows.rows[0]
        cells[rows.headers.index("Số hộ tiếp cận")] = "7"
        _number, new = export_table(
            ActivityResource, Activity.objects.filter(team=added), "b.csv"
        ).rows[0]
        new[rows.headers.index("Tên hoạt động")] = "Họp tổ lần 2"
        rows.rows.append((number + 1, new))
        return rows

    tables = [table(other_team, team), table(team, other_team)]
    written = threading.Barrier(2)
    refresh_places = tallies.refresh_places

    def when_both_have_written(*args, **kwargs):
        written.wait(timeout=10)
        refresh_places(*args, **kwargs)

    monkeypatch.setattr(tallies, "refresh_places", when_both_have_written)

    def run(rows):
        def step():
            assert ActivityImporter().run(rows, commit=True).errors == []

        return step

    assert at_once(*(run(rows) for rows in tables)) == []
    assert Activity.objects.count() == 4
    assert_tallies_are_counts()


def test_update_of_a_counted_record_outside_a_reported_write_is_refused():
    activity = ActivityFactory()

    with pytest.raises(TypeError, match=r"QuerySet.update\(\) of teams.Activity would bypass"):
        Activity.objects.filter(pk=activity.pk).update(households_reached=99)

    activity.refresh_from_db()
    assert activity.households_reached == 40


def test_update_inside_a_reported_write_goes_through():
    """As an import does: it updates in bulk, then says what it wrote."""
    activity = ActivityFactory()

    with writes_batched():
        Activity.objects.filter(pk=activity.pk).update(households_reached=99)

    activity.refresh_from_db()
    assert activity.households_reached == 99


def test_update_of_a_record_no_tally_follows_goes_through():
    assignment = TaskAssignmentFactory()

    TaskAssignment.objects.filter(pk=assignment.pk).update(due_on=datetime.date(2026, 1, 1))

    assert TaskAssignment.objects.get().due_on == datetime.date(2026, 1, 1)


# What a single save costs


def save_queries(client, url, data, monkeypatch):
    """The queries of one save (a POST that redirects), and those of the tallies among them:
    the difference with the same save made while the tallies follow no model."""

    def post():
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        assert response.status_code == 302, response.context and response.context.get("form")
        return len(queries)

    with transaction.atomic():
        counted = post()
        transaction.set_rollback(True)
    with monkeypatch.context() as patch:
        patch.setattr(tallies, "TRACKED", {})
        without = post()
    return counted, counted - without


def task_of(ward):
    return TaskAssignmentFactory(ward=ward, due_on=datetime.date(2020, 6, 30)).pk


# An officer's save of each kind: the page, its argument, the form, (queries in all, those
# of the tallies).
SAVES = [
    pytest.param(
        "teams:activity_add",
        lambda ward: ward.code,
        lambda team: {
            "team": team.pk, "date": "05/09/2025", "field": "environment",
            "title": "Tổng vệ sinh ngõ 12", "households_reached": "35", "participants": "20",
        },
        # Its unit locked (found through its team), where it is, the month's ward and unit
        # tallies deleted, its unit's activities and feedback counted (by ward and field),
        # the ward's and the unit's tallies written.
        (24, 8),
        id="activity",
    ),
    pytest.param(
        "teams:feedback_add",
        lambda ward: ward.code,
        lambda team: {
            "team": team.pk, "received_on": "10/09/2025", "field": "urban_order",
            "summary": "Đề nghị dọn vỉa hè", "status": "new",
        },
        # As an activity; the rest are the feedback's own follow-up steps and helpers.
        (39, 8),
        id="feedback",
    ),
    pytest.param(
        "teams:member_add",
        lambda ward: ward.code,
        lambda team: {
            "full_name": "Hoàng Văn Nam", "gender": "male", "birth_year": "1965",
            "phone": "0912 000 222", "id_number": "", "team": team.pk,
            "organisation": "veterans", "role": "member", "joined_on": "", "left_on": "",
        },
        # Its unit locked, where it is, its ward's and unit's member tallies deleted, counted
        # (a query each) and written.
        (32, 8),
        id="member",
    ),
    pytest.param(
        "meetings:progress_add",
        task_of,
        lambda team: {
            "period_start": "01/07/2025", "period_end": "30/09/2025",
            "status": "in_progress", "percent": "60", "narrative": "Đã tập huấn hai tổ.",
        },
        (28, 0),  # a task's progress is in no tally
        id="progress report",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("page", "argument", "form", "expected"), SAVES)
def test_save_ward_officer_costs_a_pinned_number_of_queries_of_the_tallies(
    client, two_wards, monkeypatch, page, argument, form, expected
):
    (ward, *_rest), (team, *_teams) = two_wards
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))

    queries = save_queries(client, reverse(page, args=[argument(ward)]), form(team), monkeypatch)

    assert queries == expected
