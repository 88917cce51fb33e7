"""App tokens by global id for ``node(id:)``: login sessions only (a token may not inspect tokens, as with
``apiTokens``), and only the token's owner or an administrator."""

from collections.abc import Mapping

from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.db import utcnow
from smartoffice.identity import tokens
from smartoffice.identity.api.types import ApiToken


async def api_tokens(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    actor = info.context.require_session()
    now = utcnow()
    async with info.context.runtime.db.read() as session:
        rows = await tokens.visible_tokens(session, actor, ids)
    return {t.id: ApiToken.from_model(t, now) for t in rows}


RESOLVERS = {"ApiToken": api_tokens}
