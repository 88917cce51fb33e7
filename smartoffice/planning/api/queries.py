"""GraphQL for capacity planning: a building's desk occupancy per day."""

import datetime as dt
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id
from smartoffice.places.api.types import Building
from smartoffice.planning import occupancy


@strawberry.type(description="One local day of a building's desk occupancy.")
class OccupancyDay:
    date: dt.date
    working_day: bool = strawberry.field(description="A working day in the national calendar.")
    closed_because: str | None = strawberry.field(description="The holiday or cuti bersama closing the offices.")
    booked: int = strawberry.field(
        description="People with a desk that day: booked, checked in, or released as a no-show."
    )
    checked_in: int = strawberry.field(description="People who checked in to their desk.")
    no_shows: int = strawberry.field(description="Desk bookings released because nobody checked in.")
    utilisation: float = strawberry.field(description="`booked` ÷ the building's desks (0 to 1).")

    @classmethod
    def from_day(cls, day: occupancy.OccupancyDay) -> Self:
        return cls(
            date=day.day,
            working_day=day.is_working_day,
            closed_because=day.closed_because,
            booked=day.booked,
            checked_in=day.checked_in,
            no_shows=day.no_shows,
            utilisation=round(day.utilisation, 4),
        )


@strawberry.type(
    description="A building's desk occupancy from one local date to another, and the figures seats are sized from "
    "(over working days only)."
)
class BuildingOccupancy:
    building: Building
    from_: dt.date = strawberry.field(name="from")
    to: dt.date
    desks: int = strawberry.field(description="Desks in the building.")
    days: list[OccupancyDay]
    peak_booked: int = strawberry.field(description="The most people booked on one working day.")
    mean_booked: float = strawberry.field(description="People booked per working day, on average.")
    percentile85_booked: int = strawberry.field(
        description="The 85th percentile (nearest rank) of people booked per working day: a building with this "
        "many desks is full on about one working day in seven."
    )

    @classmethod
    def from_report(cls, report: occupancy.OccupancyReport) -> Self:
        return cls(
            building=Building.from_model(report.building),
            from_=report.first,
            to=report.last,
            desks=report.desks,
            days=[OccupancyDay.from_day(d) for d in report.days],
            peak_booked=report.peak_booked,
            mean_booked=round(report.mean_booked, 2),
            percentile85_booked=report.percentile_85_booked,
        )


BuildingOccupancyResult = Annotated[
    BuildingOccupancy | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "BuildingOccupancyResult",
        description="The report, or why not: PermissionDeniedError (NOT_A_FACILITIES_MANAGER) for anyone but the "
        "site's facilities managers and administrators; NotFoundError; ValidationError (INVALID_ID, "
        "RANGE_REVERSED, RANGE_TOO_LONG).",
    ),
]


@strawberry.type
class PlanningQuery:
    @strawberry.field(
        description="A building's desk occupancy per local day (at most 92 days) and its peak, mean and 85th "
        "percentile over working days: for sizing a tower's seats. Facilities managers of the site and "
        "administrators; app tokens need occupancy:read:aggregate."
    )
    async def building_occupancy(
        self,
        info: Info,
        building_id: strawberry.ID,
        from_: Annotated[dt.date, strawberry.argument(name="from", description="The first local date.")],
        to: Annotated[dt.date, strawberry.argument(description="The last local date (included).")],
    ) -> BuildingOccupancyResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)

        building = decode_id(building_id, "Building", "buildingId")
        report = await info.context.runtime.occupancy.building_occupancy(viewer, building, from_, to)
        return BuildingOccupancy.from_report(report)
