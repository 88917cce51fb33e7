"""What an attendance source says, as records, and the checks a record passes on its own.

Files (:mod:`.reader`) and GraphQL lists (``reportAttendance``) both end here, so a bad NIP, day, status or time is
refused in the same words whichever way it came. A record's ``position`` is the file's line (the header is line 1
when it is the first; a workbook's row) or its index in a GraphQL list.

The status words, in Indonesian and English (any case, spacing or punctuation):

============  =====================================================================================
WorkMode      accepted words
============  =====================================================================================
office        hadir, WFO, masuk, kantor, hadir di kantor · present, office, in office, work from office
home          WFH, rumah · home, work from home
anywhere      WFA · anywhere, work from anywhere
leave         cuti, izin, sakit, cuti sakit · leave, on leave, sick, sick leave
duty_travel   dinas luar, DL, perjalanan dinas, tugas luar · duty travel, official travel, business trip
absent        tidak hadir, alpa, alpha, mangkir, tanpa keterangan, TK · absent, no show
============  =====================================================================================
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from smartoffice.attendance.errors import AttendanceCode
from smartoffice.errors import CommonInputCode
from smartoffice.hr.checks import RecordChecker, normalised
from smartoffice.people.siasn.problems import Problem
from smartoffice.policies.models import WorkMode

SOURCE_MAX_LENGTH = 64
NO_CHECK_IN = (WorkMode.ABSENT, WorkMode.LEAVE)
"""Statuses a check-in time contradicts."""


class Field(StrEnum):
    NIP = "nip"
    EMPLOYEE_ID = "employee_id"
    DAY = "day"
    STATUS = "status"
    CHECK_IN = "check_in"
    SOURCE = "source"


Names = Mapping[Field, str]
"""How the source calls each field: a file's headers, or GraphQL's input fields."""


def _words(mode: WorkMode, *words: str) -> dict[str, WorkMode]:
    return {normalised(word): mode for word in (*words, mode.value)}


STATUSES: Mapping[str, WorkMode] = {
    **_words(WorkMode.OFFICE, "hadir", "WFO", "masuk", "kantor", "hadir di kantor", "present", "in office",
             "work from office"),
    **_words(WorkMode.HOME, "WFH", "rumah", "work from home"),
    **_words(WorkMode.ANYWHERE, "WFA", "work from anywhere"),
    **_words(WorkMode.LEAVE, "cuti", "izin", "sakit", "cuti sakit", "on leave", "sick", "sick leave"),
    **_words(WorkMode.DUTY_TRAVEL, "dinas luar", "DL", "perjalanan dinas", "tugas luar", "duty travel",
             "official travel", "business trip"),
    **_words(WorkMode.ABSENT, "tidak hadir", "alpa", "alpha", "mangkir", "tanpa keterangan", "TK", "no show"),
}  # fmt: skip
TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)(?:[:.]([0-5]\d))?")


@dataclass(frozen=True, slots=True)
class AttendanceRecord:
    position: int
    nip: str | None
    """The person by NIP (files; apps may send it), or by ``employee_id`` (apps)."""
    employee_id: int | None
    day: date
    mode: WorkMode
    check_in: time | None
    source: str | None

    @property
    def values(self) -> dict[str, object]:
        return {"actual": self.mode, "check_in_time": self.check_in, "source": self.source}


class Checker(RecordChecker[Field]):
    """Collects one record's problems, each naming the field as the source calls it."""

    def day(self, day: date | None, written: str, today: date) -> date | None:
        if day is not None and day > today:
            self.refuse(Field.DAY, AttendanceCode.ATTENDANCE_DAY_IN_FUTURE, value=written)
            return None
        return day

    def status(self, text: str | None) -> WorkMode | None:
        value = " ".join((text or "").split())
        if not value:
            self.refuse(Field.STATUS, CommonInputCode.REQUIRED)
            return None
        mode = STATUSES.get(normalised(value))
        if mode is None:
            self.refuse(Field.STATUS, AttendanceCode.ATTENDANCE_STATUS_UNKNOWN, value=value)
        return mode

    def check_in(self, text: str, mode: WorkMode | None) -> tuple[time | None, bool]:
        """The check-in time written ``HH:MM`` (or ``HH.MM``, seconds optional), and whether it is usable."""
        value = text.strip()
        if not value:
            return None, True
        match = TIME.fullmatch(value)
        if match is None:
            self.refuse(Field.CHECK_IN, AttendanceCode.ATTENDANCE_TIME_INVALID, value=value)
            return None, False
        if mode in NO_CHECK_IN:
            self.refuse(Field.CHECK_IN, AttendanceCode.ATTENDANCE_TIME_WITHOUT_PRESENCE)
            return None, False
        hour, minute, second = (int(part or 0) for part in match.groups())
        return time(hour, minute, second), True

    def source(self, text: str | None) -> tuple[str | None, bool]:
        value = " ".join((text or "").split())
        if len(value) > SOURCE_MAX_LENGTH:
            self.refuse(Field.SOURCE, CommonInputCode.TEXT_TOO_LONG, max=SOURCE_MAX_LENGTH)
            return None, False
        return value or None, True


