"""GraphQL types of the policies themselves: who sets them, whom they cover (scope) and what they state (rules),
as typed fields rather than the stored JSON."""

import datetime as dt
from enum import Enum
from typing import Self

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.ids import encode_id
from smartoffice.people import models as people_models
from smartoffice.policies import models, rules
from smartoffice.policies.day_rules import PolicyView


@strawberry.enum(description="Who sets a policy. A lower level may only tighten what the levels above allow.")
class PolicyLevel(Enum):
    NATIONAL = strawberry.enum_value(models.PolicyLevel.NATIONAL.value, description="A regulation (PermenPANRB).")
    AGENCY = strawberry.enum_value(models.PolicyLevel.AGENCY.value, description="The agency's head (PPK).")
    UNIT = strawberry.enum_value(models.PolicyLevel.UNIT.value, description="A unit's head.")
    INDIVIDUAL = strawberry.enum_value(models.PolicyLevel.INDIVIDUAL.value, description="One person's arrangement.")


@strawberry.enum(description="The kind of post (jabatan).")
class PositionKind(Enum):
    MANAGERIAL = strawberry.enum_value(people_models.PositionKind.MANAGERIAL.value, description="Jabatan manajerial.")
    FUNCTIONAL = strawberry.enum_value(people_models.PositionKind.FUNCTIONAL.value, description="Jabatan fungsional.")
    EXECUTOR = strawberry.enum_value(people_models.PositionKind.EXECUTOR.value, description="Jabatan pelaksana.")


@strawberry.enum(description="The kind of civil servant.")
class EmploymentType(Enum):
    PNS = strawberry.enum_value(people_models.EmploymentType.PNS.value, description="Permanent civil servant.")
    PPPK = strawberry.enum_value(people_models.EmploymentType.PPPK.value, description="Contract civil servant.")


@strawberry.enum(description="Predikat kinerja: the rating of an SKP period, best first.")
class PerformanceRating(Enum):
    SANGAT_BAIK = strawberry.enum_value(models.Rating.SANGAT_BAIK.value, description="Sangat Baik.")
    BAIK = strawberry.enum_value(models.Rating.BAIK.value, description="Baik.")
    BUTUH_PERBAIKAN = strawberry.enum_value(models.Rating.BUTUH_PERBAIKAN.value, description="Butuh Perbaikan.")
    KURANG = strawberry.enum_value(models.Rating.KURANG.value, description="Kurang.")
    SANGAT_KURANG = strawberry.enum_value(models.Rating.SANGAT_KURANG.value, description="Sangat Kurang.")


@strawberry.type(description="Who may have remote days at all (PermenPANRB 4/2025 Pasal 25 and agency criteria).")
class Eligibility:
    no_discipline_case: bool = strawberry.field(description="No pending or active disciplinary case.")
    min_days_in_post: int | None = strawberry.field(description="At least this many days in the current post.")
    ratings: list[PerformanceRating] | None = strawberry.field(
        description="The latest performance rating must be one of these (null: any)."
    )


@strawberry.type(description="One day's working hours.")
class DayHours:
    weekday: int = strawberry.field(description="0 = Monday … 6 = Sunday.")
    start: dt.time = strawberry.field(description="Local start of the working day.")
    end: dt.time = strawberry.field(description="Local end of the working day.")
    hours: float = strawberry.field(description="Hours worked: from start to end less the breaks.")

    @classmethod
    def from_rules(cls, day: rules.DayHours) -> Self:
        return cls(weekday=day.weekday, start=day.start, end=day.end, hours=day.hours)


@strawberry.type(
    description="Working hours (Perpres 21/2023: from 07:30, 37.5 hours a week, Friday with a longer break; Ramadan: "
    "from 08:00, 32.5 hours)."
)
class WorkingHours:
    start: dt.time = strawberry.field(description="Local start of the working day.")
    hours_per_week: float = strawberry.field(description="Working hours a week.")
    days: list[DayHours] | None = strawberry.field(
        description="Each weekday's own hours, where stated (null: every day starts at start and works a fifth of "
        "the week)."
    )

    @classmethod
    def from_rules(cls, hours: rules.WorkingHours) -> Self:
        return cls(
            start=hours.start,
            hours_per_week=hours.hours_per_week,
            days=[DayHours.from_rules(day) for day in hours.days] if hours.days is not None else None,
        )


