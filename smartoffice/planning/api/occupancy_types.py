"""GraphQL types of occupancy reports: a day, a summary, the heatmap, the month trend, the breakdown and the rooms.

Aggregates only: no type here carries a person."""

import datetime as dt
from enum import Enum
from typing import Self

import strawberry

from smartoffice.ids import encode_id
from smartoffice.planning import occupancy_report as report

SCOPE_TYPE_NAMES = {
    report.ScopeKind.SITE: "Site",
    report.ScopeKind.BUILDING: "Building",
    report.ScopeKind.FLOOR: "Floor",
    report.ScopeKind.ZONE: "Zone",
    report.ScopeKind.ORGANISATION: "Organisation",
    report.ScopeKind.ORG_UNIT: "OrgUnit",
}
"""The GraphQL type whose global id names a scope of each kind."""


@strawberry.enum(description="What an occupancy report covers.")
class OccupancyScopeKind(Enum):
    SITE = strawberry.enum_value(report.ScopeKind.SITE.value, description="A site: its buildings' desks.")
    BUILDING = strawberry.enum_value(report.ScopeKind.BUILDING.value, description="A building's desks.")
    FLOOR = strawberry.enum_value(report.ScopeKind.FLOOR.value, description="A floor's desks.")
    ZONE = strawberry.enum_value(report.ScopeKind.ZONE.value, description="A zone's desks.")
    ORGANISATION = strawberry.enum_value(
        report.ScopeKind.ORGANISATION.value,
        description="An organisation's people wherever they sit, against the desks of the zones assigned to its units.",
    )
    ORG_UNIT = strawberry.enum_value(
        report.ScopeKind.ORG_UNIT.value,
        description="A unit's subtree: its people wherever they sit, against the desks of the zones assigned to "
        "the subtree.",
    )


@strawberry.input(description="The scope of an occupancy report.")
class OccupancyScopeInput:
    kind: OccupancyScopeKind
    id: strawberry.ID = strawberry.field(
        description="The Site, Building, Floor, Zone, Organisation or OrgUnit (as `kind` says)."
    )


@strawberry.type(description="A scope of an occupancy report, or a part of its breakdown.")
class OccupancyScopeRef:
    kind: OccupancyScopeKind
    id: strawberry.ID = strawberry.field(description="The Site, Building, Floor, Zone, Organisation or OrgUnit.")
    code: str = strawberry.field(description="Its code (a floor's: its level).")
    name: str

    @classmethod
    def from_ref(cls, ref: report.ScopeRef) -> Self:
        return cls(
            kind=OccupancyScopeKind[ref.kind.name],
            id=strawberry.ID(encode_id(SCOPE_TYPE_NAMES[ref.kind], ref.id)),
            code=ref.code,
            name=ref.name,
        )


@strawberry.type(description="One local day of desk occupancy (each building's own time zone decides its days).")
class OccupancyDay:
    date: dt.date
    working_day: bool = strawberry.field(description="A working day in the national calendar.")
    closed_because: str | None = strawberry.field(description="The holiday or cuti bersama closing the offices.")
    booked: int = strawberry.field(
        description="People with a desk that day: booked, checked in, or released as a no-show."
    )
    checked_in: int = strawberry.field(description="People who checked in to their desk.")
    no_shows: int = strawberry.field(description="Desk bookings released because nobody checked in.")
    utilisation: float = strawberry.field(description="`booked` ÷ the desks in scope (0 to 1, above 1 if overfull).")
    no_show_rate: float = strawberry.field(description="`noShows` ÷ `booked`.")
    headcount_share: float | None = strawberry.field(
        description="`booked` ÷ the people placed in the unit subtree (organisation and unit scopes; null for places)."
    )
    counted: bool = strawberry.field(
        description="False for a day the retention job folded into per-building aggregates when the scope is finer "
        "than a building (a floor, a zone, a unit): its counts are unknown (shown as 0) and no summary includes it."
    )

    @classmethod
    def from_day(cls, day: report.OccupancyDay) -> Self:
        share = day.headcount_share
        return cls(
            date=day.day,
            working_day=day.is_working_day,
            closed_because=day.closed_because,
            booked=day.booked,
            checked_in=day.checked_in,
            no_shows=day.no_shows,
            utilisation=round(day.utilisation, 4),
            no_show_rate=round(day.no_show_rate, 4),
            headcount_share=round(share, 4) if share is not None else None,
            counted=day.counted,
        )


