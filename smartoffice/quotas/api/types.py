"""GraphQL types for seat quotas (the rules: ``quotas/service.py`` and ``quotas/enforcement.py``)."""

from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay

from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.ids import encode_id
from smartoffice.quotas import service

HOLDER_TYPES = ("Organisation", "OrgUnit")
PLACE_TYPES = ("Building", "Floor", "Zone")


@strawberry.enum(description="Who a seat quota is given to.")
class QuotaHolderKind(Enum):
    ORGANISATION = strawberry.enum_value("organisation", description="An organisation: every unit of it.")
    ORG_UNIT = strawberry.enum_value("unit", description="A unit: the unit and every unit below it.")


@strawberry.enum(description="What kind of place a seat quota covers.")
class QuotaPlaceKind(Enum):
    BUILDING = strawberry.enum_value("building", description="Every desk of the building.")
    FLOOR = strawberry.enum_value("floor", description="Every desk of the floor.")
    ZONE = strawberry.enum_value("zone", description="The desks of the zone only.")


@strawberry.type(
    description="A seat quota: at most `seats` people of the holder (an organisation, or a unit's subtree) may hold a "
    "desk booking in the place (a building, floor or zone) on the weekday's local day. A person already holding a desk "
    "there that day takes no further seat; several quotas may bind one person and each must have room; people "
    "without a quota there are not limited by it; meeting rooms are not counted. A booking beyond it is refused with "
    "a PolicyRefusalError (code QUOTA_FULL) naming the quota."
)
class SeatQuota(relay.Node):
    id: relay.NodeID[int]
    holder_id: strawberry.ID = strawberry.field(description="The Organisation or OrgUnit the share is given to.")
    holder_kind: QuotaHolderKind
    holder_name: str = strawberry.field(description="The organisation's or unit's name.")
    place_id: strawberry.ID = strawberry.field(description="The Building, Floor or Zone the share is of.")
    place_kind: QuotaPlaceKind
    place_name: str = strawberry.field(description='The place as people name it, e.g. "Tower 2 · Floor 3".')
    weekday: int = strawberry.field(description="ISO weekday, 1 = Monday ... 7 = Sunday.")
    seats: int = strawberry.field(description="The most of the holder's people with a desk booked there that day.")
    note: str | None = strawberry.field(description="Why, e.g. the decree allotting the share.")
    exclusive: bool = strawberry.field(
        description="Zone quotas only: the zone is reserved for the holder on the weekday; nobody else may book its "
        "desks then (bookDesk answers a PolicyRefusalError with code QUOTA_ZONE_RESERVED)."
    )
    desks: int = strawberry.field(
        description="The place's desks (bookable, not retired). Shares of several holders may add up to more."
    )

    @classmethod
    def from_view(cls, view: service.QuotaView) -> Self:
        return cls(
            id=view.id,
            holder_id=strawberry.ID(encode_id(service.HOLDER_KINDS[view.holder.kind], view.holder.id)),
            holder_kind=QuotaHolderKind(view.holder.kind.value),
            holder_name=view.holder_name,
            place_id=strawberry.ID(encode_id(service.PLACE_KINDS[view.place.level], view.place.id)),
            place_kind=QuotaPlaceKind(view.place.level.value),
            place_name=view.place_name,
            weekday=view.weekday,
            seats=view.seats,
            note=view.note,
            exclusive=view.exclusive,
            desks=view.desks,
        )


@strawberry.input(description="A holder's share of a place on one or more weekdays.")
class SetSeatQuotaInput:
    holder_id: strawberry.ID = strawberry.field(description="An Organisation or OrgUnit id.")
    place_id: strawberry.ID = strawberry.field(description="A Building, Floor or Zone id (not retired).")
    weekdays: list[int] = strawberry.field(
        description="ISO weekdays, 1 = Monday ... 7 = Sunday; one quota each. Other weekdays' quotas are kept."
    )
    seats: int = strawberry.field(description="0 up to the place's desks.")
    note: str | None = strawberry.field(default=None, description="Why (at most 200 characters).")
    exclusive: bool = strawberry.field(
        default=False,
        description="Reserve the zone for the holder on those weekdays: nobody else may book its desks then. Zones "
        "only (QUOTA_EXCLUSIVE_ZONES_ONLY otherwise).",
    )


@strawberry.input(description="The quota to remove.")
class RemoveSeatQuotaInput:
    quota_id: strawberry.ID = strawberry.field(description="A SeatQuota id.")


@strawberry.type(description="The holder's quotas of the place on the weekdays given, as they are now.")
class SetSeatQuotaSuccess:
    quotas: list[SeatQuota]


@strawberry.type(description="The quota is removed: its holder's people are no longer limited there that weekday.")
class RemoveSeatQuotaSuccess:
    quota: SeatQuota


SetSeatQuotaResult = Annotated[
    SetSeatQuotaSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SetSeatQuotaResult"),
]
RemoveSeatQuotaResult = Annotated[
    RemoveSeatQuotaSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("RemoveSeatQuotaResult"),
]
