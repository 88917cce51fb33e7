"""Bookings by global id for ``node(id:)``: what the ``bookings`` connection would show (tokens: bookings:read)."""

from collections.abc import Mapping

from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.bookings.api.types import Booking
from smartoffice.identity.scopes import Scope


async def bookings(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    viewer = info.context.require_viewer()
    info.context.require_scope(Scope.BOOKINGS_READ)
    rows = await info.context.runtime.bookings.visible_by_id(viewer, ids)
    return {b.id: Booking.from_model(b) for b in rows}


RESOLVERS = {"Booking": bookings}
