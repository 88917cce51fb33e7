"""Managing seat quotas: listing, setting and removing an organisation's or unit's share of a place per weekday.

The facilities console (``/admin/quotas``) and GraphQL (``seatQuotas``, ``setSeatQuota``, ``removeSeatQuota``,
``quotaStandings``) call :class:`QuotaService`. What it decides (what a quota *means* at booking time is in
:mod:`smartoffice.quotas.enforcement`):

* **Who.** The facilities managers of the place's site and administrators (``places/permissions.py``), checked in
  the transaction. Listing shows the quotas of the sites the visitor manages (everything for an administrator).
* **Setting** takes a holder (an organisation or a unit), a place (a building, floor or zone, not retired), one
  or more weekdays (ISO 1-7) and a number of seats, and creates or updates one quota per weekday (holder, place
  and weekday name a share: ``uq_seat_quotas_share``). Other weekdays' quotas of the holder and place are kept.
* **Seats** are 0 (none of the holder's people may book there that day) up to the place's desks (bookable, not
  retired); above that is refused (``QUOTA_SEATS_ABOVE_DESKS``): a share larger than the place is a typo. The
  shares of several holders of one place may add up to more than its desks: a quota is a ceiling, not a
  reservation, and shared towers are over-allotted on purpose (the page shows the total beside the desks).
* **Reserved zones** (the "set of zones" of issue 12): a zone quota may be *exclusive*: on its weekday the zone
  is reserved for its holder and nobody else may book its desks (``QUOTA_ZONE_RESERVED``); its seats still cap the
  holder. Several holders' exclusive quotas of one zone share it. Only zones can be reserved.
* Every change is audited in its transaction (``seat_quota.create`` / ``seat_quota.update`` /
  ``seat_quota.remove``, entity ``SeatQuota``, with the site).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.people.models import Organisation, OrgUnit
from smartoffice.places.models import Building, Floor
from smartoffice.places.permissions import managed_site_ids, require_site_manager
from smartoffice.quotas.choices import QuotaChoices, quota_choices
from smartoffice.quotas.errors import QuotaInputCode
from smartoffice.quotas.holders import HOLDER_KINDS, HolderKind, QuotaHolder
from smartoffice.quotas.models import SeatQuota
from smartoffice.quotas.places import PLACE_KINDS, desks_in, in_or_on, live_place, place_column, place_of
from smartoffice.quotas.sql import NamedQuota, as_named, named_quotas, taken
from smartoffice.quotas.standing import QuotaStanding, quota_standings

MAX_NOTE_LENGTH = 200
MAX_SEATS = 100_000
MAX_USAGE_DAYS = 31
__all__ = ["HOLDER_KINDS", "PLACE_KINDS", "HolderKind", "QuotaChoices", "QuotaHolder", "QuotaService", "QuotaShare"]


@dataclass(frozen=True, slots=True)
class QuotaShare:
    """What ``set`` is asked: ``holder`` may have ``seats`` desks of ``place`` on each of ``weekdays``."""

    holder: QuotaHolder
    place: PlaceRef
    weekdays: Sequence[int]
    seats: int
    note: str | None = None
    exclusive: bool = False
    """Zones only: reserve the zone for the holder on those weekdays (nobody else may book its desks)."""


@dataclass(frozen=True, slots=True)
class QuotaView:
    id: int
    holder: QuotaHolder
    holder_name: str
    place: PlaceRef
    place_name: str
    weekday: int
    seats: int
    note: str | None
    exclusive: bool
    site_id: int
    building_id: int
    desks: int
    """The place's desks (bookable, not retired)."""


@dataclass(frozen=True, slots=True)
class QuotaUsage:
    """A quota and, for each day of a range on its weekday, how many of its seats are booked."""

    quota: QuotaView
    days: Sequence[tuple[date, int]]


