"""Spreadsheets as people send them: xlsx, or csv in UTF-8 (with or without BOM), UTF-16 or
Windows-1258; read into a header and rows of NFC-normalised, trimmed cells, or refused with a
message in Vietnamese.

openpyxl parses xlsx through defusedxml (a dependency of the project), so a workbook cannot
expand entities or reach outside itself; and before it parses anything, the archive is
measured (`check_workbook`), so that a small file cannot expand to gigabytes: neither a zip
bomb nor one enormous cell takes more than a second or a few megabytes to be refused.
"""

import csv
import dataclasses
import datetime
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import PurePath

import openpyxl
import tablib
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from . import xlsx

# What a spreadsheet would run as a formula when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
XLSX_MAGIC = b"PK\x03\x04"

# What a workbook may expand to. A legitimate one of MAX_ROWS rows is well within each bound:
# about 20 parts; 60–150 MB of XML; its parts compress 5 to 50 times; a cell holds at most
# 32,767 characters (Excel's own limit), at most 4 bytes each in UTF-8 with escapes.
MAX_PARTS = 1_000
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # deflate reaches about 1,000 on repeated text
RATIO_FLOOR = 1024 * 1024  # small parts (styles, a short sheet) may compress better
MAX_CELL_CHARS = 32_767
MAX_TOKEN_BYTES = 256 * 1024
# A cell of many formatted runs (each a text of its own), markup included.
MAX_CELL_BYTES = 1024 * 1024
CHUNK = 1024 * 1024
MAX_COLUMNS = 16_384  # Excel's own limit: a row of more is read whole by openpyxl
# A text (or an attribute, or anything between two tags) longer than MAX_TOKEN_BYTES.
LONG_TOKEN = re.compile(rb"<[^<]{%d}" % MAX_TOKEN_BYTES)
# The tags that make rows and cells' strings (inline, <is>, or shared, <si>), with or without
# a namespace prefix, attributes or spaces, as openpyxl's parser reads them: opening or
# closing (1), name (2), empty (3); and the cells, counted row by row. Comments and CDATA,
# which could hide a tag from this reading, are refused where these tags are.
TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|is|si)(?=[\s/>])[^>]*?(/?)>")
CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c(?=[\s/>])")
HIDDEN_MARKUP = (b"<!--", b"<![CDATA[")
END_OF_DIRECTORY = struct.Struct("<4s4H2LH")


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
    check_workbook(data)
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


