"""Files made to exhaust the server: a workbook of 1 MB holding one cell of 1 GB, a zip bomb of
20 million rows, a cell of 600 KB that compresses as badly as real text, a zip of many parts,
a CSV field longer than any cell. Each is refused with a message in Vietnamese before it is
parsed, within the time and memory bounds measured here, in the reader, in the admin's check
and in `manage.py import_data`."""

import io
import os
import struct
import time
import tracemalloc
import zipfile
import zlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from core.models import ImportJob
from core.tables import FileRefused, read_table
from teams.models import Member

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</t></is></c>'
    b"</row>"
)
SHEET_END = b"</sheetData></worksheet>"


def deflated(*segments):
    """A raw deflate stream of `segments` ((bytes, times) each), made in the time of
    compressing each distinct segment once: a full flush after a segment makes its
    compressed bytes independent of what came before, so they repeat."""
    stream, crc, size = [], 0, 0
    for data, times in segments:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        once = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        stream.append(once * times)
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    stream.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush())  # an empty final block
    return b"".join(stream), crc, size


def workbook_with_sheet(*segments):
    """A real workbook (openpyxl's parts) whose first sheet is `segments`, deflated."""
    book = openpyxl.Workbook()
    book.active["A1"] = "Họ và tên"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts.pop(SHEET)
    return zip_archive(
        [(name, *deflated((data, 1))) for name, data in parts.items()]
        + [(SHEET, *deflated(*segments))]
    )


