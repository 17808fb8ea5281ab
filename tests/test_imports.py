"""Bulk imports with real files (tests/data/imports/): 100 members of Thượng Thanh as an Excel
workbook, and the same rows as CSV in UTF-8 with BOM, UTF-16 and Windows-1258; a file with
one bad row; a fake workbook; rows of two wards. Through the importer, the admin (upload,
check, confirm) and `manage.py import_data`."""

import datetime
import decimal
import io
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import tables
from core.imports import FieldChecks, importers
from core.models import ImportJob
from core.tables import FileRefused, read_table
from core.tasks import run_import
from meetings.imports import ProgressReportImporter
from teams.imports import ActivityImporter, MemberImporter
from teams.models import Activity, Member, Training
from tests.factories import (
    ActivityFactory,
    DirectiveTaskFactory,
    MemberFactory,
    ResidentialGroupFactory,
    RoleUserFactory,
    SeminarFactory,
    TaskAssignmentFactory,
    TeamFactory,
    WardFactory,
)
from wards.models import SecurityEvent
from wards.roles import Role

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "imports"
SAME_ROWS = ["thanh-vien.xlsx", "thanh-vien-bom.csv", "thanh-vien-utf16.csv"]


def table_of(name):
    return read_table(name, (DATA / name).read_bytes())


@pytest.fixture
def thuong_thanh():
    """Ward 00115 with residential groups 01 to 05, each with its team, and ward 00118."""
    ward = WardFactory(code="00115", name="Thượng Thanh")
    for number in range(1, 6):
        TeamFactory(residential_group__ward=ward, residential_group__code=f"{number:02d}")
    TeamFactory(
        residential_group__ward=WardFactory(
            code="00118", name="Thạch Bàn", district=ward.district
        ),
        residential_group__code="01",
    )
    return ward


def members():
    return sorted(
        Member.objects.values_list(
            "person__full_name", "person__birth_year", "joined_on", "person__phone"
        )
    )


# Reading files


@pytest.mark.parametrize("name", [*SAME_ROWS, "thanh-vien-cp1258.csv"])
def test_read_table_every_encoding_gives_the_same_rows(name):
    reference = table_of("thanh-vien-bom.csv")

    table = table_of(name)

    assert table.headers == reference.headers
    assert len(table.rows) == 100
    # Excel's date cells come as dates, the others as text: compare the names and codes.
    assert [cells[:3] for _n, cells in table.rows] == [cells[:3] for _n, cells in reference.rows]


def test_read_table_name_typed_with_combining_accents_is_nfc_and_trimmed():
    name = table_of("thanh-vien.xlsx").rows[7][1][2]

    assert name == unicodedata.normalize("NFC", name) == name.strip()
    assert name == "Bùi Thị Hương"


def test_read_table_empty_trailing_rows_are_ignored_and_rows_keep_their_numbers():
    table = table_of("thanh-vien.xlsx")

    assert [number for number, _cells in table.rows] == list(range(2, 102))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("gia-excel.xlsx", "không phải là tệp Excel"),
        ("thanh-vien-utf16-khong-bom.csv", "thiếu dấu BOM"),
        ("thanh-vien.ods", r"Hãy gửi tệp Excel \(.xlsx\) hoặc tệp CSV"),
    ],
)
def test_read_table_unreadable_file_is_refused_with_a_message(name, message):
    data = (DATA / name).read_bytes() if (DATA / name).exists() else b"PK\x03\x04"

    with pytest.raises(FileRefused, match=message):
        read_table(name, data)


def test_read_table_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tai-lieu.txt", "không phải Excel")

    with pytest.raises(FileRefused, match="Không đọc được tệp Excel này"):
        read_table("tai-lieu.xlsx", buffer.getvalue())


