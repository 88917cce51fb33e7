"""The facts a booking's notifications carry (:class:`~smartoffice.notifications.kinds.BookingFacts`), read in one
query for many bookings."""

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from smartoffice.bookings.models import Booking
from smartoffice.notifications.kinds import BookingFacts
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, Floor, Space

CHUNK = 500


async def booking_facts(session: AsyncSession, booking_ids: Iterable[int]) -> dict[int, BookingFacts]:
    """Booking id → its facts as the database holds them now (``actorName`` None: the producer sets it)."""
    ids = sorted(set(booking_ids))
    person = aliased(Employee)
    booker = aliased(Employee)
    facts: dict[int, BookingFacts] = {}
    for start in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(
                Booking,
                func.coalesce(Space.name, Space.code),
                Floor.id,
                Floor.name,
                Building.id,
                Building.name,
                Building.time_zone,
                person.name,
                booker.name,
            )
            .join(Space, Space.id == Booking.space_id)
            .join(Floor, Floor.id == Space.floor_id)
            .join(Building, Building.id == Floor.building_id)
            .join(person, person.id == Booking.employee_id)
            .join(booker, booker.id == Booking.booked_by_id)
            .where(Booking.id.in_(ids[start : start + CHUNK]))
        )
        for booking, space_name, floor_id, floor_name, building_id, building_name, zone, name, by_name in rows:
            facts[booking.id] = BookingFacts(
                bookingId=booking.id,
                version=booking.version,
                status=booking.status.value,
                spaceKind=booking.space_kind.value,
                spaceId=booking.space_id,
                spaceName=space_name,
                floorId=floor_id,
                floorName=floor_name,
                buildingId=building_id,
                buildingName=building_name,
                timeZone=zone,
                startAt=booking.start_at.isoformat(),
                endAt=booking.end_at.isoformat(),
                title=booking.title,
                personId=booking.employee_id,
                personName=name,
                bookedById=booking.booked_by_id,
                bookedByName=by_name,
                actorName=None,
            )
    return facts
