"""The inputs and results of ``reportAttendance`` and ``attendanceReconciliation``. A bad record does not raise: the
service returns its plan's problems, each with its index, answered as :class:`AttendanceRecordsInvalidError`."""

import base64
import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.errors import Error, ErrorCode, NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.attendance import reconcile
from smartoffice.attendance.errors import AttendanceCode
from smartoffice.attendance.plan import AttendancePlan, ChangeKind
from smartoffice.attendance.records import AttendanceItem
from smartoffice.bookings.models import BookingStatus as BookingStatusModel
from smartoffice.i18n import Language
from smartoffice.ids import encode_id, parse_id
from smartoffice.policies import models as policy_models
from smartoffice.policies.api.types import WorkMode

MAX_ENTRIES = 1_000


@strawberry.input(description="What a person did on a day, as the attendance source saw it.")
class AttendanceRecordInput:
    employee_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Employee; or give `nip` instead (exactly one of the two)."
    )
    nip: str | None = strawberry.field(
        default=None, description="The person's NIP or NI PPPK (18 digits; spaces ignored); or give `employeeId`."
    )
    date: dt.date = strawberry.field(description="The local date: today or earlier.")
    status: WorkMode = strawberry.field(
        description="OFFICE (hadir/WFO), HOME (WFH), ANYWHERE (WFA), LEAVE (cuti), DUTY_TRAVEL (dinas luar) or "
        "ABSENT (tidak hadir/alpa)."
    )
    check_in_time: dt.time | None = strawberry.field(
        default=None, description="When the source saw them arrive, local time; not for ABSENT or LEAVE."
    )
    source: str | None = strawberry.field(
        default=None, description="The system that reported it (e.g. e-presensi), at most 64 characters."
    )

    def to_item(self) -> AttendanceItem:
        written = None if self.employee_id is None else str(self.employee_id)
        found = None if written is None else parse_id(written, ("Employee",))
        return AttendanceItem(
            employee_id=found[1] if found else None,
            employee_id_written=written,
            nip=self.nip,
            day=self.date,
            mode=policy_models.WorkMode[self.status.name],
            check_in=self.check_in_time,
            source=self.source,
        )


@strawberry.input(description="Attendance records to store, at most 1,000.")
class ReportAttendanceInput:
    records: list[AttendanceRecordInput] = strawberry.field(
        description="Matched by person and date: a new day is stored, a different report replaces the stored one. "
        "Days not listed are left as they are."
    )


@strawberry.type(description="One record that cannot be stored, and why.")
class AttendanceRecordProblem:
    index: int = strawberry.field(description="The record's position in the list, from 0.")
    field: str = strawberry.field(description="The record's field at fault (`nip`, `date`, `status` ...), or empty.")
    code: Enum = strawberry.field(graphql_type=ErrorCode, description="Stable machine-readable reason.")
    message: str = strawberry.field(description="Why, for people, in the language you asked for.")


@strawberry.type(description="Some records cannot be stored: nothing was written. Each problem names its record.")
class AttendanceRecordsInvalidError(Error):
    problems: list[AttendanceRecordProblem] = strawberry.field(description="Every problem found, by record.")

    @classmethod
    def of(cls, plan: AttendancePlan, language: Language) -> Self:
        return cls(
            message=AttendanceCode.ATTENDANCE_RECORDS_INVALID.message_in(language, count=len(plan.problems)),
            code=ErrorCode[AttendanceCode.ATTENDANCE_RECORDS_INVALID.name],
            problems=[
                AttendanceRecordProblem(
                    index=problem.line,
                    field=problem.column or "",
                    code=ErrorCode[problem.code.name],
                    message=problem.message_in(language),
                )
                for problem in plan.problems
            ],
        )


@strawberry.type(description="What a report changed.")
class AttendanceCounts:
    created: int = strawberry.field(description="Days with no report before.")
    updated: int = strawberry.field(description="Days whose report changed.")
    unchanged: int = strawberry.field(description="Records equal to what was stored (nothing written for them).")

    @classmethod
    def of(cls, plan: AttendancePlan) -> Self:
        return cls(created=plan.count(ChangeKind.NEW), updated=plan.count(ChangeKind.CHANGED), unchanged=plan.unchanged)


@strawberry.type(description="The records are stored (WorkDay.actual), the call audited as attendance.import.")
class ReportAttendanceSuccess:
    counts: AttendanceCounts


ReportAttendanceResult = Annotated[
    ReportAttendanceSuccess | AttendanceRecordsInvalidError | ValidationError | PermissionDeniedError,
    strawberry.union("ReportAttendanceResult"),
]


@strawberry.enum(description="How a person's day compares with their desk booking.")
class ReconciliationCategory(Enum):
    BOOKED_PRESENT = strawberry.enum_value(
        reconcile.Category.BOOKED_PRESENT.value, description="Booked, and checked in or reported in the office."
    )
    BOOKED_ABSENT = strawberry.enum_value(
        reconcile.Category.BOOKED_ABSENT.value,
        description="Booked, and released as a no-show or reported elsewhere (absent, leave, remote, duty travel).",
    )
    BOOKED_NO_DATA = strawberry.enum_value(
        reconcile.Category.BOOKED_NO_DATA.value,
        description="Booked, not checked in, not released and nothing reported: neither present nor absent.",
    )
    PRESENT_WITHOUT_BOOKING = strawberry.enum_value(
        reconcile.Category.PRESENT_WITHOUT_BOOKING.value,
        description="Reported in the office without a desk booking that day.",
    )


