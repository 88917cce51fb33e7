"""The one error shape of the API, and the one place domain errors become it.

Expected failures are members of a field's result union; each implements ``Error { message }`` and carries the
data a client needs to react, including a ``code`` from one GraphQL enum, ``ErrorCode``, built from the domains'
code enums (``smartoffice/errors.py`` and each domain's ``errors.py``).

Resolvers return their success type and let :mod:`smartoffice.errors` rise. :func:`map_domain_errors`, run once
when the schema is built, gives every field whose type is a union with :class:`Error` members a
:class:`DomainErrorsAsResults` extension: it turns the error into the matching member, its message in the
caller's language. A field whose union lacks that member lets the error rise to the top-level ``errors``.
"""

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from enum import Enum
from inspect import isawaitable
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryList, StrawberryOptional, has_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType
from strawberry.types.union import StrawberryUnion

from smartoffice import errors as domain
from smartoffice.attendance.errors import AttendanceCode, AttendancePermissionCode
from smartoffice.bookings.errors import BookingInputCode, BookingPermissionCode
from smartoffice.bookings.rule_errors import RuleInputCode
from smartoffice.hr.errors import HrRecordCode
from smartoffice.i18n import Language
from smartoffice.identity.account_errors import AccountInputCode
from smartoffice.ids import encode_id
from smartoffice.integrations.errors import WebhookInputCode, WebhookPermissionCode
from smartoffice.notifications.admin import NotificationAdminCode
from smartoffice.notifications.errors import NotificationInputCode
from smartoffice.people.errors import RoleInputCode, RolePermissionCode
from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.places.closure_errors import ClosureInputCode
from smartoffice.places.errors import PlaceInputCode
from smartoffice.places.imports.errors import PlacesFileCode
from smartoffice.places.plan_errors import FloorPlanCode
from smartoffice.planning.errors import PlanningInputCode, PlanningPermissionCode
from smartoffice.planning.forecast_errors import ForecastInputCode
from smartoffice.policies.errors import PolicyInputCode, PolicyPermissionCode, PolicyRefusalCode
from smartoffice.quotas.errors import QuotaInputCode, QuotaRefusalCode
from smartoffice.waitlist.errors import WaitlistInputCode

DOMAIN_CODES: tuple[type[domain.ErrorCode], ...] = (
    domain.NotFoundCode,
    domain.ConflictCode,
    domain.CommonInputCode,
    domain.CommonPermissionCode,
    BookingInputCode,
    BookingPermissionCode,
    PolicyInputCode,
    PolicyPermissionCode,
    PolicyRefusalCode,
    QuotaRefusalCode,
    QuotaInputCode,
    WebhookInputCode,
    WebhookPermissionCode,
    PeopleFileCode,
    PlacesFileCode,
    PlaceInputCode,
    FloorPlanCode,
    HrRecordCode,
    AccountInputCode,
    RoleInputCode,
    RolePermissionCode,
    ClosureInputCode,
    RuleInputCode,
    WaitlistInputCode,
    PlanningInputCode,
    PlanningPermissionCode,
    ForecastInputCode,
    AttendanceCode,
    AttendancePermissionCode,
    NotificationInputCode,
    NotificationAdminCode,
)
"""Every domain's codes. A new enum of codes is added here; a new code in an existing enum needs nothing here."""


def _graphql_enum(enums: Iterable[type[domain.ErrorCode]]) -> type[Enum]:
    """``ErrorCode``: every domain's codes in one GraphQL enum, each documented with its English message.

    One enum, not one per domain or per kind: an app selects ``code`` on several members of a result union in
    one selection set, and GraphQL lets same-named fields there merge only when they have the same type."""
    members: dict[str, Any] = {}
    for enum in enums:
        for member in enum:
            if member.name in members:
                raise ValueError(f"two domains define the error code {member.name}")
            members[member.name] = strawberry.enum_value(member.name, description=f"{_kind(enum)}: “{member.value}”")
    enum_type: type[Enum] = Enum("ErrorCode", members)  # type: ignore[misc]  # members known at run time
    return strawberry.enum(
        enum_type,
        description="Why a request was not carried out: a stable code for apps to switch on. Each value's "
        "description names the error type that carries it and its message in English (placeholders as "
        "%(name)s); `message` carries it filled in, in the language you asked for.",
    )


def _kind(enum: type[domain.ErrorCode]) -> str:
    for base, member in _MEMBER_TYPES.items():
        if issubclass(enum, base):
            return member
    return "Error"


