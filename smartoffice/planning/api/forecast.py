"""GraphQL for the demand forecast: ``demandForecast``, expected people per building and working day of the coming
weeks against the desks (:class:`~smartoffice.planning.forecast.ForecastService`)."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_any_id
from smartoffice.places.api.types import Building, Site
from smartoffice.planning import forecast


@strawberry.enum(description="How close a building-day comes to overflowing, in rising order.")
class ForecastRisk(Enum):
    NONE = strawberry.enum_value(forecast.Risk.NONE.value, description="Within the target.")
    OVER_TARGET = strawberry.enum_value(
        forecast.Risk.OVER_TARGET.value,
        description="More people expected than the target (desks × target utilisation, or the occupancy cap).",
    )
    MAY_OVERFLOW = strawberry.enum_value(
        forecast.Risk.MAY_OVERFLOW.value, description="The high end of the range is above the desks."
    )
    OVERFLOW = strawberry.enum_value(forecast.Risk.OVERFLOW.value, description="More people expected than desks.")


@strawberry.type(description="One building's forecast for one working day.")
class ForecastDay:
    building: Building
    date: dt.date
    desks: int = strawberry.field(description="Desks open that day (those under a closure left out).")
    target: float = strawberry.field(
        description="People the day should stay under: desks × the target utilisation, or the building's occupancy "
        "cap when a policy sets a lower one."
    )
    expected: float = strawberry.field(description="People expected in the building (a sum of probabilities).")
    low: int = strawberry.field(description="The low end of a 90 % range (never below `booked + plannedOffice`).")
    high: int = strawberry.field(description="The high end of a 90 % range.")
    booked: int = strawberry.field(description="People with a desk booked in the building that day (they count).")
    planned_office: int = strawberry.field(
        description="People housed here whose own plan says office that day, without a desk booking yet."
    )
    holiday: str | None = strawberry.field(description="The holiday or cuti bersama of the day, if any.")
    closure: str | None = strawberry.field(description="Why the building, or part of it, is closed that day.")
    capped_by: str | None = strawberry.field(
        description="The policy capping the building's occupancy that day, when it lowers the target."
    )
    utilisation: float = strawberry.field(description="`expected` ÷ `desks` (0 when no desk is open).")
    risk: ForecastRisk

    @classmethod
    def from_day(cls, day: forecast.ForecastDay, building: Building) -> Self:
        return cls(
            building=building,
            date=day.day,
            desks=day.desks,
            target=day.target,
            expected=day.expected,
            low=day.low,
            high=day.high,
            booked=day.booked,
            planned_office=day.planned_office,
            holiday=day.holiday,
            closure=day.closure,
            capped_by=day.capped_by,
            utilisation=round(day.utilisation, 4),
            risk=ForecastRisk(day.risk.value),
        )


@strawberry.type(description="One building's forecast over the weeks asked for.")
class BuildingForecast:
    building: Building
    desks: int = strawberry.field(description="Desks in the building, none closed.")
    housed: int = strawberry.field(
        description="Active people housed in the building: their home building, else their unit's zones (or the "
        "nearest parent unit's)."
    )
    peak_expected: float = strawberry.field(description="The most people expected on one day.")
    days: list[ForecastDay] = strawberry.field(description="Monday to Friday of each week, holidays included.")


@strawberry.type(
    description="Expected people per building and working day from the policy engine (required days × headcount, "
    "anchor days, exemptions, holidays, public service), people's own plans and desk bookings, and each unit's "
    "attendance history, with a 90 % range, against the desks."
)
class DemandForecast:
    site: Site
    building: Building | None = strawberry.field(description="The building asked about; null for a whole site.")
    from_: dt.date = strawberry.field(name="from", description="The first Monday.")
    to: dt.date = strawberry.field(description="The last Friday.")
    weeks: int
    target_utilisation: float
    today: dt.date = strawberry.field(description="The day the forecast was made on (the site's local date).")
    buildings: list[BuildingForecast]
    days_at_risk: list[ForecastDay] = strawberry.field(
        description="The days flagged (risk other than NONE), the most severe first, then by date and building."
    )

    @classmethod
    def from_forecast(cls, result: forecast.DemandForecast) -> Self:
        buildings = {b.building.id: Building.from_model(b.building) for b in result.buildings}
        return cls(
            site=Site.from_model(result.site),
            building=Building.from_model(result.building) if result.building is not None else None,
            from_=result.first,
            to=result.last,
            weeks=result.weeks,
            target_utilisation=result.target_utilisation,
            today=result.today,
            buildings=[
                BuildingForecast(
                    building=buildings[b.building.id],
                    desks=b.desks,
                    housed=b.housed,
                    peak_expected=b.peak.expected if b.peak is not None else 0.0,
                    days=[ForecastDay.from_day(d, buildings[b.building.id]) for d in b.days],
                )
                for b in result.buildings
            ],
            days_at_risk=[ForecastDay.from_day(d, buildings[d.building_id]) for d in result.days_at_risk],
        )


DemandForecastResult = Annotated[
    DemandForecast | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "DemandForecastResult",
        description="The forecast, or why not: PermissionDeniedError (NOT_A_FACILITIES_MANAGER) for anyone but the "
        "site's facilities managers and administrators; NotFoundError; ValidationError (INVALID_ID, OUT_OF_RANGE for "
        "weeks, TARGET_OUT_OF_RANGE).",
    ),
]


@strawberry.type
class ForecastQuery:
    @strawberry.field(
        description="Expected people per building and working day for 1 to 8 weeks from the Monday of `from`, with "
        "a range, against the desks and a target utilisation; the days at risk of overflowing first. A site's "
        "buildings or one building. Facilities managers of the site and administrators; app tokens need "
        "occupancy:read:aggregate."
    )
    async def demand_forecast(
        self,
        info: Info,
        place_id: Annotated[strawberry.ID, strawberry.argument(description="A Site or a Building id.")],
        from_: Annotated[dt.date, strawberry.argument(name="from", description="A day of the first week.")],
        weeks: Annotated[int, strawberry.argument(description="1 to 8.")] = forecast.DEFAULT_WEEKS,
        target_utilisation: Annotated[
            float, strawberry.argument(description="The share of the desks to stay under, 0.5 to 1.")
        ] = forecast.DEFAULT_TARGET_UTILISATION,
    ) -> DemandForecastResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)

        kind, ident = decode_any_id(place_id, ("Site", "Building"), "placeId")
        result = await info.context.runtime.forecast.forecast(
            viewer,
            site_id=ident if kind == "Site" else None,
            building_id=ident if kind == "Building" else None,
            first=from_,
            weeks=weeks,
            target_utilisation=target_utilisation,
        )
        return DemandForecast.from_forecast(result)