def check_workbook(data):
    """Refuse a workbook that would expand beyond the bounds above, reading only the zip's
    directory and then each part as a stream, before anything parses it. (Python's zipfile
    never inflates a part beyond the size its directory declares.)"""
    parts = _part_count(data)
    if parts > MAX_PARTS:
        raise FileRefused(
            _("This Excel workbook has %(parts)s parts; a table has a few dozen.")
            % {"parts": parts}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            expanded = sum(info.file_size for info in infos)
            if expanded > MAX_EXPANDED_BYTES:
                raise FileRefused(
                    _(
                        "This Excel workbook expands to %(size)s MB; up to %(limit)s MB are "
                        "accepted. Split it into several files."
                    )
                    % {"size": expanded // 2**20, "limit": MAX_EXPANDED_BYTES // 2**20}
                )
            for info in infos:
                if info.file_size > RATIO_FLOOR and (
                    info.file_size > MAX_RATIO * max(info.compress_size, 1)
                ):
                    raise FileRefused(
                        _(
                            "This Excel workbook is compressed %(ratio)s times over, as no "
                            "table is: it looks made to fill the server's memory."
                        )
                        % {"ratio": info.file_size // max(info.compress_size, 1)}
                    )
            for info in infos:
                with archive.open(info) as part:
                    _check_part(part)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        EOFError,
        zlib.error,
    ) as error:
        raise FileRefused(
            _("This Excel workbook cannot be read (%(error)s); save it again as .xlsx.")
            % {"error": type(error).__name__}
        ) from error


def _part_count(data):
    """The number of parts the zip's directory lists, counted in the directory's bytes as
    its end record places them, before zipfile makes an object of each (a 25 MB directory
    could list 500,000, whatever count the end record states)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end == -1 or end + END_OF_DIRECTORY.size > len(data):
        raise _unreadable("BadZipFile")
    fields = END_OF_DIRECTORY.unpack_from(data, end)
    size = fields[5]
    zip64 = data[max(0, end - 20) : end - 16] == b"PK\x06\x07"  # zipfile reads its record
    if zip64 or 0xFFFF in fields[1:5] or 0xFFFFFFFF in fields[5:7] or size > end:
        raise _unreadable("zip64")  # a workbook of 25 MB needs none of it
    return data.count(b"PK\x01\x02", end - size, end)


def _unreadable(reason):
    return FileRefused(
        _("This Excel workbook cannot be read (%(error)s); save it again as .xlsx.")
        % {"error": reason}
    )


def _check_part(part):
    """Refuse a part, read 1 MB at a time, with a text longer than a cell holds, a cell whose
    string (formatted runs together) is longer than one holds, a row of more cells or a
    sheet of more rows than Excel has."""
    scan = _PartScan()
    run = 0  # the bytes since the last "<" of the previous chunks
    tail = b""  # an unfinished tag at the end of the previous chunk
    while chunk := part.read(CHUNK):
        first = chunk.find(b"<")
        if first == -1:
            run += len(chunk)
        elif run + first > MAX_TOKEN_BYTES or LONG_TOKEN.search(chunk, first):
            run = MAX_TOKEN_BYTES + 1
        else:
            run = len(chunk) - chunk.rfind(b"<") - 1
        if run > MAX_TOKEN_BYTES:
            raise _cell_too_long()
        data = tail + chunk
        last = data.rfind(b"<")
        end = last if last != -1 and data.find(b">", last) == -1 else len(data)
        scan.read(data[:end])
        tail = data[end:]
    scan.read(tail)
    scan.finish()


class _PartScan:
    """The rows, cells and strings of a part, followed tag by tag (`TAG`)."""

    def __init__(self):
        self.offset = 0  # of the next bytes read, in the part
        self.rows = 0
        self.cells = 0  # in the current row
        self.depth = 0  # of the strings open
        self.start = 0  # of the outermost string open
        self.tagged = self.hidden = False

    def read(self, data):
        counted = 0  # where the cells of `data` are counted up to
        for tag in TAG.finditer(data):
            self.tagged = True
            closing, name, empty = tag.groups()
            if name == b"row":
                if not closing:
                    self.count_cells(data, counted, tag.start())
                    counted = tag.end()
                    self.rows, self.cells = self.rows + 1, 0
                    if self.rows > 2 * MAX_ROWS:
                        raise _too_many_rows(MAX_ROWS)
            elif not empty:
                self.string_tag(self.offset + tag.start(), closing)
        self.count_cells(data, counted, len(data))
        self.hidden = self.hidden or any(markup in data for markup in HIDDEN_MARKUP)
        self.offset += len(data)
        if self.depth and self.offset - self.start > MAX_CELL_BYTES:
            raise _cell_too_long()

    def count_cells(self, data, start, end):
        self.cells += len(CELL.findall(data, start, end))
        if self.cells > MAX_COLUMNS:
            raise FileRefused(
                _("A row of this Excel workbook has more than %(limit)s cells.")
                % {"limit": f"{MAX_COLUMNS:,}".replace(",", ".")}
            )

    def string_tag(self, at, closing):
        if not closing:
            if not self.depth:
                self.start = at
            self.depth += 1
        elif self.depth:
            self.depth -= 1
            if not self.depth and at - self.start > MAX_CELL_BYTES:
                raise _cell_too_long()

    def finish(self):
        if self.tagged and self.hidden:
            raise _unreadable("comment")  # Excel writes none in sheets and strings


def _cell_too_long():
    return FileRefused(
        _(
            "A cell of this Excel workbook holds more than %(limit)s characters, "
            "more than Excel allows."
        )
        % {"limit": f"{MAX_CELL_CHARS:,}".replace(",", ".")}
    )


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
        if str(error).startswith("field larger than field limit"):
            raise FileRefused(
                _(
                    "A cell of this CSV file holds more than %(limit)s characters: the file is "
                    "damaged, or not a table."
                )
                % {"limit": f"{csv.field_size_limit():,}".replace(",", ".")}
            ) from error
        raise FileRefused(_("The CSV file is malformed: %(error)s.") % {"error": error}) from error


def clean_cell(value):
    """Text in NFC with outer spaces removed (“Nguyễn” typed with combining accents is the
    stored “Nguyễn”), without the quote a CSV export put before a formula-like text;
    numbers and dates as they are."""
    if isinstance(value, str):
        if "\x00" in value:  # no text holds one, and PostgreSQL refuses to store it
            raise FileRefused(_("The file holds a NUL character: it is damaged, or not a table."))
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
        # Empty rows count too, up to twice the rows of data: a file of a million empty
        # lines is read in seconds, not skipped for minutes.
        if number > 2 * max_rows + 1:
            raise _too_many_rows(max_rows)
        cells = [clean_cell(cell) for cell in cells]
        if all(cell in (None, "") for cell in cells):
            continue  # empty rows, between or after the data
        if len(body) == max_rows:
            raise _too_many_rows(max_rows)
        body.append((number, cells[: len(headers)] + [None] * (len(headers) - len(cells))))
    return Table(headers, body)


def _too_many_rows(limit):
    return FileRefused(
        _("The file has more than %(limit)s rows; split it into several files.")
        % {"limit": f"{limit:,}".replace(",", ".")}
    )


# Writing: spreadsheets that never run what a cell says


def xlsx_bytes(*sheets):
    """`sheets` (tablib Datasets) as an xlsx workbook that reads like one made in Excel: each
    sheet named for its content (the dataset's title), its header bold and frozen, its
    columns as wide as their contents, a column of dates (dd/mm/yyyy) as date cells; and
    every text a text cell: “=HYPERLINK(…)” is shown, never computed (`xlsx.workbook`)."""
    written = []
    for dataset in sheets:
        rows = [[str(v) if isinstance(v, Promise) else v for v in row] for row in dataset]
        headers = [str(header) for header in dataset.headers or ()]
        columns = list(zip(*rows, strict=True)) if rows else [() for _header in headers]
        dates = frozenset(index for index, column in enumerate(columns) if is_date_column(column))
        widths = []
        for index, column in enumerate(columns):
            heading = [headers[index]] if index < len(headers) else []
            width = max((len(str(v)) for v in [*heading, *column] if v is not None), default=0)
            widths.append(min(max(width, 8), 60) + 2)
        if dates:
            rows = [
                [_as_date(value) if index in dates else value for index, value in enumerate(row)]
                for row in rows
            ]
        written.append(
            xlsx.Sheet(
                title=sheet_title(dataset.title),
                rows=[headers, *rows] if headers else rows,
                widths=widths,
                date_columns=dates,
                header=bool(headers),
            )
        )
    buffer = io.BytesIO()
    xlsx.workbook(buffer, written)
    return buffer.getvalue()


# A sheet's name: at most 31 characters, none of those Excel refuses.
SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
DAY_FIRST = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def sheet_title(title):
    return (SHEET_FORBIDDEN.sub(" ", str(title or "")).strip() or _("Data"))[:31]


def is_date_column(values):
    """Whether every filled cell of a column is a date (a date, or dd/mm/yyyy text)."""
    filled = [value for value in values if value not in (None, "")]
    return bool(filled) and all(
        isinstance(value, datetime.date) or (isinstance(value, str) and DAY_FIRST.match(value))
        for value in filled
    )


def _as_date(value):
    """A cell of a column of dates: dd/mm/yyyy text as its date (31/02/2025 as written)."""
    if isinstance(value, str) and value:
        day, month, year = map(int, DAY_FIRST.match(value).groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return value
    return value


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
