"""What the admin pages (smartoffice.web.admin) list beside the services' answers: the sites, units and meeting
rooms a staff visitor may grant roles on (and filter the audit log by), the names of the scopes roles are held
over, and people found by NIP, email or name for the grant form and the audit log's actor filter.

These are reads only, one short read transaction each. Who may *do* what is never decided here: the lists choose
what a form offers, and :class:`~smartoffice.people.grants.RoleService` / :class:`~smartoffice.audit.service.
AuditService` check every request again (a hand-made form naming a scope outside the lists is refused by them).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.db import Database
from smartoffice.i18n import N_
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.people.visibility import Viewer
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone

MAX_OPTIONS = 2000
"""At most this many choices in each of the forms' lists (sites, units, rooms)."""
MAX_MATCHES = 10
"""People a search shows when the text names more than one."""

ROLE_NAMES: dict[GrantableRole, str] = {
    GrantableRole.ADMIN: N_("Administrator"),
    GrantableRole.FACILITIES_MANAGER: N_("Facilities manager"),
    GrantableRole.UNIT_MANAGER: N_("Unit manager"),
    GrantableRole.ROOM_APPROVER: N_("Room approver"),
}
"""Each grantable role's name (msgids; templates translate them with ``_()``)."""
SCOPE_HEADINGS: dict[GrantableRole, str] = {
    GrantableRole.FACILITIES_MANAGER: N_("Site"),
    GrantableRole.UNIT_MANAGER: N_("Unit"),
    GrantableRole.ROOM_APPROVER: N_("Meeting room"),
}


@dataclass(frozen=True, slots=True)
class Option:
    id: int
    label: str


@dataclass(frozen=True, slots=True)
class ScopeChoices:
    """What the visitor may grant on: admins everything; facilities managers their sites and those sites' rooms;
    unit managers the units of their subtrees and the rooms in those units' zones."""

    sites: Sequence[Option]
    units: Sequence[Option]
    rooms: Sequence[Option]
    roles: Sequence[GrantableRole]


@dataclass(frozen=True, slots=True)
class ScopeNames:
    """The names of the sites, units and rooms some roles are held over."""

    sites: dict[int, str] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)
    rooms: dict[int, str] = field(default_factory=dict)

    def of(self, role: GrantableRole, scope_id: int | None) -> str | None:
        if scope_id is None:
            return None
        names = {
            GrantableRole.FACILITIES_MANAGER: self.sites,
            GrantableRole.UNIT_MANAGER: self.units,
            GrantableRole.ROOM_APPROVER: self.rooms,
        }.get(role, {})
        return names.get(scope_id, f"#{scope_id}")


async def scope_choices(db: Database, viewer_id: int, *, is_admin: bool, site_ids: Iterable[int]) -> ScopeChoices:
    """For ``viewer_id``, an administrator or not, facilities manager of ``site_ids`` (their managed units are
    read here)."""
    viewer = Viewer(viewer_id, label="admin_pages")
    site_ids = list(site_ids)
    async with db.read() as session:
        sites_query = select(Site.id, Site.name).order_by(Site.name, Site.id)
        units_query = select(OrgUnit.id, OrgUnit.name).order_by(OrgUnit.level, OrgUnit.name, OrgUnit.id)
        rooms_query = _rooms()
        if not is_admin:
            sites_query = sites_query.where(Site.id.in_(site_ids))
            units_query = units_query.where(OrgUnit.id.in_(viewer.managed_units()))
            rooms_query = rooms_query.where(
                or_(Building.site_id.in_(site_ids), Zone.org_unit_id.in_(viewer.managed_units()))
            )
        sites = await _options(session, sites_query)
        units = await _options(session, units_query)
        rooms = [Option(ident, _room_label(name, code, building)) for ident, name, code, building in
                 (await session.execute(rooms_query.limit(MAX_OPTIONS))).all()]  # fmt: skip
    roles = [GrantableRole.ADMIN] if is_admin else []
    roles += [GrantableRole.FACILITIES_MANAGER] if sites else []
    roles += [GrantableRole.UNIT_MANAGER] if units else []
    roles += [GrantableRole.ROOM_APPROVER] if rooms else []
    return ScopeChoices(sites, units, rooms, roles)


async def scope_names(db: Database, grants: Iterable[RoleGrant]) -> ScopeNames:
    """The names of the grants' scopes: one query per kind of scope present."""
    wanted: dict[GrantableRole, set[int]] = {}
    for grant in grants:
        if grant.scope_id is not None:
            wanted.setdefault(grant.role, set()).add(grant.scope_id)
    names = ScopeNames()
    async with db.read() as session:
        if ids := wanted.get(GrantableRole.FACILITIES_MANAGER):
            names.sites.update(await _named(session, select(Site.id, Site.name).where(Site.id.in_(ids))))
        if ids := wanted.get(GrantableRole.UNIT_MANAGER):
            names.units.update(await _named(session, select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(ids))))
        if ids := wanted.get(GrantableRole.ROOM_APPROVER):
            rows = await session.execute(_rooms().where(Space.id.in_(ids)))
            names.rooms.update({ident: _room_label(name, code, building) for ident, name, code, building in rows})
    return names


async def find_people(db: Database, text: str) -> Sequence[Employee]:
    """Active people with exactly this NIP or email, else whose name contains ``text``; at most MAX_MATCHES + 1 (so
    a caller can tell "more than shown"), with their unit."""
    wanted = text.strip()
    if not wanted:
        return []
    query = select(Employee).where(Employee.active.is_(True)).options(joinedload(Employee.org_unit))
    async with db.read() as session:
        exact = await session.scalars(
            query.where(or_(Employee.nip == wanted, func.lower(Employee.email) == wanted.lower())).limit(2)
        )
        found = exact.all()
        if found:
            return found
        pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        named = query.where(Employee.name.ilike(pattern, escape="\\")).order_by(Employee.name, Employee.id)
        return (await session.scalars(named.limit(MAX_MATCHES + 1))).all()


def _rooms() -> Select[int, str | None, str, str]:
    return (
        select(Space.id, Space.name, Space.code, Building.name)
        .join(Floor, Floor.id == Space.floor_id)
        .join(Building, Building.id == Floor.building_id)
        .outerjoin(Zone, Zone.id == Space.zone_id)
        .where(Space.kind == SpaceKind.ROOM)
        .order_by(Building.name, Space.name, Space.id)
    )


def _room_label(name: str | None, code: str, building: str) -> str:
    return f"{name or code} · {building}"


async def _options(session: AsyncSession, query: Select[int, str]) -> list[Option]:
    return [Option(ident, name) for ident, name in (await session.execute(query.limit(MAX_OPTIONS))).all()]


async def _named(session: AsyncSession, query: Select[int, str]) -> dict[int, str]:
    return {ident: name for ident, name in (await session.execute(query)).all()}
