"""An xlsx workbook written as text: each sheet's XML made row by row from the rows' values,
as SpreadsheetML stores them (ECMA-376), and deflated into the archive as it is made.

openpyxl builds an element for every cell and serialises it through an element tree: 9 s of
a core for the 10,000 wards of the country overview. The workbooks the application makes
need only what is here: text (always a text cell, never a formula), numbers, booleans,
dates and dates with a time, a bold header row frozen at the top, and the columns' widths.
openpyxl still reads every workbook (`tables.read_table`); the tests read these with it.
"""

import datetime
import decimal
import math
import re
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The cells' styles, by their index in `STYLES`: a header, a date, a date with its time.
BOLD, DATE, DATE_TIME = 1, 2, 3
DATE_FORMAT = "DD/MM/YYYY"
DATE_TIME_FORMAT = "DD/MM/YYYY HH:MM"
STYLES = (
    HEAD + f'<styleSheet xmlns="{MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATE_TIME_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of Excel's dates (its 1900 system)
# Excel's first day after its 29 February 1900 (a day that was not): days before it are
# numbered one off, and those before 1900 are not dates to it; they are written as text.
FIRST_DATE = datetime.date(1900, 3, 1)
MAX_CELL_CHARS = 32_767  # Excel's limit; a longer text is cut, its end marked “…”
# What XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE and U+FFFF).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ROWS_A_WRITE = 500


@dataclass
class Sheet:
    """A sheet to write: its name (at most 31 characters, none of `\\ / * ? : [ ]`), its
    rows (lists of values), the widths of its columns (in characters), the columns whose
    values are dates (`DATE` style), and whether its first row is a header (bold, frozen)."""

    title: str
    rows: list
    widths: list = field(default_factory=list)
    date_columns: frozenset = frozenset()
    header: bool = False


def workbook(output, sheets):
    """Write the workbook of `sheets` to `output` (a binary file)."""
    titles = _distinct_titles([sheet.title for sheet in sheets])
    # Deflated at the fastest level: the sheet of 20,000 wards written in 440 ms instead of
    # 700, its file a fifth larger (1.5 MB instead of 1.2).
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        count = len(sheets)
        archive.writestr("[Content_Types].xml", _content_types(count))
        archive.writestr(
            "_rels/.rels",
            HEAD + f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", _workbook(titles))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_relationships(count))
        archive.writestr("xl/styles.xml", STYLES)
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                for text in _sheet(sheet):
                    part.write(text.encode())


def _content_types(count):
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
        f'ContentType="{CONTENT}.worksheet+xml"/>'
        for number in range(1, count + 1)
    )
    return (
        HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT}.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _distinct_titles(titles):
    """The sheets' names, a second “Data” as “Data (2)”: Excel takes two sheets of one name
    (in any case) for a damaged file."""
    taken, distinct = set(), []
    for title in titles:
        name, number = title, 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = title[: 31 - len(suffix)] + suffix
        taken.add(name.casefold())
        distinct.append(name)
    return distinct


def _workbook(titles):
    names = "".join(
        f'<sheet name="{_escape(NOT_XML.sub("", title), quote=True)}" sheetId="{number}" '
        f'r:id="rId{number}"/>'
        for number, title in enumerate(titles, start=1)
    )
    return (
        HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f"<bookViews><workbookView/></bookViews><sheets>{names}</sheets></workbook>"
    )


def _workbook_relationships(count):
    sheets = "".join(
        f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{number}.xml"/>'
        for number in range(1, count + 1)
    )
    return (
        HEAD + f'<Relationships xmlns="{PACKAGE}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" '
        'Target="styles.xml"/></Relationships>'
    )


def _sheet(sheet):
    """The sheet's XML, in pieces of a few hundred rows."""
    yield HEAD + f'<worksheet xmlns="{MAIN}">'
    if sheet.header:
        yield (
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
        )
    if sheet.widths:
        yield (
            "<cols>"
            + "".join(
                f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
                for index, width in enumerate(sheet.widths, start=1)
            )
            + "</cols>"
        )
    yield "<sheetData>"
    letters = []
    pieces = []
    for number, row in enumerate(sheet.rows, start=1):
        if len(letters) < len(row):
            letters = [get_column_letter(index) for index in range(1, len(row) + 1)]
        style = BOLD if sheet.header and number == 1 else 0
        cells = []
        for index, value in enumerate(row):
            column_style = DATE if index in sheet.date_columns and style == 0 else style
            if type(value) is int and column_style == 0:
                # Most cells of a report: a count, written here (880 → 700 ms for 20,000 wards).
                cells.append(f'<c r="{letters[index]}{number}"><v>{value}</v></c>')
            elif value is not None and value != "":
                cells.append(_cell(f"{letters[index]}{number}", value, column_style))
        pieces.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(pieces) == ROWS_A_WRITE:
            yield "".join(pieces)
            pieces = []
    pieces.append("</sheetData></worksheet>")
    yield "".join(pieces)


def _cell(reference, value, style):
    """A cell: a text as text (an inline string), never run as a formula; a number; a
    boolean; a date, or a date and time, as Excel's number of days shown as a date."""
    if isinstance(value, bool):
        return f'<c r="{reference}"{_style(style)} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal) and math.isfinite(value):
        return f'<c r="{reference}"{_style(style)}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        if value.date() >= FIRST_DATE:
            days = (value - EPOCH) / datetime.timedelta(days=1)
            return f'<c r="{reference}" s="{DATE_TIME}"><v>{days!r}</v></c>'
        value = value.strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, datetime.date):
        if value >= FIRST_DATE:
            return f'<c r="{reference}" s="{DATE}"><v>{(value - EPOCH.date()).days}</v></c>'
        value = value.strftime("%d/%m/%Y")
    if style == DATE:
        style = 0  # a text in a column of dates (31/02/2025) is shown as written
    text = NOT_XML.sub("", str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    text = _escape(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{reference}"{_style(style)} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _style(style):
    return f' s="{style}"' if style else ""


def _escape(text, *, quote=False):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text
