"""Seat quotas by global id for ``node(id:)``: those of the sites the caller manages (tokens need places:read)."""

from collections.abc import Mapping

from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.quotas.api.types import SeatQuota


async def seat_quotas(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    viewer = info.context.require_viewer()
    info.context.require_scope(Scope.PLACES_READ)
    return {v.id: SeatQuota.from_view(v) for v in await info.context.runtime.quotas.by_ids(viewer, ids)}


RESOLVERS = {"SeatQuota": seat_quotas}
