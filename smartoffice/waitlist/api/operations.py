"""The waitlist in the API: ``joinWaitlist``, ``leaveWaitlist`` and ``myWaitlist``.

Decode the ids, call :class:`~smartoffice.waitlist.service.WaitlistService` for the viewer, and let its domain
errors rise (they become members of the result unions). App tokens need bookings:write:self to join or leave and
bookings:read to read; a person only ever waits for themself."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id
from smartoffice.waitlist.api.types import (
    JoinWaitlistInput,
    JoinWaitlistResult,
    JoinWaitlistSuccess,
    LeaveWaitlistInput,
    LeaveWaitlistResult,
    LeaveWaitlistSuccess,
    WaitlistEntry,
)
from smartoffice.waitlist.service import JoinWaitlistRequest


@strawberry.type
class WaitlistQuery:
    @strawberry.field(
        description="Your places in line for days not yet over: waiting (with your position), granted (while the "
        "booking is active) and skipped. Leaving is not listed."
    )
    async def my_waitlist(self, info: Info) -> list[WaitlistEntry]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_READ)
        mine = await info.context.runtime.waitlist.mine(viewer)
        return [WaitlistEntry.from_view(v) for v in (*mine.waiting, *mine.granted, *mine.skipped)]


@strawberry.type
class WaitlistMutation:
    @strawberry.mutation(
        description="Wait for a desk of a floor (or of one zone) on a day when none is free all day "
        "(WAITLIST_NOT_FULL while one is: book it). Once per line (WAITLIST_ALREADY_WAITING), and not on a day you "
        "hold a desk (WAITLIST_ALREADY_BOOKED). A freed desk is booked for the first person in line whom the booking "
        "rules allow; it appears in your bookings."
    )
    async def join_waitlist(self, info: Info, input: JoinWaitlistInput) -> JoinWaitlistResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
        floor_id = decode_id(input.floor_id, "Floor", "floorId") if input.floor_id is not None else None
        zone_id = decode_id(input.zone_id, "Zone", "zoneId") if input.zone_id is not None else None
        view = await info.context.runtime.waitlist.join(
            viewer, JoinWaitlistRequest(floor_id, input.date, zone_id), idempotency_key=input.idempotency_key
        )
        return JoinWaitlistSuccess(entry=WaitlistEntry.from_view(view))

    @strawberry.mutation(description="Give up your place in a line (WAITLIST_NOT_WAITING once it is over).")
    async def leave_waitlist(self, info: Info, input: LeaveWaitlistInput) -> LeaveWaitlistResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
        entry_id = decode_id(input.entry_id, "WaitlistEntry", "entryId")
        view = await info.context.runtime.waitlist.leave(viewer, entry_id)
        return LeaveWaitlistSuccess(entry=WaitlistEntry.from_view(view))
