"""What the facilities console reads before an edit: the places the visitor manages, one place with its parents,
a floor's zones and spaces, and the people and units a form names. Each read checks the visitor as the change
would (:mod:`smartoffice.places.permissions`)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.roles import is_facilities_manager
from smartoffice.places import editing_steps as steps
from smartoffice.places.models import Floor, Site, Space, Zone
from smartoffice.places.permissions import managed_site_ids, require_site_manager
from smartoffice.places.service import list_sites, live


@dataclass(frozen=True, slots=True)
class FloorContents:
    """A floor (with its building) and its live zones and spaces, by code; the names a listing shows."""

    floor: Floor
    zones: Sequence[Zone]
    spaces: Sequence[Space]
    people: dict[int, Employee]
    """Assigned desks' people, by id."""
    units: dict[int, OrgUnit]
    """Zones' units, by id."""


class PlaceReads:
    db: Database

    async def managed_sites(self, actor_id: int) -> Sequence[Site]:
        """The live sites ``actor_id`` manages (administrators: all), with their live buildings and floors."""
        async with self.db.read() as session:
            return await list_sites(session, await managed_site_ids(session, actor_id))

    async def place(self, actor_id: int, model: type[steps.Place], ident: int) -> steps.Place:
        """One live place with its parents loaded, if the actor manages its site; else NotFound or PermissionDenied.
        (A site itself is changed by administrators only: the change says so.)"""
        async with self.db.read() as session:
            place = await steps.load_place(session, model, ident, lock=False)
            await require_site_manager(session, actor_id, steps.site_id_of(place))
            if steps.is_retired(place):
                raise NotFound(steps.KIND_NAMES.get(model, "Space"), ident)
            return place

    async def floor_contents(self, actor_id: int, floor_id: int) -> FloorContents:
        floor = await self.place(actor_id, Floor, floor_id)
        assert isinstance(floor, Floor)
        async with self.db.read() as session:
            zones = (
                await session.scalars(select(Zone).where(Zone.floor_id == floor_id, live(Zone)).order_by(Zone.code))
            ).all()
            spaces = (
                await session.scalars(select(Space).where(Space.floor_id == floor_id, live(Space)).order_by(Space.code))
            ).all()
            people_ids = {s.assigned_employee_id for s in spaces if s.assigned_employee_id}
            unit_ids = {z.org_unit_id for z in zones if z.org_unit_id}
            people = {e.id: e for e in await session.scalars(select(Employee).where(Employee.id.in_(people_ids)))}
            units = {u.id: u for u in await session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids)))}
        return FloorContents(floor, zones, spaces, people, units)

    async def people_by_key(self, keys: Iterable[str]) -> dict[str, Employee]:
        """People by exact NIP or email (case-insensitive), active or not (the editor refuses those who left)."""
        wanted = [k.strip() for k in keys if k.strip()]
        if not wanted:
            return {}
        lowered = [k.lower() for k in wanted]
        async with self.db.read() as session:
            rows = await session.scalars(
                select(Employee).where(or_(Employee.nip.in_(wanted), func.lower(Employee.email).in_(lowered)))
            )
            found = list(rows)
        result: dict[str, Employee] = {}
        for key in wanted:
            for person in found:
                if person.nip == key or person.email.lower() == key.lower():
                    result[key] = person
        return result

    async def people_by_id(self, ids: Iterable[int]) -> dict[int, Employee]:
        async with self.db.read() as session:
            return {e.id: e for e in await session.scalars(select(Employee).where(Employee.id.in_(list(ids))))}

    async def org_units(self) -> Sequence[OrgUnit]:
        """Every unit, by name: the zone form's picker."""
        async with self.db.read() as session:
            return (await session.scalars(select(OrgUnit).order_by(OrgUnit.name, OrgUnit.id))).all()

    async def manages_site(self, actor_id: int, site_id: int) -> bool:
        """Facilities manager of the site, or an administrator (who may see a desk's assignee, for one)."""
        async with self.db.read() as session:
            return await is_facilities_manager(session, actor_id, site_id)
