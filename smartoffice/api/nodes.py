"""``node(id:)`` and ``nodes(ids:)``: any Relay object by its global id, as far as the caller may see it.

Each type's resolver (``<domain>/nodes.py``, collected in :data:`RESOLVERS`) applies the same scope and
object-level checks as the type's own root fields, in SQL. An id the caller may not see answers null exactly like
an id that does not exist, and so does a malformed id or one of a type that has no resolver: there is no oracle
for existence. Scopes and authentication are about the credential, not the object, so a missing one is the usual
top-level error, decided by the id's *type* before anything is looked up.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping

import strawberry
from strawberry import relay
from strawberry.relay import GlobalID

from graphql import GraphQLError
from smartoffice.api.context import Info
from smartoffice.bookings.api.nodes import RESOLVERS as BOOKINGS
from smartoffice.db import is_storable_id
from smartoffice.identity.api.nodes import RESOLVERS as IDENTITY
from smartoffice.integrations.api.nodes import RESOLVERS as INTEGRATIONS
from smartoffice.people.api.nodes import RESOLVERS as PEOPLE
from smartoffice.places.api.nodes import RESOLVERS as PLACES
from smartoffice.quotas.api.nodes import RESOLVERS as QUOTAS

NodeResolver = Callable[[Info, list[int]], Awaitable[Mapping[int, relay.Node]]]
"""Given ids of one type, the objects among them the caller may see, by id (the others are simply absent)."""

RESOLVERS: dict[str, NodeResolver] = {**PLACES, **PEOPLE, **BOOKINGS, **IDENTITY, **INTEGRATIONS, **QUOTAS}

MAX_NODES = 100


def _parse(value: str) -> tuple[str, int] | None:
    """``(type name, id)`` of a well-formed global id of a type we resolve, else None."""
    try:
        global_id = GlobalID.from_id(value)
        ident = int(global_id.node_id)
    except (ValueError, TypeError):
        return None
    if global_id.type_name not in RESOLVERS or not is_storable_id(ident):
        return None
    return global_id.type_name, ident


async def resolve_nodes(info: Info, ids: Iterable[str]) -> list[relay.Node | None]:
    """One resolver call per type however many ids of it are asked for; answers in the order asked."""
    parsed = [_parse(i) for i in ids]
    wanted: dict[str, list[int]] = defaultdict(list)
    for item in parsed:
        if item is not None and item[1] not in wanted[item[0]]:
            wanted[item[0]].append(item[1])
    found = {type_name: await RESOLVERS[type_name](info, idents) for type_name, idents in wanted.items()}
    return [None if item is None else found[item[0]].get(item[1]) for item in parsed]


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id: null if there is none, if you may not see it, or if the id is "
        "malformed. Tokens need the scope the object's own fields need (e.g. bookings:read, places:read)."
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        [found] = await resolve_nodes(info, [id])
        return found

    @strawberry.field(
        description=f"Objects by their global ids, in the order asked (at most {MAX_NODES}); an entry is null "
        "where `node(id:)` would answer null."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise GraphQLError(
                f"At most {MAX_NODES} ids per request, got {len(ids)}",
                extensions={"code": "TOO_MANY_IDS", "limit": MAX_NODES, "value": len(ids)},
            )
        return await resolve_nodes(info, ids)