class QuotaService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    async def quotas(
        self, actor_id: int, place: PlaceRef | None = None, holder: QuotaHolder | None = None
    ) -> list[QuotaView]:
        """The quotas of the sites ``actor_id`` manages, in or on ``place`` and of ``holder`` when given; by place,
        holder and weekday."""
        async with self.db.read() as session:
            return await self._list(session, actor_id, place, holder)

    async def get(self, actor_id: int, quota_id: int) -> QuotaView:
        """One quota the actor manages; else NotFound."""
        async with self.db.read() as session:
            return await self._get(session, actor_id, quota_id)

    async def by_ids(self, actor_id: int, ids: Sequence[int]) -> list[QuotaView]:
        """The quotas among ``ids`` that the actor manages (the others are simply absent)."""
        async with self.db.read() as session:
            managed = await managed_site_ids(session, actor_id)
            views = await _views(session, SeatQuota.id.in_(ids))
        return [v for v in views if managed is None or v.site_id in managed]

    async def set(self, actor: Actor, share: QuotaShare) -> list[QuotaView]:
        """Create or update the holder's quota of the place on each weekday; the quotas as they are now."""
        weekdays = _weekdays(share.weekdays)
        note = _note(share.note)
        if not 0 <= share.seats <= MAX_SEATS:
            raise InvalidInput("seats", CommonInputCode.OUT_OF_RANGE, low=0, high=MAX_SEATS)
        if share.exclusive and share.place.level != PlaceLevel.ZONE:
            raise InvalidInput("exclusive", QuotaInputCode.QUOTA_EXCLUSIVE_ZONES_ONLY)
        now = self.clock()
        async with self.db.write() as session:
            site_id, place_name = await live_place(session, share.place)
            assert actor.employee_id is not None
            await require_site_manager(session, actor.employee_id, site_id)
            await _require_holder(session, share.holder)
            desks = await desks_in(session, share.place)
            if share.seats > desks:
                raise InvalidInput("seats", QuotaInputCode.QUOTA_SEATS_ABOVE_DESKS, place=place_name, desks=desks)
            ids = []
            for weekday in weekdays:
                ids.append(await self._put(session, actor, share, weekday, note, site_id, now))
            await session.flush()
            views = await _views(session, SeatQuota.id.in_(ids))
        return views

    async def remove(self, actor: Actor, quota_id: int) -> QuotaView:
        """Remove one quota (its holder's people are no longer limited there that weekday)."""
        async with self.db.write() as session:
            assert actor.employee_id is not None
            view = await self._get(session, actor.employee_id, quota_id, lock=True)
            await require_site_manager(session, actor.employee_id, view.site_id)
            row = await session.get_one(SeatQuota, quota_id)
            before = _snapshot(row)
            await session.delete(row)
            record_change(
                session,
                actor,
                "seat_quota.remove",
                at=self.clock(),
                entity_kind="SeatQuota",
                entity_id=quota_id,
                before=before,
                site_id=view.site_id,
            )
        return view

    async def usage(self, actor_id: int, start: date, end: date, place: PlaceRef | None = None) -> list[QuotaUsage]:
        """For each quota the actor manages (in ``place``), the seats booked on each day of ``start``..``end`` that
        falls on its weekday."""
        if end < start:
            raise InvalidInput("end", CommonInputCode.RANGE_REVERSED)
        if (end - start).days + 1 > MAX_USAGE_DAYS:
            raise InvalidInput("end", CommonInputCode.RANGE_TOO_LONG, max_days=MAX_USAGE_DAYS)
        async with self.db.read() as session:
            views = await self._list(session, actor_id, place, None)
            zones = dict(
                (
                    await session.execute(
                        select(Building.id, Building.time_zone).where(Building.id.in_({v.building_id for v in views}))
                    )
                ).all()
            )
            rows = {v.id: await session.get_one(SeatQuota, v.id) for v in views}
            booked: dict[int, list[tuple[date, int]]] = {v.id: [] for v in views}
            day = start
            while day <= end:
                for building_id, zone in zones.items():
                    todays = [
                        rows[v.id] for v in views if v.building_id == building_id and v.weekday == day.isoweekday()
                    ]
                    counts = await taken(session, todays, building_id, LocalDay(day, zone), None)
                    for quota_id, count in counts.items():
                        booked[quota_id].append((day, count.booked))
                day += timedelta(days=1)
        return [QuotaUsage(v, booked[v.id]) for v in views]

    async def standings(self, employee_id: int, floor_id: int, day: date) -> list[QuotaStanding]:
        """The quotas binding ``employee_id`` on desks of the floor on ``day`` (the building's local day); none for
        an unknown floor."""
        async with self.db.read() as session:
            zone = await session.scalar(
                select(Building.time_zone).join(Floor, Floor.building_id == Building.id).where(Floor.id == floor_id)
            )
            if zone is None:
                return []
            return await quota_standings(session, employee_id, floor_id, LocalDay(day, zone))

    async def choices(self, actor_id: int) -> QuotaChoices:
        """What the page's form offers: every organisation and unit; the places of the sites the actor manages."""
        async with self.db.read() as session:
            return await quota_choices(session, await managed_site_ids(session, actor_id))

    async def _put(
        self,
        session: AsyncSession,
        actor: Actor,
        share: QuotaShare,
        weekday: int,
        note: str | None,
        site_id: int,
        now: datetime,
    ) -> int:
        holder_column = (
            SeatQuota.organisation_id if share.holder.kind == HolderKind.ORGANISATION else SeatQuota.org_unit_id
        )
        existing = await session.scalar(
            select(SeatQuota)
            .where(holder_column == share.holder.id, place_column(share.place) == share.place.id)
            .where(SeatQuota.weekday == weekday)
            .with_for_update()
        )
        if existing is not None:
            before = _snapshot(existing)
            if (existing.seats, existing.note, existing.exclusive) == (share.seats, note, share.exclusive):
                return existing.id
            existing.seats, existing.note, existing.exclusive = share.seats, note, share.exclusive
            row, action = existing, "seat_quota.update"
        else:
            before, action = None, "seat_quota.create"
            row = SeatQuota(
                weekday=weekday,
                seats=share.seats,
                note=note,
                exclusive=share.exclusive,
                created_by_id=actor.employee_id,
                created_at=now,
            )
            setattr(row, holder_column.key, share.holder.id)
            setattr(row, place_column(share.place).key, share.place.id)
            session.add(row)
        await session.flush()
        record_change(
            session,
            actor,
            action,
            at=now,
            entity_kind="SeatQuota",
            entity_id=row.id,
            before=before,
            after=_snapshot(row),
            site_id=site_id,
        )
        return row.id

    async def _list(
        self, session: AsyncSession, actor_id: int, place: PlaceRef | None, holder: QuotaHolder | None
    ) -> list[QuotaView]:
        managed = await managed_site_ids(session, actor_id)
        conditions: list[ColumnElement[bool]] = []
        if managed is not None:
            conditions.append(Building.site_id.in_(managed))
        if place is not None:
            conditions.append(in_or_on(place))
        if holder is not None:
            column = SeatQuota.organisation_id if holder.kind == HolderKind.ORGANISATION else SeatQuota.org_unit_id
            conditions.append(column == holder.id)
        return await _views(session, *conditions)

    async def _get(self, session: AsyncSession, actor_id: int, quota_id: int, *, lock: bool = False) -> QuotaView:
        managed = await managed_site_ids(session, actor_id)
        views = await _views(session, SeatQuota.id == quota_id)
        if not views or (managed is not None and views[0].site_id not in managed):
            raise NotFound("SeatQuota", quota_id)
        if lock:
            await session.execute(select(SeatQuota.id).where(SeatQuota.id == quota_id).with_for_update())
        return views[0]


