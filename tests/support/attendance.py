"""Attendance files for the attendance tests, and what the database holds afterwards."""

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select

from smartoffice.attendance.models import AttendanceImport, AttendanceReport
from smartoffice.db import Database
from smartoffice.people.models import Employee
from smartoffice.policies.models import WorkDay

HEADERS = ("NIP", "Nama", "Tanggal", "Status", "Jam Masuk", "Sumber")


def attendance_file(*rows: Sequence[object], headers: Sequence[str] = HEADERS, delimiter: str = ";") -> bytes:
    """``(nip, day, status[, check-in[, source]])`` rows under a presensi export's headers (a name it ignores)."""
    body = []
    for row in rows:
        nip, day, status, *rest = row
        check_in, source = [*rest, "", ""][:2]
        body.append([nip, "Pegawai", day, status, check_in, source])
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows([list(headers), *body])
    return text.getvalue().encode()


async def actuals(db: Database) -> dict[tuple[str, str], str | None]:
    """(NIP, ISO day) → the stored ``WorkDay.actual`` value, of every work day."""
    async with db.read() as session:
        rows = await session.execute(
            select(Employee.nip, WorkDay.day, WorkDay.actual).join(Employee, Employee.id == WorkDay.employee_id)
        )
        return {(nip, day.isoformat()): actual.value if actual else None for nip, day, actual in rows}


async def reports(db: Database) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(NIP, ISO day) → (check-in time, source) of every stored attendance report."""
    async with db.read() as session:
        rows = await session.execute(
            select(Employee.nip, AttendanceReport.day, AttendanceReport.check_in_time, AttendanceReport.source).join(
                Employee, Employee.id == AttendanceReport.employee_id
            )
        )
        return {
            (nip, day.isoformat()): (at.isoformat("minutes") if at else None, source) for nip, day, at, source in rows
        }


async def imports(db: Database) -> list[AttendanceImport]:
    async with db.read() as session:
        return list(await session.scalars(select(AttendanceImport).order_by(AttendanceImport.id)))
