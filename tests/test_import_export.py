"""Spreadsheets in and out: Vietnamese headers, natural keys, and re-imports that change nothing.

Files are exported through the resources and imported through the bulk importers built on
them (`core.imports`), as the admin's import does once confirmed.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import XLSX
from tablib import Dataset

from core.imports import importer_for
from core.models import ImportJob
from core.tables import Table, clean_cell
from teams.models import Activity, Member, Team
from teams.resources import ActivityResource, MemberResource, TeamResource
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    MemberFactory,
    ResidentialGroupFactory,
    TeamFactory,
    WardFactory,
)
from wards.models import ResidentialGroup, Ward
from wards.resources import ResidentialGroupResource, WardResource

pytestmark = pytest.mark.django_db


def spreadsheet(resource, rows):
    """A file as people type it: the resource's Vietnamese headers, one dict of fields a row."""
    names = list(rows[0])
    data = Dataset(headers=[resource.fields[name].column_name for name in names])
    for row in rows:
        data.append([row[name] for name in names])
    return data


def import_file(resource, data):
    """Import a tablib Dataset (its first row is the spreadsheet's row 2)."""
    table = Table(
        list(data.headers),
        [(number, [clean_cell(cell) for cell in row]) for number, row in enumerate(data, 2)],
    )
    return importer_for(resource._meta.model)().run(table, commit=True)


def row_errors(result):
    """Every problem the import reports, as text, for assertion messages."""
    return [f"row {e.row}, {e.column} = {e.value!r}: {e.message}" for e in result.errors]


def errors_by_column(result):
    return {error.column: error for error in result.errors}


def snapshot(model):
    """Every row's last change, to show that an import touched nothing."""
    return dict(model.objects.values_list("pk", "updated_at"))


def vietnamese_label(choice):
    """A choice as a Vietnamese file writes it."""
    with translation.override("vi"):
        return str(choice.label)


def ward_rows(district):
    return [
        {
            "district": district.code,
            "code": "00115",
            "name": "Thượng Thanh",
            "kind": vietnamese_label(Ward.Kind.WARD),
            "is_active": "Có",
        },
        {
            "district": district.code,
            "code": "00118",
            "name": "Thạch Bàn",
            "kind": "ward",
            "is_active": "Không",
        },
    ]


def group_rows(ward):
    return [
        {
            "ward": ward.code,
            "code": f"{number:02d}",
            "name": f"Tổ dân phố số {number}",
            "households": 300 + number,
            "population": 1100 + number,
            "is_active": "Có",
        }
        for number in (1, 2, 3)
    ]


def team_rows(groups):
    return [
        {
            "ward_code": group.ward.code,
            "residential_group": group.code,
            "founded_on": "01/03/2015",
        }
        for group in groups
    ]


def member_rows(team):
    group = team.residential_group
    return [
        {
            "ward_code": group.ward.code,
            "team": group.code,
            "full_name": "Nguyễn Văn An",
            "gender": "male",
            "birth_year": 1958,
            "phone": "0912 345 678",
            "is_party_member": "Có",
            "organisation": "party_cell",
            "role": "leader",
            "joined_on": "05/09/2015",
            "left_on": "",
        },
        {
            "ward_code": group.ward.code,
            "team": group.code,
            "full_name": "Trần Thị Bình",
            "gender": "female",
            "birth_year": 1970,
            "phone": "",
            "is_party_member": "Không",
            "organisation": "women",
            "role": "member",
            "joined_on": "",
            "left_on": "",
        },
    ]


def activity_rows(team):
    group = team.residential_group
    return [
        {
            "ward_code": group.ward.code,
            "team": group.code,
            "date": date,
            "field": "environment",
            "title": "Tổng vệ sinh ngõ phố",
            "description": "",
            "households_reached": 40,
            "participants": 25,
            "outcome": "Thu gom 2 tấn rác.",
        }
        for date in ("05/09/2025", "12/09/2025")
    ]


def make_ward_file():
    return WardResource, Ward, ward_rows(DistrictFactory())


