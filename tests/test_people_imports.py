"""People, posts, prestigious people and trainings in the import/export registry: a row's
person is found by the one rule of `people.identity` (or added, or refused as a likely
duplicate), a file imported again changes nothing, a training is its ward's or the importing
unit's own, and personal data leaves only with those who manage the person's ward."""

import datetime
import decimal
import io

import openpyxl
import pytest
import tablib
from django.db.models import F

from core.tables import Table, xlsx_bytes
from people import identity
from people.imports import PersonImporter, PositionImporter
from people.models import Person, Position
from people.resources import PersonResource
from teams.imports import PrestigiousPersonImporter, TrainingImporter
from teams.models import PrestigiousPerson, Training
from teams.resources import PrestigiousPersonResource
from tests.factories import (
    DistrictFactory,
    PersonFactory,
    ResidentialGroupFactory,
    RoleUserFactory,
    WardFactory,
)
from tests.shared import admin_url
from wards.models import SecurityEvent
from wards.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return ResidentialGroupFactory(code="07", ward__code="00115")


@pytest.fixture
def officer(group):
    return RoleUserFactory(role=Role.WARD_OFFICER, wards=[group.ward])


def run(importer_class, user, *rows, commit=True):
    headers = list(dict.fromkeys(header for row in rows for header in row))
    table = Table(
        headers,
        [
            (index + 2, [row.get(header, "") for header in headers])
            for index, row in enumerate(rows)
        ],
    )
    return importer_class(user=user).run(table, commit=commit)


def person_row(group, **cells):
    return {
        "Mã phường": group.ward.code,
        "Mã tổ dân phố": group.code,
        "Họ và tên": "Đỗ Thị Hạnh",
        "Giới tính": "Nữ",
        "Năm sinh": "1965",
        "Điện thoại": "0904 111 222",
        "Địa chỉ": "Số 3, ngõ 7",
        **cells,
    }


def errors(result):
    return [(error.row, error.column, error.message) for error in result.errors]


# People


def test_people_import_adds_finds_updates_and_imports_again_unchanged(group, officer):
    known = PersonFactory(
        residential_group=group, full_name="Trần Văn Hùng", birth_year=1959, phone="0983 111 222"
    )

    first = run(
        PersonImporter,
        officer,
        person_row(group),
        # Found by name, year and phone (written another way): the address is added.
        person_row(
            group,
            **{
                "Họ và tên": "tran van hung",
                "Năm sinh": "1959",
                "Điện thoại": "0983111222",
                "Giới tính": "Nam",
            },
        ),
    )
    again = run(PersonImporter, officer, person_row(group))

    assert errors(first) == []
    assert (first.new, first.changed, first.unchanged) == (1, 1, 0)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 1)
    assert Person.objects.count() == 2
    known.refresh_from_db()
    # The name typed without its accents found the person and left their name as it was.
    assert (known.full_name, known.address) == ("Trần Văn Hùng", "Số 3, ngõ 7")
    added = Person.objects.get(full_name="Đỗ Thị Hạnh")
    assert (added.birth_year, added.gender, added.name_key) == (1965, "female", "do thi hanh")


def test_people_import_refuses_a_likely_duplicate_and_the_same_person_twice(group, officer):
    other_group = ResidentialGroupFactory(ward=group.ward, code="08")
    PersonFactory(
        residential_group=other_group,
        full_name="Đỗ Thị Hạnh",
        birth_year=1965,
        phone="0911 000 000",
    )

    result = run(
        PersonImporter,
        officer,
        person_row(group),  # same name and year, another group and phone: likely the same
        person_row(group, **{"Họ và tên": "Lê Văn Tám"}),
        person_row(group, **{"Họ và tên": "Lê Văn Tám", "Địa chỉ": "Số 5"}),
    )

    assert errors(result) == [
        (
            2,
            "Họ và tên",
            "Có thể trùng với Đỗ Thị Hạnh (1965, Tổ dân phố số 08) đã có hồ sơ cùng họ tên và "
            "năm sinh: hãy ghi số định danh, cùng số điện thoại hoặc tổ dân phố, hoặc gộp hồ sơ "
            "trước.",
        ),
        (
            4,
            "cùng một người (số định danh; hoặc họ tên và năm sinh cùng số điện thoại hoặc tổ "
            "dân phố)",
            "Trùng bản ghi với dòng 3.",
        ),
    ]
    assert not result.written
    assert Person.objects.count() == 1


