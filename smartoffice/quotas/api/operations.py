"""Seat quotas in the API: ``seatQuotas``, ``quotaStandings``, ``setSeatQuota`` and ``removeSeatQuota``.

Decode the ids, call :class:`~smartoffice.quotas.service.QuotaService`, and let its domain errors rise (they become
members of the result unions). App tokens need places:read to read and places:write to change, and act as their
owner: the service checks the owner is a facilities manager of the place's site, or an administrator."""

import datetime as dt

import strawberry

from smartoffice.api.context import Info
from smartoffice.audit.record import Actor
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_any_id, decode_id, id_or_none, parse_id
from smartoffice.places.api.types import QuotaStanding
from smartoffice.quotas.api.types import (
    HOLDER_TYPES,
    PLACE_TYPES,
    RemoveSeatQuotaInput,
    RemoveSeatQuotaResult,
    RemoveSeatQuotaSuccess,
    SeatQuota,
    SetSeatQuotaInput,
    SetSeatQuotaResult,
    SetSeatQuotaSuccess,
)
from smartoffice.quotas.service import HolderKind, QuotaHolder, QuotaShare

_HOLDER = {"Organisation": HolderKind.ORGANISATION, "OrgUnit": HolderKind.UNIT}
_PLACE = {"Building": PlaceLevel.BUILDING, "Floor": PlaceLevel.FLOOR, "Zone": PlaceLevel.ZONE}


def _holder(type_name: str, ident: int) -> QuotaHolder:
    return QuotaHolder(_HOLDER[type_name], ident)


def _place(type_name: str, ident: int) -> PlaceRef:
    return PlaceRef(_PLACE[type_name], ident)


@strawberry.type
class QuotasQuery:
    @strawberry.field(
        description="The seat quotas of the sites you manage (every site for an administrator; none for others): "
        "those on `placeId` or on a place inside it, and of `holderId` (an Organisation or OrgUnit), when given. "
        "An unknown or malformed id finds nothing."
    )
    async def seat_quotas(
        self, info: Info, place_id: strawberry.ID | None = None, holder_id: strawberry.ID | None = None
    ) -> list[SeatQuota]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.PLACES_READ)
        place = None if place_id is None else parse_id(place_id, PLACE_TYPES)
        holder = None if holder_id is None else parse_id(holder_id, HOLDER_TYPES)
        if (place_id is not None and place is None) or (holder_id is not None and holder is None):
            return []
        found = await info.context.runtime.quotas.quotas(
            viewer, _place(*place) if place else None, _holder(*holder) if holder else None
        )
        return [SeatQuota.from_view(v) for v in found]

    @strawberry.field(
        description="The seat quotas that bind you on desks of the floor on `date` (the building's local date), "
        "with what your organisation or unit may still book there. Empty when none binds you (or the floor is "
        "unknown)."
    )
    async def quota_standings(self, info: Info, floor_id: strawberry.ID, date: dt.date) -> list[QuotaStanding]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.PLACES_READ)
        floor = id_or_none(floor_id, "Floor")
        if floor is None:
            return []
        rows = await info.context.runtime.quotas.standings(viewer, floor, date)
        return [
            QuotaStanding(
                holder_name=r.holder_name,
                place_name=r.place_name,
                seats=r.seats,
                booked=r.booked,
                remaining=r.remaining,
                includes_you=r.includes_you,
            )
            for r in rows
        ]


@strawberry.type
class QuotasMutation:
    @strawberry.mutation(
        description="Give an organisation or unit a share of a building, floor or zone: at most `seats` of its people "
        "with a desk booked there on each of `weekdays` (creates or updates one quota per weekday). Facilities "
        "managers of the place's site and administrators. Audited as seat_quota.create / seat_quota.update."
    )
    async def set_seat_quota(self, info: Info, input: SetSeatQuotaInput) -> SetSeatQuotaResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.PLACES_WRITE)
        share = QuotaShare(
            _holder(*decode_any_id(input.holder_id, HOLDER_TYPES, "holderId")),
            _place(*decode_any_id(input.place_id, PLACE_TYPES, "placeId")),
            input.weekdays,
            input.seats,
            input.note,
            input.exclusive,
        )
        views = await info.context.runtime.quotas.set(Actor(actor, info.context.via), share)
        return SetSeatQuotaSuccess(quotas=[SeatQuota.from_view(v) for v in views])

    @strawberry.mutation(
        description="Remove a seat quota (its holder's people are no longer limited there that weekday). Audited as "
        "seat_quota.remove."
    )
    async def remove_seat_quota(self, info: Info, input: RemoveSeatQuotaInput) -> RemoveSeatQuotaResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.PLACES_WRITE)
        quota_id = decode_id(input.quota_id, "SeatQuota", "quotaId")
        view = await info.context.runtime.quotas.remove(Actor(actor, info.context.via), quota_id)
        return RemoveSeatQuotaSuccess(quota=SeatQuota.from_view(view))
