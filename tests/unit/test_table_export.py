"""Tables as files (smartoffice/web/table_export.py): the CSV read back with the csv module, the workbook with
openpyxl, and the response's headers."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from smartoffice.web.table_export import ExportTable, csv_bytes, export_response, safe_filename, sheet_name, xlsx_bytes

MORNING = datetime(2027, 3, 1, 7, 30)  # noqa: DTZ001  # a workbook's times have no zone: the page's local time
MIDNIGHT = datetime(2027, 3, 1)  # noqa: DTZ001  # how openpyxl reads a date back
TABLE = ExportTable(
    title="People per day: Tower 2 / Q1",
    headers=["Day", "Booked", "Utilisation", "Note", "Updated"],
    rows=[
        [date(2027, 3, 1), 120, 0.8533, 'Sekretariat, "Jakarta"\nline two', MORNING],
        [date(2027, 3, 2), 0, 1.0, '=HYPERLINK("http://evil")', None],
        [None, None, None, "Rapat – Ruang Garuda ✓", None],
    ],
)


def test_the_csv_is_rfc_4180_in_utf8_with_a_byte_order_mark() -> None:
    content = csv_bytes(TABLE)

    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.split("\r\n", 1)[0] == "Day,Booked,Utilisation,Note,Updated"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [
        ["Day", "Booked", "Utilisation", "Note", "Updated"],
        ["2027-03-01", "120", "0.8533", 'Sekretariat, "Jakarta"\nline two', "2027-03-01 07:30"],
        ["2027-03-02", "0", "1", '\'=HYPERLINK("http://evil")', ""],  # a formula is never run
        ["", "", "", "Rapat – Ruang Garuda ✓", ""],
    ]


def test_the_workbook_has_a_bold_header_numbers_dates_and_text_as_such() -> None:
    workbook = load_workbook(io.BytesIO(xlsx_bytes(TABLE)))
    sheet = workbook.active
    assert sheet is not None

    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "People per day- Tower 2 - Q1"
    assert workbook.properties.title == "People per day: Tower 2 / Q1"
    assert rows[0] == ["Day", "Booked", "Utilisation", "Note", "Updated"]
    assert all(cell.font.b for cell in sheet[1]) and not any(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A2"
    assert rows[1] == [
        MIDNIGHT,
        120,
        0.8533,
        'Sekretariat, "Jakarta"\nline two',
        MORNING,
    ]
    assert sheet["A2"].is_date and sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].data_type == "n" and sheet["C2"].data_type == "n"
    assert sheet["D3"].data_type == "s" and sheet["D3"].value == '=HYPERLINK("http://evil")'  # text, not a formula
    assert rows[3] == [None, None, None, "Rapat – Ruang Garuda ✓", None]


def test_an_empty_table_is_a_header_row() -> None:
    empty = ExportTable("Rooms", ["Room", "Meetings"], [])

    assert csv_bytes(empty).decode("utf-8-sig") == "Room,Meetings\r\n"
    sheet = load_workbook(io.BytesIO(xlsx_bytes(empty))).active
    assert sheet is not None and [[c.value for c in r] for r in sheet.iter_rows()] == [["Room", "Meetings"]]


def test_control_characters_that_a_workbook_cannot_hold_are_dropped() -> None:
    table = ExportTable("x", ["Name"], [["Bad\x07name\x00"]])

    sheet = load_workbook(io.BytesIO(xlsx_bytes(table))).active

    assert sheet is not None and sheet["A2"].value == "Badname"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_response_is_an_attachment_with_a_safe_name(file_format: str) -> None:
    response = export_response(TABLE, file_format, 'occupancy Tower 2/Q1 "x"\r\nSet-Cookie: a')

    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="occupancy-Tower-2-Q1-x-Set-Cookie-a.' + file_format + '"')
    assert "\r" not in disposition and "\n" not in disposition
    assert response.headers["Cache-Control"] == "no-store"
    assert response.media_type.startswith("text/csv" if file_format == "csv" else "application/vnd.openxmlformats")
    if file_format == "csv":
        assert response.content == csv_bytes(TABLE)
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None and sheet["B2"].value == 120


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="not an export format"):
        export_response(TABLE, "pdf", "x")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("occupancy-2027-01-04", "occupancy-2027-01-04.csv"),
        ("../../etc/passwd", "etc-passwd.csv"),
        ("Gedung Kantor Kementerian", "Gedung-Kantor-Kementerian.csv"),
        ("", "table.csv"),
        ("ÄÖÜ", "table.csv"),
        ("x" * 300, "x" * 100 + ".csv"),
    ],
)
def test_safe_filenames(name: str, expected: str) -> None:
    assert safe_filename(name, "csv") == expected


def test_sheet_names_excel_accepts() -> None:
    assert sheet_name("A [very] long title: over thirty-one characters") == "A -very- long title- over thirt"
    assert sheet_name("") == "Sheet"