def test_a_person_recorded_without_a_year_is_found_again_in_their_group(group, officer):
    PersonFactory(residential_group=group, full_name="Bà Tư", birth_year=None, phone="")
    row = person_row(
        group,
        **{
            "Họ và tên": "Bà Tư",
            "Năm sinh": "",
            "Điện thoại": "",
            "Giới tính": "Nữ",
            "Địa chỉ": "",
        },
    )

    again = run(PersonImporter, officer, row)

    assert errors(again) == []
    assert (again.new, again.changed, again.unchanged) == (0, 1, 0)  # gender added
    assert Person.objects.count() == 1


def test_each_row_of_a_file_is_compared_only_with_its_namesakes(group, officer, monkeypatch):
    """A file's rows are matched in linear time: each is compared with the people of its
    folded name (or identity number), stored or added by the file, never with everyone
    (a file of 100,000 members took hours)."""
    for index in range(50):
        PersonFactory(
            residential_group=group,
            full_name=f"Người Cũ {index}",
            birth_year=1960,
            phone=f"0900 000 {index:03d}",
        )
    compared = []
    same = identity.same
    monkeypatch.setattr(identity, "same", lambda *args: compared.append(args) or same(*args))
    rows = [
        person_row(
            group,
            **{"Họ và tên": f"Người Cũ {n}", "Năm sinh": "1960", "Điện thoại": f"0900000{n:03d}"},
        )
        for n in range(50)
    ] + [person_row(group, **{"Họ và tên": f"Người Mới {n}"}) for n in range(150)]

    result = run(PersonImporter, officer, *rows, commit=False)

    assert (result.new, result.error_rows) == (150, 0)
    assert len(compared) == 50


def test_people_import_refuses_another_wards_group_and_an_id_number_of_another_ward(
    group, officer
):
    elsewhere = ResidentialGroupFactory(code="01")
    PersonFactory(residential_group=elsewhere, id_number="001065000111")

    result = run(
        PersonImporter,
        officer,
        person_row(elsewhere),
        person_row(group, **{"Số định danh": "001065000111"}),
    )

    assert errors(result) == [
        (
            2,
            "Mã tổ dân phố",
            f"Không có tổ dân phố mã “01” thuộc phường “{elsewhere.ward.code}” trong phạm vi "
            "của bạn.",
        ),
        (
            3,
            "Số định danh",
            "Số định danh này đã có trong hồ sơ của một người bạn không được sửa.",
        ),
    ]


# Posts and prestigious people


def test_posts_import_finds_the_person_adds_the_post_and_imports_again_unchanged(group, officer):
    hung = PersonFactory(
        residential_group=group, full_name="Trần Văn Hùng", birth_year=1959, phone="0983 111 222"
    )
    rows = [
        person_row(
            group,
            **{
                "Họ và tên": "Trần Văn Hùng",
                "Năm sinh": "1959",
                "Điện thoại": "0983 111 222",
                "Giới tính": "Nam",
                "Chức vụ": "Tổ trưởng tổ dân phố",
                "Tổ chức": "Tổ dân phố số 7",
                "Từ ngày": "01/01/2023",
            },
        ),
        person_row(
            group,
            **{"Chức vụ": "Chi hội trưởng, trưởng chi đoàn thể", "Tổ chức": "Chi hội Phụ nữ tổ 7"},
        ),
    ]
    for row in rows:
        del row["Địa chỉ"]

    first = run(PositionImporter, officer, *rows)
    again = run(PositionImporter, officer, *rows)

    assert errors(first) == []
    assert (first.new, again.new, again.changed, again.unchanged) == (2, 0, 0, 2)
    assert sorted(Position.objects.values_list("person__full_name", "kind", "started_on")) == [
        ("Trần Văn Hùng", "group_head", datetime.date(2023, 1, 1)),
        ("Đỗ Thị Hạnh", "branch_head", None),
    ]
    assert Person.objects.count() == 2
    assert hung.positions.get().organisation == "Tổ dân phố số 7"