@strawberry.type(description="Figures over the counted working days of a range (weekends and holidays left out).")
class OccupancySummary:
    working_days: int = strawberry.field(description="Working days counted.")
    desks: int
    headcount: int | None = strawberry.field(description="People placed in the unit subtree (units only).")
    peak_booked: int = strawberry.field(description="The most people booked on one working day.")
    mean_booked: float = strawberry.field(description="People booked per working day, on average.")
    percentile85_booked: int = strawberry.field(
        description="The 85th percentile (nearest rank) of people booked per working day: a scope with this many "
        "desks is full on about one working day in seven."
    )
    mean_checked_in: float = strawberry.field(description="People checked in per working day, on average.")
    no_shows: int = strawberry.field(description="Desk bookings released as no-shows, in all.")
    no_show_rate: float = strawberry.field(description="No-shows ÷ people booked, over the working days.")
    check_in_rate: float = strawberry.field(description="People checked in ÷ people booked, over the working days.")
    peak_utilisation: float
    mean_utilisation: float
    percentile85_utilisation: float
    mean_headcount_share: float | None = strawberry.field(description="Mean people booked ÷ headcount (units only).")

    @classmethod
    def from_summary(cls, s: report.OccupancySummary) -> Self:
        share = s.mean_headcount_share
        return cls(
            working_days=s.working_days,
            desks=s.desks,
            headcount=s.headcount,
            peak_booked=s.peak_booked,
            mean_booked=round(s.mean_booked, 2),
            percentile85_booked=s.percentile_85_booked,
            mean_checked_in=round(s.mean_checked_in, 2),
            no_shows=s.no_shows_total,
            no_show_rate=round(s.no_show_rate, 4),
            check_in_rate=round(s.check_in_rate, 4),
            peak_utilisation=round(s.peak_utilisation, 4),
            mean_utilisation=round(s.mean_utilisation, 4),
            percentile85_utilisation=round(s.percentile_85_utilisation, 4),
            mean_headcount_share=round(share, 4) if share is not None else None,
        )


@strawberry.type(description="One ISO week of the weekday × week heatmap.")
class OccupancyHeatmapWeek:
    iso_year: int
    iso_week: int
    monday: dt.date
    days: list[OccupancyDay | None] = strawberry.field(
        description="Seven entries, Monday to Sunday; null for a day outside the report's range."
    )

    @classmethod
    def from_week(cls, week: report.HeatmapWeek) -> Self:
        return cls(
            iso_year=week.iso_year,
            iso_week=week.iso_week,
            monday=week.monday,
            days=[OccupancyDay.from_day(d) if d else None for d in week.days],
        )


@strawberry.type(description="One calendar month of the range (the first and last may be partial).")
class OccupancyMonth:
    month: dt.date = strawberry.field(description="The first of the month.")
    from_: dt.date = strawberry.field(name="from", description="The first day of the range in this month.")
    to: dt.date = strawberry.field(description="The last day of the range in this month.")
    summary: OccupancySummary

    @classmethod
    def from_month(cls, month: report.MonthTrend) -> Self:
        return cls(
            month=month.month, from_=month.first, to=month.last, summary=OccupancySummary.from_summary(month.summary)
        )


@strawberry.type(description="One part of the breakdown one level down, with its own days and summary.")
class OccupancyPart:
    scope: OccupancyScopeRef
    desks: int
    headcount: int | None
    days: list[OccupancyDay]
    summary: OccupancySummary

    @classmethod
    def from_part(cls, part: report.ScopePart) -> Self:
        return cls(
            scope=OccupancyScopeRef.from_ref(part.ref),
            desks=part.desks,
            headcount=part.headcount,
            days=[OccupancyDay.from_day(d) for d in part.days],
            summary=OccupancySummary.from_summary(part.summary),
        )


@strawberry.type(description="Meetings whose attendees ÷ the room's capacity lies in (low, high].")
class MeetingSizeBucket:
    low: float
    high: float | None = strawberry.field(description="Null: no upper bound (meetings over the room's capacity).")
    meetings: int

    @classmethod
    def from_bucket(cls, bucket: report.SizeBucket) -> Self:
        return cls(low=bucket.low, high=bucket.high, meetings=bucket.meetings)


