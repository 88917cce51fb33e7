"""``reportAttendance`` (apps with ``attendance:write``) and ``attendanceReconciliation``.

The service decides who may (``PermissionDeniedError``), refuses more than 1,000 records (``ValidationError``) and
answers bad records with their indexes (``AttendanceRecordsInvalidError``, nothing written).
"""

import datetime as dt
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.attendance.api.types import (
    AttendanceCounts,
    AttendanceReconciliation,
    AttendanceReconciliationResult,
    AttendanceRecordsInvalidError,
    ReportAttendanceInput,
    ReportAttendanceResult,
    ReportAttendanceSuccess,
)
from smartoffice.attendance.reconcile import MAX_DAYS, Scope
from smartoffice.audit.record import Actor
from smartoffice.identity.scopes import Scope as TokenScope
from smartoffice.ids import decode_id


@strawberry.type
class AttendanceMutation:
    @strawberry.mutation(
        description="Attendance apps (attendance:write): store what people did on past days (WorkDay.actual), at "
        "most 1,000 records per call, matched by person and date. The owner must be an administrator, or a unit "
        "manager over each person. All or nothing: any bad record (an unknown person, a future date, a day twice, "
        "someone the owner does not manage) writes none and is listed in AttendanceRecordsInvalidError with its "
        "index. Sending the same records again changes nothing."
    )
    async def report_attendance(self, info: Info, input: ReportAttendanceInput) -> ReportAttendanceResult:
        owner = info.context.require_viewer()
        info.context.require_scope(TokenScope.ATTENDANCE_WRITE)
        items = [record.to_item() for record in input.records]
        result = await info.context.runtime.attendance.report(items, actor=Actor(owner, info.context.via))
        if not result.plan.is_valid:
            return AttendanceRecordsInvalidError.of(result.plan, info.context.language)
        return ReportAttendanceSuccess(counts=AttendanceCounts.of(result.plan))


@strawberry.type
class AttendanceQuery:
    @strawberry.field(
        description="Desk bookings against attendance, per person and day, for a unit's subtree (unit managers over "
        "it, administrators) or a building (its facilities managers, administrators), over at most "
        f"{MAX_DAYS} days: booked and present, booked and absent (no-show or reported absent), booked with no "
        "data, and present without a booking. Apps need the policies:read scope (names: people:read:names)."
    )
    async def attendance_reconciliation(
        self,
        info: Info,
        from_date: Annotated[dt.date, strawberry.argument(name="from", description="The first day.")],
        to_date: Annotated[dt.date, strawberry.argument(name="to", description="The last day.")],
        unit_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="An OrgUnit (its subtree); or `buildingId`.")
        ] = None,
        building_id: Annotated[strawberry.ID | None, strawberry.argument(description="A Building.")] = None,
    ) -> AttendanceReconciliationResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(TokenScope.POLICIES_READ)
        scope = Scope(
            unit_id=decode_id(unit_id, "OrgUnit", "unitId") if unit_id is not None else None,
            building_id=decode_id(building_id, "Building", "buildingId") if building_id is not None else None,
        )
        result = await info.context.runtime.attendance.reconciliation(viewer, scope, from_date, to_date)
        with_names = info.context.has_scope(TokenScope.PEOPLE_READ_NAMES)
        return AttendanceReconciliation.of(result, with_names)
