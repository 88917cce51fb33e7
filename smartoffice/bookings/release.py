"""The no-show release: a booking nobody checked in to is released once its grace period has passed.

Every server process runs this job (see :mod:`smartoffice.jobs`), so two may run it at the same moment. Each
release is one conditional ``UPDATE ... WHERE status = 'booked' ... RETURNING``: on PostgreSQL a row being
updated by another transaction (the other run, or a check-in holding its row lock) is re-checked against that
condition once the other commits, so a booking is released by exactly one run and never after a check-in; on
SQLite the write transactions run one after the other. Only the rows a run's own ``RETURNING`` handed it are
projected into the availability index, after the commit.

The grace comes from the booking rules of each building and kind of space (the building's own row, else the
global one); a grace of 0 means "never release". "Passed" means ``now >= max(start_at, created_at) + grace``: a
desk booked after its start gets the whole grace too. Bookings that ended unchecked are released too (late, e.g.
after downtime): they are no-shows for the occupancy reports.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select, update

from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings.models import Booking, BookingRule, BookingStatus
from smartoffice.bookings.service import BookingService
from smartoffice.db import Database
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.waitlist.grant import grant_freed

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime


@dataclass(frozen=True, slots=True)
class GraceGroup:
    """Spaces of one kind, in the buildings that ``building_filter`` selects, sharing one grace period."""

    kind: SpaceKind
    grace: timedelta
    building_filter: ColumnElement[bool]


def grace_groups(rules: Sequence[BookingRule]) -> list[GraceGroup]:
    """One group per kind and distinct grace; global rules cover the buildings without a row of their own."""
    groups: list[GraceGroup] = []
    for kind in SpaceKind:
        of_kind = [r for r in rules if r.space_kind == kind]
        own = [r for r in of_kind if r.building_id is not None]
        for minutes in sorted({r.check_in_grace_minutes for r in own if r.check_in_grace_minutes > 0}):
            buildings = [r.building_id for r in own if r.check_in_grace_minutes == minutes]
            groups.append(GraceGroup(kind, timedelta(minutes=minutes), Floor.building_id.in_(buildings)))
        for default in (r for r in of_kind if r.building_id is None and r.check_in_grace_minutes > 0):
            others = Floor.building_id.not_in([r.building_id for r in own])
            groups.append(GraceGroup(kind, timedelta(minutes=default.check_in_grace_minutes), others))
    return groups


async def release_no_shows(db: Database, availability: AvailabilityService, now: datetime) -> int:
    """Release every BOOKED booking whose grace period has passed at ``now``; returns how many this call
    released (another process running at the same moment counts its own)."""
    released: list[Booking] = []
    async with db.write() as session:
        rules = (await session.scalars(select(BookingRule))).all()
        for group in grace_groups(rules):
            spaces = select(Space.id).join(Floor, Floor.id == Space.floor_id).where(group.building_filter)
            statement = (
                update(Booking)
                .where(
                    Booking.status == BookingStatus.BOOKED,
                    Booking.space_kind == group.kind,
                    Booking.start_at <= now - group.grace,
                    Booking.created_at <= now - group.grace,  # booked late: the grace counts from booking
                    Booking.space_id.in_(spaces),
                )
                .values(status=BookingStatus.RELEASED, released_at=now, version=Booking.version + 1)
                .returning(Booking)
                .execution_options(synchronize_session=False)
            )
            released += (await session.scalars(statement)).all()
        await events.record(session, EventKind.RELEASED, released)
        granted = await grant_freed(session, released, now, BookingService(db, availability, lambda: now))
    if released:
        await _project(db, availability, released)
    if granted:
        await _project(db, availability, granted)
    return len(released)


async def _project(db: Database, availability: AvailabilityService, released: Sequence[Booking]) -> None:
    async with db.read() as session:
        rows = await session.execute(
            select(Space.id, Space.floor_id, Building.time_zone)
            .join(Floor, Floor.id == Space.floor_id)
            .join(Building, Building.id == Floor.building_id)
            .where(Space.id.in_(sorted({b.space_id for b in released})))
        )
        places = {space_id: (floor_id, time_zone) for space_id, floor_id, time_zone in rows}
    for booking in released:
        floor_id, time_zone = places[booking.space_id]
        await availability.project(booking, floor_id, time_zone)


async def run_release_no_shows(runtime: "Runtime") -> int:
    """The periodic job: release no-shows as of the runtime's clock."""
    return await release_no_shows(runtime.db, runtime.availability, runtime.clock())