def test_prestigious_people_export_imports_again_unchanged_and_a_change_is_one_row(group, officer):
    person = PersonFactory(residential_group=group, full_name="Phạm Văn Minh", birth_year=1950)
    PrestigiousPerson.objects.create(
        person=person, residential_group=group, standing="Nhà giáo nghỉ hưu"
    )
    exported = PrestigiousPersonResource(user=officer).export()
    row = dict(zip(exported.headers, exported[0], strict=True))

    again = run(PrestigiousPersonImporter, officer, row)
    changed = run(
        PrestigiousPersonImporter,
        officer,
        row | {"Uy tín": "Trưởng họ Phạm", "Điện thoại": "0977 000 111"},
    )

    assert row == {
        "Mã phường": "00115",
        "Mã tổ dân phố": "07",
        "Họ và tên": "Phạm Văn Minh",
        "Giới tính": "Nam",
        "Năm sinh": 1950,
        "Điện thoại": "0912 345 678",
        "Số định danh": "",
        "Uy tín": "Nhà giáo nghỉ hưu",
        "Từ ngày": "",
        "Đến ngày": "",
    }
    assert (again.new, again.changed, again.unchanged) == (0, 0, 1)
    assert errors(changed) == []
    assert changed.samples == [
        (
            2,
            "changed",
            "Uy tín: Nhà giáo nghỉ hưu → Trưởng họ Phạm; Điện thoại: 0912 345 678 → 0977 000 111",
        )
    ]
    person.refresh_from_db()
    assert person.phone == "0977 000 111"
    assert PrestigiousPerson.objects.get().standing == "Trưởng họ Phạm"


# Trainings


def training_row(**cells):
    return {
        "Mã phường": "00115",
        "Ngày": "20/03/2026",
        "Tên lớp": "Bồi dưỡng kỹ năng dân vận khéo",
        "Trạng thái": "Dự kiến tổ chức",
        "Cấp tổ chức": "Phường",
        "Số giờ": "3,5",
        **cells,
    }


def test_trainings_import_is_the_wards_or_the_units_own(group, officer):
    unit = group.ward.district
    staff = RoleUserFactory(role=Role.DISTRICT_STAFF, district=unit)
    DistrictFactory(code="999")

    by_officer = run(
        TrainingImporter,
        officer,
        training_row(),
        training_row(**{"Mã phường": "", "Cấp tổ chức": "Quận"}),
        training_row(**{"Mã phường": WardFactory().code}),
        training_row(
            **{"Tên lớp": "Tập huấn đã học", "Trạng thái": "Đã tổ chức", "Ngày": "01/01/2099"}
        ),
        training_row(**{"Số giờ": "-2"}),
    )
    by_staff = run(
        TrainingImporter,
        staff,
        training_row(**{"Mã phường": "", "Cấp tổ chức": "Quận", "Số giờ": "8"}),
    )
    ward_only = run(TrainingImporter, officer, training_row())
    again = run(TrainingImporter, officer, training_row())

    assert sorted((row, column) for row, column, _message in errors(by_officer)) == [
        (3, "Mã phường"),
        (4, "Mã phường"),
        (5, "Ngày"),
        (6, "Số giờ"),
    ]
    messages = {(row, column): message for row, column, message in errors(by_officer)}
    assert messages[3, "Mã phường"] == (
        "Hãy ghi mã phường: bạn tổ chức tập huấn cho các phường của mình."
    )
    assert messages[5, "Ngày"] == "Buổi tập huấn đã tổ chức không thể ở ngày tương lai."
    assert messages[6, "Số giờ"] == "“-2” không phải là một số từ 0 trở lên, ví dụ 3,5."
    assert errors(by_staff) == [] and errors(ward_only) == []
    assert (again.new, again.changed, again.unchanged) == (0, 0, 1)
    assert list(
        Training.objects.order_by(F("ward").asc(nulls_first=True)).values_list(
            "district__code", "ward__code", "hours", "status"
        )
    ) == [
        (unit.code, None, decimal.Decimal("8.0"), "planned"),
        (unit.code, "00115", decimal.Decimal("3.5"), "planned"),
    ]


# Exports


def test_people_export_blanks_personal_data_per_row_and_the_admin_logs_it(client, group):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[group.ward])
    PersonFactory(residential_group=group, full_name="An", phone="0912 000 001")
    # A person of another ward whom the officer sees (a member of their ward's team).
    outsider = PersonFactory(full_name="Bình", phone="0912 000 002")
    viewer = RoleUserFactory(role=Role.VIEWER, district=group.ward.district)

    for_officer = PersonResource(user=officer).export(
        queryset=Person.objects.filter(pk__in=[outsider.pk])
        | Person.objects.filter(residential_group=group)
    )
    for_viewer = PersonResource(user=viewer).export(queryset=Person.objects.all())
    client.force_login(officer)
    response = client.post(
        admin_url("people.person", "export"),
        {
            "format": "0",
            "resource": "0",
            **{f"personresource_{name}": "on" for name in ("full_name", "phone")},
        },
    )

    assert [(row[2], row[6]) for row in for_officer] == [("An", "0912 000 001"), ("Bình", "")]
    assert "Điện thoại" not in for_viewer.headers and "Số định danh" not in for_viewer.headers
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Họ và tên", "Điện thoại"],
        ["An", "0912 000 001"],
    ]
    assert list(
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA).values_list(
            "user", "detail"
        )
    ) == [(officer.pk, "people.person: 1")]