def test_read_table_oversized_file_and_too_many_rows_are_refused():
    data = (DATA / "thanh-vien-bom.csv").read_bytes()

    with pytest.raises(FileRefused, match="chỉ nhận tệp tối đa"):
        read_table("thanh-vien.csv", data, max_bytes=1024 * 1024 // 200)
    with pytest.raises(FileRefused, match="Tệp có hơn 50 dòng"):
        read_table("thanh-vien.csv", data, max_rows=50)


def test_xlsx_is_parsed_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


# Importing


@pytest.mark.parametrize("name", [*SAME_ROWS, "thanh-vien-cp1258.csv"])
def test_import_good_file_writes_every_row_then_again_finds_all_unchanged(thuong_thanh, name):
    first = MemberImporter().run(table_of(name), commit=True)
    written = members()

    again = MemberImporter().run(table_of(name), commit=True)

    assert (first.new, first.errors, first.written) == (100, [], True)
    assert (again.new, again.changed, again.unchanged, again.errors) == (0, 0, 100, [])
    assert members() == written
    assert Member.objects.filter(person__full_name="Bùi Thị Hương").count() == 1


def test_import_reads_the_stored_records_it_may_change_without_sorting_them(thuong_thanh):
    # A member's ordering (ward, group, name) sorted them through four joins: on
    # PostgreSQL, planned for a cursor, the read of 30,000 members took 2.4 s, not 0.4 s.
    MemberImporter().run(table_of("thanh-vien.xlsx"), commit=True)

    with CaptureQueriesContext(connection) as queries:
        again = MemberImporter().run(table_of("thanh-vien.xlsx"), commit=False)

    # The members themselves (through a cursor on PostgreSQL: "DECLARE … FOR SELECT …").
    reads = [q["sql"] for q in queries if 'SELECT "teams_member"."id", ' in q["sql"]]
    assert again.unchanged == 100
    assert len(reads) == 1
    assert "ORDER BY" not in reads[0]
    assert " JOIN " not in reads[0]


def test_import_names_the_current_group_of_a_code_not_one_that_ended_recorded_after_it():
    ward = WardFactory(code="00115")
    current = ResidentialGroupFactory(ward=ward, code="01", households=120)
    ended = ResidentialGroupFactory(
        ward=ward,
        code="01",
        households=80,
        valid_from=datetime.date(2010, 1, 1),
        valid_until=datetime.date(2025, 6, 30),
    )
    csv = "Mã phường,Mã tổ dân phố,Tên tổ dân phố,Số hộ\n00115,01,Tổ dân phố số 1,321\n"

    result = importers()["group"]().run(read_table("to.csv", csv.encode()), commit=True)

    assert (result.changed, result.errors) == (1, [])
    current.refresh_from_db()
    ended.refresh_from_db()
    assert (current.households, ended.households) == (321, 80)


def test_import_the_files_in_other_encodings_match_the_workbooks_rows(thuong_thanh):
    MemberImporter().run(table_of("thanh-vien.xlsx"), commit=True)

    for name in ("thanh-vien-bom.csv", "thanh-vien-utf16.csv", "thanh-vien-cp1258.csv"):
        result = MemberImporter().run(table_of(name), commit=False)
        assert (result.unchanged, result.errors) == (100, []), name


def test_import_one_bad_row_of_100_writes_nothing_and_names_row_column_and_value(thuong_thanh):
    result = MemberImporter().run(table_of("thanh-vien-mot-dong-loi.csv"), commit=True)

    [error] = result.errors
    assert (error.row, error.column, error.value) == (57, "Năm sinh", "19x8")
    assert "không phải số nguyên" in error.message
    assert (result.written, Member.objects.count()) == (False, 0)


def test_import_ward_officer_row_of_another_ward_writes_nothing(thuong_thanh):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[thuong_thanh])

    result = MemberImporter(user=officer).run(table_of("hai-phuong.csv"), commit=True)

    [error] = result.errors
    assert (error.row, error.column) == (4, "Mã tổ dân phố")
    assert "trong phạm vi của bạn" in error.message
    assert Member.objects.count() == 0


def test_import_changed_cell_updates_that_record_only_with_its_history(thuong_thanh):
    MemberImporter().run(table_of("thanh-vien.xlsx"), commit=True)
    table = table_of("thanh-vien.xlsx")
    _number, cells = table.rows[3]
    cells[5] = "0987 654 321"

    result = MemberImporter().run(table, commit=True)

    assert (result.changed, result.unchanged) == (1, 99)
    assert result.samples == [(5, "changed", "Điện thoại: 0900000003 → 0987 654 321")]
    member = Member.objects.get(person__phone="0987 654 321")
    assert member.history.count() == 2
    assert member.history.first().history_type == "~"


