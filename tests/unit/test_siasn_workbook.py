"""People files as Excel workbooks (written with openpyxl in a temporary folder), and a file of tier M's size."""

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from smartoffice.people.siasn import PeopleFile, read_people_file
from tests.support.people_files import (
    HEAD_NIP,
    STAFF_NIP,
    TODAY,
    csv_bytes,
    generated_rows,
    head,
    staff,
    table,
    valid_rows,
    xlsx_bytes,
)


def codes(parsed: PeopleFile) -> list[tuple[int, str | None, str]]:
    return [(p.line, p.column, p.code.name) for p in parsed.problems]


def test_a_workbook_reads_as_its_csv_does(tmp_path: Path) -> None:
    from_csv = read_people_file(csv_bytes(valid_rows()), today=TODAY)

    from_xlsx = read_people_file(xlsx_bytes(table(valid_rows()), tmp_path), today=TODAY)

    assert from_xlsx.problems == () and from_xlsx == from_csv


def test_real_excel_dates_are_read(tmp_path: Path) -> None:
    excel_date = datetime(2023, 2, 1)  # noqa: DTZ001  # a cell's date has no time zone
    rows = [head(**{"TMT Jabatan": excel_date}), staff(**{"TMT Jabatan": date(2021, 3, 1)})]

    parsed = read_people_file(xlsx_bytes(table(rows), tmp_path), today=TODAY)

    assert parsed.problems == ()
    assert (parsed.people[0].nip, parsed.people[0].placed_on) == (HEAD_NIP, date(2023, 2, 1))
    assert parsed.people[1].placed_on == date(2021, 3, 1)


def test_a_nip_excel_stored_as_a_number_is_refused_with_the_sheet_row(tmp_path: Path) -> None:
    # Excel (and openpyxl) store an 18-digit number as a double: 15 or 16 significant digits survive
    cells = [["Daftar pegawai"], [], *table([head(), staff(NIP=int(STAFF_NIP))])]

    parsed = read_people_file(xlsx_bytes(cells, tmp_path), today=TODAY)

    assert codes(parsed) == [(5, "NIP", "NIP_STORED_AS_NUMBER")]


def test_a_broken_workbook_is_named(tmp_path: Path) -> None:
    content = xlsx_bytes(table(valid_rows()), tmp_path)

    parsed = read_people_file(content[: len(content) // 2], today=TODAY)

    assert codes(parsed) == [(1, None, "FILE_NOT_A_WORKBOOK")]


def test_a_sheet_broken_halfway_names_the_row_where_it_breaks(tmp_path: Path) -> None:
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes(table(valid_rows()), tmp_path)))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as workbook:
        for item in good.infolist():
            content = good.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: content.index(b'<row r="3"')] + b"<row r="
            workbook.writestr(item, content)

    parsed = read_people_file(broken.getvalue(), today=TODAY)

    assert codes(parsed) == [(3, None, "FILE_NOT_A_WORKBOOK")]


def test_twelve_thousand_people(tmp_path: Path) -> None:
    """Tier M's staff in one file, as CSV and as a workbook. How long it takes is measured by
    ``tests/support/people_files.py``'s ``measure`` (see README), not asserted here."""
    rows = generated_rows(12_000)

    from_csv = read_people_file(csv_bytes(rows, delimiter=";"), today=TODAY)
    from_xlsx = read_people_file(xlsx_bytes(table(rows), tmp_path), today=TODAY)

    assert from_csv.problems == () and len(from_csv.people) == 12_000 and len(from_csv.units) == 121
    assert from_xlsx == from_csv