def test_admin_export_page_names_the_columns_as_the_file_does(admin_client):
    page = admin_client.get(admin_url("people.person", "export"))

    labels = [field.label for field in page.context["form"] if field.name.startswith("person")]
    assert labels == [
        "Mã phường",
        "Mã tổ dân phố",
        "Họ và tên",
        "Giới tính",
        "Năm sinh",
        "Ngày sinh",
        "Điện thoại",
        "Số định danh",
        "Địa chỉ",
    ]


def test_admin_import_page_names_the_columns_in_the_pages_own_font(admin_client):
    page = admin_client.get(admin_url("people.person", "import")).content.decode()

    # A monospace font broke their accents: they are quoted text.
    assert "Các cột: “Mã phường”, “Mã tổ dân phố”, “Họ và tên”, “Giới tính”," in page
    assert "<code>" not in page


# What a review found


def test_people_import_with_a_date_of_birth_only_finds_the_person_again(group, officer):
    row = person_row(group, **{"Năm sinh": "", "Ngày sinh": "15/03/1968"})

    results = [run(PersonImporter, officer, row) for _ in range(3)]

    assert [(r.new, r.unchanged, r.errors) for r in results] == [
        (1, 0, []),
        (0, 1, []),
        (0, 1, []),
    ]
    assert list(Person.objects.values_list("full_name", "birth_year")) == [("Đỗ Thị Hạnh", 1968)]


def test_an_identity_number_of_someone_else_by_name_is_refused_not_renamed(group, officer):
    other = PersonFactory(
        residential_group=group,
        full_name="Trần Thị Cúc",
        birth_year=1970,
        id_number="001070000123",
    )

    result = run(
        PersonImporter,
        officer,
        person_row(group, **{"Họ và tên": "Nguyễn Văn Bình", "Số định danh": "001070000123"}),
    )

    assert errors(result) == [
        (
            2,
            "Số định danh",
            f"Số định danh này đã có trong hồ sơ của Trần Thị Cúc (1970, {group.name}): hãy kiểm "
            "tra lại số hoặc họ tên.",
        )
    ]
    other.refresh_from_db()
    assert other.full_name == "Trần Thị Cúc"


def test_a_column_of_dates_with_blanks_is_written_with_empty_cells():
    data = tablib.Dataset(headers=["Họ và tên", "Ngày ra"], title="Thành viên")
    data.append(["Lê Văn An", "30/06/2025"])
    data.append(["Lê Văn Bảo", ""])

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(data))).active

    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Lê Văn An", datetime.datetime(2025, 6, 30)),
        ("Lê Văn Bảo", None),
    ]


@pytest.mark.parametrize("count", [2, 12])
def test_admin_export_of_prestigious_people_reads_each_persons_ward_in_one_query(
    admin_client, group, count, django_assert_max_num_queries
):
    for index in range(count):
        PrestigiousPerson.objects.create(
            person=PersonFactory(residential_group=group, full_name=f"Người {index}"),
            residential_group=group,
            standing="Trưởng họ",
        )
    data = {"format": "0", "resource": "0", "prestigiouspersonresource_full_name": "on"}

    with django_assert_max_num_queries(16):
        response = admin_client.post(admin_url("teams.prestigiousperson", "export"), data)

    assert response.status_code == 200


def test_a_trainings_check_costs_the_same_queries_for_2_and_12_changed_rows(group, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(count):
        rows = [
            training_row(**{"Tên lớp": f"Lớp {n}", "Địa điểm": "Hội trường"}) for n in range(count)
        ]
        run(
            TrainingImporter,
            officer,
            *[training_row(**{"Tên lớp": f"Lớp {n}"}) for n in range(count)],
        )
        with CaptureQueriesContext(connection) as captured:
            result = run(TrainingImporter, officer, *rows, commit=False)
        assert (result.changed, result.errors) == (count, [])
        return len(captured)

    assert check(2) == check(12)
