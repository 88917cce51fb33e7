"""Booking rules in the API: ``bookingRules``, ``updateBookingRules`` and ``resetBookingRules`` (the rules about the
rules: ``bookings/rule_editing.py``). Tokens need ``places:read`` to read them and ``places:write`` to change them."""

from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.audit.record import Actor
from smartoffice.bookings import rule_editing
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, encode_id
from smartoffice.places.models import SpaceKind


@strawberry.enum(description="The kind of space booking rules are for.")
class BookingRuleKind(Enum):
    DESK = strawberry.enum_value(SpaceKind.DESK.value, description="Desks.")
    ROOM = strawberry.enum_value(SpaceKind.ROOM.value, description="Meeting rooms.")


@strawberry.type(
    description="The booking rules for one kind of space in one building (or the defaults for every building). "
    "They apply to bookings made from then on; existing bookings are left as they are."
)
class BookingRules:
    building_id: strawberry.ID | None = strawberry.field(description="The Building; null for the defaults.")
    kind: BookingRuleKind
    inherited: bool = strawberry.field(
        description="True: the building has no rules of its own and these are the defaults."
    )
    max_days_in_advance: int = strawberry.field(description="How many days ahead people may book (0–365).")
    min_duration_minutes: int = strawberry.field(description="The shortest booking, minutes (multiple of 15).")
    max_duration_minutes: int = strawberry.field(description="The longest booking, minutes (multiple of 15, ≤ 1440).")
    max_active_bookings: int = strawberry.field(description="Bookings of this kind a person may hold at once (1–100).")
    cancellation_deadline_minutes: int = strawberry.field(
        description="People may cancel until this many minutes before the start (0: until the start; ≤ 10080)."
    )
    check_in_opens_minutes: int = strawberry.field(description="Check-in opens this many minutes before the start.")
    check_in_grace_minutes: int = strawberry.field(
        description="A booking not checked in this many minutes after its start is released (0: never; ≤ 240)."
    )
    buffer_minutes: int = strawberry.field(description="Rooms: kept free this long after each booking (desks: 0).")
    closed_on_holidays: bool = strawberry.field(description="Public holidays and cuti bersama are closed.")

    @classmethod
    def of(cls, rules: rule_editing.EffectiveRules) -> Self:
        v = rules.values
        building = None if rules.building_id is None else strawberry.ID(encode_id("Building", rules.building_id))
        return cls(
            building_id=building,
            kind=BookingRuleKind(rules.kind.value),
            inherited=rules.inherited,
            max_days_in_advance=v.max_days_in_advance,
            min_duration_minutes=v.min_duration_minutes,
            max_duration_minutes=v.max_duration_minutes,
            max_active_bookings=v.max_active_bookings,
            cancellation_deadline_minutes=v.cancellation_deadline_minutes,
            check_in_opens_minutes=v.check_in_opens_minutes,
            check_in_grace_minutes=v.check_in_grace_minutes,
            buffer_minutes=v.buffer_minutes,
            closed_on_holidays=v.closed_on_holidays,
        )


@strawberry.input(description="New booking rules for one kind of space in one building, or the defaults.")
class UpdateBookingRulesInput:
    building_id: strawberry.ID | None = strawberry.field(
        description="The Building; null to change the defaults for every building (administrators only)."
    )
    kind: BookingRuleKind
    max_days_in_advance: int
    min_duration_minutes: int
    max_duration_minutes: int
    max_active_bookings: int
    cancellation_deadline_minutes: int
    check_in_opens_minutes: int
    check_in_grace_minutes: int
    buffer_minutes: int = strawberry.field(default=0, description="Rooms only; desks must leave it at 0.")
    closed_on_holidays: bool = True

    def values(self) -> rule_editing.RuleValues:
        return rule_editing.RuleValues(
            max_days_in_advance=self.max_days_in_advance,
            min_duration_minutes=self.min_duration_minutes,
            max_duration_minutes=self.max_duration_minutes,
            max_active_bookings=self.max_active_bookings,
            cancellation_deadline_minutes=self.cancellation_deadline_minutes,
            check_in_opens_minutes=self.check_in_opens_minutes,
            check_in_grace_minutes=self.check_in_grace_minutes,
            buffer_minutes=self.buffer_minutes,
            closed_on_holidays=self.closed_on_holidays,
        )


@strawberry.input(description="A building's rules for one kind of space, to reset to the defaults.")
class ResetBookingRulesInput:
    building_id: strawberry.ID
    kind: BookingRuleKind


@strawberry.type(description="The rules now in effect.")
class BookingRulesPayload:
    rules: BookingRules


UpdateBookingRulesResult = Annotated[
    BookingRulesPayload | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("UpdateBookingRulesResult"),
]
ResetBookingRulesResult = Annotated[
    BookingRulesPayload | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ResetBookingRulesResult"),
]


def _building(value: strawberry.ID | None) -> int | None:
    return None if value is None else decode_id(value, "Building", "buildingId")


@strawberry.type
class BookingRulesQuery:
    @strawberry.field(
        description="The booking rules in effect for a kind of space in a building (its own, or the defaults: "
        "`inherited`); `buildingId` null: the defaults. Facilities managers of the building's site and "
        "administrators."
    )
    async def booking_rules(
        self, info: Info, kind: BookingRuleKind, building_id: strawberry.ID | None = None
    ) -> BookingRules:
        info.context.require_scope(Scope.PLACES_READ)
        actor = Actor(info.context.require_viewer(), info.context.via)
        rules = await info.context.runtime.booking_rules.effective(actor, _building(building_id), SpaceKind[kind.name])
        return BookingRules.of(rules)


@strawberry.type
class BookingRulesMutation:
    @strawberry.mutation(
        description="Set a building's booking rules for desks or rooms (the defaults when `buildingId` is null: "
        "administrators only). New bookings follow them; existing bookings stay. Audited as booking_rule.update."
    )
    async def update_booking_rules(self, info: Info, input: UpdateBookingRulesInput) -> UpdateBookingRulesResult:
        info.context.require_scope(Scope.PLACES_WRITE)
        actor = Actor(info.context.require_viewer(), info.context.via)
        rules = await info.context.runtime.booking_rules.update(
            actor, _building(input.building_id), SpaceKind[input.kind.name], input.values()
        )
        return BookingRulesPayload(rules=BookingRules.of(rules))

    @strawberry.mutation(
        description="Reset a building's rules for desks or rooms to the defaults (its own rules are deleted). "
        "Audited as booking_rule.reset."
    )
    async def reset_booking_rules(self, info: Info, input: ResetBookingRulesInput) -> ResetBookingRulesResult:
        info.context.require_scope(Scope.PLACES_WRITE)
        actor = Actor(info.context.require_viewer(), info.context.via)
        rules = await info.context.runtime.booking_rules.reset(
            actor, _building(input.building_id), SpaceKind[input.kind.name]
        )
        return BookingRulesPayload(rules=BookingRules.of(rules))
