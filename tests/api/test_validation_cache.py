"""The schema's validation cache (``smartoffice.api.schema.TextValidationCache``) and the lazily built loaders."""

from types import SimpleNamespace
from typing import Any

import pytest

from graphql import DocumentNode, NoSchemaIntrospectionCustomRule, parse, specified_rules
from smartoffice.api.context import Loaders
from smartoffice.api.schema import _validated, _Validation, build_schema
from smartoffice.identity.principal import Principal, PrincipalKind
from smartoffice.settings import Settings


def _context(**settings: Any) -> SimpleNamespace:
    return SimpleNamespace(
        runtime=SimpleNamespace(settings=Settings(demo_mode=True, **settings)),
        principal=Principal.for_employee(5, PrincipalKind.DEMO),
        language="id",
    )


async def test_a_cache_hit_does_not_hash_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """strawberry's ValidationCache hashed the whole DocumentNode tree on every request (240 µs for myWeek)."""
    schema, query = build_schema(), "query CacheHit { __typename a: __typename }"
    assert not (await schema.execute(query, context_value=_context())).errors

    def refuse(_node: object) -> int:
        raise AssertionError("the document was hashed")

    monkeypatch.setattr(DocumentNode, "__hash__", refuse)
    for _ in range(3):
        result = await schema.execute(query, context_value=_context())
        assert not result.errors and result.data == {"__typename": "Query", "a": "Query"}


async def test_the_rules_are_part_of_the_key() -> None:
    """The same text under other rules (a token's own cost budget, the introspection gate) is validated anew."""
    schema = build_schema()._schema
    query = "query Rules { __schema { queryType { name } } }"
    document = parse(query)
    rules = tuple(specified_rules)
    allowed = _validated(_Validation(schema, query, {}, rules, document))
    refused = _validated(_Validation(schema, query, {}, (*rules, NoSchemaIntrospectionCustomRule), document))
    assert allowed == [] and refused and "introspection" in refused[0].message
    assert _validated(_Validation(schema, query, {}, rules, document)) == []


async def test_different_texts_are_validated_apart() -> None:
    schema = build_schema()
    ok, bad = "query Texts { __typename }", "query Texts { noSuchField }"
    assert not (await schema.execute(ok, context_value=_context())).errors
    errors = (await schema.execute(bad, context_value=_context())).errors
    assert errors and errors[0].extensions and errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert not (await schema.execute(ok, context_value=_context())).errors


async def test_the_cost_budget_is_applied_on_a_cache_hit() -> None:
    schema, query = build_schema(), "query Budget { a: __typename b: __typename c: __typename }"
    assert not (await schema.execute(query, context_value=_context())).errors
    errors = (await schema.execute(query, context_value=_context(graphql_max_aliases=2))).errors
    assert errors and errors[0].extensions and errors[0].extensions["code"] == "MAX_ALIASES_EXCEEDED"


def test_loaders_are_built_on_first_use_once_per_request() -> None:
    built: list[str] = []

    class Service(SimpleNamespace):
        def __getattr__(self, name: str) -> Any:
            built.append(name)
            return lambda keys: keys

    runtime: Any = SimpleNamespace(places=Service(), policies=Service(), people=Service(), bookings=Service())
    loaders = Loaders(runtime, Principal.for_employee(5, PrincipalKind.DEMO))
    assert "places" not in vars(loaders) and "bookings" not in vars(loaders)
    assert loaders.places is loaders.places and loaders.bookings is loaders.bookings
    assert loaders.bookings.viewer_id == 5 and loaders.people.viewer_id == 5
    assert Loaders(runtime).places is not loaders.places  # fresh for each request
