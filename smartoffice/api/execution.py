"""graphql-core's executor, with two fast paths for the commonest answers: a scalar field with no resolver (a day's
``booked``, a desk's ``code``) and a list of plain scalars (a floor's ``deskIds``), each completed in one step.

graphql-core completes every field and every list item through its general machinery. For a field: a resolve
info object, strawberry's resolver wrapper, an awaitable check, the type dispatch of ``complete_value`` and the
leaf's coercion; for a list item: a path entry, the awaitable check, the dispatch and the coercion, ~2.4 µs an
item. A building's month of occupancy is ~400 such fields, a floor's ``deskIds`` 147 items (0.35 ms of the 1.9 ms
its availability cost). What decides anything in those steps is the value the attribute holds and the scalar's
coercion of it; the fast paths do just that, in the same order:

* **a field**: strawberry's default resolver (a plain attribute or property: no resolver, no field extension,
  no arguments), a scalar or enum type, no schema extension resolving fields;
* **a list**: a list or tuple of ``str``/``int``/``float``/``bool`` values (or ``None`` where the type allows it)
  for a list of scalars.

Anything else takes the general path, from the start: an object, an awaitable, an exception, a ``None`` where the
type forbids it, a value the scalar refuses, ``@stream``. So every error is still raised, located and reported by
graphql-core itself, exactly as before. (A field that falls back reads its attribute twice; attributes are plain
values and properties without side effects.)
"""

from collections.abc import AsyncIterable, Iterable
from typing import Any

from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    Undefined,
)

_PLAIN = frozenset({str, int, float, bool})


def completed_scalars(item_type: GraphQLOutputType, items: object) -> list[Any] | None:
    """The list as graphql-core would complete it, or ``None`` when only the general path may say (see the module
    docstring)."""
    nullable = not isinstance(item_type, GraphQLNonNull)
    scalar = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
    if not isinstance(scalar, GraphQLScalarType) or type(items) not in (list, tuple):
        return None
    coerce = scalar.coerce_output_value
    completed: list[Any] = []
    append = completed.append
    for item in items:  # type: ignore[attr-defined]
        if item is None:
            if not nullable:
                return None
            append(None)
            continue
        if type(item) not in _PLAIN:
            return None
        try:
            value = coerce(item)
        except Exception:  # the general path raises it again, located on the item
            return None
        if value is None or value is Undefined:
            return None
        append(value)
    return completed


_FALL_BACK = object()


class PlainValuesFirst(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor with the two fast paths of the module docstring in front of graphql-core's own."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        completed = self._plain_field(parent_type, source, field_details_list)
        if completed is not _FALL_BACK:
            return completed
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _plain_field(self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any) -> Any:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        if field_def is None or node.arguments or field_def.args:
            return _FALL_BACK
        resolve = field_def.resolve
        if resolve is None or not getattr(resolve, "_is_default", False) or not _no_middleware(self):
            return _FALL_BACK
        return_type = field_def.type
        nullable = not isinstance(return_type, GraphQLNonNull)
        leaf = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
            return _FALL_BACK
        try:
            value = resolve(source, None)
            if value is None:
                return None if nullable else _FALL_BACK
            if isinstance(value, Exception) or self.is_awaitable(value):
                return _FALL_BACK
            coerced = leaf.coerce_output_value(value)
        except Exception:  # the general path raises it again, located on the field
            return _FALL_BACK
        return _FALL_BACK if coerced is None or coerced is Undefined else coerced

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: AsyncIterable[Any] | Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        completed = completed_scalars(return_type.of_type, result)
        if completed is not None and self.get_stream_usage(field_details_list, path) is None:
            return completed
        return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)


def _no_middleware(executor: StrawberryGraphQLCoreExecutionContext) -> bool:
    """No schema extension resolves fields (strawberry runs those as graphql-core middleware, around every field)."""
    manager = executor.middleware_manager
    return manager is None or not manager.middlewares
