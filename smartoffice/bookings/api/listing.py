"""The ``bookings`` connection: every booking the caller may see, filtered, in start order, keyset-paginated."""

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.bookings import models
from smartoffice.bookings.api.occupancy import BookingStatus
from smartoffice.bookings.api.types import Booking, BookingConnection, BookingEdge
from smartoffice.bookings.listing import BookingSearch
from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id


@strawberry.input(description="Which bookings to list; every given field must match (AND). Omitted: any.")
class BookingFilter:
    employee_id: strawberry.ID | None = strawberry.field(default=None, description="The person booked.")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="An OrgUnit: the person booked is in it or in a unit below it."
    )
    building_id: strawberry.ID | None = strawberry.field(default=None, description="Spaces in this Building.")
    floor_id: strawberry.ID | None = strawberry.field(default=None, description="Spaces on this Floor.")
    from_: dt.date | None = strawberry.field(
        default=None,
        name="from",
        description="Bookings that start on or after this date, a local date of each booking's building (the "
        "same date as `Booking.date`).",
    )
    to: dt.date | None = strawberry.field(
        default=None, description="Bookings that start on or before this local date (inclusive)."
    )
    statuses: list[BookingStatus] | None = strawberry.field(
        default=None, description="Any of these statuses; omitted: every status, cancelled ones included."
    )


@strawberry.enum(description="The order of the bookings connection; ties are broken by id the same way.")
class BookingOrder(Enum):
    START_AT_ASC = strawberry.enum_value("start_at_asc", description="Earliest start first.")
    START_AT_DESC = strawberry.enum_value("start_at_desc", description="Latest start first.")


BookingsResult = Annotated[
    BookingConnection | ValidationError,
    strawberry.union(
        "BookingsResult",
        description="A page of bookings, or a ValidationError for a malformed filter id (INVALID_ID), a `to` "
        "before `from` (END_BEFORE_START) or a cursor this API did not issue (INVALID_CURSOR).",
    ),
]


def _id(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    return None if value is None else decode_id(value, type_name, f"filter.{field}")


def _search(filter: BookingFilter | None, order: BookingOrder) -> BookingSearch:
    f = filter or BookingFilter()
    return BookingSearch(
        employee_id=_id(f.employee_id, "Employee", "employeeId"),
        unit_id=_id(f.unit_id, "OrgUnit", "unitId"),
        building_id=_id(f.building_id, "Building", "buildingId"),
        floor_id=_id(f.floor_id, "Floor", "floorId"),
        from_date=f.from_,
        to_date=f.to,
        statuses=tuple(models.BookingStatus[s.name] for s in f.statuses or ()),
        descending=order == BookingOrder.START_AT_DESC,
    )


@strawberry.type
class BookingsListQuery:
    @strawberry.field(
        description="Every booking you may see, filtered: your own and the ones you made; as a manager, those of "
        "the people you manage (direct reports, your units and the units below them); as a facilities manager, "
        "those in your sites; admins, all. Tokens need bookings:read and see what their owner may. Ordered by "
        f"start, then id; `first` is capped at {MAX_PAGE_SIZE}; pass `pageInfo.endCursor` as `after` for the next "
        "page (a cursor keeps its place while bookings are added or cancelled). A malformed id in the filter, a "
        "`to` before `from` or a cursor this API did not issue is a ValidationError."
    )
    async def bookings(
        self,
        info: Info,
        filter: BookingFilter | None = None,
        first: int = 20,
        after: str | None = None,
        order_by: BookingOrder = BookingOrder.START_AT_ASC,
    ) -> BookingsResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_READ)
        page = await info.context.runtime.bookings.search(viewer, _search(filter, order_by), first, after)
        edges = [BookingEdge(cursor=page.cursor(b), node=Booking.from_model(b)) for b in page.bookings]
        return BookingConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None),
        )
