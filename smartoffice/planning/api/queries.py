"""GraphQL for capacity planning: occupancy reports (``occupancyReport``; ``buildingOccupancy``, its building scope
in the shape apps already read)."""

import datetime as dt
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id
from smartoffice.places.api.types import Building
from smartoffice.planning import occupancy_report
from smartoffice.planning.api.occupancy_types import (
    SCOPE_TYPE_NAMES,
    OccupancyDay,
    OccupancyReport,
    OccupancyScopeInput,
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
    def from_report(cls, report: occupancy_report.BuildingDays) -> Self:
        return cls(
            building=Building.from_model(report.building),
            from_=report.first,
            to=report.last,
            desks=report.desks,
            days=[OccupancyDay.from_day(d) for d in report.days],
            peak_booked=report.summary.peak_booked,
            mean_booked=round(report.summary.mean_booked, 2),
            percentile85_booked=report.summary.percentile_85_booked,
        )


OccupancyReportResult = Annotated[
    OccupancyReport | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "OccupancyReportResult",
        description="The report, or why not: PermissionDeniedError (NOT_A_FACILITIES_MANAGER) for a place outside "
        "the sites you manage (administrators see all), or an organisation or unit when you manage no site; "
        "NotFoundError; ValidationError (INVALID_ID, RANGE_REVERSED, RANGE_TOO_LONG).",
    ),
]

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
        # The report read the building: its ``openingHours`` need not read it again.
        info.context.loaders.places.building_by_id.prime(report.building.id, report.building)
        return BuildingOccupancy.from_report(report)

    @strawberry.field(
        description="Desk occupancy of a site, building, floor or zone, or of an organisation or unit subtree, per "
        "local day (at most 366 days): people booked and checked in, no-shows, utilisation, the peak, mean and "
        "85th percentile over working days, a weekday × week heatmap, the trend by month, the breakdown one level "
        "down, and the meeting rooms' utilisation and meeting sizes. Aggregates only. Facilities managers of the "
        "site (for an organisation or unit: counted in the sites they manage) and administrators; app tokens need "
        "occupancy:read:aggregate."
    )
    async def occupancy_report(
        self,
        info: Info,
        scope: OccupancyScopeInput,
        from_: Annotated[dt.date, strawberry.argument(name="from", description="The first local date.")],
        to: Annotated[dt.date, strawberry.argument(description="The last local date (included).")],
    ) -> OccupancyReportResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)

        kind = occupancy_report.ScopeKind[scope.kind.name]
        ident = decode_id(scope.id, SCOPE_TYPE_NAMES[kind], "scope.id")
        report = await info.context.runtime.occupancy.report(
            viewer, occupancy_report.OccupancyScope(kind, ident), from_, to
        )
        return OccupancyReport.from_report(report)