def zip_archive(parts):
    """A zip of (name, raw deflate stream, crc, size) parts, written by hand so that a part
    of 1 GB costs only its compressed bytes."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, stream, crc, size in parts:
        offset = body.tell()
        encoded = name.encode()
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0, crc, len(stream), size, len(encoded))
        body.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + encoded + stream)
        directory.write(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset) + encoded
        )
    end = struct.pack(
        "<4s4H2LH",
        b"PK\x05\x06",
        0,
        0,
        len(parts),
        len(parts),
        directory.tell(),
        body.tell(),
        0,
    )
    return body.getvalue() + directory.getvalue() + end


def one_huge_cell(megabytes=1024):
    """1 MB on disk; one cell of 1 GB (2**30 letters) once inflated."""
    return workbook_with_sheet(
        (SHEET_START + b'<row r="2"><c r="A2" t="inlineStr"><is><t>', 1),
        (b"A" * MB, megabytes),
        (b"</t></is></c></row>" + SHEET_END, 1),
    )


def zip_bomb():
    """3 MB on disk; 20 million rows, 934 MB of XML, once inflated."""
    rows = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 20_000
    return workbook_with_sheet((SHEET_START, 1), (rows, 1000), (SHEET_END, 1))


def measured_refusal(data, name="thanh-vien.xlsx", *, memory=True):
    """The refusal of `data`, its time, and the peak memory allocated while refusing it
    (measured again, apart: tracing every allocation slows the reading down)."""
    started = time.perf_counter()
    with pytest.raises(FileRefused) as refusal, translation.override("vi"):
        read_table(name, data)
    elapsed = time.perf_counter() - started
    if not memory:
        return str(refusal.value), elapsed, None
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused):
            read_table(name, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(refusal.value), elapsed, peak


def test_the_hostile_workbooks_are_what_they_claim():
    """The control: the files below are real archives that inflate to what they claim, and
    the zip bomb, cut to its first rows, is a workbook openpyxl reads."""
    for data, size, expected in ((one_huge_cell(), 1.1, 2**30), (zip_bomb(), 3, 934 * MB)):
        assert len(data) < size * MB
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet = archive.getinfo(SHEET)
            assert sheet.file_size > expected
            with archive.open(sheet) as part:
                assert len(part.read(3 * MB)) == 3 * MB
    small = workbook_with_sheet(
        (SHEET_START, 1), (b"<row><c t='inlineStr'><is><t>x</t></is></c></row>", 3), (SHEET_END, 1)
    )
    assert read_table("nho.xlsx", small).rows == [(2, ["x"]), (3, ["x"]), (4, ["x"])]


def test_read_table_one_cell_of_1_gb_is_refused_within_2_s_and_100_mb():
    message, elapsed, peak = measured_refusal(one_huge_cell())

    assert message == (
        "Tệp Excel này khi giải nén là 1024 MB; chỉ nhận tối đa 256 MB. Hãy chia thành nhiều tệp."
    )
    assert elapsed < 2
    assert peak < 100 * MB


def test_read_table_one_cell_of_100_mb_compressed_1000_times_is_refused_within_2_s():
    message, elapsed, peak = measured_refusal(one_huge_cell(megabytes=100))

    assert message == (
        "Tệp Excel này được nén 1007 lần, không bảng nào được nén như vậy: có vẻ nó được "
        "làm ra để làm đầy bộ nhớ của máy chủ."
    )
    assert elapsed < 2
    assert peak < 100 * MB


def test_read_table_zip_bomb_of_20_million_rows_is_refused_within_2_s_and_100_mb():
    message, elapsed, peak = measured_refusal(zip_bomb())

    assert message == (
        "Tệp Excel này khi giải nén là 934 MB; chỉ nhận tối đa 256 MB. Hãy chia thành nhiều tệp."
    )
    assert elapsed < 2
    assert peak < 100 * MB


def test_read_table_cell_of_600_kb_of_text_that_compresses_like_text_is_refused():
    text = os.urandom(300 * 1024).hex().encode()  # compresses about 2 times, as text does

    message, elapsed, peak = measured_refusal(
        workbook_with_sheet(
            (SHEET_START + b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + text, 1),
            (b"</t></is></c></row>" + SHEET_END, 1),
        )
    )

    assert message == "Một ô của tệp Excel này có hơn 32.767 ký tự, nhiều hơn Excel cho phép."
    assert elapsed < 2
    assert peak < 100 * MB


def test_read_table_workbook_of_5000_parts_is_refused_before_its_directory_is_read():
    parts = [(f"xl/media/anh{number}.png", *deflated((b"", 1))) for number in range(5000)]

    message, elapsed, _ = measured_refusal(zip_archive(parts))

    assert message == "Tệp Excel này có 5000 phần; một bảng chỉ có vài chục phần."
    assert elapsed < 2


def test_read_table_csv_field_longer_than_any_cell_is_refused_in_vietnamese():
    data = b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\n" + b"a" * 200_000 + b"\n"

    message, _, _ = measured_refusal(data, name="thanh-vien.csv")

    assert message == "Một ô của tệp CSV có hơn 131.072 ký tự: tệp bị hỏng, hoặc không phải bảng."


def test_admin_import_zip_bomb_is_refused_by_the_check_and_nothing_is_written(admin_client):
    upload = SimpleUploadedFile("thanh-vien.xlsx", zip_bomb())

    started = time.perf_counter()
    response = admin_client.post(reverse("admin:teams_member_import"), {"file": upload})
    elapsed = time.perf_counter() - started

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("Tệp Excel này khi giải nén là 934 MB")
    assert elapsed < 2
    assert not Member.objects.exists()


def test_import_data_command_one_huge_cell_is_refused(tmp_path):
    path = tmp_path / "thanh-vien.xlsx"
    path.write_bytes(one_huge_cell())

    with pytest.raises(CommandError, match="giải nén là 1024 MB"), translation.override("vi"):
        call_command("import_data", "member", str(path), "--dry-run")


def test_read_table_cell_of_formatted_runs_longer_than_a_cell_is_refused():
    """Each run's text is under the bound of one text, their sum is not: the cell is
    measured as a whole (openpyxl would join the runs into one string)."""
    runs = b"".join(
        b"<r><t>" + os.urandom(100 * 1024).hex().encode() + b"</t></r>" for _ in range(10)
    )

    message, elapsed, peak = measured_refusal(
        workbook_with_sheet(
            (SHEET_START + b'<row r="2"><c r="A2" t="inlineStr"><is>' + runs, 1),
            (b"</is></c></row>" + SHEET_END, 1),
        )
    )

    assert message == "Một ô của tệp Excel này có hơn 32.767 ký tự, nhiều hơn Excel cho phép."
    assert elapsed < 2
    assert peak < 100 * MB


def test_read_table_short_formatted_runs_are_read_as_one_cell():
    """The control: a cell of three formatted runs is one text."""
    runs = (
        b"<r><t>Nguy\xe1\xbb\x85n </t></r><r><rPr><b/></rPr><t>V\xc4\x83n</t></r><r><t> An</t></r>"
    )

    table = read_table(
        "nho.xlsx",
        workbook_with_sheet(
            (SHEET_START + b'<row r="2"><c r="A2" t="inlineStr"><is>' + runs, 1),
            (b"</is></c></row>" + SHEET_END, 1),
        ),
    )

    assert table.rows == [(2, ["Nguyễn Văn An"])]


def test_read_table_directory_of_5000_parts_whose_end_record_says_4_is_refused():
    parts = [(f"xl/media/anh{number}.png", *deflated((b"", 1))) for number in range(5000)]
    data = bytearray(zip_archive(parts))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<2H", 4, 4)  # the entries it claims

    message, elapsed, _ = measured_refusal(bytes(data))

    assert message == "Tệp Excel này có 5000 phần; một bảng chỉ có vài chục phần."
    assert elapsed < 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trong.csv", b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\n" + b",\n" * 1_000_000),
        (
            "trong.xlsx",
            workbook_with_sheet(
                (SHEET_START, 1),
                (b"".join(b'<row r="%d"/>' % n for n in range(100_000)), 10),
                (SHEET_END, 1),
            ),
        ),
    ],
    ids=["csv", "xlsx"],
)
def test_read_table_a_million_empty_rows_are_refused_within_2_s(name, data):
    message, elapsed, _ = measured_refusal(data, name=name, memory=False)

    assert message == "Tệp có hơn 200.000 dòng; hãy chia thành nhiều tệp."
    assert elapsed < 2


def test_read_table_nul_character_past_the_first_bytes_of_a_csv_is_refused():
    data = "Họ và tên\n".encode() + b"Nguyen Van A\n" * 100 + b"Tran\x00Thi B\n"

    message, _, _ = measured_refusal(data, name="thanh-vien.csv")

    assert message == "Tệp có ký tự NUL: tệp bị hỏng, hoặc không phải bảng."


def runs(prefix=b"", count=10):
    """`count` formatted runs of 200 KB of text each (under the bound of one text, 2 MB
    together), whose text compresses as text does."""
    return b"".join(
        b"<%sr><%st>%s</%st></%sr>"
        % (prefix, prefix, os.urandom(100 * 1024).hex().encode(), prefix, prefix)
        for _ in range(count)
    )


CELL_TOO_LONG = "Một ô của tệp Excel này có hơn 32.767 ký tự, nhiều hơn Excel cho phép."
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (b"<is >" + runs() + b"</is >", CELL_TOO_LONG),
        (b'<x:is xmlns:x="' + MAIN + b'">' + runs(b"x:") + b"</x:is>", CELL_TOO_LONG),
        (b"<is>" + runs(count=5) + b"<is>" + runs(count=5) + b"</is></is>", CELL_TOO_LONG),
        (
            b"<is>" + runs(count=5) + b"<!--</is><is>-->" + runs(count=5) + b"</is>",
            "Không đọc được tệp Excel này (comment); hãy lưu lại dưới dạng .xlsx.",
        ),
    ],
    ids=["spaces in the tags", "a namespace prefix", "strings nested", "a comment"],
)
def test_read_table_long_cell_written_otherwise_is_refused_too(cell, message):
    """openpyxl reads these as one cell of 2 MB: the check reads the tags as it does."""
    sheet = SHEET_START + b'<row r="2"><c r="A2" t="inlineStr">' + cell + b"</c></row>"

    refused, elapsed, _ = measured_refusal(
        workbook_with_sheet((sheet, 1), (SHEET_END, 1)), memory=False
    )

    assert refused == message
    assert elapsed < 2


def test_read_table_row_of_20000_cells_is_refused():
    cells = b"".join(b'<c r="A%d" s="1"/>' % n for n in range(20_000))

    message, elapsed, _ = measured_refusal(
        workbook_with_sheet((SHEET_START + b'<row r="2">' + cells + b"</row>", 1), (SHEET_END, 1)),
        memory=False,
    )

    assert message == "Một hàng của tệp Excel này có hơn 16.384 ô."
    assert elapsed < 2


def test_read_table_zip64_locator_before_the_end_record_is_refused():
    """zipfile reads a zip64 record whenever its locator stands before the end record,
    whatever counts the end record gives."""
    data = workbook_with_sheet((SHEET_START + SHEET_END, 1))
    end = data.rfind(b"PK\x05\x06")
    locator = b"PK\x06\x07" + bytes(16)

    message, _, _ = measured_refusal(data[:end] + locator + data[end:], memory=False)

    assert message == "Không đọc được tệp Excel này (zip64); hãy lưu lại dưới dạng .xlsx."
