"""What an occupancy report covers, who may read it, and the SQL that picks a scope's bookings and spaces.

**Places** (site, building, floor, zone): the desk bookings of the desks there, counted against those desks. The
site's facilities managers and administrators may read them.

**Organisations and units** (a unit means its subtree): the desk bookings of the people placed in the subtree,
wherever they sat, counted against the desks of the zones assigned to the subtree (``Zone.org_unit_id``): "how much
of its own space the unit fills", the figure a planner moves units by. A unit whose people sit outside its zones
can read above 100 %; a unit with no zones has no desks and reads 0 %, so the report also gives people booked ÷
headcount (active people placed in the subtree now). Rooms: the rooms in the subtree's zones.
Administrators see everything. A facilities manager sees only the bookings, desks and rooms in the sites they
manage (``OccupancyReport.sites``): a ministry spread over towers managed by different people gets one partial
report each, and none of them sees another site's figures. The headcount stays the whole subtree's (people are
not placed in sites), so the headcount share then reads "the share of the unit that came to my sites".
Anyone else is refused. Only counts leave this module, never a name.

Desks and rooms are counted as they are now (retired ones left out: retiring a place retires everything below
it); a desk taken out of service (``bookable`` false) still counts, as a seat the building has.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import CommonPermissionCode, NotFound, PermissionDenied
from smartoffice.people.models import Employee, Organisation, OrgUnit, Role, RoleAssignment
from smartoffice.people.roles import is_active, is_admin, is_facilities_manager
from smartoffice.places.models import Building, Floor, Site, Space, Zone
from smartoffice.planning.occupancy_report import (
    CHILD_KIND,
    OccupancyScope,
    ReportableScopes,
    ScopeKind,
    ScopeOption,
    ScopeRef,
)

NOT_FOUND_KIND = {
    ScopeKind.SITE: "Site",
    ScopeKind.BUILDING: "Building",
    ScopeKind.FLOOR: "Floor",
    ScopeKind.ZONE: "Zone",
    ScopeKind.ORGANISATION: "Organisation",
    ScopeKind.ORG_UNIT: "OrgUnit",
}
"""The type name a :class:`NotFound` carries (the GraphQL type of the id)."""


@dataclass(frozen=True, slots=True)
class ResolvedScope:
    """A scope the viewer may read, with what the queries need. Queries using :meth:`space_filter` or
    :meth:`booking_filter` join ``Space`` and ``Floor`` (and ``Employee`` for organisation and unit scopes)."""

    ref: ScopeRef
    parts: list[ScopeRef]
    buildings: list[Building]
    """The buildings whose bookings may count (place scopes: the ones in scope; organisation and unit scopes:
    every building, or those of :attr:`sites`)."""
    building: Building | None = None
    floor_id: int | None = None
    zone_id: int | None = None
    units: list[int] = field(default_factory=list)
    """The unit subtree (organisation and unit scopes)."""
    part_of_unit: dict[int, int] = field(default_factory=dict)
    """Unit id → the part (top unit or child unit) whose subtree holds it."""
    sites: tuple[int, ...] | None = None

    @property
    def kind(self) -> ScopeKind:
        return self.ref.kind

    @property
    def part_kind(self) -> ScopeKind | None:
        return CHILD_KIND.get(self.kind)

    @property
    def building_ids(self) -> list[int]:
        return [b.id for b in self.buildings]

    def space_filter(self) -> ColumnElement[bool]:
        """The spaces in scope (desks and rooms; the caller adds the kind)."""
        if self.kind.is_place:
            return self._place_filter()
        zones = select(Zone.id).where(Zone.org_unit_id.in_(self.units))
        return Space.zone_id.in_(zones) & self._site_filter()

    def booking_filter(self) -> ColumnElement[bool]:
        """The desk bookings in scope (joined with their space, floor and, for units, employee)."""
        if self.kind.is_place:
            return self._place_filter()
        return Employee.org_unit_id.in_(self.units) & self._site_filter()

    def space_part(self) -> Any:
        """The part a space belongs to (``None`` when the scope has no parts): needs ``Zone`` outer-joined for
        organisation and unit scopes."""
        match self.kind:
            case ScopeKind.SITE:
                return Floor.building_id
            case ScopeKind.BUILDING:
                return Space.floor_id
            case ScopeKind.FLOOR:
                return Space.zone_id
            case ScopeKind.ZONE:
                return None
        return self._unit_part(Zone.org_unit_id)

    def booking_part(self) -> Any:
        """The part a desk booking belongs to (``None`` when the scope has no parts)."""
        if self.kind.is_place:
            return self.space_part()
        return self._unit_part(Employee.org_unit_id)

    def _unit_part(self, unit: Any) -> Any:
        if not self.part_of_unit:
            return None
        return case(self.part_of_unit, value=unit, else_=None)

    def _place_filter(self) -> ColumnElement[bool]:
        match self.kind:
            case ScopeKind.SITE:
                return Floor.building_id.in_(self.building_ids) if self.buildings else false()
            case ScopeKind.BUILDING:
                return Floor.building_id == self.ref.id
            case ScopeKind.FLOOR:
                return Space.floor_id == self.ref.id
        return Space.zone_id == self.ref.id

    def _site_filter(self) -> ColumnElement[bool]:
        if self.sites is None:
            return true()
        return Floor.building_id.in_(self.building_ids) if self.buildings else false()


async def resolve(
    session: AsyncSession, viewer_id: int, scope: OccupancyScope, *, with_parts: bool = True
) -> ResolvedScope:
    """The scope, if the viewer may read it. Raises NotFound or PermissionDenied (NOT_A_FACILITIES_MANAGER).
    ``with_parts`` false (place scopes): no breakdown, so the counts do no per-part work."""
    if scope.kind.is_place:
        return await _resolve_place(session, viewer_id, scope, with_parts)
    return await _resolve_units(session, viewer_id, scope)


async def _resolve_place(
    session: AsyncSession, viewer_id: int, scope: OccupancyScope, with_parts: bool
) -> ResolvedScope:
    site_id: int
    building: Building | None = None
    floor_id = zone_id = None
    match scope.kind:
        case ScopeKind.SITE:
            site = await session.get(Site, scope.id)
            if site is None:
                raise NotFound("Site", scope.id)
            ref, site_id = _ref(ScopeKind.SITE, site), site.id
        case ScopeKind.BUILDING:
            building = await session.get(Building, scope.id)
            if building is None:
                raise NotFound("Building", scope.id)
            ref, site_id = _ref(ScopeKind.BUILDING, building), building.site_id
        case ScopeKind.FLOOR:
            row = (
                await session.execute(select(Floor, Building).join(Building).where(Floor.id == scope.id))
            ).one_or_none()
            if row is None:
                raise NotFound("Floor", scope.id)
            floor, building = row
            ref = ScopeRef(ScopeKind.FLOOR, floor.id, str(floor.level), floor.name)
            site_id, floor_id = building.site_id, floor.id
        case _:
            found = (
                await session.execute(
                    select(Zone, Floor.id, Building)
                    .join(Floor, Zone.floor_id == Floor.id)
                    .join(Building, Floor.building_id == Building.id)
                    .where(Zone.id == scope.id)
                )
            ).one_or_none()
            if found is None:
                raise NotFound("Zone", scope.id)
            zone, floor_id, building = found
            ref, site_id, zone_id = _ref(ScopeKind.ZONE, zone), building.site_id, zone.id
    if not await is_facilities_manager(session, viewer_id, site_id):
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)
    if scope.kind == ScopeKind.SITE:
        buildings = list(await session.scalars(select(Building).where(Building.site_id == site_id)))
    else:
        assert building is not None
        buildings = [building]
    return ResolvedScope(
        ref=ref,
        parts=await _place_parts(session, scope) if with_parts else [],
        buildings=buildings,
        building=building if scope.kind == ScopeKind.BUILDING else None,
        floor_id=floor_id,
        zone_id=zone_id,
    )


async def _place_parts(session: AsyncSession, scope: OccupancyScope) -> list[ScopeRef]:
    match scope.kind:
        case ScopeKind.SITE:
            rows = await session.scalars(
                select(Building)
                .where(Building.site_id == scope.id, Building.retired_at.is_(None))
                .order_by(Building.code)
            )
            return [_ref(ScopeKind.BUILDING, b) for b in rows]
        case ScopeKind.BUILDING:
            floors = await session.scalars(
                select(Floor).where(Floor.building_id == scope.id, Floor.retired_at.is_(None)).order_by(Floor.level)
            )
            return [ScopeRef(ScopeKind.FLOOR, f.id, str(f.level), f.name) for f in floors]
        case ScopeKind.FLOOR:
            zones = await session.scalars(
                select(Zone).where(Zone.floor_id == scope.id, Zone.retired_at.is_(None)).order_by(Zone.code)
            )
            return [_ref(ScopeKind.ZONE, z) for z in zones]
    return []


async def _resolve_units(session: AsyncSession, viewer_id: int, scope: OccupancyScope) -> ResolvedScope:
    if scope.kind == ScopeKind.ORGANISATION:
        organisation = await session.get(Organisation, scope.id)
        if organisation is None:
            raise NotFound("Organisation", scope.id)
        ref, organisation_id = _ref(ScopeKind.ORGANISATION, organisation), organisation.id
    else:
        unit = await session.get(OrgUnit, scope.id)
        if unit is None:
            raise NotFound("OrgUnit", scope.id)
        ref, organisation_id = _ref(ScopeKind.ORG_UNIT, unit), unit.organisation_id
    sites = await _unit_scope_sites(session, viewer_id)
    units = list(
        await session.scalars(select(OrgUnit).where(OrgUnit.organisation_id == organisation_id).order_by(OrgUnit.code))
    )
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u)
    root = None if scope.kind == ScopeKind.ORGANISATION else scope.id
    part_of_unit: dict[int, int] = {}
    parts = []
    for child in children[root]:
        parts.append(_ref(ScopeKind.ORG_UNIT, child))
        for member in _subtree(children, child.id):
            part_of_unit[member] = child.id
    subtree = [u.id for u in units] if root is None else _subtree(children, root)
    query = select(Building).order_by(Building.id)
    if sites is not None:
        query = query.where(Building.site_id.in_(sites))
    return ResolvedScope(
        ref=ref,
        parts=parts,
        buildings=list(await session.scalars(query)),
        units=subtree,
        part_of_unit=part_of_unit,
        sites=sites,
    )


def _subtree(children: dict[int | None, list[OrgUnit]], root: int) -> list[int]:
    found, stack = [], [root]
    while stack:
        unit = stack.pop()
        found.append(unit)
        stack.extend(c.id for c in children.get(unit, []))
    return found


async def _unit_scope_sites(session: AsyncSession, viewer_id: int) -> tuple[int, ...] | None:
    """``None`` for admins (everything), the managed sites for facilities managers; refuses anyone else."""
    if await is_admin(session, viewer_id):
        return None
    sites = await _managed_sites(session, viewer_id)
    if not sites:
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)
    return sites


async def _managed_sites(session: AsyncSession, viewer_id: int) -> tuple[int, ...]:
    rows = await session.scalars(
        select(RoleAssignment.site_id)
        .where(
            RoleAssignment.employee_id == viewer_id,
            RoleAssignment.role == Role.FACILITIES_MANAGER,
            is_active(viewer_id),
        )
        .distinct()
    )
    return tuple(sorted(s for s in rows if s is not None))


def _ref(kind: ScopeKind, row: Site | Building | Zone | Organisation | OrgUnit) -> ScopeRef:
    return ScopeRef(kind, row.id, row.code, row.name)


async def reportable_scopes(session: AsyncSession, viewer_id: int) -> ReportableScopes:
    """What the viewer may report on (see the module docstring), in tree order for the pickers."""
    admin = await is_admin(session, viewer_id)
    site_ids = None if admin else await _managed_sites(session, viewer_id)
    if site_ids == ():
        return ReportableScopes(places=[], organisations=[])
    return ReportableScopes(places=await _place_options(session, site_ids), organisations=await _unit_options(session))


async def _place_options(session: AsyncSession, site_ids: Sequence[int] | None) -> list[ScopeOption]:
    site_query = select(Site).where(Site.retired_at.is_(None)).order_by(Site.code)
    if site_ids is not None:
        site_query = site_query.where(Site.id.in_(site_ids))
    sites = list(await session.scalars(site_query))
    buildings = list(
        await session.scalars(
            select(Building)
            .where(Building.site_id.in_([s.id for s in sites]), Building.retired_at.is_(None))
            .order_by(Building.code)
        )
    )
    floors = list(
        await session.scalars(
            select(Floor)
            .where(Floor.building_id.in_([b.id for b in buildings]), Floor.retired_at.is_(None))
            .order_by(Floor.level)
        )
    )
    zones = list(
        await session.scalars(
            select(Zone).where(Zone.floor_id.in_([f.id for f in floors]), Zone.retired_at.is_(None)).order_by(Zone.code)
        )
    )
    options: list[ScopeOption] = []
    for site in sites:
        options.append(ScopeOption(_ref(ScopeKind.SITE, site), 0, None))
        for building in (b for b in buildings if b.site_id == site.id):
            options.append(ScopeOption(_ref(ScopeKind.BUILDING, building), 1, OccupancyScope(ScopeKind.SITE, site.id)))
            for floor in (f for f in floors if f.building_id == building.id):
                options.append(
                    ScopeOption(
                        ScopeRef(ScopeKind.FLOOR, floor.id, str(floor.level), floor.name),
                        2,
                        OccupancyScope(ScopeKind.BUILDING, building.id),
                    )
                )
                for zone in (z for z in zones if z.floor_id == floor.id):
                    options.append(
                        ScopeOption(_ref(ScopeKind.ZONE, zone), 3, OccupancyScope(ScopeKind.FLOOR, floor.id))
                    )
    return options


async def _unit_options(session: AsyncSession) -> list[ScopeOption]:
    organisations = list(await session.scalars(select(Organisation).order_by(Organisation.code)))
    units = list(await session.scalars(select(OrgUnit).order_by(OrgUnit.code)))
    children: dict[tuple[int, int | None], list[OrgUnit]] = defaultdict(list)
    for unit in units:
        children[(unit.organisation_id, unit.parent_id)].append(unit)
    options: list[ScopeOption] = []

    def walk(organisation_id: int, parent: int | None, parent_scope: OccupancyScope, depth: int) -> None:
        for unit in children.get((organisation_id, parent), []):
            options.append(ScopeOption(_ref(ScopeKind.ORG_UNIT, unit), depth, parent_scope))
            walk(organisation_id, unit.id, OccupancyScope(ScopeKind.ORG_UNIT, unit.id), depth + 1)

    for organisation in organisations:
        options.append(ScopeOption(_ref(ScopeKind.ORGANISATION, organisation), 0, None))
        walk(organisation.id, None, OccupancyScope(ScopeKind.ORGANISATION, organisation.id), 1)
    return options