def make_group_file():
    return ResidentialGroupResource, ResidentialGroup, group_rows(WardFactory())


def make_team_file():
    groups = ResidentialGroupFactory.create_batch(2, ward=WardFactory())
    return TeamResource, Team, team_rows(groups)


def make_member_file():
    return MemberResource, Member, member_rows(TeamFactory())


def make_activity_file():
    return ActivityResource, Activity, activity_rows(TeamFactory())


FILES = [
    pytest.param(make_ward_file, id="ward"),
    pytest.param(make_group_file, id="residential-group"),
    pytest.param(make_team_file, id="team"),
    pytest.param(make_member_file, id="member"),
    pytest.param(make_activity_file, id="activity"),
]


@pytest.mark.parametrize("make_file", FILES)
def test_first_import_creates_every_row(make_file):
    resource_class, model, rows = make_file()

    result = import_file(resource_class(), spreadsheet(resource_class(), rows))

    assert not result.errors, row_errors(result)
    assert result.new == len(rows)
    assert model.objects.count() == len(rows)


@pytest.mark.parametrize("make_file", FILES)
def test_second_import_of_the_same_file_changes_nothing(make_file):
    resource_class, model, rows = make_file()
    data = spreadsheet(resource_class(), rows)
    import_file(resource_class(), data)
    before = snapshot(model)

    result = import_file(resource_class(), data)

    assert not result.errors, row_errors(result)
    assert result.unchanged == len(rows)
    assert snapshot(model) == before


@pytest.mark.parametrize("make_file", FILES)
def test_exported_file_imports_back_unchanged(make_file):
    resource_class, model, rows = make_file()
    import_file(resource_class(), spreadsheet(resource_class(), rows))
    before = snapshot(model)

    exported = resource_class().export()
    result = import_file(resource_class(), exported)

    assert len(exported) == len(rows)
    assert not result.errors, row_errors(result)
    assert result.unchanged == len(rows)
    assert snapshot(model) == before


@pytest.mark.parametrize(
    "make_file",
    [
        pytest.param(make_ward_file, id="ward"),
        pytest.param(make_group_file, id="residential-group"),
        pytest.param(make_team_file, id="team"),
        pytest.param(make_member_file, id="member"),
        pytest.param(make_activity_file, id="activity"),
    ],
)
def test_exported_excel_file_imports_back_unchanged(make_file):
    resource_class, model, rows = make_file()
    import_file(resource_class(), spreadsheet(resource_class(), rows))
    before = snapshot(model)
    xlsx = XLSX()

    excel_file = xlsx.export_data(resource_class().export())
    result = import_file(resource_class(), xlsx.create_dataset(excel_file))

    assert not result.errors, row_errors(result)
    assert result.unchanged == len(rows)
    assert snapshot(model) == before


def test_excel_date_cells_imported_twice_change_nothing():
    rows = activity_rows(TeamFactory())
    for row in rows:
        row["date"] = datetime.datetime.strptime(row["date"], "%d/%m/%Y")
    data = spreadsheet(ActivityResource(), rows)
    import_file(ActivityResource(), data)
    before = snapshot(Activity)

    result = import_file(ActivityResource(), data)

    assert result.unchanged == len(rows)
    assert snapshot(Activity) == before


def test_count_written_with_a_thousands_dot_is_not_misread():
    rows = group_rows(WardFactory())
    rows[0].update(households="1.200", population="3.450")

    import_file(ResidentialGroupResource(), spreadsheet(ResidentialGroupResource(), rows))

    stored = ResidentialGroup.objects.filter(code=rows[0]["code"])
    assert list(stored.values_list("households", "population")) == [(1200, 3450)]


@pytest.mark.parametrize("households", ["12,7", "1.2", "-3", "mười"])
def test_count_that_is_not_a_whole_number_is_refused_and_nothing_is_written(households):
    ward = WardFactory()
    rows = group_rows(ward)
    rows[-1]["households"] = households

    result = import_file(ResidentialGroupResource(), spreadsheet(ResidentialGroupResource(), rows))

    assert result.errors
    assert "không phải số nguyên" in str(row_errors(result))
    assert not ResidentialGroup.objects.filter(ward=ward).exists()


