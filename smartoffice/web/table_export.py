"""Any table a page shows, as a file to download: CSV or an Excel workbook (XLSX).

A table is a title, its column headers and its rows of plain values (:class:`ExportTable`); the page builds it from
the same figures it renders, so the file and the page agree. :func:`export_response` answers with the file as an
attachment under a safe file name.

- **CSV** (RFC 4180): comma-separated, ``CRLF`` line ends, quoted where needed, UTF-8 with a byte-order mark so that
  Excel opens it as UTF-8. Numbers are written with a dot and no grouping, dates as ISO dates (``2027-03-01``):
  what programs read back. The title is not written (a header row comes first, so the file loads as a table).
  Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) starts
  with ``'`` (CSV injection).
- **XLSX** (openpyxl): one sheet named after the title, the header row bold and frozen, numbers as numbers, dates
  and times as dates (shown ``yyyy-mm-dd``), text always as text (never a formula), columns about as wide as
  their contents; the title is also the workbook's title.
"""

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from litestar import Response

from smartoffice.web.forms import FormError

Cell = str | int | float | date | datetime | None
EXPORT_FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""What an XLSX cell may not hold (openpyxl refuses it); tab and line breaks are allowed."""
MAX_FILENAME = 100


@dataclass(frozen=True, slots=True)
class ExportTable:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def requested_export(params: Mapping[str, str], tables: Collection[str]) -> tuple[str | None, str]:
    """The table a page is asked to download (``?export=<table>&format=csv|xlsx``) and its format; no table when
    ``export`` is absent. An unknown table or format is the visitor's mistake (a FormError on ``export``)."""
    export = params.get("export")
    file_format = params.get("format") or "csv"
    if export is None:
        return None, file_format
    if export not in tables or file_format not in EXPORT_FORMATS:
        raise FormError("export", "invalid_export")
    return export, file_format


def export_response(table: ExportTable, file_format: str, filename: str) -> Response[bytes]:
    """The table as a downloaded file: ``file_format`` is ``csv`` or ``xlsx`` (anything else: ValueError);
    ``filename`` without its extension, made safe (:func:`safe_filename`)."""
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"not an export format: {file_format!r}")
    content = csv_bytes(table) if file_format == "csv" else xlsx_bytes(table)
    name = safe_filename(filename, file_format)
    return Response(
        content,
        media_type=MEDIA_TYPES[file_format],
        headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
        },
    )


def csv_bytes(table: ExportTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: ExportTable) -> bytes:
    # imported when needed, as smartoffice/people/siasn/reader.py does: pages without an export do without it
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = sheet_name(table.title)
    workbook.properties.title = table.title
    sheet.append([_text(h) for h in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(h) for h in table.headers]
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                cell.value = _text(value)
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
            elif isinstance(value, datetime):
                cell.value = value.replace(tzinfo=None)  # XLSX has no time zones: the page's local time
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = value
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], len(_display(value)))
            else:
                widths.append(len(_display(value)))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(name: str, extension: str) -> str:
    """``name`` as ASCII letters, digits, ``-``, ``_`` and ``.`` (others become ``-``), at most
    :data:`MAX_FILENAME` characters, never starting with a dot, plus ``.extension``: ``Tower 2/Q1`` → ``Tower-2-Q1``."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:MAX_FILENAME].strip("-.")
    return f"{cleaned or 'table'}.{extension}"


def sheet_name(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``, not empty."""
    return SHEET_NAME_FORBIDDEN.sub("-", title).strip("'")[:31].strip() or "Sheet"


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return _number(value)


def _number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _text(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def _display(value: Cell) -> str:
    return _csv_cell(value)
