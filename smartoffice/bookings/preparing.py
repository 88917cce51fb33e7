"""Checking a request against every rule and building the (unsaved) booking: ``BookingService.prepare``'s body.

The order of the checks is the order of the errors a request meets (the first that fails is reported), and the
order of the row locks is the one ``BookingService.prepare`` documents: the space, the person, then (occupancy
cap) the building and (quotas) the quota rows.
"""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings import checks
from smartoffice.bookings.attendees import check_invitations
from smartoffice.bookings.errors import BookingPermissionCode
from smartoffice.bookings.facts import BookingFactsView
from smartoffice.bookings.gather import PersonRow, person_row, read_for_booking
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.permissions import can_book_for
from smartoffice.bookings.requests import BookRoomRequest, SpaceRequest
from smartoffice.bookings.sql import find_conflicts
from smartoffice.db import Database
from smartoffice.errors import BookingConflict, PermissionDenied
from smartoffice.people import service as people
from smartoffice.people.models import Employee
from smartoffice.places import service as places
from smartoffice.policies.enforcement import check_occupancy_cap
from smartoffice.quotas.enforcement import check_quota


async def prepare_booking(
    session: AsyncSession, actor_id: int, request: SpaceRequest, facts: BookingFactsView, now: datetime
) -> Booking:
    """See ``BookingService.prepare``."""
    if isinstance(request, BookRoomRequest):
        checks.check_title(request.title)
    writing = Database.is_writing(session)
    space = await places.get_space(session, request.space_id, request.kind, lock=writing)
    building = space.floor.building
    checks.check_in_service(space)
    employee = await booking_person(session, actor_id, request.for_employee_id, building.site_id, lock=writing)
    rule = await facts.rule(session, building.id, space.kind)
    window = checks.resolve_window(space, rule, request.day, request.start, request.end)
    checks.check_timing(window, rule, space.kind, now)
    calendar = await facts.calendar(session, window.day.day)
    await checks.check_person_calendar(session, window, rule, calendar, employee.id, space.kind)
    reads = await read_for_booking(session, space, employee.id, window, now)
    checks.refuse_closed(reads.closure_reason)
    attendees: int | None = None
    if isinstance(request, BookRoomRequest):
        attendees = await check_invitations(session, space, employee.id, request.attendee_ids, request.attendee_count)
        checks.check_attendees(space, attendees)
    else:
        checks.refuse_assigned(space, employee.id, released=reads.released)
        policies = await facts.building_policies(session)
        await check_occupancy_cap(session, space, window.day, employee.id, policies)
        if reads.quota_covers:
            await check_quota(session, space, window.day, employee)
    checks.refuse_over_limit(reads.active, rule)
    if reads.may_conflict and (
        conflicts := await find_conflicts(
            session, space.id, space.kind, employee.id, window.start_at, window.end_at, window.blocks_until
        )
    ):
        raise BookingConflict(conflicts)
    return Booking(
        space=space,
        space_kind=space.kind,
        employee_id=employee.id,
        booked_by_id=actor_id,
        start_at=window.start_at,
        end_at=window.end_at,
        blocks_until=window.blocks_until,
        status=BookingStatus.PENDING if space.requires_approval else BookingStatus.BOOKED,
        attendee_count=attendees,
        title=request.title if isinstance(request, BookRoomRequest) else None,
        created_at=now,
    )


async def booking_person(
    session: AsyncSession, actor_id: int, for_employee_id: int | None, site_id: int, *, lock: bool = False
) -> PersonRow | Employee:
    """The person a booking is for (the actor, or whom they book for, if they may); ``lock`` takes that
    person's row lock (see ``BookingService.prepare``)."""
    if for_employee_id is None or for_employee_id == actor_id:
        person = await person_row(session, actor_id, lock=lock)
        checks.check_person_active(person)
        return person
    await people.get_employee(session, actor_id)  # the actor must exist
    employee = await people.get_employee(session, for_employee_id, lock=lock)
    if not await can_book_for(session, actor_id, employee, site_id):
        raise PermissionDenied(BookingPermissionCode.NOT_ALLOWED_TO_BOOK_FOR)
    checks.check_person_active(employee)
    return employee
