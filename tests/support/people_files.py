"""People files for the SIASN import's tests: rows by header, written as CSV (any delimiter, with or without a
byte-order mark) or as an XLSX workbook, and a generated file of any size."""

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

TODAY = date(2026, 12, 4)
HEADERS = (
    "Kode Instansi", "Kode Unit", "Unit Kerja", "Kode Unit Induk", "NIP", "Nama", "Email", "Jabatan", "Jenis Jabatan",
    "Eselon", "Status Kepegawaian", "TMT Jabatan", "NIP Atasan", "Gedung",
)  # fmt: skip
HEAD_NIP = "197103152000031001"
STAFF_NIP = "198601102010011003"
PPPK_NIP = "199709092022211004"

Row = Mapping[str, object]


def nip(birth: date, appointed: tuple[int, int], sex: int = 1, serial: int = 1) -> str:
    """A PNS NIP: birth date, month of first appointment, sex, serial."""
    return f"{birth:%Y%m%d}{appointed[0]:04d}{appointed[1]:02d}{sex}{serial:03d}"


def head(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "Kode Instansi": "KLX", "Kode Unit": "D1", "Unit Kerja": "Deputi Bidang Perencanaan", "Kode Unit Induk": "",
        "NIP": HEAD_NIP, "Nama": "Bambang Santoso", "Email": "bambang@contoh.go.id", "Jabatan": "Deputi",
        "Jenis Jabatan": "Struktural", "Eselon": "I.a", "Status Kepegawaian": "PNS", "TMT Jabatan": "2023-02-01",
        "NIP Atasan": "", "Gedung": "T1",
    }  # fmt: skip
    return {**row, **overrides}


def staff(**overrides: object) -> dict[str, object]:
    row = head(
        **{
            "Kode Unit": "D1-DIR1", "Unit Kerja": "Direktorat Perencanaan Makro", "Kode Unit Induk": "D1",
            "NIP": STAFF_NIP, "Nama": "Agus Pratama", "Email": "agus@contoh.go.id", "Jabatan": "Perencana Ahli Madya",
            "Jenis Jabatan": "Fungsional", "Eselon": "Ahli Madya", "TMT Jabatan": "01-03-2021", "NIP Atasan": HEAD_NIP,
        }
    )  # fmt: skip
    return {**row, **overrides}


def pppk(**overrides: object) -> dict[str, object]:
    row = staff(
        NIP=PPPK_NIP, Nama="Rizky Hidayat", Email="rizky@contoh.go.id", Jabatan="Pengadministrasi Perkantoran",
        **{"Jenis Jabatan": "Pelaksana", "Eselon": "", "Status Kepegawaian": "PPPK", "TMT Jabatan": "2022-10-01"},
    )  # fmt: skip
    return {**row, **overrides}


def valid_rows() -> list[dict[str, object]]:
    return [head(), staff(), pppk()]


def table(rows: Sequence[Row], headers: Sequence[str] = HEADERS) -> list[list[object]]:
    return [list(headers), *([row.get(h, "") for h in headers] for row in rows)]


def csv_bytes(
    rows: Sequence[Row], *, delimiter: str = ",", bom: bool = False, headers: Sequence[str] = HEADERS
) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(table(rows, headers))
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode()


def xlsx_bytes(cells: Sequence[Sequence[object]], folder: Path) -> bytes:
    """A workbook whose first sheet holds ``cells`` from A1 (dates as Excel dates), written with openpyxl."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in cells:
        sheet.append(list(values))
    path = folder / "people.xlsx"
    workbook.save(path)
    return path.read_bytes()


def generated_rows(people: int) -> list[dict[str, object]]:
    """``people`` valid rows: a head per 100 in units of 100 under one top unit, each reporting to the head."""
    rows = [head()]
    for index in range(1, people):
        unit = index // 100
        birth = date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
        number = nip(birth, (birth.year + 23, 1 + index % 12), sex=1 + index % 2, serial=1 + index // 360 % 999)
        rows.append(
            staff(
                NIP=number, Nama=f"Pegawai {index}", Email=f"pegawai.{index}@contoh.go.id",
                **{"Kode Unit": f"D1-U{unit:03d}", "Unit Kerja": f"Unit {unit:03d}", "TMT Jabatan": "2024-01-02"},
            )
        )  # fmt: skip
    return rows


def measure(people: int = 12_000) -> dict[str, float]:
    """Seconds to read and check a generated file of ``people`` rows, as CSV and as XLSX (best of three):
    ``python -c 'from tests.support.people_files import measure; print(measure())'``."""
    import tempfile
    import timeit

    from smartoffice.people.siasn import read_people_file

    rows = generated_rows(people)
    with tempfile.TemporaryDirectory() as folder:
        files = {"csv": csv_bytes(rows, delimiter=";"), "xlsx": xlsx_bytes(table(rows), Path(folder))}
    return {
        kind: min(timeit.repeat(lambda c=content: read_people_file(c, today=TODAY), number=1, repeat=3))  # type: ignore[misc]
        for kind, content in files.items()
    }
