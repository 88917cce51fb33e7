"""Identity's transactions: app tokens, login sessions and local accounts, each method one unit of work.

Administration (listing, issuing and revoking tokens, ending someone's sessions) is for administrators: every
such method checks the actor first, in the same transaction, and writes its audit entry in it (``token.issue``,
``token.revoke``, ``session.revoke``; ``via`` says through what, ``api`` unless the caller says otherwise). The
module-level functions of ``tokens``, ``accounts`` and ``demo_accounts`` stay as the steps these methods (and
the CLI) run inside a session.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from redis.exceptions import RedisError

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import MAX_PAGE_SIZE, Database
from smartoffice.identity import accounts, tokens
from smartoffice.identity.demo_accounts import DemoAccount, list_demo_accounts
from smartoffice.identity.models import ApiToken
from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SessionStore
from smartoffice.identity.tokens import IssuedToken
from smartoffice.people import service as people


@dataclass(frozen=True, slots=True)
class TokenPage:
    tokens: Sequence[ApiToken]
    has_next: bool
    as_of: datetime
    """The instant the page was read: which tokens were active is decided as of then."""


class IdentityService:
    def __init__(self, db: Database, sessions: SessionStore, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.sessions = sessions
        """Login sessions in Redis (the pages' sign-in, the HTTP middleware that finds them)."""
        self.clock = clock

    async def token_page(
        self, actor_id: int, *, include_inactive: bool = False, first: int = 50, after_id: int = 0
    ) -> TokenPage:
        """Administrators: tokens in issue order after ``after_id``; active ones only unless asked."""
        first, now = max(1, min(first, MAX_PAGE_SIZE)), self.clock()
        async with self.db.read() as session:
            await tokens.require_admin(session, actor_id)
            rows = await tokens.list_tokens(
                session, now=now, include_inactive=include_inactive, first=first, after_id=after_id
            )
        return TokenPage(rows[:first], has_next=len(rows) > first, as_of=now)

    async def issue_token(
        self,
        actor_id: int,
        *,
        owner_id: int,
        name: str,
        scopes: Sequence[Scope],
        expires_in_days: int | None = 90,
        cost_budget: int | None = None,
        rate_limit: int | None = None,
        via: str = "api",
    ) -> IssuedToken:
        """Administrators: a new token acting as ``owner_id``, with its secret (shown this once, never audited)."""
        now = self.clock()
        async with self.db.write() as session:
            await tokens.require_admin(session, actor_id)
            issued = await tokens.issue_token(
                session,
                owner_id=owner_id,
                name=name,
                scopes=scopes,
                now=now,
                expires_in_days=expires_in_days,
                cost_budget=cost_budget,
                rate_limit=rate_limit,
                created_by_id=actor_id,
            )
            token = issued.token
            after = tokens.token_values(token)
            record_change(
                session,
                Actor(actor_id, via),
                "token.issue",
                at=now,
                entity_kind="ApiToken",
                entity_id=token.id,
                after=after,
            )
            return issued

    async def revoke_token(self, actor_id: int, token_id: int, *, via: str = "api") -> ApiToken:
        """Administrators: revoke at once; revoking again changes nothing (and writes no audit entry)."""
        now = self.clock()
        async with self.db.write() as session:
            await tokens.require_admin(session, actor_id)
            return await tokens.revoke_token(session, token_id, now, Actor(actor_id, via))

    async def visible_tokens(self, actor_id: int, ids: Sequence[int]) -> Sequence[ApiToken]:
        """The tokens among ``ids`` the actor owns, or all of them for an administrator."""
        async with self.db.read() as session:
            return await tokens.visible_tokens(session, actor_id, ids)

    async def authenticate(self, raw: str) -> ApiToken | None:
        """The active token ``raw`` is, or ``None`` (unknown, malformed, expired or revoked alike)."""
        return await tokens.authenticate(self.db, raw, self.clock())

    async def revoke_sessions(self, actor_id: int, employee_id: int, *, via: str = "api") -> int:
        """Administrators: end every login session of the employee; returns how many were live.

        Audited (``session.revoke``, with how many ended) in a transaction that commits only after Redis has
        ended them: when Redis fails, nothing is recorded as done."""
        now = self.clock()
        async with self.db.write() as session:
            await tokens.require_admin(session, actor_id)
            await people.get_employee(session, employee_id)  # NotFound for an unknown employee
            try:
                ended = await self.sessions.revoke_all(employee_id)
            except RedisError as exc:
                raise RuntimeError("login sessions are unavailable (Redis)") from exc
            record_change(
                session,
                Actor(actor_id, via),
                "session.revoke",
                at=now,
                entity_kind="Employee",
                entity_id=employee_id,
                after={"sessions_ended": ended},
            )
            return ended

    async def verify_login(self, email: str, password: str) -> int | None:
        """The employee id whose email and password these are, else ``None``."""
        return await accounts.verify_login(self.db, email, password)

    async def demo_accounts(self) -> list[DemoAccount]:
        """People with a local account and their strongest role, for the demo's sign-in page."""
        async with self.db.read() as session:
            return await list_demo_accounts(session)
