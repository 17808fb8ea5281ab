"""Spreadsheets as people send them: xlsx, or csv in UTF-8 (with or without BOM), UTF-16 or
Windows-1258; read into a header and rows of NFC-normalised, trimmed cells, or refused with a
message in Vietnamese.

openpyxl parses xlsx through defusedxml (a dependency of the project), so a workbook cannot
expand entities or reach outside itself.
"""

import csv
import dataclasses
import io
import unicodedata
import zipfile
from pathlib import PurePath

import openpyxl
import tablib
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# What a spreadsheet would run as a formula when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
XLSX_MAGIC = b"PK\x03\x04"


class FileRefused(Exception):
    """A file that cannot be read as a table; the message says why, for its sender."""


@dataclasses.dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (the row's number in the spreadsheet, its cells)


def read_table(name, data, *, max_bytes=MAX_BYTES, max_rows=MAX_ROWS):
    """The table in the file `name` whose content is `data` (bytes)."""
    if len(data) > max_bytes:
        raise FileRefused(
            _("The file is %(size)s MB; files of up to %(limit)s MB are accepted.")
            % {"size": round(len(data) / 2**20, 1), "limit": max_bytes // 2**20}
        )
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(data)
    elif suffix == ".csv":
        rows = _csv_rows(data)
    else:
        raise FileRefused(_("Send an Excel file (.xlsx) or a CSV file (.csv)."))
    return _table(rows, max_rows)


def _xlsx_rows(data):
    if not data.startswith(XLSX_MAGIC):
        raise FileRefused(_("This file is not an Excel workbook (.xlsx), whatever its name."))
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileRefused(
            _("This Excel workbook cannot be read (%(error)s); save it again as .xlsx.")
            % {"error": type(error).__name__}
        ) from error
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    except Exception as error:  # a damaged sheet inside a sound archive: many kinds
        raise FileRefused(
            _("This Excel workbook cannot be read (%(error)s); save it again as .xlsx.")
            % {"error": type(error).__name__}
        ) from error
    finally:
        book.close()


def _decode(data):
    """The text of a CSV file: UTF-8 or UTF-16 by their BOM, else UTF-8, else Windows-1258
    (what Excel writes on Vietnamese Windows)."""
    if b"\x00" in data[:1000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            _("This CSV file looks like UTF-16 without its byte-order mark; save it as UTF-8.")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1258"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(
        _(
            "The CSV file's characters cannot be read: save it as “CSV UTF-8” (or "
            "UTF-16, or Windows-1258)."
        )
    )


def _csv_rows(data):
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as error:
        raise FileRefused(_("The CSV file is malformed: %(error)s.") % {"error": error}) from error


def clean_cell(value):
    """Text in NFC with outer spaces removed (“Nguyễn” typed with combining accents is the
    stored “Nguyễn”), without the quote a CSV export put before a formula-like text;
    numbers and dates as they are."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            return value[1:]
        return value.strip()
    return value


def _table(rows, max_rows):
    rows = iter(rows)
    header = next(rows, None)
    headers = [str(clean_cell(cell) or "") for cell in header or []]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileRefused(
            _("The file (or its first sheet) is empty: its first row must name the columns.")
        )
    named = [header for header in headers if header]
    twice = sorted({header for header in named if named.count(header) > 1})
    if twice:
        raise FileRefused(
            _("The column(s) %(columns)s appear twice; keep one of each.")
            % {"columns": ", ".join(f"“{header}”" for header in twice)}
        )
    body = []
    for number, cells in enumerate(rows, start=2):
        cells = [clean_cell(cell) for cell in cells]
        if all(cell in (None, "") for cell in cells):
            continue  # empty rows, between or after the data
        if len(body) == max_rows:
            raise FileRefused(
                _("The file has more than %(limit)s rows; split it into several files.")
                % {"limit": f"{max_rows:,}".replace(",", ".")}
            )
        body.append((number, cells[: len(headers)] + [None] * (len(headers) - len(cells))))
    return Table(headers, body)


# Writing: spreadsheets that never run what a cell says


def xlsx_bytes(*sheets):
    """`sheets` (tablib Datasets) as an xlsx workbook in which every text is a text cell:
    “=HYPERLINK(…)” is shown, never computed."""
    book = openpyxl.Workbook(write_only=True)
    for dataset in sheets:
        sheet = book.create_sheet(title=(dataset.title or "Sheet")[:31])
        if dataset.headers:
            sheet.append([_text_cell(sheet, header, bold=True) for header in dataset.headers])
        for row in dataset:
            sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value, *, bold=False):
    if isinstance(value, Promise):  # a translated label
        value = str(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def csv_safe(value):
    """A text a spreadsheet would run as a formula, quoted the way Excel shows as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeXLSX(base_formats.XLSX):
    """django-import-export's xlsx export, through `xlsx_bytes`."""

    def export_data(self, dataset, **kwargs):
        return xlsx_bytes(dataset)


class SafeCSV(base_formats.CSV):
    """django-import-export's csv export, formula-like texts quoted (`csv_safe`)."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            safe.append([csv_safe(value) for value in row])
        return super().export_data(safe, **kwargs)
