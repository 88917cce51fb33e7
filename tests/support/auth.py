"""Credentials for tests: app tokens issued through the service, login sessions created in Redis."""

from smartoffice.db import Database, utcnow
from smartoffice.identity import tokens
from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SessionStore
from smartoffice.runtime import Runtime


async def issue_token(db: Database, owner_id: int, *scopes: Scope, **options: int | None) -> str:
    """A new token's secret (``so_...``) for ``owner_id`` with ``scopes``."""
    async with db.write() as session:
        issued = await tokens.issue_token(
            session, owner_id=owner_id, name="test app", scopes=list(scopes), now=utcnow(), **options
        )
    return issued.secret


async def login_session(runtime: Runtime, employee_id: int) -> str:
    """A login session's id, as the ``so_session`` cookie carries it."""
    return await SessionStore(runtime.redis, runtime.settings.session_ttl_seconds).create(employee_id)


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}