@strawberry.enum(description="Where a remote day is worked (PermenPANRB 4/2025 limits location flexibility to these).")
class LocationKind(Enum):
    REGISTERED_HOME = strawberry.enum_value(
        models.LocationKind.REGISTERED_HOME.value, description="The home registered with the agency (WFH)."
    )
    AGENCY_OFFICE = strawberry.enum_value(
        models.LocationKind.AGENCY_OFFICE.value, description="Another office of the agency (WFA)."
    )
    DESIGNATED_PLACE = strawberry.enum_value(
        models.LocationKind.DESIGNATED_PLACE.value, description="A place the agency designates (WFA)."
    )


@strawberry.type(
    description="What a policy states. A null field states nothing (other policies decide); false is a "
    "statement (an overlay may lift a requirement)."
)
class PolicyRules:
    max_remote_days_per_week: int | None = strawberry.field(description="At most this many remote days a week.")
    min_office_days_per_week: int | None = strawberry.field(description="At least this many office days a week.")
    office_every_working_day: bool | None = strawberry.field(
        description="Public service: in the office every working day, no location flexibility."
    )
    works_on_collective_leave: bool | None = strawberry.field(
        description="Cuti bersama are working days for these people (their leave is taken elsewhere)."
    )
    anchor_days_required: bool | None = strawberry.field(
        description="In the office on the unit's anchor days (false, in an overlay: the requirement is lifted)."
    )
    supervisor_copresence_days: int | None = strawberry.field(
        description="Office days a week shared with the direct supervisor."
    )
    max_unit_remote_percent: int | None = strawberry.field(
        description="The largest share of a unit (percent) that may work remotely on any day."
    )
    building_occupancy_percent: int | None = strawberry.field(
        description="The largest share of a building's desks (percent) that may be booked on a day."
    )
    eligibility: Eligibility | None = strawberry.field(description="Who may have remote days at all.")
    working_hours: WorkingHours | None = strawberry.field(description="The working hours it sets.")
    exemption_max_remote_days: int | None = strawberry.field(
        description="The most remote days a week an exemption may grant."
    )
    exemption_max_days: int | None = strawberry.field(description="The longest an exemption may run, in days.")
    exemption_max_months: int | None = strawberry.field(
        description="The longest an exemption may run, in calendar months: it ends at the latest the day before the "
        "same day of the month that many months later (the last day of that month when it has no such day)."
    )
    allowed_location_kinds: list[LocationKind] | None = strawberry.field(
        description="Where remote days may be worked; null: all three kinds."
    )
    prorate_short_weeks: bool | None = strawberry.field(
        description="An agency's choice: in a week with holidays each working day carries a fifth of the weekly "
        "numbers (the remote allowance rounds down). Stated by no policy, or false: a short week keeps the weekly "
        "maximum (PermenPANRB 4/2025 Pasal 13(1)), never more remote days than working days."
    )

    @classmethod
    def from_rules(cls, r: rules.PolicyRules) -> Self:
        e = r.eligibility
        return cls(
            max_remote_days_per_week=r.max_remote_days_per_week,
            min_office_days_per_week=r.min_office_days_per_week,
            office_every_working_day=r.office_every_working_day,
            works_on_collective_leave=r.works_on_collective_leave,
            anchor_days_required=r.anchor_days_required,
            supervisor_copresence_days=r.supervisor_copresence_days,
            max_unit_remote_percent=r.max_unit_remote_percent,
            building_occupancy_percent=r.building_occupancy_percent,
            eligibility=Eligibility(
                no_discipline_case=e.no_discipline_case,
                min_days_in_post=e.min_days_in_post,
                ratings=[PerformanceRating(rating.value) for rating in e.ratings] if e.ratings is not None else None,
            )
            if e is not None
            else None,
            working_hours=WorkingHours.from_rules(r.working_hours) if r.working_hours else None,
            exemption_max_remote_days=r.exemption_max_remote_days,
            exemption_max_days=r.exemption_max_days,
            exemption_max_months=r.exemption_max_months,
            allowed_location_kinds=[LocationKind(kind.value) for kind in r.allowed_location_kinds]
            if r.allowed_location_kinds is not None
            else None,
            prorate_short_weeks=r.prorate_short_weeks,
        )


