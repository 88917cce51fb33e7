"""Where a remote day is worked: the location kind of a HOME or ANYWHERE plan, and the policies that restrict it.

PermenPANRB 4/2025 limits location flexibility to three kinds of place: the home registered with the agency
(a HOME day, WFH), another office of the agency, or a place the agency designates (an ANYWHERE day, WFA). So a
HOME plan is worked at the registered home (its detail defaults to the person's ``home_address_ref``), an
ANYWHERE plan names which office or designated place, and other plans carry no location. A policy may allow
fewer kinds (``allowed_location_kinds``; several policies intersect): a kind the policies in force that day do
not allow is refused, citing the policy that states the restriction.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import InvalidInput, PolicyRefusal
from smartoffice.people.models import Employee
from smartoffice.policies.errors import PolicyInputCode, PolicyRefusalCode
from smartoffice.policies.models import LocationKind, WorkMode
from smartoffice.policies.person_day import day_rules_of

MAX_DETAIL_LENGTH = 200
"""``work_days.location_detail``'s length."""

AWAY_FROM_HOME = (LocationKind.AGENCY_OFFICE, LocationKind.DESIGNATED_PLACE)
"""The kinds of an ANYWHERE (WFA) day."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a day is worked, as planned: the kind and which office, place or home reference."""

    kind: LocationKind | None = None
    detail: str | None = None


def kinds_for(mode: WorkMode | str | None) -> tuple[LocationKind, ...]:
    """The location kinds a plan of ``mode`` may name (none for office, leave, travel or no plan)."""
    if mode == WorkMode.HOME:
        return (LocationKind.REGISTERED_HOME,)
    if mode == WorkMode.ANYWHERE:
        return AWAY_FROM_HOME
    return ()


def resolve_location(
    employee: Employee, planned: WorkMode | None, kind: LocationKind | None, detail: str | None
) -> Location:
    """The location to store with a plan, or InvalidInput: a location on a plan that is not remote, a HOME plan
    elsewhere than the registered home, an ANYWHERE plan without another office or designated place and which."""
    detail = (detail or "").replace("\x00", "").strip() or None  # PostgreSQL's text cannot hold NUL (a page form)
    if detail is not None and len(detail) > MAX_DETAIL_LENGTH:
        raise InvalidInput("locationDetail", PolicyInputCode.LOCATION_DETAIL_TOO_LONG, max=MAX_DETAIL_LENGTH)
    if planned is None or not planned.is_remote:
        if kind is not None or detail is not None:
            field = "locationKind" if kind is not None else "locationDetail"
            raise InvalidInput(field, PolicyInputCode.LOCATION_ONLY_FOR_REMOTE)
        return Location()
    if planned == WorkMode.HOME:
        if kind not in (None, LocationKind.REGISTERED_HOME):
            raise InvalidInput("locationKind", PolicyInputCode.HOME_IS_THE_REGISTERED_HOME)
        return Location(LocationKind.REGISTERED_HOME, detail or employee.home_address_ref)
    if kind not in AWAY_FROM_HOME:
        raise InvalidInput("locationKind", PolicyInputCode.ANYWHERE_NEEDS_A_PLACE)
    if detail is None:
        raise InvalidInput("locationDetail", PolicyInputCode.LOCATION_DETAIL_NEEDED)
    return Location(kind, detail)


async def check_location_allowed(session: AsyncSession, employee_id: int, day: date, kind: LocationKind) -> None:
    """PolicyRefusal when the policies in force for the person on ``day`` do not allow ``kind``, naming the policy
    that binds: the most specific one (an overlay above all) whose own list leaves the kind out."""
    today = await day_rules_of(session, employee_id, day)
    allowed = today.rules.rules.allowed_location_kinds if today is not None else None
    if today is None or allowed is None or kind in allowed:
        return
    binding = [p for p in today.policies if p.rules.allowed_location_kinds is not None]
    policy = next((p for p in reversed(binding) if kind not in (p.rules.allowed_location_kinds or ())), None)
    raise PolicyRefusal(
        PolicyRefusalCode.LOCATION_KIND_NOT_ALLOWED,
        policy=policy.name if policy is not None else "-",
        legal_basis=policy.legal_basis if policy is not None else "-",
        day=day.isoformat(),
    )
