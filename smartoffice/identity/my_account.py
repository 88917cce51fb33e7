"""A person's own credentials, as their account page shows them: their login sessions and their app tokens, each
ended by the person themself. Ending is audited as an administrator's is (``session.revoke``, ``token.revoke``),
with the person as the actor; a session's entry is written only once Redis has ended it."""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from redis.exceptions import RedisError
from sqlalchemy import select

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.identity import tokens
from smartoffice.identity.models import ApiToken
from smartoffice.identity.sessions import SessionInfo, SessionStore


class SessionsUnavailable(RuntimeError):
    """Redis cannot be reached: no session can be listed or ended now."""


class MyAccountService:
    def __init__(self, db: Database, sessions: SessionStore, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.sessions = sessions
        self.clock = clock

    async def my_sessions(self, employee_id: int) -> list[SessionInfo]:
        try:
            return await self.sessions.sessions_of(employee_id)
        except RedisError as exc:
            raise SessionsUnavailable() from exc

    async def my_tokens(self, employee_id: int) -> Sequence[ApiToken]:
        """The tokens acting as the person that are not revoked (expired ones too, marked by the page), newest first."""
        async with self.db.read() as session:
            query = select(ApiToken).where(ApiToken.owner_id == employee_id, ApiToken.revoked_at.is_(None))
            return (await session.scalars(query.order_by(ApiToken.id.desc()).limit(200))).all()

    async def my_token(self, employee_id: int, token_id: int) -> ApiToken:
        """One of the person's unrevoked tokens; ``NotFound`` for anyone else's (their existence is not told)."""
        async with self.db.read() as session:
            token = await session.get(ApiToken, token_id)
        if token is None or token.owner_id != employee_id or token.revoked_at is not None:
            raise NotFound("ApiToken", token_id)
        return token

    async def revoke_my_token(self, employee_id: int, token_id: int, *, via: str = "page") -> ApiToken:
        now = self.clock()
        async with self.db.write() as session:
            token = await session.get(ApiToken, token_id)
            if token is None or token.owner_id != employee_id or token.revoked_at is not None:
                raise NotFound("ApiToken", token_id)
            return await tokens.revoke_token(session, token_id, now, Actor(employee_id, via))

    async def end_session(self, employee_id: int, handle: str, *, via: str = "page") -> bool:
        """End one of the person's sessions; ``False`` when ``handle`` names none of theirs."""
        return await self._end(employee_id, via, lambda: self.sessions.end(employee_id, handle)) > 0

    async def end_other_sessions(self, employee_id: int, keep_session_id: str | None, *, via: str = "page") -> int:
        """End every session of the person but the current one; how many ended."""
        return await self._end(employee_id, via, lambda: self.sessions.end_others(employee_id, keep_session_id))

    async def _end(self, employee_id: int, via: str, ending: Callable[[], Awaitable[int | bool]]) -> int:
        now = self.clock()
        async with self.db.write() as session:
            try:
                ended = int(await ending())
            except RedisError as exc:
                raise SessionsUnavailable() from exc
            if ended:
                record_change(
                    session,
                    Actor(employee_id, via),
                    "session.revoke",
                    at=now,
                    entity_kind="Employee",
                    entity_id=employee_id,
                    after={"sessions_ended": ended},
                )
            return ended
