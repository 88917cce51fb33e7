"""GraphQL types, inputs and results for app tokens and login sessions (administrators only)."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay

from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.identity import models
from smartoffice.identity.scopes import SCOPE_HELP, Scope
from smartoffice.identity.tokens import TOKEN_PREFIX
from smartoffice.ids import encode_id


@strawberry.enum(description="What an app token may do; the CLI takes the string form, e.g. bookings:read.")
class ApiScope(Enum):
    BOOKINGS_READ = strawberry.enum_value(Scope.BOOKINGS_READ.value, description=SCOPE_HELP[Scope.BOOKINGS_READ])
    BOOKINGS_WRITE_SELF = strawberry.enum_value(
        Scope.BOOKINGS_WRITE_SELF.value, description=SCOPE_HELP[Scope.BOOKINGS_WRITE_SELF]
    )
    BOOKINGS_WRITE_ANY = strawberry.enum_value(
        Scope.BOOKINGS_WRITE_ANY.value, description=SCOPE_HELP[Scope.BOOKINGS_WRITE_ANY]
    )
    OCCUPANCY_READ_AGGREGATE = strawberry.enum_value(
        Scope.OCCUPANCY_READ_AGGREGATE.value, description=SCOPE_HELP[Scope.OCCUPANCY_READ_AGGREGATE]
    )
    PEOPLE_READ_NAMES = strawberry.enum_value(
        Scope.PEOPLE_READ_NAMES.value, description=SCOPE_HELP[Scope.PEOPLE_READ_NAMES]
    )
    PLACES_READ = strawberry.enum_value(Scope.PLACES_READ.value, description=SCOPE_HELP[Scope.PLACES_READ])
    PLACES_WRITE = strawberry.enum_value(Scope.PLACES_WRITE.value, description=SCOPE_HELP[Scope.PLACES_WRITE])
    CALENDAR_READ = strawberry.enum_value(Scope.CALENDAR_READ.value, description=SCOPE_HELP[Scope.CALENDAR_READ])
    CALENDAR_WRITE = strawberry.enum_value(Scope.CALENDAR_WRITE.value, description=SCOPE_HELP[Scope.CALENDAR_WRITE])
    POLICIES_READ = strawberry.enum_value(Scope.POLICIES_READ.value, description=SCOPE_HELP[Scope.POLICIES_READ])
    POLICIES_WRITE = strawberry.enum_value(Scope.POLICIES_WRITE.value, description=SCOPE_HELP[Scope.POLICIES_WRITE])
    ADMIN_INTROSPECTION = strawberry.enum_value(
        Scope.ADMIN_INTROSPECTION.value, description=SCOPE_HELP[Scope.ADMIN_INTROSPECTION]
    )
    AUDIT_READ = strawberry.enum_value(Scope.AUDIT_READ.value, description=SCOPE_HELP[Scope.AUDIT_READ])
    SCIM = strawberry.enum_value(Scope.SCIM.value, description=SCOPE_HELP[Scope.SCIM])
    HR_WRITE = strawberry.enum_value(Scope.HR_WRITE.value, description=SCOPE_HELP[Scope.HR_WRITE])
    ATTENDANCE_WRITE = strawberry.enum_value(
        Scope.ATTENDANCE_WRITE.value, description=SCOPE_HELP[Scope.ATTENDANCE_WRITE]
    )


def to_scope(value: ApiScope) -> Scope:
    return Scope[value.name]


@strawberry.type(description="An app's bearer token for /api/graphql. Its secret is shown only once, when issued.")
class ApiToken(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What the token is for, e.g. the app's name.")
    prefix: str = strawberry.field(description="How the token starts (so_<key id>), to recognise it in a vault.")
    owner_id: strawberry.ID = strawberry.field(description="The Employee the app acts as.")
    scopes: list[ApiScope]
    cost_budget: int | None = strawberry.field(description="Its own GraphQL cost budget; null: the default.")
    rate_limit: int | None = strawberry.field(description="Its own requests per rate window; null: the default.")
    created_at: dt.datetime
    expires_at: dt.datetime | None = strawberry.field(description="Null: never expires.")
    last_used_at: dt.datetime | None = strawberry.field(description="Accurate to a minute.")
    revoked_at: dt.datetime | None
    is_active: bool = strawberry.field(description="Neither revoked nor expired.")

    @classmethod
    def from_model(cls, t: models.ApiToken, now: dt.datetime) -> Self:
        return cls(
            id=t.id,
            name=t.name,
            prefix=f"{TOKEN_PREFIX}{t.key_id}",
            owner_id=strawberry.ID(encode_id("Employee", t.owner_id)),
            scopes=[ApiScope[Scope(s).name] for s in t.scopes],
            cost_budget=t.cost_budget,
            rate_limit=t.rate_limit,
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            revoked_at=t.revoked_at,
            is_active=t.is_active(now),
        )


@strawberry.type
class ApiTokenEdge:
    cursor: str
    node: ApiToken


@strawberry.type(description="A page of app tokens, in issue order.")
class ApiTokenConnection:
    edges: list[ApiTokenEdge]
    page_info: PageInfo


ApiTokensResult = Annotated[ApiTokenConnection | PermissionDeniedError, strawberry.union("ApiTokensResult")]


@strawberry.input(description="Issue a token for an app acting as an employee, within scopes.")
class IssueApiTokenInput:
    name: str = strawberry.field(description="What the token is for (at most 100 characters).")
    scopes: list[ApiScope]
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Employee the app acts as; default: yourself."
    )
    expires_in_days: int | None = strawberry.field(
        default=90, description="1 to 3650 days; null: never expires (not recommended)."
    )
    cost_budget: int | None = strawberry.field(default=None, description="Own GraphQL cost budget per document.")
    rate_limit: int | None = strawberry.field(default=None, description="Own requests per rate window.")


@strawberry.type(description="The token is issued. Store the secret now: it is never shown again.")
class IssueApiTokenSuccess:
    token: ApiToken
    secret: str = strawberry.field(description="The bearer token: send it as `Authorization: Bearer <secret>`.")


IssueApiTokenResult = Annotated[
    IssueApiTokenSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("IssueApiTokenResult"),
]


@strawberry.input(description="Revoke a token: the next request with it is refused.")
class RevokeApiTokenInput:
    token_id: strawberry.ID


@strawberry.type(description="The token is revoked (revoking again changes nothing).")
class RevokeApiTokenSuccess:
    token: ApiToken


RevokeApiTokenResult = Annotated[
    RevokeApiTokenSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("RevokeApiTokenResult"),
]


@strawberry.input(description="End every login session of an employee (e.g. a lost laptop).")
class RevokeSessionsInput:
    employee_id: strawberry.ID


@strawberry.type(description="The employee's sessions are ended; their next page view asks them to sign in.")
class RevokeSessionsSuccess:
    employee_id: strawberry.ID
    revoked_count: int = strawberry.field(description="How many live sessions were ended.")


RevokeSessionsResult = Annotated[
    RevokeSessionsSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("RevokeSessionsResult"),
]