def test_import_second_current_leader_of_a_team_is_an_error(thuong_thanh):
    team = thuong_thanh.residential_groups.get(code="01").team
    MemberFactory(team=team, role=Member.Role.LEADER, full_name="Tổ trưởng cũ")

    result = MemberImporter().run(table_of("thanh-vien.xlsx"), commit=True)

    [error] = result.errors
    assert (error.row, error.column) == (2, "Vai trò")
    assert Member.objects.count() == 1


def test_import_the_same_record_twice_in_a_file_is_an_error(thuong_thanh):
    table = table_of("thanh-vien-bom.csv")
    table.rows.append((102, list(table.rows[0][1])))

    result = MemberImporter().run(table, commit=True)

    [error] = result.errors
    assert error.row == 102 and "dòng 2" in error.message


def test_import_file_without_a_required_column_is_refused(thuong_thanh):
    table = table_of("thanh-vien-bom.csv")
    table.headers[2] = "Tên"

    with pytest.raises(FileRefused, match="Tệp thiếu cột “Họ và tên”"):
        MemberImporter().run(table, commit=True)


def test_template_has_a_valid_example_row_and_notes_for_every_column():
    ward = WardFactory(code="00115")
    TeamFactory(residential_group__ward=ward, residential_group__code="07")
    importer = ActivityImporter()

    book = openpyxl.load_workbook(io.BytesIO(importer.template()))

    data, notes, _lists = book.worksheets
    assert [cell.value for cell in data[1]] == importer.headers
    assert data["A2"].number_format == "@"
    noted = [row[0] for row in notes.iter_rows(min_row=2, values_only=True) if row[0]]
    assert set(importer.headers) <= set(noted)
    assert "Vệ sinh môi trường" in str(list(notes.iter_rows(values_only=True)))
    result = importer.run(read_table("mau.xlsx", importer.template()), commit=False)
    assert (result.new, result.errors) == (1, [])


@pytest.mark.parametrize(
    "name",
    [
        "group",
        "person",
        "position",
        "team",
        "member",
        "activity",
        "feedback",
        "exemplary",
        "prestigious",
        "training",
    ],
)
def test_template_example_row_is_the_users_own_and_imports_cleanly(name):
    group = ResidentialGroupFactory(code="03", ward__code="12345")
    TeamFactory(residential_group=group)
    ResidentialGroupFactory(code="09", ward=group.ward)  # a group without a team
    administrator = RoleUserFactory(role=Role.ADMINISTRATOR, district=group.ward.district)
    importer = importers()[name](user=administrator)

    template = importer.template()
    result = importer.run(read_table("mau.xlsx", template), commit=False)

    row = openpyxl.load_workbook(io.BytesIO(template)).active[2]
    example = {header: cell.value for header, cell in zip(importer.headers, row, strict=True)}
    assert example["Mã phường"] == "12345"
    if "Mã tổ dân phố" in example and name != "group":  # a new group keeps the example's
        assert example["Mã tổ dân phố"] == "03"
    assert result.errors == []


def test_template_offers_a_drop_down_list_in_each_column_of_choices():
    importer = importers()["feedback"]()

    book = openpyxl.load_workbook(io.BytesIO(importer.template()))

    data, lists = book["Dữ liệu"], book["Danh mục"]
    by_column = {
        importer.headers[openpyxl.utils.column_index_from_string(str(v.sqref)[0]) - 1]: (
            v.formula1,
            str(v.sqref),
        )
        for v in data.data_validations.dataValidation
    }
    assert by_column == {
        "Lĩnh vực": ("'Danh mục'!$E$1:$E$11", "E2:E1001"),  # the eleven fields of work
        "Trạng thái": ("'Danh mục'!$G$1:$G$3", "G2:G1001"),
    }
    assert lists.sheet_state == "hidden"
    assert [
        row[0] for row in lists.iter_rows(min_col=7, max_col=7, max_row=3, values_only=True)
    ] == [
        "Mới",
        "Đã chuyển xử lý",
        "Đã giải quyết",
    ]