def test_export_writes_labels_yes_no_and_day_first_dates():
    member = MemberFactory(
        role=Member.Role.LEADER, is_party_member=True, joined_on=datetime.date(2015, 9, 5)
    )

    exported = MemberResource().export().dict[0]

    assert exported["Vai trò"] == vietnamese_label(Member.Role.LEADER)
    assert exported["Đảng viên"] == "Có"
    assert exported["Ngày vào"] == "05/09/2015"
    assert exported["Mã phường"] == member.team.residential_group.ward.code


def test_role_written_as_its_vietnamese_label_is_imported():
    rows = member_rows(TeamFactory())
    rows[0]["role"] = vietnamese_label(Member.Role.LEADER)

    result = import_file(MemberResource(), spreadsheet(MemberResource(), rows))

    assert not result.errors, row_errors(result)
    assert Member.objects.get(person__full_name="Nguyễn Văn An").role == Member.Role.LEADER


def test_dates_and_yes_no_are_read_as_vietnamese_write_them():
    rows = member_rows(TeamFactory())

    import_file(MemberResource(), spreadsheet(MemberResource(), rows))

    leader = Member.objects.get(person__full_name="Nguyễn Văn An")
    assert leader.joined_on == datetime.date(2015, 9, 5)
    assert leader.is_party_member is True
    assert Member.objects.get(person__full_name="Trần Thị Bình").is_party_member is False


def test_unknown_ward_code_fails_the_file_and_writes_nothing():
    ward = WardFactory()
    rows = group_rows(ward)
    rows[-1]["ward"] = "99999"

    result = import_file(ResidentialGroupResource(), spreadsheet(ResidentialGroupResource(), rows))

    assert [error.row for error in result.errors] == [len(rows) + 1]
    assert not ResidentialGroup.objects.exists()


def test_unknown_ward_code_of_a_member_fails_the_file_and_writes_nothing():
    rows = member_rows(TeamFactory())
    rows[-1]["ward_code"] = "99999"

    result = import_file(MemberResource(), spreadsheet(MemberResource(), rows))

    assert [error.row for error in result.errors] == [len(rows) + 1]
    assert not Member.objects.exists()


def test_unknown_role_is_reported_with_its_value_and_not_stored():
    rows = member_rows(TeamFactory())
    rows[0]["role"] = "Trưởng nhóm"

    result = import_file(MemberResource(), spreadsheet(MemberResource(), rows))

    [invalid] = result.errors
    assert (invalid.row, invalid.column, invalid.value) == (2, "Vai trò", "Trưởng nhóm")
    assert "Trưởng nhóm" in invalid.message
    assert not Member.objects.filter(person__full_name="Nguyễn Văn An").exists()


def test_unknown_yes_no_value_is_reported_and_not_stored():
    rows = member_rows(TeamFactory())
    rows[0]["is_party_member"] = "Chưa rõ"

    result = import_file(MemberResource(), spreadsheet(MemberResource(), rows))

    [invalid] = result.errors
    assert (invalid.column, invalid.value) == ("Đảng viên", "Chưa rõ")
    assert "Chưa rõ" in invalid.message
    assert not Member.objects.filter(person__full_name="Nguyễn Văn An").exists()


def test_month_first_date_is_reported_and_not_stored():
    rows = member_rows(TeamFactory())
    rows[0]["joined_on"] = "09/25/2015"

    result = import_file(MemberResource(), spreadsheet(MemberResource(), rows))

    [invalid] = result.errors
    assert (invalid.row, invalid.column, invalid.value) == (2, "Ngày vào", "09/25/2015")
    assert not Member.objects.filter(person__full_name="Nguyễn Văn An").exists()