_MEMBER_TYPES: dict[type[domain.ErrorCode], str] = {
    domain.InputCode: "ValidationError",
    domain.PermissionCode: "PermissionDeniedError",
    domain.RefusalCode: "PolicyRefusalError",
    domain.NotFoundCode: "NotFoundError",
    domain.ConflictCode: "BookingConflictError",
}
ErrorCode = _graphql_enum(DOMAIN_CODES)


@strawberry.interface(description="An expected failure: the request was understood but not carried out.")
class Error:
    message: str = strawberry.field(description="What went wrong, for people, in the language you asked for.")
    code: Enum = strawberry.field(graphql_type=ErrorCode, description="Stable machine-readable reason.")


@strawberry.type(description="An input value is malformed or breaks a rule about its own values.")
class ValidationError(Error):
    field: str = strawberry.field(description="The input field at fault, as named in the input type.")


@strawberry.type(description="The thing named by an id does not exist, or is not visible to you.")
class NotFoundError(Error):
    id: strawberry.ID = strawberry.field(description="The id that was not found.")


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
    policy: str = strawberry.field(description="The name of the policy that refuses, or - when no policy states it.")
    legal_basis: str = strawberry.field(
        description="The regulation or decree the policy rests on, e.g. PermenPANRB 4/2025 Pasal 13(1)."
    )


ErrorMember = ValidationError | NotFoundError | PermissionDeniedError | BookingConflictError | PolicyRefusalError


def to_graphql_error(error: domain.DomainError, language: Language) -> ErrorMember:
    """The result-union member for a domain error, its message in the caller's language."""
    message, code = error.message_in(language), ErrorCode[error.code]
    match error:
        case domain.InvalidInput():
            return ValidationError(message=message, code=code, field=error.field)
        case domain.NotFound():
            ident = encode_id(error.kind, error.ident) if isinstance(error.ident, int) else str(error.ident)
            return NotFoundError(message=message, code=code, id=strawberry.ID(ident))
        case domain.PermissionDenied():
            return PermissionDeniedError(message=message, code=code)
        case domain.PolicyRefusal():
            return PolicyRefusalError(
                message=message,
                code=code,
                policy=error.policy,
                legal_basis=error.legal_basis,
            )
        case domain.BookingConflict():
            return BookingConflictError(
                message=message,
                code=code,
                conflicts=[
                    BookingConflict(kind=ConflictKind(c.kind.value), start_at=c.start_at, end_at=c.end_at)
                    for c in error.conflicts
                ],
            )
    raise TypeError(f"unmapped domain error {type(error).__name__}") from error


class DomainErrorsAsResults(FieldExtension):
    """A domain error raised by the field's resolver becomes a member of the field's result union."""

    def __init__(self, members: frozenset[type]) -> None:
        self.members = members

    def _as_result(self, error: domain.DomainError, info: Any) -> ErrorMember:
        member = to_graphql_error(error, info.context.language)
        if type(member) not in self.members:
            raise error
        return member

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except domain.DomainError as error:
            return self._as_result(error, info)

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            result = next_(source, info, **kwargs)
            return await result if isawaitable(result) else result
        except domain.DomainError as error:
            return self._as_result(error, info)


def map_domain_errors(*roots: type) -> None:
    """Give every field reachable from ``roots`` whose type is a union with :class:`Error` members the
    :class:`DomainErrorsAsResults` extension. Called once, before the schema is built."""
    seen: set[type] = set()
    pending = list(roots)
    while pending:
        cls = pending.pop()
        if cls in seen or not has_object_definition(cls):
            continue
        seen.add(cls)
        for field in cls.__strawberry_definition__.fields:
            target = _named_type(field.type)
            if isinstance(target, StrawberryUnion):
                members = frozenset(_named_type(t) for t in target.types)
                if field.base_resolver is not None and any(
                    isinstance(m, type) and issubclass(m, Error) for m in members
                ):
                    _attach(field, members)
                pending.extend(m for m in members if isinstance(m, type))
            elif isinstance(target, type):
                pending.append(target)


def _attach(field: StrawberryField, members: frozenset[Any]) -> None:
    if not any(isinstance(e, DomainErrorsAsResults) for e in field.extensions):
        field.extensions.append(DomainErrorsAsResults(frozenset(m for m in members if isinstance(m, type))))


def _named_type(annotation: Any) -> Any:
    """The named type under lists, optionals and lazy references."""
    while True:
        if isinstance(annotation, StrawberryOptional | StrawberryList):
            annotation = annotation.of_type
        elif isinstance(annotation, LazyType):
            annotation = annotation.resolve_type()
        else:
            return annotation