def test_import_progress_reports_by_task_number_as_a_ward_officer(thuong_thanh):
    seminar = SeminarFactory(district=thuong_thanh.district, title="Tọa đàm 2025")
    assignment = TaskAssignmentFactory(
        task=DirectiveTaskFactory(seminar=seminar, number=2), ward=thuong_thanh
    )
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[thuong_thanh])
    csv = (
        "Mã phường,Văn bản giao nhiệm vụ,Nhiệm vụ số,Từ ngày,Đến ngày,Tình trạng,"
        "Tỷ lệ hoàn thành (%)\n"
        "00115,Tọa đàm 2025,2,01/07/2025,30/09/2025,Đang thực hiện,60\n"
        "00115,Tọa đàm 2025,3,01/07/2025,30/09/2025,Đã hoàn thành,90\n"
    )
    result = ProgressReportImporter(user=officer).run(
        read_table("tien-do.csv", csv.encode()), commit=True
    )

    messages = {error.row: error.message for error in result.errors}
    assert set(messages) == {3}
    assert "nhiệm vụ số 3" in messages[3]
    assert not assignment.progress_reports.exists()


# Exports stay inert


def test_admin_export_cell_starting_with_equals_comes_back_as_text(admin_client):
    activity = ActivityFactory(title='=HYPERLINK("http://x.vn","Bấm")', outcome="+1-2")

    response = admin_client.post(
        reverse("admin:teams_activity_export"),
        {"format": "0", "resource": "0", "activityresource_title": "on"},
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell for cell in sheet["A"]}
    assert cells[activity.title].data_type == "s"


def test_csv_export_quotes_formula_like_texts_and_the_import_reads_them_back():
    assert tables.csv_safe("=1+1") == "'=1+1"
    assert tables.csv_safe("-3") == "'-3"
    assert tables.csv_safe("Bình thường") == "Bình thường"
    assert tables.clean_cell("'=1+1") == "=1+1"
    assert tables.clean_cell("'Tổ 5") == "'Tổ 5"


def test_workspace_export_formula_is_a_text_cell(client):
    activity = ActivityFactory(title="=1+1")
    ward = activity.team.residential_group.ward
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))

    response = client.get(reverse("teams:activity_list", args=[ward.code]), {"format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    [cell] = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+1"]
    assert cell.data_type == "s"


# The admin: upload, check, confirm


def upload(client, name, data=None, model="member"):
    """Upload to the members' import page (`model=None`: the wards')."""
    return client.post(
        reverse(f"admin:teams_{model}_import" if model else "admin:wards_ward_import"),
        {
            "file": SimpleUploadedFile(
                name, data if data is not None else (DATA / name).read_bytes()
            )
        },
        follow=True,
    )


def test_admin_import_ward_officer_checks_then_confirms_and_both_are_recorded(
    client, thuong_thanh
):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[thuong_thanh])
    client.force_login(officer)

    preview = upload(client, "thanh-vien.xlsx")
    job = preview.context["job"]
    assert (job.status, job.result["new"], Member.objects.count()) == ("checked", 100, 0)
    assert "Những dòng đầu tiên sẽ" in preview.text and "Nguyễn Thị Hương" in preview.text
    confirm = client.post(
        reverse("admin:teams_member_process_import"), {"job": job.pk}, follow=True
    )

    job.refresh_from_db()
    assert (job.status, Member.objects.count()) == (ImportJob.Status.IMPORTED, 100)
    assert "Đã nhập xong" in confirm.text
    assert not job.file  # the uploaded file is deleted once imported
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.IMPORT)
    assert (event.user, event.detail) == (
        officer,
        "thanh-vien.xlsx: 100 dòng, 100 mới, 0 thay đổi, 0 không đổi, 0 có lỗi. "
        "Đã ghi vào cơ sở dữ liệu.",
    )
    assert Member.objects.first().history.get().history_user == officer


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("gia-excel.xlsx", None, "không phải là tệp Excel"),
        ("thanh-vien-utf16-khong-bom.csv", None, "thiếu dấu BOM"),
    ],
)
def test_admin_import_unreadable_file_is_refused_with_its_message_never_a_500(
    admin_client, thuong_thanh, name, data, message
):
    response = upload(admin_client, name, data)

    assert response.status_code == 200
    assert response.context["job"].status == ImportJob.Status.FAILED
    assert message in response.text