def test_month_first_date_in_a_natural_key_fails_the_file_and_writes_nothing():
    rows = activity_rows(TeamFactory())
    rows[-1]["date"] = "09/25/2025"

    result = import_file(ActivityResource(), spreadsheet(ActivityResource(), rows))

    assert [error.row for error in result.errors] == [len(rows) + 1]
    assert not Activity.objects.exists()


def test_broken_constraint_is_reported_with_the_models_message():
    rows = group_rows(WardFactory())
    rows[0]["population"] = rows[0]["households"] - 1

    result = import_file(ResidentialGroupResource(), spreadsheet(ResidentialGroupResource(), rows))

    [invalid] = result.errors
    constraint = next(
        c
        for c in ResidentialGroup._meta.constraints
        if c.name == "residential_group_population_gte_households"
    )
    assert (invalid.row, invalid.message) == (2, str(constraint.violation_error_message))
    assert not ResidentialGroup.objects.filter(code=rows[0]["code"]).exists()


def test_second_current_leader_in_a_file_is_reported_not_stored():
    team = MemberFactory(role=Member.Role.LEADER).team
    rows = member_rows(team)

    result = import_file(MemberResource(), spreadsheet(MemberResource(), rows))

    [invalid] = result.errors
    assert (invalid.row, invalid.column) == (2, "Vai trò")
    assert Member.objects.filter(team=team, role=Member.Role.LEADER).count() == 1


def test_team_is_found_by_group_code_within_the_rows_ward():
    first, second = WardFactory(), WardFactory()
    TeamFactory(residential_group__ward=first, residential_group__code="01")
    team = TeamFactory(residential_group__ward=second, residential_group__code="01")

    result = import_file(ActivityResource(), spreadsheet(ActivityResource(), activity_rows(team)))

    assert not result.errors, row_errors(result)
    assert set(Activity.objects.values_list("team", flat=True)) == {team.pk}


def test_changed_row_is_updated_in_place():
    activity = ActivityFactory(outcome="")
    rows = activity_rows(activity.team)[:1]
    rows[0].update(date="05/09/2025", title=activity.title, outcome="Thu gom 3 tấn rác.")

    result = import_file(ActivityResource(), spreadsheet(ActivityResource(), rows))

    assert (result.changed, result.new, result.errors) == (1, 0, []), row_errors(result)
    activity.refresh_from_db()
    assert activity.outcome == "Thu gom 3 tấn rác."
    assert Activity.objects.count() == 1


def upload_to_admin(client, model, data):
    """Send a file to the model's admin import page as CSV, as a person would; the check
    runs at once in the tests (the worker, elsewhere) and the page shows the job."""
    csv_file = SimpleUploadedFile("to-dan-van.csv", data.export("csv").encode(), "text/csv")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    return client.post(url, {"file": csv_file}, follow=True)


def test_admin_import_with_a_bad_row_offers_no_confirmation_and_writes_nothing_superuser(
    admin_client,
):
    rows = member_rows(TeamFactory())
    rows[-1]["role"] = "Trưởng nhóm"

    response = upload_to_admin(admin_client, Member, spreadsheet(MemberResource(), rows))

    assert response.status_code == 200
    job = response.context["job"]
    assert job.result["error_rows"] == 1
    assert reverse("admin:teams_member_process_import") not in response.text
    assert "Trưởng nhóm" in response.text and "Vai trò" in response.text
    assert not Member.objects.exists()


def test_admin_import_once_confirmed_creates_the_rows_superuser(admin_client):
    rows = member_rows(TeamFactory())
    preview = upload_to_admin(admin_client, Member, spreadsheet(MemberResource(), rows))
    assert not Member.objects.exists()
    job = preview.context["job"]
    assert (job.status, job.result["new"]) == (ImportJob.Status.CHECKED, 2)

    response = admin_client.post(reverse("admin:teams_member_process_import"), {"job": job.pk})

    assert response.status_code == 302
    assert set(Member.objects.values_list("person__full_name", flat=True)) == {
        row["full_name"] for row in rows
    }
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ImportJob.Status.IMPORTED, "")
