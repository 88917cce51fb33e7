"""Policy queries: a person's week, a unit's compliance, the policies in force, exemption requests."""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import (
    BookingConflictError,
    NotFoundError,
    PermissionDeniedError,
    PolicyRefusalError,
    ValidationError,
    to_graphql_error,
)
from smartoffice.errors import DomainError, NotFound
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, encode_id
from smartoffice.policies import lists, service
from smartoffice.policies.api.inputs import Exemption, MyWeekResult, UnitComplianceResult
from smartoffice.policies.api.policy_types import Policy
from smartoffice.policies.api.types import MyWeek, UnitCompliance

POLICY_TIME_ZONE = ZoneInfo("Asia/Makassar")
"""Weeks and "today" for policies are in the capital's time zone (WITA)."""

R = TypeVar("R")
ErrorMember = NotFoundError | PermissionDeniedError | ValidationError | PolicyRefusalError


def today(info: Info) -> dt.date:
    """Today in WITA, by the runtime's clock (tests move it)."""
    return info.context.runtime.bookings.clock().astimezone(POLICY_TIME_ZONE).date()


async def result(info: Info, sent_id: str | None, run: Callable[[], Awaitable[R]]) -> R | ErrorMember:
    """Run a service call; a domain error becomes the matching union member in the caller's language.

    A NotFound about something other than the id sent is reported with that thing's global id.
    """
    try:
        return await run()
    except DomainError as error:
        if sent_id is None and isinstance(error, NotFound) and isinstance(error.ident, int):
            sent_id = encode_id(error.kind, error.ident)
        member = to_graphql_error(error, info.context.language, sent_id=sent_id)
        if isinstance(member, BookingConflictError):
            raise  # policies take no space: a conflict here is a bug
        return member


def employee_or_viewer(info: Info, employee_id: strawberry.ID | None, field: str = "employeeId") -> int:
    viewer = info.context.require_viewer()
    return viewer if employee_id is None else decode_id(employee_id, "Employee", field)


WEEK_OF_HELP = "Any day of the week; default: this week (WITA)."


@strawberry.type
class PoliciesQuery:
    @strawberry.field(
        description="A person's week: the required days and why, the flexible days, what is planned and done, "
        "whether it complies, and desks to book near teammates. The person, their supervisor, a manager of their "
        "unit or an administrator."
    )
    async def my_week(
        self,
        info: Info,
        employee_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The employee; default: yourself.")
        ] = None,
        week_of: Annotated[dt.date | None, strawberry.argument(description=WEEK_OF_HELP)] = None,
    ) -> MyWeekResult:
        viewer, runtime, on = info.context.require_viewer(), info.context.runtime, today(info)
        info.context.require_scope(Scope.POLICIES_READ)

        async def run() -> MyWeek:
            employee = employee_or_viewer(info, employee_id)
            async with runtime.db.read() as session:
                week = await service.my_week(session, viewer, employee, week_of or on, on)
            return MyWeek.from_week(week, info.context.language)

        return await result(info, employee_id, run)  # type: ignore[return-value]

    @strawberry.field(
        description="A unit's week for its head (PermenPANRB 4/2025 Pasal 35 monitoring): each member's planned and "
        "actual office days and compliance, and the daily remote shares against the cap. Unit managers over the "
        "unit and administrators."
    )
    async def unit_compliance(
        self,
        info: Info,
        unit_id: Annotated[strawberry.ID, strawberry.argument(description="The OrgUnit; its subtree is included.")],
        week_of: Annotated[dt.date | None, strawberry.argument(description=WEEK_OF_HELP)] = None,
    ) -> UnitComplianceResult:
        viewer, runtime, on = info.context.require_viewer(), info.context.runtime, today(info)
        info.context.require_scope(Scope.POLICIES_READ)

        async def run() -> UnitCompliance:
            unit = decode_id(unit_id, "OrgUnit", "unitId")
            async with runtime.db.read() as session:
                week = await service.unit_week(session, viewer, unit, week_of or on, on)
            return UnitCompliance.from_unit_week(week, info.context.language)

        return await result(info, unit_id, run)  # type: ignore[return-value]

    @strawberry.field(
        description="The policies in force on a day, national first (a short list: a few dozen rows, at most "
        f"{lists.MAX_POLICIES}, so not paginated). Individual arrangements are listed only for the person and "
        "administrators."
    )
    async def policies(
        self,
        info: Info,
        at: Annotated[dt.date | None, strawberry.argument(description="The day; default: today (WITA).")] = None,
    ) -> list[Policy]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)
        async with info.context.runtime.db.read() as session:
            rows = await lists.policies_in_force(session, viewer, at or today(info))
        return [Policy.from_model(row) for row in rows]

    @strawberry.field(
        description=f"Your exemption requests, latest start first (at most {lists.MAX_EXEMPTIONS}; people have a few)."
    )
    async def my_exemptions(self, info: Info) -> list[Exemption]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)
        async with info.context.runtime.db.read() as session:
            rows = await lists.exemptions_of(session, viewer)
        return [Exemption.from_model(exemption, employee) for exemption, employee in rows]

    @strawberry.field(
        description="Pending exemption requests you may decide: of people in the units you manage (administrators: "
        f"everyone's), never your own; earliest start first, at most {lists.MAX_EXEMPTIONS}."
    )
    async def exemptions_to_decide(self, info: Info) -> list[Exemption]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)
        async with info.context.runtime.db.read() as session:
            rows = await lists.exemptions_to_decide(session, viewer)
        return [Exemption.from_model(exemption, employee) for exemption, employee in rows]
