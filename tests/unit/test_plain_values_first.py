"""The executor's fast paths for plain fields and lists of scalars (smartoffice.api.execution) answer exactly what
graphql-core's own completion answers: the same data, and the same errors at the same paths, for every kind of
field and list."""

import asyncio
import enum
from collections.abc import Awaitable
from datetime import date
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from smartoffice.api.execution import PlainValuesFirst, completed_scalars
from smartoffice.api.schema import build_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


async def _later(value: int) -> int:
    return value


@strawberry.type
class Thing:
    """Plain attributes and properties, as the API's types hold them."""

    code: str = "A-01"
    count: int = 3
    share: float = 0.5
    flag: bool = True
    maybe: int | None = None
    missing: int = None  # type: ignore[assignment]  # a None where the type forbids it: an error
    huge: int = 2**40  # Int is 32-bit: an error
    day: date = date(2026, 12, 5)
    colour: Colour = Colour.RED
    wrong_colour: Colour = "green"  # type: ignore[assignment]
    ident: strawberry.ID = strawberry.ID("RGVzazox")
    number_as_id: strawberry.ID = 7  # type: ignore[assignment]
    failure: int = ValueError("a resolver's returned exception")  # type: ignore[assignment]

    @strawberry.field
    def later(self) -> int:  # a resolver: always the general path
        return 1

    @property
    def raising(self) -> int:
        raise RuntimeError("a property that fails")

    @property
    def computed(self) -> float:
        return self.count * self.share


@strawberry.type
class PropertyThing:
    raising: int = strawberry.field(default=0)
    computed: float = 0.0


@strawberry.type
class Query:
    @strawberry.field
    def thing(self) -> Thing:
        return Thing()

    @strawberry.field
    def things(self) -> list[Thing]:
        return [Thing(), Thing(code="B-02", maybe=4)]

    @strawberry.field
    def properties(self) -> PropertyThing:
        return Thing()  # type: ignore[return-value]  # its properties answer PropertyThing's fields

    @strawberry.field
    def ids(self) -> list[strawberry.ID]:
        return [strawberry.ID("a"), strawberry.ID("b")]

    @strawberry.field
    def int_ids(self) -> list[strawberry.ID]:
        return [1, 2, 3]  # type: ignore[list-item]

    @strawberry.field
    def ints(self) -> list[int]:
        return [1, -2, 2**31 - 1]

    @strawberry.field
    def too_big(self) -> list[int]:
        return [1, 2**31]  # GraphQL's Int is 32-bit: the second item is an error

    @strawberry.field
    def floats_as_ints(self) -> list[int]:
        return [1, 2.5]  # type: ignore[list-item]

    @strawberry.field
    def holes(self) -> list[int | None]:
        return [1, None, 3]

    @strawberry.field
    def forbidden_hole(self) -> list[int]:
        return [1, None]  # type: ignore[list-item]

    @strawberry.field
    def strings(self) -> list[str]:
        return ["x", "", "ü"]

    @strawberry.field
    def mixed(self) -> list[str]:
        return ["x", 1, True, 1.5]  # type: ignore[list-item]

    @strawberry.field
    def flags(self) -> tuple[bool, ...]:
        return (True, False)

    @strawberry.field
    def colours(self) -> list[Colour]:
        return [Colour.RED, Colour.BLUE]

    @strawberry.field
    def awaited(self) -> list[int]:
        items: list[Awaitable[int] | int] = [1, _later(2)]
        return items  # type: ignore[return-value]

    @strawberry.field
    def nested(self) -> list[list[int]]:
        return [[1, 2], [3]]

    @strawberry.field
    def not_a_list(self) -> list[int]:
        return 5  # type: ignore[return-value]


THING_FIELDS = [
    "code",
    "count",
    "share",
    "flag",
    "maybe",
    "missing",
    "huge",
    "day",
    "colour",
    "wrongColour",
    "ident",
    "numberAsId",
    "failure",
    "later",
    "__typename",
]
PLAIN_FIELDS = [f"thing {{ {name} }}" for name in THING_FIELDS] + [
    "things { code maybe count }",
    "properties { raising }",
    "properties { computed }",
    "thing { code } things { count }",
]

FIELDS = [
    "ids",
    "intIds",
    "ints",
    "tooBig",
    "floatsAsInts",
    "holes",
    "forbiddenHole",
    "strings",
    "mixed",
    "flags",
    "colours",
    "awaited",
    "nested",
    "notAList",
]


def _answer(execution_context_class: type, field: str) -> tuple[Any, list[tuple[str, Any]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=execution_context_class)
    result = asyncio.run(schema.execute(f"{{ {field} }}"))
    assert result.data is not None or result.errors
    return result.data, [(e.message, e.path) for e in result.errors or []]


@pytest.mark.parametrize("field", FIELDS + PLAIN_FIELDS)
def test_the_fast_paths_answer_what_graphql_core_answers(field: str) -> None:
    assert _answer(PlainValuesFirst, field) == _answer(StrawberryGraphQLCoreExecutionContext, field)


def test_the_fast_path_takes_only_plain_scalars() -> None:
    """What it completes itself, and what it leaves to graphql-core (``None``): the cases above must cover both."""
    schema = strawberry.Schema(query=Query)._schema
    fields = schema.query_type.fields  # type: ignore[union-attr]
    item = {name: fields[name].type.of_type.of_type for name in FIELDS}  # list[...]! → list → item type
    assert completed_scalars(item["ids"], ["a", "b"]) == ["a", "b"]
    assert completed_scalars(item["intIds"], [1, 2]) == ["1", "2"]
    assert completed_scalars(item["holes"], [1, None]) == [1, None]
    for name, items in [
        ("tooBig", [2**31]),
        ("floatsAsInts", [2.5]),
        ("forbiddenHole", [None]),
        ("colours", [Colour.RED]),
        ("awaited", [_later(1)]),
        ("nested", [[1]]),
        ("notAList", 5),
    ]:
        found = completed_scalars(item[name], items)
        for value in items if isinstance(items, list) else []:
            if asyncio.iscoroutine(value):
                value.close()
        assert found is None, name


def test_the_application_schema_runs_on_it() -> None:
    assert build_schema().execution_context_class is PlainValuesFirst


def test_plain_fields_skip_the_general_path() -> None:
    """Only the field with a resolver builds a resolve info; its three plain scalar fields do not."""
    built: list[str] = []

    class Counting(PlainValuesFirst):
        def build_resolve_info(self, field_def: Any, field_nodes: Any, *args: Any) -> Any:
            built.append(field_nodes[0].name.value)
            return super().build_resolve_info(field_def, field_nodes, *args)

    schema = strawberry.Schema(query=Query, execution_context_class=Counting)
    result = asyncio.run(schema.execute("{ thing { code count day later } }"))
    assert result.errors is None
    assert built == ["thing", "later"]