@strawberry.type(description="A meeting room over the working days of the range.")
class RoomUtilisation:
    room_id: strawberry.ID = strawberry.field(description="The MeetingRoom.")
    code: str
    name: str | None
    floor_name: str
    building_name: str
    capacity: int
    meetings: int = strawberry.field(description="Bookings that held the room (booked, checked in, or released).")
    hours_booked: float
    bookable_hours: float = strawberry.field(
        description="The room's bookable hours (its own, else its building's opening hours) over the working days."
    )
    utilisation: float = strawberry.field(description="`hoursBooked` ÷ `bookableHours`.")
    sized_meetings: int = strawberry.field(description="Meetings that gave an attendee count.")
    mean_size_ratio: float | None = strawberry.field(description="Mean attendees ÷ capacity of the sized meetings.")
    size_buckets: list[MeetingSizeBucket]

    @classmethod
    def from_room(cls, room: report.RoomUse) -> Self:
        return cls(
            room_id=strawberry.ID(encode_id("MeetingRoom", room.room_id)),
            code=room.code,
            name=room.name,
            floor_name=room.floor_name,
            building_name=room.building_name,
            capacity=room.capacity,
            meetings=room.meetings,
            hours_booked=round(room.hours_booked, 2),
            bookable_hours=round(room.bookable_hours, 2),
            utilisation=round(room.utilisation, 4),
            sized_meetings=room.sized_meetings,
            mean_size_ratio=_rounded(room.mean_size_ratio),
            size_buckets=[MeetingSizeBucket.from_bucket(b) for b in room.size_buckets],
        )


@strawberry.type(description="The meeting rooms in scope: hours booked against bookable hours, and meeting sizes.")
class OccupancyRooms:
    rooms: list[RoomUtilisation]
    hours_booked: float
    bookable_hours: float
    utilisation: float
    size_buckets: list[MeetingSizeBucket]
    mean_size_ratio: float | None

    @classmethod
    def from_rooms(cls, rooms: report.RoomReport) -> Self:
        return cls(
            rooms=[RoomUtilisation.from_room(r) for r in rooms.rooms],
            hours_booked=round(rooms.hours_booked, 2),
            bookable_hours=round(rooms.bookable_hours, 2),
            utilisation=round(rooms.utilisation, 4),
            size_buckets=[MeetingSizeBucket.from_bucket(b) for b in rooms.size_buckets],
            mean_size_ratio=_rounded(rooms.mean_size_ratio),
        )


@strawberry.type(description="Desk and room occupancy of a scope from one local date to another.")
class OccupancyReport:
    scope: OccupancyScopeRef
    from_: dt.date = strawberry.field(name="from")
    to: dt.date
    desks: int = strawberry.field(
        description="Desks in scope (not retired); for an organisation or unit, those of the zones assigned to it."
    )
    headcount: int | None = strawberry.field(description="People placed in the unit subtree (units only).")
    time_zones: list[str] = strawberry.field(description="The time zones of the buildings concerned.")
    folded_through: dt.date | None = strawberry.field(
        description="Days up to this one were folded by the retention job (see `OccupancyDay.counted`)."
    )
    restricted_to_sites: list[strawberry.ID] | None = strawberry.field(
        description="Organisation and unit scopes seen by a facilities manager: only bookings and desks in these "
        "sites (the ones they manage) count. Null: no restriction."
    )
    days: list[OccupancyDay]
    summary: OccupancySummary
    heatmap: list[OccupancyHeatmapWeek] = strawberry.field(description="The days by ISO week and weekday.")
    months: list[OccupancyMonth] = strawberry.field(description="The trend by calendar month.")
    part_kind: OccupancyScopeKind | None = strawberry.field(
        description="What `parts` are: a site's buildings, a building's floors, a floor's zones, an organisation's "
        "top units, a unit's child units; null for a zone."
    )
    parts: list[OccupancyPart]
    rooms: OccupancyRooms

    @classmethod
    def from_report(cls, r: report.OccupancyReport) -> Self:
        return cls(
            scope=OccupancyScopeRef.from_ref(r.scope),
            from_=r.first,
            to=r.last,
            desks=r.desks,
            headcount=r.headcount,
            time_zones=list(r.time_zones),
            folded_through=r.folded_through,
            restricted_to_sites=[strawberry.ID(encode_id("Site", s)) for s in r.sites] if r.sites is not None else None,
            days=[OccupancyDay.from_day(d) for d in r.days],
            summary=OccupancySummary.from_summary(r.summary),
            heatmap=[OccupancyHeatmapWeek.from_week(w) for w in r.heatmap],
            months=[OccupancyMonth.from_month(m) for m in r.months],
            part_kind=OccupancyScopeKind[r.part_kind.name] if r.part_kind else None,
            parts=[OccupancyPart.from_part(p) for p in r.parts],
            rooms=OccupancyRooms.from_rooms(r.rooms),
        )


def _rounded(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None
