"""Domain errors: what services raise when a request cannot be honoured. Nothing has changed when they do.

::

    DomainError
    ├── NotFound                  the thing named does not exist (or the actor may not know it does)
    ├── InvalidInput              the request is malformed or breaks a rule about its own values
    ├── PermissionDenied          the actor may not do this to that
    └── BookingConflict           the space, or the person, is already booked for an overlapping time

One mapping (``smartoffice.api.errors``) turns each into a member of a GraphQL result union; the pages show
``message``. ``code`` is stable and machine-readable; ``message`` is for people.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DomainError(Exception):
    code: str = "ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    code = "NOT_FOUND"

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} does not exist")
        self.kind = kind
        self.ident = ident


class InvalidInput(DomainError):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"


class ConflictKind(StrEnum):
    SPACE_TAKEN = "SPACE_TAKEN"
    """Someone already holds this space for an overlapping time."""
    PERSON_ALREADY_BOOKED = "PERSON_ALREADY_BOOKED"
    """The person already holds another desk for an overlapping time (one desk per person at a time)."""


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: ConflictKind
    booking_id: int
    start_at: datetime
    end_at: datetime


class BookingConflict(DomainError):
    code = "BOOKING_CONFLICT"

    def __init__(self, conflicts: list[Conflict]) -> None:
        kinds = {c.kind for c in conflicts}
        if kinds == {ConflictKind.PERSON_ALREADY_BOOKED}:
            message = "You already have a desk booked for an overlapping time"
        else:
            message = "This space is already booked for an overlapping time"
        super().__init__(message)
        self.conflicts = conflicts
