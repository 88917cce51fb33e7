"""Policy queries: a person's week, a unit's compliance, the policies in force, exemption requests.

Each resolver calls :class:`~smartoffice.policies.service.PolicyService`; "today" is its date in WITA by the
runtime's clock. Domain errors become members of the result unions (``smartoffice/api/errors.py``).
"""

import datetime as dt
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id
from smartoffice.policies import lists, weeks
from smartoffice.policies.api.inputs import Exemption, MyWeekResult, UnitComplianceResult
from smartoffice.policies.api.policy_types import Policy
from smartoffice.policies.api.types import MyWeek, UnitCompliance
from smartoffice.policies.day_rules import PolicyView


def employee_or_viewer(info: Info, employee_id: strawberry.ID | None, field: str = "employeeId") -> int:
    viewer = info.context.require_viewer()
    return viewer if employee_id is None else decode_id(employee_id, "Employee", field)


def week_policies(week: weeks.MyWeek) -> list[PolicyView]:
    """The policies a week's reasons and problems cite (as the engine saw them when it judged the week)."""
    plan = week.plan
    reasons = [*plan.needed_because, *(r for day in plan.days for r in day.reasons)]
    cited = [r.policy for r in reasons] + [p.policy for p in plan.problems]
    return [p for p in cited if p is not None]


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
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)

        employee = employee_or_viewer(info, employee_id)
        week = await info.context.runtime.policies.my_week(viewer, employee, week_of)
        # Its reasons and problems cite the policies the week was judged by: their ``policy`` fields need no query.
        info.context.loaders.policies.policy_by_id.prime_many({p.id: p for p in week_policies(week)})
        if viewer == week.employee.id:  # a person may always see their own NIP: no visibility query for it
            info.context.loaders.people.nip_by_employee_id.prime(viewer, week.employee.nip)
        return MyWeek.from_week(week, info.context.language)

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
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)

        unit = decode_id(unit_id, "OrgUnit", "unitId")
        week = await info.context.runtime.policies.unit_week(viewer, unit, week_of)
        return UnitCompliance.from_unit_week(week, info.context.language)

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
        rows = await info.context.runtime.policies.policies_in_force(viewer, at)
        return [Policy.from_model(row) for row in rows]

    @strawberry.field(
        description=f"Your exemption requests, latest start first (at most {lists.MAX_EXEMPTIONS}; people have a few)."
    )
    async def my_exemptions(self, info: Info) -> list[Exemption]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)
        rows = await info.context.runtime.policies.exemptions_of(viewer)
        return [Exemption.from_details(details) for details in rows]

    @strawberry.field(
        description="Pending exemption requests you may decide: of people in the units you manage (administrators: "
        f"everyone's), never your own; earliest start first, at most {lists.MAX_EXEMPTIONS}."
    )
    async def exemptions_to_decide(self, info: Info) -> list[Exemption]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)
        rows = await info.context.runtime.policies.exemptions_to_decide(viewer)
        return [Exemption.from_details(details) for details in rows]

    @strawberry.field(
        description="Pending exemption requests of the people you directly supervise that wait for your "
        "recommendation (not those you decide yourself, as their unit's head); earliest start first, at most "
        f"{lists.MAX_EXEMPTIONS}."
    )
    async def exemptions_to_recommend(self, info: Info) -> list[Exemption]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_READ)
        rows = await info.context.runtime.policies.exemptions_to_recommend(viewer)
        return [Exemption.from_details(details) for details in rows]
