"""Administering app tokens and login sessions over GraphQL: for people (sessions) who are administrators.

App tokens cannot manage tokens (a top-level ``SESSIONS_ONLY`` error): a leaked token must not mint more.
"""

import base64
import binascii

import strawberry
from redis.exceptions import RedisError

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError, to_graphql_error
from smartoffice.api.pagination import PageInfo
from smartoffice.db import MAX_PAGE_SIZE, utcnow
from smartoffice.errors import DomainError, InvalidInput
from smartoffice.identity import tokens
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
from smartoffice.identity.sessions import SessionStore
from smartoffice.ids import decode_id, encode_id
from smartoffice.people import service as people

ErrorMember = ValidationError | NotFoundError | PermissionDeniedError


def _member(info: Info, error: DomainError, sent_id: str | None = None) -> ErrorMember:
    result = to_graphql_error(error, info.context.language, sent_id=sent_id)
    if isinstance(result, ValidationError | NotFoundError | PermissionDeniedError):
        return result
    raise error


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
        raise InvalidInput("after", "INVALID_CURSOR") from exc


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="Administrators: app tokens, in issue order (active ones unless asked).")
    async def api_tokens(
        self, info: Info, first: int = 50, after: str | None = None, include_inactive: bool = False
    ) -> ApiTokensResult:
        actor = info.context.require_session()
        now = utcnow()
        first = max(1, min(first, MAX_PAGE_SIZE))
        try:
            async with info.context.runtime.db.read() as session:
                await tokens.require_admin(session, actor)
                rows = await tokens.list_tokens(
                    session, now=now, include_inactive=include_inactive, first=first, after_id=_after(after)
                )
        except DomainError as error:
            member = _member(info, error)
            if isinstance(member, PermissionDeniedError):
                return member
            raise
        edges = [ApiTokenEdge(cursor=_cursor(t.id), node=ApiToken.from_model(t, now)) for t in rows[:first]]
        return ApiTokenConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None),
        )


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description="Administrators: issue an app token. The result carries the secret, shown only this once."
    )
    async def issue_api_token(self, info: Info, input: IssueApiTokenInput) -> IssueApiTokenResult:
        actor = info.context.require_session()
        now = utcnow()
        try:
            owner = actor if input.owner_id is None else decode_id(input.owner_id, "Employee", "ownerId")
            async with info.context.runtime.db.write() as session:
                await tokens.require_admin(session, actor)
                issued = await tokens.issue_token(
                    session,
                    owner_id=owner,
                    name=input.name,
                    scopes=[to_scope(s) for s in input.scopes],
                    now=now,
                    expires_in_days=input.expires_in_days,
                    cost_budget=input.cost_budget,
                    rate_limit=input.rate_limit,
                    created_by_id=actor,
                )
        except DomainError as error:
            return _member(info, error, sent_id=input.owner_id)
        return IssueApiTokenSuccess(token=ApiToken.from_model(issued.token, now), secret=issued.secret)

    @strawberry.mutation(description="Administrators: revoke an app token at once.")
    async def revoke_api_token(self, info: Info, input: RevokeApiTokenInput) -> RevokeApiTokenResult:
        actor = info.context.require_session()
        now = utcnow()
        try:
            token_id = decode_id(input.token_id, "ApiToken", "tokenId")
            async with info.context.runtime.db.write() as session:
                await tokens.require_admin(session, actor)
                token = await tokens.revoke_token(session, token_id, now)
        except DomainError as error:
            return _member(info, error, sent_id=input.token_id)
        return RevokeApiTokenSuccess(token=ApiToken.from_model(token, now))

    @strawberry.mutation(description="Administrators: end every login session of an employee.")
    async def revoke_sessions(self, info: Info, input: RevokeSessionsInput) -> RevokeSessionsResult:
        actor = info.context.require_session()
        runtime = info.context.runtime
        try:
            employee_id = decode_id(input.employee_id, "Employee", "employeeId")
            async with runtime.db.read() as session:
                await tokens.require_admin(session, actor)
                await people.get_employee(session, employee_id)
        except DomainError as error:
            return _member(info, error, sent_id=input.employee_id)
        try:
            revoked = await SessionStore(runtime.redis, runtime.settings.session_ttl_seconds).revoke_all(employee_id)
        except RedisError as exc:
            raise RuntimeError("login sessions are unavailable (Redis)") from exc
        return RevokeSessionsSuccess(
            employee_id=strawberry.ID(encode_id("Employee", employee_id)), revoked_count=revoked
        )