def test_admin_import_oversized_or_wrong_type_upload_is_refused_by_the_form(
    admin_client, monkeypatch
):
    monkeypatch.setattr("core.admin_imports.MAX_BYTES", 1000)

    too_big = upload(admin_client, "thanh-vien-bom.csv")
    wrong_type = upload(admin_client, "ghi-chu.txt", b"Ghi chu")

    assert "chỉ nhận tệp tối đa" in too_big.text
    assert "Hãy gửi tệp Excel (.xlsx) hoặc tệp CSV" in wrong_type.text
    assert not ImportJob.objects.exists()


def test_admin_import_job_with_errors_cannot_be_confirmed(admin_client, thuong_thanh):
    job = upload(admin_client, "thanh-vien-mot-dong-loi.csv").context["job"]

    response = admin_client.post(
        reverse("admin:teams_member_process_import"), {"job": job.pk}, follow=True
    )

    assert "Chỉ nhập được tệp đã kiểm tra và không có lỗi" in response.text
    assert "19x8" in response.text
    assert Member.objects.count() == 0


def test_admin_import_another_users_job_is_404(client, admin_client, thuong_thanh):
    job = upload(admin_client, "thanh-vien.xlsx").context["job"]
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[thuong_thanh]))

    page = client.get(reverse("admin:teams_member_import_job", args=[job.pk]))
    confirm = client.post(reverse("admin:teams_member_process_import"), {"job": job.pk})

    assert (page.status_code, confirm.status_code) == (404, 404)
    assert Member.objects.count() == 0


def test_admin_import_in_the_background_shows_progress_until_the_worker_runs(
    admin_client, thuong_thanh, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    page = upload(admin_client, "thanh-vien.xlsx")

    job = page.context["job"]
    assert job.status == ImportJob.Status.CHECKING
    assert '<meta http-equiv="refresh"' in page.text
    assert "Đang chờ xử lý" in page.text
    run_import.call(str(job.pk), False)  # what the worker does
    page = admin_client.get(reverse("admin:teams_member_import_job", args=[job.pk]))
    assert page.context["job"].status == ImportJob.Status.CHECKED
    assert '<meta http-equiv="refresh"' not in page.text


# The command line


def test_import_data_command_dry_run_then_import(thuong_thanh, capsys):
    path = str(DATA / "thanh-vien.xlsx")

    call_command("import_data", "member", path, "--dry-run")
    assert Member.objects.count() == 0
    call_command("import_data", "member", path)

    out = capsys.readouterr().out
    assert "100 mới" in out and "Đã ghi vào cơ sở dữ liệu" in out
    assert Member.objects.count() == 100
    # The import is logged, as the admin's is; the dry run is not.
    assert list(SecurityEvent.objects.values_list("kind", "user", "detail")) == [
        (
            SecurityEvent.Kind.IMPORT,
            None,
            "thanh-vien.xlsx: 100 dòng, 100 mới, 0 thay đổi, 0 không đổi, 0 có lỗi. "
            "Đã ghi vào cơ sở dữ liệu.",
        )
    ]


def test_import_data_command_bad_row_fails_naming_it(thuong_thanh, capsys):
    with pytest.raises(CommandError):
        call_command("import_data", "member", str(DATA / "thanh-vien-mot-dong-loi.csv"))

    assert "Dòng 57, cột “Năm sinh”, giá trị “19x8”" in capsys.readouterr().out
    assert Member.objects.count() == 0
    # An import that wrote nothing is logged too, with the same rule as the admin's.
    (detail,) = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IMPORT).values_list(
        "detail", flat=True
    )
    assert detail == (
        "thanh-vien-mot-dong-loi.csv: 100 dòng, 99 mới, 0 thay đổi, 0 không đổi, 1 có lỗi. "
        "Không ghi dòng nào."
    )


