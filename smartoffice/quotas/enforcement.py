"""Seat quotas at booking time: a desk booking that would put the holder's people above their share is refused.

What a quota means (also shown on ``/admin/quotas``):

* A quota gives a **holder** (an organisation: every unit of it; or a unit: the unit and its whole subtree) a
  number of **seats** in a **place** (a building, a floor or a zone) on one **weekday**. It caps how many distinct
  people of the holder may hold a desk booking in the place on that weekday's local day (the building's time zone).
* A person already holding a desk in the place that day takes no further seat (a morning desk, then an afternoon
  one; or a second booking by someone on their behalf).
* Several quotas may bind one person (their ministry's on the building, their directorate's on a floor): each must
  have room.
* A quota only limits its holder. People with no quota in a place are not limited by others' quotas, and a quota
  reserves nothing: it is a ceiling, not a guarantee (the sum of the shares of a place may exceed its desks).
* Meeting rooms are not counted; recurring bookings obey quotas (each occurrence runs the same check).

Without a race: the binding quota rows are locked (``FOR UPDATE``, in id order, PostgreSQL) and the bookings
counted again under the lock, so two bookings under one quota take turns and the second counts the first; on
SQLite ``BEGIN IMMEDIATE`` serialises writers already. Every booking counted against a quota locks that quota, so
no booking can slip past the count. A first count without the lock refuses a quota already full at once (a burst's
losers need not queue for the lock). When no quota binds the person there, the check costs one indexed query (the
binding-quota lookup, about 0.1 ms in PostgreSQL: bitmap index scans on ``building_id`` / ``floor_id``).
"""

from collections.abc import Sequence
from typing import NoReturn, Protocol

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.db import Database
from smartoffice.places.models import Space
from smartoffice.quotas.errors import QuotaRefusal, QuotaRefusalCode
from smartoffice.quotas.models import SeatQuota
from smartoffice.quotas.sql import Taken, as_named, covering_desk, holder_contains, named_quotas, taken


def covering_quotas_query(
    weekday: int | ColumnElement[int],
    building_id: int | ColumnElement[int],
    floor_id: int | ColumnElement[int],
    zone_id: int | ColumnElement[int] | None,
) -> Select[int]:
    """The quotas of ``weekday`` whose place contains a desk of that building, floor and zone (as
    :func:`~smartoffice.quotas.sql.covering_desk`), whoever holds them: a superset of the rows :func:`check_quota`
    reads first, so when there are none, :func:`check_quota` has nothing to refuse (the booking path folds this
    into one statement and skips the check then: ``bookings/gather.py``)."""
    scopes = [SeatQuota.building_id == building_id, SeatQuota.floor_id == floor_id]
    if zone_id is not None:
        scopes.append(SeatQuota.zone_id == zone_id)
    return select(SeatQuota.id).where(SeatQuota.weekday == weekday, or_(*scopes))


class QuotaHolder(Protocol):
    """Who books: an ``Employee`` row, or the light row the booking path locks (``bookings/gather.py``)."""

    @property
    def id(self) -> int: ...
    @property
    def org_unit_id(self) -> int: ...


async def check_quota(session: AsyncSession, desk: Space, day: LocalDay, employee: QuotaHolder) -> None:
    """Refuse (:class:`QuotaRefusal`, naming the quota) a desk booking by ``employee`` in ``desk`` on ``day`` when a
    quota binding them there is full (``QUOTA_FULL``), or when the desk's zone is reserved for other holders that
    weekday (``QUOTA_ZONE_RESERVED``). One query when nothing binds. ``desk.floor`` must be loaded (the booking path
    loads it)."""
    building_id = desk.floor.building_id
    weekday = day.day.isoweekday()
    mine = holder_contains(employee.org_unit_id)
    reserved_here = (
        and_(SeatQuota.exclusive.is_(True), SeatQuota.zone_id == desk.zone_id) if desk.zone_id is not None else false()
    )
    rows = (
        await session.execute(
            select(SeatQuota, mine.label("mine"))
            .where(SeatQuota.weekday == weekday, covering_desk(desk, building_id), or_(mine, reserved_here))
            .order_by(SeatQuota.id)
        )
    ).all()
    if not rows:
        return
    binding = [quota for quota, is_mine in rows if is_mine]
    reserved = [quota for quota, is_mine in rows if not is_mine]
    if reserved and not any(q.exclusive and q.zone_id == desk.zone_id for q in binding):
        await _refuse(session, QuotaRefusalCode.QUOTA_ZONE_RESERVED, reserved[0], reserved[0].seats, day)
    if not binding:
        return
    seats = {q.id: q.seats for q in binding}
    # Counted first without a lock: a quota already full as committed is refused at once, so in a burst the losers
    # do not queue behind the row lock (each holding a pooled connection) only to be refused after it.
    await _refuse_if_full(session, binding, seats, await taken(session, binding, building_id, day, employee.id), day)
    if Database.is_writing(session) and session.get_bind().dialect.name != "sqlite":
        # Locked, then counted again: the seats as committed now (a facilities manager may have changed them), and
        # the bookings that committed while this transaction waited. SQLite's writers are serialised already.
        ids = [q.id for q in binding]
        locked = select(SeatQuota.id, SeatQuota.seats).where(SeatQuota.id.in_(ids)).order_by(SeatQuota.id)
        seats = {quota_id: limit for quota_id, limit in (await session.execute(locked.with_for_update())).all()}
        counts = await taken(session, binding, building_id, day, employee.id)
        await _refuse_if_full(session, binding, seats, counts, day)


async def _refuse_if_full(
    session: AsyncSession, binding: Sequence[SeatQuota], seats: dict[int, int], counts: dict[int, Taken], day: LocalDay
) -> None:
    for quota in binding:
        count, limit = counts[quota.id], seats.get(quota.id)
        if limit is not None and not count.includes_you and count.booked >= limit:
            await _refuse(session, QuotaRefusalCode.QUOTA_FULL, quota, limit, day)


async def _refuse(
    session: AsyncSession, code: QuotaRefusalCode, quota: SeatQuota, seats: int, day: LocalDay
) -> NoReturn:
    """Raise the refusal, naming the quota's holder and place (read only now: refusals are the rare case)."""
    named = as_named((await session.execute(named_quotas().where(SeatQuota.id == quota.id))).one())
    raise QuotaRefusal(
        code,
        quota_id=quota.id,
        holder=named.holder_name,
        place=named.place_name,
        seats=seats,
        day=day.day,
        note=quota.note,
    )
