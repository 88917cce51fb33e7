"""The one error shape of the API: expected failures are members of a mutation's result union.

Each member implements ``Error { message }`` and carries the data a client needs to react. Services raise
:mod:`smartoffice.errors`; :func:`to_graphql_error` is the single mapping from those to these types.
"""

from datetime import datetime
from enum import Enum

import strawberry

from smartoffice import errors as domain
from smartoffice.messages import Language


@strawberry.interface(description="An expected failure: the request was understood but not carried out.")
class Error:
    message: str = strawberry.field(description="What went wrong, for people.")


@strawberry.type(description="An input value is malformed or breaks a rule about its own values.")
class ValidationError(Error):
    field: str = strawberry.field(description="The input field at fault, as named in the input type.")
    code: str = strawberry.field(
        description="Stable machine-readable reason, e.g. IN_PAST, END_BEFORE_START, OUTSIDE_OPENING_HOURS, "
        "NOT_ON_SLOT, INVALID_ID, ALREADY_CANCELLED, ALREADY_ENDED."
    )


@strawberry.type(description="The thing named by an id does not exist, or is not visible to you.")
class NotFoundError(Error):
    id: strawberry.ID = strawberry.field(description="The id that was not found, as sent.")


@strawberry.type(description="You are not allowed to do this to that object.")
class PermissionDeniedError(Error):
    pass


@strawberry.enum(description="Why a booking clashes with another.")
class ConflictKind(Enum):
    SPACE_TAKEN = strawberry.enum_value(
        domain.ConflictKind.SPACE_TAKEN.value,
        description="The space is already booked for an overlapping time.",
    )
    PERSON_ALREADY_BOOKED = strawberry.enum_value(
        domain.ConflictKind.PERSON_ALREADY_BOOKED.value,
        description="The person already holds another desk for an overlapping time.",
    )


@strawberry.type(description="One existing booking that overlaps the requested time. Whose it is is not shown.")
class BookingConflict:
    kind: ConflictKind
    start_at: datetime = strawberry.field(description="Start of the overlapping booking (UTC).")
    end_at: datetime = strawberry.field(description="End of the overlapping booking (UTC, exclusive).")


@strawberry.type(description="The space, or the person, is already booked for an overlapping time.")
class BookingConflictError(Error):
    conflicts: list[BookingConflict]


@strawberry.type(
    description="An office-day policy forbids the request (e.g. a building's occupancy cap, a unit's remote-share "
    "cap, a day you are required in the office). The message names the policy and its legal basis."
)
class PolicyRefusalError(Error):
    code: str = strawberry.field(
        description="Stable machine-readable reason: OCCUPANCY_CAP, UNIT_REMOTE_SHARE_CAP, REMOTE_ALLOWANCE_USED, "
        "DAY_REQUIRED_IN_OFFICE."
    )
    policy: str = strawberry.field(description="The name of the policy that refuses, or - when no policy states it.")
    legal_basis: str = strawberry.field(
        description="The regulation or decree the policy rests on, e.g. PermenPANRB 4/2025 Pasal 13(1)."
    )


def to_graphql_error(
    error: domain.DomainError, language: Language, sent_id: str | None = None
) -> ValidationError | NotFoundError | PermissionDeniedError | BookingConflictError | PolicyRefusalError:
    """The result-union member for a domain error, its message in the caller's language."""
    message = error.message_in(language)
    match error:
        case domain.InvalidInput():
            return ValidationError(message=message, field=error.field, code=error.code)
        case domain.NotFound():
            return NotFoundError(message=message, id=strawberry.ID(sent_id or str(error.ident)))
        case domain.PermissionDenied():
            return PermissionDeniedError(message=message)
        case domain.PolicyRefusal():
            return PolicyRefusalError(
                message=message, code=error.code, policy=error.policy, legal_basis=error.legal_basis
            )
        case domain.BookingConflict():
            return BookingConflictError(
                message=message,
                conflicts=[
                    BookingConflict(kind=ConflictKind(c.kind.value), start_at=c.start_at, end_at=c.end_at)
                    for c in error.conflicts
                ],
            )
    raise TypeError(f"unmapped domain error {type(error).__name__}") from error
