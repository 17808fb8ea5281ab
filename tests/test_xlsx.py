"""The workbooks the application writes (`core.xlsx`, through `tables.xlsx_bytes`), read
back as Excel and every reader of the format read them: by openpyxl, cell by cell."""

import datetime
import decimal
import io
import zipfile
from xml.etree import ElementTree

import openpyxl
import tablib
from django.utils import timezone

from core.tables import read_table, xlsx_bytes


def workbook_of(*datasets):
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(*datasets)))


def test_xlsx_cells_keep_their_kinds_and_texts_are_never_formulas():
    data = tablib.Dataset(
        title="Hoạt động: 1/2025",
        headers=["Tên", "Số hộ", "Giờ", "Đã xử lý", "Ghi chú"],
    )
    data.append(['=HYPERLINK("http://x")', 12, decimal.Decimal("1.5"), True, "  lề  "])
    data.append(['Tổ <7> & "Bồ Đề"', 0, 2.25, False, "a\x07b"])
    data.append(["", None, None, None, "Hết"])

    book = workbook_of(data)

    sheet = book.active
    assert sheet.title == "Hoạt động  1 2025"  # “:” and “/” are not allowed in a name
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Tên", "Số hộ", "Giờ", "Đã xử lý", "Ghi chú"],
        ['=HYPERLINK("http://x")', 12, 1.5, True, "  lề  "],
        ['Tổ <7> & "Bồ Đề"', 0, 2.25, False, "ab"],
        [None, None, None, None, "Hết"],
    ]
    assert sheet["A2"].data_type == "s"  # shown, never computed
    assert [cell.font.b for cell in sheet[1]] == [True] * 5
    assert sheet["A2"].font.b is False
    assert sheet.freeze_panes == "A2"
    # The widths: the longest text of each column and a margin, 10 at the least.
    assert [sheet.column_dimensions[letter].width for letter in "ABCDE"] == [24, 10, 10, 10, 10]


def test_xlsx_dates_are_date_cells_shown_day_first():
    data = tablib.Dataset(title="Ngày", headers=["Ngày", "Lúc", "Ghi"])
    data.append([datetime.date(2025, 3, 15), datetime.datetime(2025, 3, 15, 8, 30), "x"])
    data.append(["01/07/2025", timezone.make_aware(datetime.datetime(2025, 7, 1, 14)), "y"])
    data.append(["31/02/2025", None, "z"])  # not a day: kept as written

    sheet = workbook_of(data).active

    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        [datetime.datetime(2025, 3, 15), datetime.datetime(2025, 3, 15, 8, 30), "x"],
        [datetime.datetime(2025, 7, 1), datetime.datetime(2025, 7, 1, 14), "y"],
        ["31/02/2025", None, "z"],
    ]
    assert [sheet["A2"].number_format, sheet["B2"].number_format] == [
        "DD/MM/YYYY",
        "DD/MM/YYYY HH:MM",
    ]
    assert sheet["A4"].number_format == "General"


def test_xlsx_several_sheets_in_order_and_the_parts_are_well_formed_xml():
    first = tablib.Dataset(title="Theo phường", headers=["Mã", "Tên"])
    first.append(["00115", "Bồ Đề"])
    second = tablib.Dataset(title="Sửa số liệu", headers=["Lý do"])
    second.append(["Đếm lại"])

    data = xlsx_bytes(first, second)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        for name in names:
            ElementTree.fromstring(archive.read(name))  # raises on malformed XML
    assert names == [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
    ]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Theo phường", "Sửa số liệu"]
    assert book["Theo phường"]["A2"].value == "00115"  # a code keeps its zeros
    # And the application's own reader (an import of an exported file) reads it.
    table = read_table("xuat.xlsx", data)
    assert (table.headers, [cells for _number, cells in table.rows]) == (
        ["Mã", "Tên"],
        [["00115", "Bồ Đề"]],
    )


def test_xlsx_what_excel_cannot_hold_is_made_so_it_can():
    """Names repeated, characters XML cannot carry, days before Excel's first, texts beyond
    its 32,767 characters: a file Excel opens without “repairing” it."""
    first = tablib.Dataset(title='Tổ "7" & <8>', headers=["Ghi chú", "Ngày"])
    first.append(["a\ufffeb\ud800c", datetime.date(1900, 1, 15)])
    first.append(["x" * 40_000, datetime.date(1850, 6, 1)])
    first.append(["", datetime.date(1900, 3, 1)])
    second = tablib.Dataset(title='tổ "7" & <8>', headers=["Ghi chú"])

    book = workbook_of(first, second)

    assert book.sheetnames == ['Tổ "7" & <8>', 'tổ "7" & <8> (2)']
    rows = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows(min_row=2)]
    assert rows[0] == ["abc", "15/01/1900"]  # before 1 March 1900: text, as written
    assert (rows[1][0][-3:], len(rows[1][0]), rows[1][1]) == ("xx…", 32_767, "01/06/1850")
    assert rows[2] == [None, datetime.datetime(1900, 3, 1)]
