"""Places by global id for ``node(id:)``: the checks of ``sites``/``floor``/``desk`` (tokens need places:read).
A retired place is still found by its id (bookings in its history name it); listings leave it out."""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.found import load_found
from smartoffice.audit.record import Actor
from smartoffice.identity.scopes import Scope
from smartoffice.places import models
from smartoffice.places.api.closures import Closure
from smartoffice.places.api.types import Building, Desk, Floor, MeetingRoom, Site, Zone


async def sites(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    info.context.require_scope(Scope.PLACES_READ)
    return {s.id: Site.from_model(s) for s in await info.context.runtime.places.sites() if s.id in ids}


async def buildings(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    info.context.require_scope(Scope.PLACES_READ)
    rows = await load_found(info.context.loaders.places.building_by_id, ids)
    return {i: Building.from_model(b) for i, b in rows.items()}


async def floors(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    info.context.require_scope(Scope.PLACES_READ)
    rows = await load_found(info.context.loaders.places.floor_by_id, ids)
    return {i: Floor.from_model(f) for i, f in rows.items()}


async def zones(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    info.context.require_scope(Scope.PLACES_READ)
    rows = await load_found(info.context.loaders.places.zone_by_id, ids)
    return {i: Zone.from_model(z) for i, z in rows.items()}


async def closures(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    """Closures of the sites the caller manages (as ``closures`` lists them); others are not found."""
    actor = Actor(info.context.require_viewer(), info.context.via)
    info.context.require_scope(Scope.PLACES_READ)
    found = {}
    for ident in ids:  # a node lookup names a few closures at most
        view = await info.context.runtime.closures.find(actor, ident)
        if view is not None:
            found[ident] = Closure.from_view(view)
    return found


def _spaces(kind: models.SpaceKind, build: Callable[[models.Space], relay.Node]) -> Callable[..., Awaitable[Any]]:
    async def resolve(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
        info.context.require_scope(Scope.PLACES_READ)
        rows = await load_found(info.context.loaders.places.space_by_id, ids)
        return {i: build(s) for i, s in rows.items() if s.kind == kind}

    return resolve


RESOLVERS = {
    "Site": sites,
    "Building": buildings,
    "Floor": floors,
    "Zone": zones,
    "Closure": closures,
    "Desk": _spaces(models.SpaceKind.DESK, Desk.from_model),
    "MeetingRoom": _spaces(models.SpaceKind.ROOM, MeetingRoom.from_model),
}