async def _views(session: AsyncSession, *conditions: ColumnElement[bool]) -> list[QuotaView]:
    rows = (await session.execute(named_quotas().where(*conditions))).all()
    named = [as_named(row) for row in rows]
    desks: dict[PlaceRef, int] = {}
    views = []
    for n in named:
        place = place_of(n.quota)
        if place not in desks:
            desks[place] = await desks_in(session, place)
        views.append(_view(n, place, desks[place]))
    views.sort(key=lambda v: (v.place_name.casefold(), v.holder_name.casefold(), v.weekday))
    return views


def _view(named: NamedQuota, place: PlaceRef, desks: int) -> QuotaView:
    q = named.quota
    holder = (
        QuotaHolder(HolderKind.ORGANISATION, q.organisation_id)
        if q.organisation_id is not None
        else QuotaHolder(HolderKind.UNIT, int(q.org_unit_id or 0))
    )
    return QuotaView(
        id=q.id,
        holder=holder,
        holder_name=named.holder_name,
        place=place,
        place_name=named.place_name,
        weekday=q.weekday,
        seats=q.seats,
        note=q.note,
        exclusive=q.exclusive,
        site_id=named.site_id,
        building_id=named.building_id,
        desks=desks,
    )


async def _require_holder(session: AsyncSession, holder: QuotaHolder) -> None:
    model = Organisation if holder.kind == HolderKind.ORGANISATION else OrgUnit
    if await session.scalar(select(model.id).where(model.id == holder.id)) is None:
        raise NotFound(HOLDER_KINDS[holder.kind], holder.id)


def _weekdays(values: Sequence[int]) -> list[int]:
    weekdays = sorted(set(values))
    if not weekdays:
        raise InvalidInput("weekdays", QuotaInputCode.QUOTA_NO_WEEKDAYS)
    if weekdays[0] < 1 or weekdays[-1] > 7:
        raise InvalidInput("weekdays", CommonInputCode.OUT_OF_RANGE, low=1, high=7)
    return weekdays


def _note(value: str | None) -> str | None:
    note = (value or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput("note", CommonInputCode.TEXT_TOO_LONG, max=MAX_NOTE_LENGTH)
    return note


def _snapshot(quota: SeatQuota) -> dict[str, object]:
    return {
        "organisation_id": quota.organisation_id,
        "org_unit_id": quota.org_unit_id,
        "building_id": quota.building_id,
        "floor_id": quota.floor_id,
        "zone_id": quota.zone_id,
        "weekday": quota.weekday,
        "seats": quota.seats,
        "note": quota.note,
        "exclusive": quota.exclusive,
    }