def test_import_data_command_as_a_ward_officer_keeps_to_their_ward(thuong_thanh):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[thuong_thanh], username="can_bo")

    with pytest.raises(CommandError):
        call_command("import_data", "member", str(DATA / "hai-phuong.csv"), "--user", "can_bo")

    assert not Member.objects.exists()
    assert officer.is_active
    (event,) = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IMPORT)
    assert event.user == officer


def test_activity_import_is_keyed_on_team_date_and_title(thuong_thanh):
    team = thuong_thanh.residential_groups.get(code="01").team
    ActivityFactory(team=team, title="Tổng vệ sinh", outcome="")
    csv = (
        "Mã phường,Mã tổ dân phố,Ngày,Lĩnh vực,Tên hoạt động,Kết quả\n"
        "00115,01,05/09/2025,Vệ sinh môi trường,Tổng vệ sinh,Thu gom 2 tấn rác.\n"
    )

    result = ActivityImporter().run(read_table("hd.csv", csv.encode()), commit=True)

    assert (result.changed, result.new) == (1, 0)
    assert Activity.objects.get().outcome == "Thu gom 2 tấn rác."


def test_imported_activities_are_stored_with_their_teams_ward(thuong_thanh):
    csv = (
        "Mã phường,Mã tổ dân phố,Ngày,Lĩnh vực,Tên hoạt động\n"
        "00115,01,05/09/2025,Vệ sinh môi trường,Tổng vệ sinh\n"
        "00115,02,06/09/2025,Vệ sinh môi trường,Trồng cây\n"
    )

    result = ActivityImporter().run(read_table("hd.csv", csv.encode()), commit=True)

    assert result.new == 2
    assert list(Activity.objects.order_by("date").values_list("ward__code", flat=True)) == [
        "00115",
        "00115",
    ]


# What the review of the importer found


def test_import_replacing_a_teams_leader_in_one_file_is_written(thuong_thanh):
    team = thuong_thanh.residential_groups.get(code="01").team
    MemberFactory(team=team, role=Member.Role.LEADER, full_name="Lê Văn Cũ", birth_year=1950)
    csv = (
        "Mã phường,Mã tổ dân phố,Họ và tên,Giới tính,Năm sinh,Đại diện tổ chức,Vai trò\n"
        "00115,01,Lê Văn Cũ,Nam,1950,Chi bộ,Tổ viên\n"
        "00115,01,Trần Thị Mới,Nữ,1975,Chi bộ,Tổ trưởng\n"
    )

    result = MemberImporter().run(read_table("tv.csv", csv.encode()), commit=True)

    assert (result.errors, result.written) == ([], True)
    assert team.members.get(role=Member.Role.LEADER).person.full_name == "Trần Thị Mới"


def test_import_codes_typed_as_numbers_name_the_stored_codes(thuong_thanh):
    book = openpyxl.Workbook()
    book.active.append(
        ["Mã phường", "Mã tổ dân phố", "Họ và tên", "Giới tính", "Năm sinh", "Đại diện tổ chức"]
    )
    book.active.append([115, 1, "Ngô Thị Số", "Nữ", 1971, "Chi bộ"])  # number cells: 00115, 01
    buffer = io.BytesIO()
    book.save(buffer)

    result = MemberImporter().run(read_table("so.xlsx", buffer.getvalue()), commit=True)

    assert (result.new, result.errors) == (1, [])
    assert Member.objects.get().team.residential_group.code == "01"


def test_import_excel_date_cell_in_a_number_column_is_a_row_error_not_a_stuck_job(
    admin_client, thuong_thanh
):
    book = openpyxl.load_workbook(DATA / "thanh-vien.xlsx")
    book.active["E2"] = datetime.datetime(1968, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)

    job = upload(admin_client, "thanh-vien.xlsx", buffer.getvalue()).context["job"]

    assert job.status == ImportJob.Status.CHECKED
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [(2, "Năm sinh")]


