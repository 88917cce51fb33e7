"""graphql/schema.graphql is the exported live schema, and every example operation is valid against it."""

from pathlib import Path

import pytest

from graphql import build_schema as parse_sdl
from graphql import parse, validate
from smartoffice.api.schema import schema_sdl
from tests.support.graphql import OPERATIONS

SCHEMA_FILE = OPERATIONS.parent / "schema.graphql"


def test_exported_schema_matches_the_live_schema() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl(), (
        "graphql/schema.graphql is out of date: run `smartoffice export-schema` and commit the result"
    )


@pytest.mark.parametrize("path", sorted(OPERATIONS.glob("*.graphql")), ids=lambda p: p.stem)
def test_operation_is_valid_against_the_schema(path: Path) -> None:
    errors = validate(parse_sdl(SCHEMA_FILE.read_text()), parse(path.read_text()))
    assert errors == []


def test_graphql_folder_holds_no_python() -> None:
    # A .py there (above all __init__.py) would shadow the graphql-core package.
    assert not list(OPERATIONS.parent.rglob("*.py"))
