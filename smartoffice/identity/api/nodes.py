"""App tokens by global id for ``node(id:)``: login sessions only (a token may not inspect tokens, as with
``apiTokens``), and only the token's owner or an administrator."""

from collections.abc import Mapping

from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.identity.api.types import ApiToken


async def api_tokens(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    actor, identity = info.context.require_session(), info.context.runtime.identity
    rows = await identity.visible_tokens(actor, ids)
    now = identity.clock()
    return {t.id: ApiToken.from_model(t, now) for t in rows}


RESOLVERS = {"ApiToken": api_tokens}