def test_read_table_damaged_sheet_in_a_sound_archive_is_refused():
    source = zipfile.ZipFile(DATA / "thanh-vien.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            damaged.writestr(item, content)

    with pytest.raises(FileRefused, match="Không đọc được tệp Excel này"):
        read_table("hong.xlsx", buffer.getvalue())


def test_read_table_column_twice_is_refused():
    with pytest.raises(FileRefused, match="“Điện thoại” xuất hiện hai lần"):
        read_table("tv.csv", "Họ và tên,Điện thoại,Điện thoại\nA,1,\n".encode())


def test_import_exported_text_with_windows_line_ends_comes_back_unchanged(thuong_thanh):
    team = thuong_thanh.residential_groups.get(code="01").team
    ActivityFactory(team=team, description="Dòng một\r\nDòng hai")
    exported = ActivityImporter().resource.export()

    result = ActivityImporter().run(
        read_table("hd.xlsx", tables.xlsx_bytes(exported)), commit=False
    )

    assert (result.unchanged, result.changed) == (1, 0)


def test_import_progress_of_two_seminars_with_one_title_is_an_error(thuong_thanh):
    for _ in range(2):
        seminar = SeminarFactory(district=thuong_thanh.district, title="Tọa đàm dân vận")
        TaskAssignmentFactory(
            task=DirectiveTaskFactory(seminar=seminar, number=2), ward=thuong_thanh
        )
    csv = (
        "Mã phường,Văn bản giao nhiệm vụ,Nhiệm vụ số,Từ ngày,Đến ngày,Tình trạng,"
        "Tỷ lệ hoàn thành (%)\n"
        "00115,Tọa đàm dân vận,2,01/07/2025,30/09/2025,Đang thực hiện,60\n"
    )

    result = ProgressReportImporter().run(read_table("td.csv", csv.encode()), commit=True)

    [error] = result.errors
    assert "Nhiều bản ghi khớp với các mã này" in error.message


def test_import_a_row_the_database_refuses_fails_the_job_and_writes_nothing(client, thuong_thanh):
    """A ward code used in another district: unseen, so “new” to the check; refused by the
    database's unique code at the import, which then fails as a whole."""
    outside = WardFactory(code="00999")
    administrator = RoleUserFactory(role=Role.ADMINISTRATOR, district=thuong_thanh.district)
    client.force_login(administrator)
    csv = (
        "Mã đơn vị quản lý,Mã phường,Tên phường,Loại,Đang hoạt động\n"
        f"{thuong_thanh.district.code},00777,Phường Mới,Phường,Có\n"
        f"{thuong_thanh.district.code},00999,Phường Trùng,Phường,Có\n"
    )
    job = upload(client, "phuong.csv", csv.encode(), model=None).context["job"]
    assert (job.status, job.result["new"]) == (ImportJob.Status.CHECKED, 2)

    client.post(reverse("admin:wards_ward_process_import"), {"job": job.pk})

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "nothing" not in job.message
    assert "Cơ sở dữ liệu từ chối" in job.message
    assert not type(outside).objects.filter(code="00777").exists()
    assert type(outside).objects.get(code="00999").name == outside.name
    # The security log says why, in the words of the job's page.
    assert list(
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IMPORT).values_list("user", "detail")
    ) == [
        (
            administrator.pk,
            "phuong.csv: Cơ sở dữ liệu từ chối các dòng (có thể một bản ghi của phường khác "
            "trùng khóa); không ghi dòng nào.",
        )
    ]


@pytest.mark.parametrize("order", [["1.50", "1.5"], ["1.5", "1.50"]])
def test_field_checks_judge_each_decimal_as_written_whatever_came_before(order):
    """Values checked once per distinct value: 1,5 and 1,50 are equal decimals, but only
    one has a single decimal place."""
    checks = FieldChecks(Training)

    refused = {
        hours: "hours" in checks.errors(Training(hours=decimal.Decimal(hours))) for hours in order
    }

    assert refused == {"1.5": False, "1.50": True}