@strawberry.enum(description="The status of the day's desk booking.")
class ReconciledBookingStatus(Enum):
    BOOKED = strawberry.enum_value(BookingStatusModel.BOOKED.value, description="Booked, not checked in.")
    CHECKED_IN = strawberry.enum_value(BookingStatusModel.CHECKED_IN.value, description="Checked in.")
    RELEASED = strawberry.enum_value(BookingStatusModel.RELEASED.value, description="Released as a no-show.")


@strawberry.type(description="One person's day in a reconciliation.")
class ReconciliationEntry:
    employee_id: strawberry.ID = strawberry.field(description="The Employee.")
    name: str | None = strawberry.field(description="Their name (apps: with the people:read:names scope).")
    unit_name: str
    date: dt.date
    category: ReconciliationCategory
    booking_status: ReconciledBookingStatus | None = strawberry.field(description="Null: no desk booking.")
    building_name: str | None = strawberry.field(description="Where the desk was booked.")
    checked_in_at: dt.time | None = strawberry.field(description="The booking's check-in, local time.")
    reported: WorkMode | None = strawberry.field(description="What the attendance source reported.")
    reported_check_in_time: dt.time | None = strawberry.field(description="The source's check-in time, local.")

    @classmethod
    def of(cls, entry: reconcile.Entry, with_names: bool) -> Self:
        return cls(
            employee_id=strawberry.ID(encode_id("Employee", entry.employee_id)),
            name=entry.name if with_names else None,
            unit_name=entry.unit_name,
            date=entry.day,
            category=ReconciliationCategory[entry.category.name],
            booking_status=ReconciledBookingStatus[entry.booking_status.name] if entry.booking_status else None,
            building_name=entry.building_name,
            checked_in_at=entry.checked_in_at,
            reported=WorkMode[entry.reported.name] if entry.reported else None,
            reported_check_in_time=entry.reported_check_in,
        )


@strawberry.type
class ReconciliationEntryEdge:
    cursor: str
    node: ReconciliationEntry


@strawberry.type(description="A page of a reconciliation's entries, by day, category and name.")
class ReconciliationEntryConnection:
    edges: list[ReconciliationEntryEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Entries in the whole reconciliation.")


@strawberry.type(description="How many person-days fall in each category.")
class ReconciliationCounts:
    booked_present: int
    booked_absent: int
    booked_no_data: int
    present_without_booking: int


def cursor(offset: int) -> str:
    return base64.b64encode(f"entry:{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    """The position after the cursor ``after`` (0 without one, or for a cursor that is not ours)."""
    if not after:
        return 0
    try:
        kind, _, number = base64.b64decode(after.encode()).decode().partition(":")
        return int(number) + 1 if kind == "entry" and number.isdigit() else 0
    except (ValueError, UnicodeError):
        return 0


@strawberry.type(description="Desk bookings against attendance for a unit's subtree or a building.")
class AttendanceReconciliation:
    scope_name: str = strawberry.field(description="The unit's or the building's name.")
    from_date: dt.date = strawberry.field(name="from", description="The first day.")
    to_date: dt.date = strawberry.field(
        name="to", description="The last day reconciled: the one asked for, or today when that is later."
    )
    counts: ReconciliationCounts
    result: strawberry.Private[reconcile.Reconciliation]
    with_names: strawberry.Private[bool]

    @strawberry.field(description=f"Each person's day, by day, category and name; `first` is capped at {MAX_ENTRIES}.")
    def entries(self, first: int = 100, after: str | None = None) -> ReconciliationEntryConnection:
        start = offset_after(after)
        page = self.result.entries[start : start + max(0, min(first, MAX_ENTRIES))]
        edges = [
            ReconciliationEntryEdge(cursor=cursor(start + n), node=ReconciliationEntry.of(entry, self.with_names))
            for n, entry in enumerate(page)
        ]
        return ReconciliationEntryConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + len(page) < len(self.result.entries),
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(self.result.entries),
        )

    @classmethod
    def of(cls, result: reconcile.Reconciliation, with_names: bool) -> Self:
        counts = result.counts
        return cls(
            scope_name=result.scope_name,
            from_date=result.first,
            to_date=result.last,
            counts=ReconciliationCounts(
                booked_present=counts[reconcile.Category.BOOKED_PRESENT],
                booked_absent=counts[reconcile.Category.BOOKED_ABSENT],
                booked_no_data=counts[reconcile.Category.BOOKED_NO_DATA],
                present_without_booking=counts[reconcile.Category.PRESENT_WITHOUT_BOOKING],
            ),
            result=result,
            with_names=with_names,
        )


AttendanceReconciliationResult = Annotated[
    AttendanceReconciliation | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("AttendanceReconciliationResult"),
]