def _global_id(type_name: str, ident: int | None) -> strawberry.ID | None:
    return None if ident is None else strawberry.ID(encode_id(type_name, ident))


@strawberry.type(description="Who a policy applies to: every field that is set must match; null matches everyone.")
class PolicyScope:
    organisation_id: strawberry.ID | None = strawberry.field(description="An Organisation (instansi).")
    org_unit_id: strawberry.ID | None = strawberry.field(description="An OrgUnit, with its whole subtree.")
    position_kind: PositionKind | None = strawberry.field(description="A kind of post.")
    position_level: str | None = strawberry.field(description="A post level, e.g. Ahli Muda.")
    employment_type: EmploymentType | None = strawberry.field(description="PNS or PPPK.")
    building_id: strawberry.ID | None = strawberry.field(
        description="A Building: people whose unit has a zone there (occupancy caps: bookings in it)."
    )
    employee_id: strawberry.ID | None = strawberry.field(description="One Employee.")


@strawberry.type(description="Rules that apply to everyone in scope on the dates it is in force.")
class Policy(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Stable short name, unique.")
    name: str = strawberry.field(description="What people call it.")
    level: PolicyLevel = strawberry.field(description="Who set it, for precedence.")
    is_overlay: bool = strawberry.field(
        description="An overlay (Ramadan hours, an emergency occupancy cap) replaces what it states above every "
        "level, on its dates."
    )
    legal_basis: str = strawberry.field(description="The regulation or decree, e.g. PermenPANRB 4/2025 Pasal 13(1).")
    set_by: str = strawberry.field(description="Who decided it, as the decree names them.")
    effective_from: dt.date = strawberry.field(description="First day in force.")
    effective_until: dt.date | None = strawberry.field(description="Last day in force; null: until further notice.")
    scope: PolicyScope = strawberry.field(description="Who it applies to.")
    rules: PolicyRules = strawberry.field(description="What it states.")

    @classmethod
    def from_model(cls, p: models.Policy | PolicyView) -> Self:
        """From the row, or from the engine's view of it (what a week was judged by, rules already parsed)."""
        parsed = p.rules if isinstance(p, PolicyView) else rules.parse_rules(p.rules)
        return cls(
            id=p.id,
            code=p.code,
            name=p.name,
            level=PolicyLevel(p.level),
            is_overlay=p.is_overlay,
            legal_basis=p.legal_basis,
            set_by=p.set_by or "",
            effective_from=p.effective_from,
            effective_until=p.effective_until,
            scope=PolicyScope(
                organisation_id=_global_id("Organisation", p.organisation_id),
                org_unit_id=_global_id("OrgUnit", p.org_unit_id),
                position_kind=PositionKind(p.position_kind.value) if p.position_kind else None,
                position_level=p.position_level,
                employment_type=EmploymentType(p.employment_type.value) if p.employment_type else None,
                building_id=_global_id("Building", p.building_id),
                employee_id=_global_id("Employee", p.employee_id),
            ),
            rules=PolicyRules.from_rules(parsed),
        )


async def policy_of(info: Info, policy_id: int | None) -> Policy | None:
    """The policy with this id, through the request's loader (one query for all the policies of an answer)."""
    if policy_id is None:
        return None
    return Policy.from_model(await info.context.loaders.policies.policy_by_id.load(policy_id))