def attendance_record(
    position: int, names: Names, problems: list[Problem], today: date, *, nip: str | None, employee_id: int | None,
    day: date | None, day_written: str, status: str | None, check_in: str, source: str | None,
) -> AttendanceRecord | None:  # fmt: skip
    """A record from its values (a file's cells, or an app's fields as text), or None with its problems added. A
    day that could not be read (``day`` None) is reported already, where it was read."""
    check = Checker(position, names, problems)
    number = check.nip(Field.NIP, nip) if employee_id is None else None
    checked_day = check.day(day, day_written, today)
    mode = check.status(status)
    at, time_ok = check.check_in(check_in, mode)
    kept_source, source_ok = check.source(source)
    if check.failed or checked_day is None or mode is None or not (time_ok and source_ok):
        return None
    if number is None and employee_id is None:
        return None
    return AttendanceRecord(position, number, employee_id, checked_day, mode, at, kept_source)


@dataclass(frozen=True, slots=True)
class AttendanceItem:
    """A record as an app sends it (GraphQL): typed, not yet checked. ``employee_id`` is the decoded id, or None
    with ``employee_id_written`` set when it could not be decoded."""

    employee_id: int | None
    employee_id_written: str | None
    nip: str | None
    day: date
    mode: WorkMode
    check_in: time | None = None
    source: str | None = None


ITEM_NAMES: Names = {
    Field.NIP: "nip",
    Field.EMPLOYEE_ID: "employeeId",
    Field.DAY: "date",
    Field.STATUS: "status",
    Field.CHECK_IN: "checkInTime",
    Field.SOURCE: "source",
}
"""The GraphQL input fields, as a problem with a record names them."""


def item_records(items: Sequence[AttendanceItem], problems: list[Problem], today: date) -> list[AttendanceRecord]:
    """Each item checked as a file's row is, its index as its position."""
    records = []
    for index, item in enumerate(items):
        check = Checker(index, ITEM_NAMES, problems)
        has_id = item.employee_id is not None or item.employee_id_written is not None
        if has_id == (item.nip is not None):
            check.refuse(Field.EMPLOYEE_ID, AttendanceCode.ATTENDANCE_PERSON_MISSING)
            continue
        if item.employee_id is None and item.employee_id_written is not None:
            check.refuse(Field.EMPLOYEE_ID, CommonInputCode.INVALID_ID, type_name="Employee")
            continue
        record = attendance_record(
            index, ITEM_NAMES, problems, today,
            nip=item.nip, employee_id=item.employee_id, day=item.day, day_written=item.day.isoformat(),
            status=item.mode.value, check_in=item.check_in.isoformat() if item.check_in else "", source=item.source,
        )  # fmt: skip
        if record is not None:
            records.append(record)
    return records
