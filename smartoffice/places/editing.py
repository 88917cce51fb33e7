"""The places editor: creating, changing and retiring sites, buildings, floors, zones, desks and meeting rooms.

Who may: administrators everywhere (sites are theirs alone), facilities managers within their sites
(:mod:`smartoffice.places.permissions`), asked inside each change's transaction, so GraphQL, the pages and the
command line refuse alike. Every change is written to the audit log in the same transaction (``place.create``,
``place.update``, ``place.retire``; entity kinds Site, Building, Floor, Zone, Desk, MeetingRoom; with the site).

**Retiring** sets ``retired_at`` on the place and on everything below it that is not retired yet (a site: its
buildings, floors, zones and spaces; a zone: its spaces). Retired places disappear from listings and take no
bookings, but keep their history (past bookings still name them). Their codes and floor levels stay theirs: the
unique keys include retired rows, so reusing one is refused with ``PLACE_CODE_RETIRED`` / ``PLACE_LEVEL_RETIRED``
rather than silently renaming history (a past booking of "D-14" must not come to mean the new desk D-14).

**Changes that take bookings away** — retiring; a space made not bookable; a desk assigned to someone (others'
bookings of it); a room's capacity lowered below a booking's attendees; a building's opening hours or a room's
bookable hours narrowed (bookings now outside them) — are first shown: called with ``dry_run`` the change is
checked and its :attr:`PlaceChange.affected` bookings listed, and nothing is written. The real call needs a
``reason`` when any booking is affected (``PLACE_REASON_REQUIRED``); it makes the change and cancels those
bookings with that reason (``bookings.cancel_reason``, which the people see) in one transaction, then frees their
slots in the availability index. The layout cache of every process follows by itself (``places/layout.py``).
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings.models import Booking
from smartoffice.bookings.place_changes import (
    PlaceLevel,
    PlaceRef,
    affected_bookings,
    cancel_for_place_change,
    project_cancelled,
)
from smartoffice.db import Database
from smartoffice.places import editing_checks as checks
from smartoffice.places import editing_steps as steps
from smartoffice.places.editing_fields import (
    MAX_NAME,
    BuildingFields,
    FloorFields,
    SiteFields,
    SpaceFields,
    ZoneFields,
    check_building,
    check_code,
    check_floor,
    check_name,
    widest,
)
from smartoffice.places.editing_reads import PlaceReads
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone

P = TypeVar("P", Site, Building, Floor, Zone, Space)

LEVELS: dict[type[Any], PlaceLevel] = {
    Site: PlaceLevel.SITE,
    Building: PlaceLevel.BUILDING,
    Floor: PlaceLevel.FLOOR,
    Zone: PlaceLevel.ZONE,
    Space: PlaceLevel.SPACE,
}
MODELS: dict[PlaceLevel, type[steps.Place]] = {level: model for model, level in LEVELS.items()}


@dataclass(frozen=True, slots=True)
class PlaceChange(Generic[P]):
    """A change made (``applied``) or, for a dry run, only checked: the place as it is (or would be) and the
    bookings the change cancels (or would cancel), with their person, space, floor and building loaded."""

    place: P
    affected: Sequence[Booking]
    applied: bool


@dataclass(frozen=True, slots=True)
class _Effect:
    """What a change's step tells :meth:`PlaceEditor._change` about bookings, and extra audit values."""

    hours_changed: bool = False
    newly_assigned: bool = False
    extra: Mapping[str, Any] | None = None


class _DryRun(Exception):
    """Leaves the write transaction without committing (nothing of a dry run is written)."""

    def __init__(self, change: PlaceChange[Any]) -> None:
        super().__init__("dry run")
        self.change = change


