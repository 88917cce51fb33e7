"""Domain errors: what services raise when a request cannot be honoured. Nothing has changed when they do.

::

    DomainError
    ├── NotFound                  the thing named does not exist (or the actor may not know it does)
    ├── InvalidInput              the request is malformed or breaks a rule about its own values
    ├── PermissionDenied          the actor may not do this to that
    ├── BookingConflict           the space, or the person, is already booked for an overlapping time
    └── PolicyRefusal             an office-day policy forbids it (an occupancy cap, a unit's remote-share cap)

Each carries a stable code, a member of an :class:`ErrorCode` enum, and the ``params`` of its message. The
member's name is the code apps switch on; its value is the English message, a gettext msgid with ``%(name)s``
placeholders, so a new error is one line in its domain's ``errors.py`` (plus its Indonesian in the catalogue).
The codes of each kind are enums per domain (``bookings/errors.py``, ``policies/errors.py``, ...), under the
kind's base (:class:`InputCode`, :class:`PermissionCode`, ...); the schema layer (``smartoffice/api/errors.py``)
turns each kind into one GraphQL enum and each error into a member of a mutation's result union.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum

from smartoffice.formats import localised
from smartoffice.i18n import DEFAULT_LANGUAGE, N_, Language, gettext


class ErrorCode(Enum):
    """A stable code (the member's name) and its English message (the member's value, a gettext msgid)."""

    @property
    def code(self) -> str:
        return self.name

    def message_in(self, language: Language, **params: object) -> str:
        return gettext(language, self.value, **params)


class InputCode(ErrorCode):
    """Why an input value is refused: ``ValidationError.code``."""


class PermissionCode(ErrorCode):
    """Why the actor may not do this: ``PermissionDeniedError.code``."""


class RefusalCode(ErrorCode):
    """Which office-day rule refuses: ``PolicyRefusalError.code``."""


class NotFoundCode(ErrorCode):
    NOT_FOUND = N_("%(kind)s %(ident)s does not exist")
    NO_BOOKING_TO_CHECK_IN = N_("You have no booking of this space to check in to now")


class ConflictCode(ErrorCode):
    SPACE_TAKEN = N_("This space is already booked for an overlapping time")
    PERSON_ALREADY_BOOKED = N_("You already have a desk booked for an overlapping time")


class CommonInputCode(InputCode):
    """Input codes every domain uses."""

    INVALID_ID = N_("%(field)s is not a valid %(type_name)s id")
    INVALID_CURSOR = N_("The cursor is not one this API returned")
    REQUIRED = N_("%(field)s is required")
    OUT_OF_RANGE = N_("%(field)s must be between %(low)s and %(high)s")
    TEXT_TOO_LONG = N_("%(field)s may be at most %(max)s characters long")
    NAME_TOO_LONG = N_("The name is at most %(max_length)s characters")
    END_BEFORE_START = N_("The end time must be after the start time")
    RANGE_REVERSED = N_("The end date must not be before the start date")
    RANGE_TOO_LONG = N_("A date range spans at most %(max_days)s days")
    IN_PAST = N_("That time is already in the past")
    PAST_DAY = N_("That day is already in the past")


class CommonPermissionCode(PermissionCode):
    PERMISSION_DENIED = N_("You are not allowed to do this")
    ADMINS_ONLY = N_("Only administrators may do this")
    NOT_A_FACILITIES_MANAGER = N_("Only the site's facilities managers and administrators may see this")
    STAFF_ONLY = N_("Only administrators and managers may open the administration pages")


THINGS: Mapping[str, str] = {
    "ApiToken": N_("App token"),
    "Booking": N_("Booking"),
    "Building": N_("Building"),
    "CalendarFeed": N_("Calendar feed"),
    "Desk": N_("Desk"),
    "Employee": N_("Employee"),
    "Exemption": N_("Exemption"),
    "Floor": N_("Floor"),
    "MeetingRoom": N_("Meeting room"),
    "Notification": N_("Notification"),
    "OrgUnit": N_("Unit"),
    "Organisation": N_("Organisation"),
    "Policy": N_("Policy"),
    "Site": N_("Site"),
    "Space": N_("Space"),
    "WaitlistEntry": N_("Place in line"),
    "WebhookSubscription": N_("Webhook subscription"),
    "Zone": N_("Zone"),
}
"""What a :class:`NotFound` names (``kind``, a type's name), as people call it."""


def thing_label(language: Language, kind: str) -> str:
    """``Floor`` → ``Lantai``; a kind without a label stays as it is."""
    return gettext(language, THINGS[kind]) if kind in THINGS else kind


class DomainError(Exception):
    def __init__(self, code: ErrorCode, **params: object) -> None:
        self.error_code = code
        self.params = params
        super().__init__(self.message)

    @property
    def code(self) -> str:
        """The stable code, e.g. ``IN_PAST``."""
        return self.error_code.name

    @property
    def message(self) -> str:
        return self.message_in(DEFAULT_LANGUAGE)

    def message_in(self, language: Language) -> str:
        """The message in ``language``, its days and times written as the language writes them."""
        return self.error_code.message_in(language, **localised(language, self.params))


class NotFound(DomainError):
    def __init__(self, kind: str, ident: object, code: NotFoundCode = NotFoundCode.NOT_FOUND) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(code, kind=kind, ident=ident)

    def message_in(self, language: Language) -> str:
        params = {**localised(language, self.params), "kind": thing_label(language, self.kind)}
        return self.error_code.message_in(language, **params)


class InvalidInput(DomainError):
    def __init__(self, field: str, code: InputCode, **params: object) -> None:
        super().__init__(code, field=field, **params)
        self.field = field


class PermissionDenied(DomainError):
    def __init__(self, code: PermissionCode = CommonPermissionCode.PERMISSION_DENIED, **params: object) -> None:
        super().__init__(code, **params)


class PolicyRefusal(DomainError):
    """A policy forbids the request; the message names the policy and its legal basis."""

    def __init__(self, code: RefusalCode, *, policy: str, legal_basis: str, **params: object) -> None:
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
        super().__init__(ConflictCode.PERSON_ALREADY_BOOKED if only_person else ConflictCode.SPACE_TAKEN)
        self.conflicts = conflicts


def code_named(base: type[ErrorCode], name: str) -> ErrorCode:
    """The member called ``name`` among ``base``'s enums (a code read back from a stored record)."""
    for enum in _enums_under(base):
        if name in enum.__members__:
            return enum[name]
    raise LookupError(f"no {base.__name__} is called {name}")


def _enums_under(base: type[ErrorCode]) -> list[type[ErrorCode]]:
    found = [base]
    for sub in base.__subclasses__():
        found.extend(_enums_under(sub))
    return found
