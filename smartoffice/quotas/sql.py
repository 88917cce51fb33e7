"""The queries behind seat quotas: which quotas bind a person in a place, and how many of each are taken.

Both are one statement on either database, shared by the booking check (:mod:`smartoffice.quotas.enforcement`),
the availability display (:mod:`smartoffice.quotas.standing`) and the facilities console's usage view.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.people.models import Employee, Organisation, OrgUnit
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone
from smartoffice.quotas.models import SeatQuota

PLACE_SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class NamedQuota:
    """A quota with the names people know its holder and place by."""

    quota: SeatQuota
    holder_name: str
    place_name: str
    building_id: int
    """The building the place is in (a building's own id for a building's quota)."""
    site_id: int


def named_quotas() -> Select[SeatQuota, str, str, str, str, int, int]:
    """Quotas with their holder's name, the building's, floor's and zone's names, building and site ids."""
    zone_floor = aliased(Floor)
    return (
        select(
            SeatQuota,
            func.coalesce(Organisation.name, OrgUnit.name),
            Building.name,
            Floor.name,
            Zone.name,
            Building.id,
            Building.site_id,
        )
        .outerjoin(Organisation, Organisation.id == SeatQuota.organisation_id)
        .outerjoin(OrgUnit, OrgUnit.id == SeatQuota.org_unit_id)
        .outerjoin(Zone, Zone.id == SeatQuota.zone_id)
        .outerjoin(zone_floor, zone_floor.id == Zone.floor_id)
        .outerjoin(Floor, Floor.id == func.coalesce(SeatQuota.floor_id, zone_floor.id))
        .join(Building, Building.id == func.coalesce(SeatQuota.building_id, Floor.building_id))
    )


def as_named(row: Sequence[object]) -> NamedQuota:
    quota, holder, building, floor, zone, building_id, site_id = row
    place = PLACE_SEPARATOR.join(str(part) for part in (building, floor, zone) if part is not None)
    assert isinstance(quota, SeatQuota)
    return NamedQuota(quota, str(holder), place, int(str(building_id)), int(str(site_id)))


def holder_contains(unit_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """Quotas whose holder contains the unit: its organisation's, or its own or an ancestor unit's."""
    tree = (
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.organisation_id)
        .where(OrgUnit.id == unit_id)
        .cte("quota_units", recursive=True)
    )
    tree = tree.union_all(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.organisation_id).join(tree, OrgUnit.id == tree.c.parent_id)
    )
    return or_(
        SeatQuota.org_unit_id.in_(select(tree.c.id)),
        SeatQuota.organisation_id.in_(select(tree.c.organisation_id)),
    )


def covering_desk(desk: Space, building_id: int) -> ColumnElement[bool]:
    """Quotas whose place contains ``desk``: its building, its floor or its zone."""
    scopes = [SeatQuota.building_id == building_id, SeatQuota.floor_id == desk.floor_id]
    if desk.zone_id is not None:
        scopes.append(SeatQuota.zone_id == desk.zone_id)
    return or_(*scopes)


def covering_floor(floor_id: int) -> ColumnElement[bool]:
    """Quotas that cover some desk of the floor: its building's, its own, its zones'."""
    return or_(
        SeatQuota.building_id == select(Floor.building_id).where(Floor.id == floor_id).scalar_subquery(),
        SeatQuota.floor_id == floor_id,
        SeatQuota.zone_id.in_(select(Zone.id).where(Zone.floor_id == floor_id)),
    )


@dataclass(frozen=True, slots=True)
class Taken:
    booked: int
    """The holder's people with a desk booked in the place that day."""
    includes_you: bool


async def taken(
    session: AsyncSession, quotas: Sequence[SeatQuota], building_id: int, day: LocalDay, employee_id: int | None
) -> dict[int, Taken]:
    """For each quota (all in one building), its holder's people holding a desk in its place on ``day``, and
    whether ``employee_id`` is one of them. One statement: a column pair per quota over that day's desk bookings."""
    if not quotas:
        return {}
    unit_roots = sorted({q.org_unit_id for q in quotas if q.org_unit_id is not None})
    subtree = None
    if unit_roots:
        subtree = (
            select(OrgUnit.id.label("root_id"), OrgUnit.id.label("unit_id"))
            .where(OrgUnit.id.in_(unit_roots))
            .cte("quota_subtrees", recursive=True)
        )
        subtree = subtree.union_all(
            select(subtree.c.root_id, OrgUnit.id).join(subtree, OrgUnit.parent_id == subtree.c.unit_id)
        )
    me = Booking.employee_id == employee_id if employee_id is not None else false()
    columns: list[ColumnElement[Any]] = []
    for quota in quotas:
        applies = and_(_in_place(quota), _of_holder(quota, subtree))
        columns.append(func.count(func.distinct(case((applies, Booking.employee_id)))))
        columns.append(func.max(case((and_(applies, me), 1), else_=0)))
    row = (
        await session.execute(
            select(*columns)
            .select_from(Booking)
            .join(Space, Space.id == Booking.space_id)
            .join(Floor, Floor.id == Space.floor_id)
            .join(Employee, Employee.id == Booking.employee_id)
            .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
            .where(
                Floor.building_id == building_id,
                Booking.space_kind == SpaceKind.DESK,
                Booking.status.in_(ACTIVE_STATUSES),
                overlapping(day.start_at, day.end_at),
            )
        )
    ).one()
    return {quota.id: Taken(int(row[2 * n] or 0), bool(row[2 * n + 1] or 0)) for n, quota in enumerate(quotas)}


def _in_place(quota: SeatQuota) -> ColumnElement[bool]:
    if quota.zone_id is not None:
        return Space.zone_id == quota.zone_id
    if quota.floor_id is not None:
        return Space.floor_id == quota.floor_id
    return Floor.building_id == quota.building_id


def _of_holder(quota: SeatQuota, subtree: object) -> ColumnElement[bool]:
    if quota.organisation_id is not None:
        return OrgUnit.organisation_id == quota.organisation_id
    assert subtree is not None
    tree = subtree  # a recursive CTE of (root_id, unit_id)
    return OrgUnit.id.in_(select(tree.c.unit_id).where(tree.c.root_id == quota.org_unit_id))  # type: ignore[attr-defined]