class PlaceEditor(PlaceReads):
    def __init__(self, db: Database, availability: AvailabilityService, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.availability = availability
        self.clock = clock

    # sites: administrators only

    async def create_site(self, actor: Actor, fields: SiteFields) -> Site:
        code, name = check_code(fields.code), check_name(fields.name, MAX_NAME)
        async with self.db.write() as session:
            await checks.require_admin_actor(session, actor)
            await steps.check_unique(session, Site, Site.id.is_not(None), Site.code, code, None)
            site = Site(code=code, name=name)
            session.add(site)
            await session.flush()
            self._audit(session, actor, "place.create", site, None)
        return site

    async def update_site(self, actor: Actor, site_id: int, changes: Mapping[str, Any]) -> Site:
        async with self.db.write() as session:
            site = await steps.load_place(session, Site, site_id)
            assert isinstance(site, Site)
            await checks.require_admin_actor(session, actor)
            steps.refuse_retired(site)
            fields = replace(SiteFields.of(site), **changes)
            code, name = check_code(fields.code), check_name(fields.name, MAX_NAME)
            await steps.check_unique(session, Site, Site.id.is_not(None), Site.code, code, site.id)
            before = steps.snapshot(site)
            site.code, site.name = code, name
            self._audit(session, actor, "place.update", site, before)
        return site

    # buildings, floors, zones, spaces: facilities managers of the site, and administrators

    async def create_building(self, actor: Actor, site_id: int, fields: BuildingFields) -> Building:
        checked, hours = check_building(fields)
        async with self.db.write() as session:
            site = await steps.load_place(session, Site, site_id, share=True)
            await checks.require_manager(session, actor, site.id)
            checks.live_parent(site, "Site")
            await steps.check_unique(session, Building, Building.site_id == site_id, Building.code, checked.code, None)
            opens, closes = widest(hours)
            building = Building(
                site_id=site_id,
                code=checked.code,
                name=checked.name,
                time_zone=checked.time_zone,
                opens_at=opens,
                closes_at=closes,
                opening_hours=hours,
            )
            session.add(building)
            await session.flush()
            self._audit(session, actor, "place.create", building, None)
        return building

    async def update_building(
        self,
        actor: Actor,
        building_id: int,
        changes: Mapping[str, Any],
        *,
        reason: str | None = None,
        dry_run: bool = False,
    ) -> PlaceChange[Building]:
        """Opening hours narrowed take away the bookings now outside them (see the module docstring)."""

        async def change(session: AsyncSession, building: Any) -> _Effect:
            current = BuildingFields.of(building)
            checked, hours = check_building(replace(current, **changes))
            await steps.check_unique(
                session, Building, Building.site_id == building.site_id, Building.code, checked.code, building.id
            )
            old_hours = {str(day): list(h) for day, h in current.opening_hours.items()}
            building.code, building.name, building.time_zone = checked.code, checked.name, checked.time_zone
            building.opens_at, building.closes_at = widest(hours)
            building.opening_hours = hours
            return _Effect(hours_changed=hours != old_hours or checked.time_zone != current.time_zone)

        return await self._change(actor, Building, building_id, change, reason, dry_run)

    async def create_floor(self, actor: Actor, building_id: int, fields: FloorFields) -> Floor:
        checked = check_floor(fields)
        async with self.db.write() as session:
            building = await steps.load_place(session, Building, building_id, share=True)
            assert isinstance(building, Building)
            await checks.require_manager(session, actor, building.site_id)
            checks.live_parent(building, "Building")
            await steps.check_unique(session, Floor, Floor.building_id == building_id, Floor.level, checked.level, None)
            floor = Floor(
                building_id=building_id,
                level=checked.level,
                name=checked.name,
                width=checked.width,
                height=checked.height,
            )
            session.add(floor)
            await session.flush()
            self._audit(session, actor, "place.create", floor, None, site_id=building.site_id)
        return floor

    async def update_floor(self, actor: Actor, floor_id: int, changes: Mapping[str, Any]) -> Floor:
        """A floor's plan may shrink only while it still holds every live zone and space on it."""

        async def change(session: AsyncSession, floor: Any) -> _Effect:
            checked = check_floor(replace(FloorFields.of(floor), **changes))
            await steps.check_unique(
                session, Floor, Floor.building_id == floor.building_id, Floor.level, checked.level, floor.id
            )
            if (checked.width, checked.height) != (floor.width, floor.height):
                await checks.check_still_fits(session, floor, checked)
            floor.level, floor.name, floor.width, floor.height = (
                checked.level,
                checked.name,
                checked.width,
                checked.height,
            )
            return _Effect()

        return (await self._change(actor, Floor, floor_id, change, None, False)).place

    async def create_zone(self, actor: Actor, floor_id: int, fields: ZoneFields) -> Zone:
        async with self.db.write() as session:
            floor = await steps.load_place(session, Floor, floor_id, share=True)
            assert isinstance(floor, Floor)
            await checks.require_manager(session, actor, floor.building.site_id)
            checks.live_parent(floor, "Floor")
            checked = await checks.checked_zone(session, fields, floor, None)
            box = checked.box
            assert box is not None
            zone = Zone(
                floor_id=floor_id,
                code=checked.code,
                name=checked.name,
                org_unit_id=checked.org_unit_id,
                x=box.x,
                y=box.y,
                width=box.width,
                height=box.height,
            )
            session.add(zone)
            await session.flush()
            self._audit(session, actor, "place.create", zone, None, site_id=floor.building.site_id)
        return zone

    async def update_zone(self, actor: Actor, zone_id: int, changes: Mapping[str, Any]) -> Zone:
        async def change(session: AsyncSession, zone: Any) -> _Effect:
            current = ZoneFields.of(zone)
            checked = await checks.checked_zone(
                session, replace(current, **checks.boxed(current.box, changes)), zone.floor, zone.id
            )
            box = checked.box
            assert box is not None
            zone.code, zone.name, zone.org_unit_id = checked.code, checked.name, checked.org_unit_id
            zone.x, zone.y, zone.width, zone.height = box.x, box.y, box.width, box.height
            return _Effect()

        return (await self._change(actor, Zone, zone_id, change, None, False)).place

    async def create_space(self, actor: Actor, floor_id: int, fields: SpaceFields) -> Space:
        async with self.db.write() as session:
            floor = await steps.load_place(session, Floor, floor_id, share=True)
            assert isinstance(floor, Floor)
            await checks.require_manager(session, actor, floor.building.site_id)
            checks.live_parent(floor, "Floor")
            checked = await checks.checked_space(session, fields, floor, None)
            space = Space(floor_id=floor_id, kind=checked.kind)
            checks.apply_space(space, checked)
            session.add(space)
            await session.flush()
            await checks.set_approvers(session, space.id, checked.approver_ids)
            self._audit(
                session,
                actor,
                "place.create",
                space,
                None,
                site_id=floor.building.site_id,
                approver_ids=list(checked.approver_ids),
            )
        return space

    async def approvers_of(self, space_id: int) -> tuple[int, ...]:
        async with self.db.read() as session:
            return await steps.approver_ids(session, space_id)

    async def update_space(
        self,
        actor: Actor,
        space_id: int,
        changes: Mapping[str, Any],
        *,
        reason: str | None = None,
        dry_run: bool = False,
    ) -> PlaceChange[Space]:
        """A desk or room; ``kind`` cannot change; ``x``, ``y``, ``width``, ``height`` may be given apart. See the
        module docstring for the bookings it may take away."""
        changes = {name: value for name, value in changes.items() if name != "kind"}

        async def change(session: AsyncSession, space: Any) -> _Effect:
            approvers = await steps.approver_ids(session, space.id)
            current = SpaceFields.of(space, approvers)
            checked = await checks.checked_space(
                session, replace(current, **checks.boxed(current.box, changes)), space.floor, space.id
            )
            checks.apply_space(space, checked)
            if not dry_run and checked.approver_ids != approvers:
                await checks.set_approvers(session, space.id, checked.approver_ids)
            return _Effect(
                hours_changed=checked.bookable_hours != current.bookable_hours,
                newly_assigned=checked.assigned_employee_id is not None
                and checked.assigned_employee_id != current.assigned_employee_id,
                extra={"approver_ids": list(checked.approver_ids)} if space.kind == SpaceKind.ROOM else None,
            )

        return await self._change(actor, Space, space_id, change, reason, dry_run)

    async def retire(
        self, actor: Actor, place: PlaceRef, *, reason: str | None = None, dry_run: bool = False
    ) -> PlaceChange[Any]:
        """Retire the place and everything below it; cancels every booking in it that has not ended."""
        model = MODELS[place.level]
        now = self.clock()
        try:
            async with self.db.write() as session:
                row = await steps.load_place(session, model, place.id)
                site_id = steps.site_id_of(row)
                if isinstance(row, Site):
                    await checks.require_admin_actor(session, actor)
                else:
                    await checks.require_manager(session, actor, site_id)
                steps.refuse_retired(row)
                if dry_run:
                    affected = await affected_bookings(session, place, now)
                    session.expunge_all()  # keep what was loaded readable after the rollback
                    raise _DryRun(PlaceChange(row, affected, applied=False))
                before = steps.snapshot(row)
                # Retire first, then list: the updates lock the spaces' rows, so a booking being made on one
                # commits before the list is read (and is cancelled with the others), or waits and finds it retired.
                row.retired_at = now
                await session.flush()
                for statement in steps.retire_below(row, now):
                    await session.execute(statement)
                affected = await affected_bookings(session, place, now, lock=True)
                text = checks.cancel_reason(reason, affected)
                await cancel_for_place_change(session, affected, text, actor.employee_id, now)
                self._audit(
                    session,
                    actor,
                    "place.retire",
                    row,
                    before,
                    site_id=site_id,
                    reason=text or None,
                    cancelled_booking_ids=steps.cancelled_ids(affected),
                )
        except _DryRun as dry:
            return dry.change
        await project_cancelled(self.availability, affected)
        return PlaceChange(row, affected, applied=True)

    async def preview_retire(self, actor: Actor, place: PlaceRef) -> Sequence[Booking]:
        """The bookings retiring ``place`` would cancel (checked as the retirement would be; nothing changes)."""
        return (await self.retire(actor, place, dry_run=True)).affected

    async def preview_update_space(self, actor: Actor, space_id: int, changes: Mapping[str, Any]) -> Sequence[Booking]:
        return (await self.update_space(actor, space_id, changes, dry_run=True)).affected

    async def preview_update_building(
        self, actor: Actor, building_id: int, changes: Mapping[str, Any]
    ) -> Sequence[Booking]:
        return (await self.update_building(actor, building_id, changes, dry_run=True)).affected

    async def _change(
        self,
        actor: Actor,
        model: type[P],
        ident: int,
        change: Callable[[AsyncSession, Any], Awaitable[_Effect]],
        reason: str | None,
        dry_run: bool,
    ) -> PlaceChange[P]:
        """Load and lock the place, check the actor, apply ``change`` (which validates, sets the new values on
        the objects and says whether hours changed), then list, and unless ``dry_run`` cancel, what it takes away."""
        now = self.clock()
        try:
            async with self.db.write() as session:
                row = await steps.load_place(session, model, ident)
                site_id = steps.site_id_of(row)
                await checks.require_manager(session, actor, site_id)
                steps.refuse_retired(row)
                before = steps.snapshot(row, **(await checks.extra_before(session, row)))
                effect = await change(session, row)
                affected: Sequence[Booking] = []
                if isinstance(row, Building | Space):
                    level = PlaceLevel.SPACE if isinstance(row, Space) else PlaceLevel.BUILDING
                    candidates = await affected_bookings(session, PlaceRef(level, row.id), now, lock=not dry_run)
                    affected = [
                        b
                        for b in candidates
                        if steps.taken_away(b, newly_assigned=effect.newly_assigned, hours_changed=effect.hours_changed)
                    ]
                if dry_run:
                    session.expunge_all()  # keep the proposed values readable after the rollback
                    raise _DryRun(PlaceChange(row, affected, applied=False))
                text = checks.cancel_reason(reason, affected)
                await session.flush()
                await cancel_for_place_change(session, affected, text, actor.employee_id, now)
                extra: dict[str, Any] = dict(effect.extra or {})
                if affected:
                    extra |= {"reason": text, "cancelled_booking_ids": steps.cancelled_ids(affected)}
                self._audit(session, actor, "place.update", row, before, site_id=site_id, **extra)
        except _DryRun as dry:
            return dry.change
        await project_cancelled(self.availability, affected)
        return PlaceChange(row, affected, applied=True)  # type: ignore[arg-type]  # row is a ``model``

    def _audit(
        self,
        session: AsyncSession,
        actor: Actor,
        action: str,
        place: steps.Place,
        before: dict[str, Any] | None,
        *,
        site_id: int | None = None,
        **extra: Any,
    ) -> None:
        record_change(
            session,
            actor,
            action,
            at=self.clock(),
            entity_kind=steps.kind_name(place),
            entity_id=place.id,
            before=before,
            after=steps.snapshot(place, **extra),
            site_id=site_id if site_id is not None else steps.site_id_of(place),
        )
