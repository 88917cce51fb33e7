"""Domain errors: what services raise when a request cannot be honoured. Nothing has changed when they do.

::

    DomainError
    ├── NotFound                  the thing named does not exist (or the actor may not know it does)
    ├── InvalidInput              the request is malformed or breaks a rule about its own values
    ├── PermissionDenied          the actor may not do this to that
    ├── BookingConflict           the space, or the person, is already booked for an overlapping time
    └── PolicyRefusal             an office-day policy forbids it (an occupancy cap, a unit's remote-share cap)

Each carries a stable ``code`` and the ``params`` of its message; :mod:`smartoffice.messages` has the words in
English and Bahasa Indonesia, and :meth:`DomainError.message_in` picks one. One mapping
(``smartoffice.api.errors``) turns each error into a member of a GraphQL result union.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from smartoffice.messages import DEFAULT_LANGUAGE, Language, render


class DomainError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.message_in(DEFAULT_LANGUAGE)

    def message_in(self, language: Language) -> str:
        return render(self.code, language, **self.params)


class NotFound(DomainError):
    def __init__(self, kind: str, ident: object) -> None:
        super().__init__("NOT_FOUND", kind=kind, ident=ident)
        self.kind = kind
        self.ident = ident


class InvalidInput(DomainError):
    def __init__(self, field: str, code: str, **params: object) -> None:
        super().__init__(code, field=field, **params)
        self.field = field


class PermissionDenied(DomainError):
    def __init__(self, code: str = "PERMISSION_DENIED", **params: object) -> None:
        super().__init__(code, **params)


class PolicyRefusal(DomainError):
    """A policy forbids the request; the message names the policy and its legal basis."""

    def __init__(self, code: str, *, policy: str, legal_basis: str, **params: object) -> None:
        super().__init__(code, policy=policy, legal_basis=legal_basis, **params)
        self.policy = policy
        self.legal_basis = legal_basis


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
    def __init__(self, conflicts: list[Conflict]) -> None:
        kinds = {c.kind for c in conflicts}
        only_person = kinds == {ConflictKind.PERSON_ALREADY_BOOKED}
        super().__init__("PERSON_ALREADY_BOOKED" if only_person else "SPACE_TAKEN")
        self.conflicts = conflicts
