"""Administering app tokens and login sessions over GraphQL: for people (sessions) who are administrators.

App tokens cannot manage tokens (a top-level ``SESSIONS_ONLY`` error): a leaked token must not mint more.
"""

import base64
import binascii

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.pagination import PageInfo
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.identity.api.types import (
    ApiToken,
    ApiTokenConnection,
    ApiTokenEdge,
    ApiTokensResult,
    IssueApiTokenInput,
    IssueApiTokenResult,
    IssueApiTokenSuccess,
    RevokeApiTokenInput,
    RevokeApiTokenResult,
    RevokeApiTokenSuccess,
    RevokeSessionsInput,
    RevokeSessionsResult,
    RevokeSessionsSuccess,
    to_scope,
)
from smartoffice.ids import decode_id, encode_id


def _cursor(token_id: int) -> str:
    return base64.urlsafe_b64encode(f"ApiToken|{token_id}".encode()).decode()


def _after(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, ident = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if kind != "ApiToken":
            raise ValueError(kind)
        return int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR) from exc


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="Administrators: app tokens, in issue order (active ones unless asked).")
    async def api_tokens(
        self, info: Info, first: int = 50, after: str | None = None, include_inactive: bool = False
    ) -> ApiTokensResult:
        actor = info.context.require_session()
        page = await info.context.runtime.identity.token_page(
            actor, include_inactive=include_inactive, first=first, after_id=_after(after)
        )
        edges = [ApiTokenEdge(cursor=_cursor(t.id), node=ApiToken.from_model(t, page.as_of)) for t in page.tokens]
        return ApiTokenConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None),
        )


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description="Administrators: issue an app token. The result carries the secret, shown only this once."
    )
    async def issue_api_token(self, info: Info, input: IssueApiTokenInput) -> IssueApiTokenResult:
        actor, identity = info.context.require_session(), info.context.runtime.identity
        owner = actor if input.owner_id is None else decode_id(input.owner_id, "Employee", "ownerId")
        issued = await identity.issue_token(
            actor,
            owner_id=owner,
            name=input.name,
            scopes=[to_scope(s) for s in input.scopes],
            expires_in_days=input.expires_in_days,
            cost_budget=input.cost_budget,
            rate_limit=input.rate_limit,
        )
        return IssueApiTokenSuccess(token=ApiToken.from_model(issued.token, identity.clock()), secret=issued.secret)

    @strawberry.mutation(description="Administrators: revoke an app token at once.")
    async def revoke_api_token(self, info: Info, input: RevokeApiTokenInput) -> RevokeApiTokenResult:
        actor, identity = info.context.require_session(), info.context.runtime.identity
        token = await identity.revoke_token(actor, decode_id(input.token_id, "ApiToken", "tokenId"))
        return RevokeApiTokenSuccess(token=ApiToken.from_model(token, identity.clock()))

    @strawberry.mutation(description="Administrators: end every login session of an employee.")
    async def revoke_sessions(self, info: Info, input: RevokeSessionsInput) -> RevokeSessionsResult:
        actor = info.context.require_session()
        employee_id = decode_id(input.employee_id, "Employee", "employeeId")
        revoked = await info.context.runtime.identity.revoke_sessions(actor, employee_id)
        return RevokeSessionsSuccess(
            employee_id=strawberry.ID(encode_id("Employee", employee_id)), revoked_count=revoked
        )
