"""Query limits as graphql-core validation rules, and the schema extension that applies them per request.

One rule measures each operation once: its **depth** (fields nested in fields), its **aliases** (counted through
fragments, each spread as often as it is spread) and its static **cost**: every field costs 1, and a field's
selection is multiplied by its page size (``first``/``last``/``limit``: the literal, the argument's default,
or :data:`VARIABLE_PAGE_SIZE` for a variable) or, for other list fields, by :data:`LIST_MULTIPLIER`; the
``edges``/``nodes`` list under a paged field is not multiplied again. ``__typename`` costs nothing, and the
``__schema``/``__type`` introspection subtrees are neither measured for depth nor cost (their size is bounded by
the schema, not the data, and introspection is off in production unless a token allows it).

Fragments are measured once each (memoised), so the rule is linear in the document, however the fragments
spread; measuring stops below the depth limit, so a hostile document cannot recurse deeply either. The number
of tokens is limited earlier, by graphql-core's parser (``max_tokens``), before any of this runs; and before the
parser, the document's length in characters (``graphql_max_document_chars``): comments and whitespace are no
tokens, and a 9 MB comment took the parser over a second of CPU.

Rule classes are memoised by their parameters, so the tuple of rules is equal from request to request and
strawberry's ``ValidationCache`` still hits.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from strawberry.extensions import SchemaExtension

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
    get_nullable_type,
)
from smartoffice.api.strings import string_rules

LIST_MULTIPLIER = 10
"""Assumed length of a list without a page size argument (a floor's desks, a site's buildings)."""
VARIABLE_PAGE_SIZE = 100
"""Assumed page size when ``first`` is a variable: validation cannot see variables, so the cap applies."""
PAGE_ARGUMENTS = ("first", "last", "limit")
PAGED_LISTS = ("edges", "nodes")
INTROSPECTION_ROOTS = ("__schema", "__type")
MAX_FRAGMENT_NESTING = 32
MAX_PAGE_DIGITS = 10
"""A literal page size longer than this is no 32-bit Int: validation refuses it, and reading it as an int could
raise (Python converts at most 4,300 digits): a 500 with no log record before."""


@dataclass(frozen=True, slots=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


ZERO = Measure()


class _Measurer:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], depth_cap: int) -> None:
        self.schema = schema
        self.fragments = fragments
        self.depth_cap = depth_cap
        self.memo: dict[str, Measure] = {}
        self.spreading: list[str] = []
        self.too_nested = False

    def selections(self, node: SelectionSetNode | None, parent: GraphQLNamedType | None, paged: bool) -> Measure:
        if node is None:
            return ZERO
        depth = aliases = cost = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                measure = self.field(selection, parent, paged)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                measure = self.selections(selection.selection_set, target, paged)
            elif isinstance(selection, FragmentSpreadNode):
                measure = self.fragment(selection.name.value)
            else:  # pragma: no cover - the three kinds of selection
                continue
            depth = max(depth, measure.depth)
            aliases += measure.aliases
            cost += measure.cost
        return Measure(depth, aliases, cost)

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, paged: bool) -> Measure:
        name = node.name.value
        definition: Any = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        alias = 1 if node.alias else 0
        if name in INTROSPECTION_ROOTS:
            return Measure(1, alias, 0)  # bounded by the schema, not the data; gated apart (see RequestLimits)
        if node.selection_set is None:
            return Measure(1, alias, 0 if name.startswith("__") else 1)
        if self.depth_cap <= 1:
            return Measure(2, alias, 1)  # deeper than allowed: the depth error is what matters
        child_type = get_named_type(definition.type) if definition else None
        page = self._page_size(node, definition)
        is_list = definition is not None and isinstance(get_nullable_type(definition.type), GraphQLList)
        self.depth_cap -= 1
        try:
            inner = self.selections(node.selection_set, child_type, paged=page is not None)
        finally:
            self.depth_cap += 1
        if page is not None:
            multiplier = page
        elif is_list and not (paged and name in PAGED_LISTS):
            multiplier = LIST_MULTIPLIER
        else:
            multiplier = 1
        own = 0 if name.startswith("__") else 1
        return Measure(1 + inner.depth, alias + inner.aliases, own + multiplier * inner.cost)

    def _page_size(self, node: FieldNode, definition: Any) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = argument.value
                if isinstance(value, IntValueNode) and len(value.value) <= MAX_PAGE_DIGITS:
                    return max(1, int(value.value))
                return VARIABLE_PAGE_SIZE  # a variable; or no Int at all, which validation refuses anyway
        if definition is not None:
            for name in PAGE_ARGUMENTS:
                arg = definition.args.get(name)
                if arg is not None:
                    default = arg.default_value
                    return max(1, default) if isinstance(default, int) else VARIABLE_PAGE_SIZE
        return None

    def fragment(self, name: str) -> Measure:
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.spreading:
            return ZERO  # unknown or cyclic: graphql-core's own rules report it
        if len(self.spreading) >= MAX_FRAGMENT_NESTING:
            self.too_nested = True
            return ZERO
        self.spreading.append(name)
        try:
            target = self.schema.get_type(definition.type_condition.name.value)
            measure = self.selections(definition.selection_set, target, paged=False)
        finally:
            self.spreading.pop()
        self.memo[name] = measure
        return measure


@lru_cache(maxsize=64)
def query_limits_rule(max_depth: int, max_aliases: int, cost_budget: int) -> type[ValidationRule]:
    """A rule class refusing operations deeper than ``max_depth``, with more than ``max_aliases`` aliases, or
    costing more than ``cost_budget``."""

    class QueryLimitsRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            schema = context.schema
            for operation in document.definitions:
                if isinstance(operation, OperationDefinitionNode):
                    self._check(schema, fragments, operation)

        def _check(
            self,
            schema: GraphQLSchema,
            fragments: dict[str, FragmentDefinitionNode],
            operation: OperationDefinitionNode,
        ) -> None:
            measurer = _Measurer(schema, fragments, depth_cap=max_depth + 1)
            root = schema.get_root_type(operation.operation)
            measure = measurer.selections(operation.selection_set, root, paged=False)
            name = f"'{operation.name.value}'" if operation.name else "The operation"
            for error in _errors(name, measure, measurer.too_nested, max_depth, max_aliases, cost_budget):
                self.report_error(GraphQLError(error[0], operation, extensions=error[1]))

    return QueryLimitsRule


def _errors(
    name: str, measure: Measure, too_nested: bool, max_depth: int, max_aliases: int, cost_budget: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    if measure.depth > max_depth or too_nested:
        yield (
            f"{name} is nested deeper than {max_depth} levels.",
            {"code": "MAX_DEPTH_EXCEEDED", "limit": max_depth},
        )
    if measure.aliases > max_aliases:
        yield (
            f"{name} uses {measure.aliases} aliases; at most {max_aliases} are allowed.",
            {"code": "MAX_ALIASES_EXCEEDED", "limit": max_aliases, "aliases": measure.aliases},
        )
    if measure.cost > cost_budget:
        yield (
            f"{name} costs {measure.cost}, over the budget of {cost_budget} "
            f"(fields cost 1; lists multiply by their page size, or {LIST_MULTIPLIER}).",
            {"code": "COST_BUDGET_EXCEEDED", "limit": cost_budget, "cost": measure.cost},
        )


def measure_document(schema: GraphQLSchema, document: Any, max_depth: int = 1_000) -> Measure:
    """Depth, aliases and cost of a parsed document's operations added up (for tests and tooling)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    total = ZERO
    for operation in document.definitions:
        if isinstance(operation, OperationDefinitionNode):
            measurer = _Measurer(schema, fragments, depth_cap=max_depth + 1)
            m = measurer.selections(operation.selection_set, schema.get_root_type(operation.operation), paged=False)
            total = Measure(max(total.depth, m.depth), total.aliases + m.aliases, total.cost + m.cost)
    return total


MAX_DOCUMENT_SIZE_EXCEEDED = "MAX_DOCUMENT_SIZE_EXCEEDED"


def document_too_large(size: int, max_size: int) -> str:
    return (
        f"The document has {size} characters; at most {max_size} are allowed "
        "(comments and whitespace count: the parser reads them all)."
    )


class RequestLimits(SchemaExtension):
    """Per request: the document's size in characters, the parser's token limit, the limits rule with the caller's
    cost budget, no NUL in strings (:mod:`smartoffice.api.strings`), and no introspection in production unless
    the caller's token allows it."""

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        settings = context.runtime.settings
        principal = context.principal
        size, max_size = len(execution.query or ""), settings.graphql_max_document_chars
        if size > max_size:  # the HTTP doors refuse it as a 400 before this; here for the WebSocket
            raise GraphQLError(document_too_large(size, max_size), extensions={"code": MAX_DOCUMENT_SIZE_EXCEEDED})
        execution.parse_options["max_tokens"] = settings.graphql_max_tokens
        budget = principal.cost_budget or settings.graphql_cost_budget
        rules: tuple[type[Any], ...] = (
            query_limits_rule(settings.graphql_max_depth, settings.graphql_max_aliases, budget),
            *string_rules(execution.variables),
        )
        if not principal.may_introspect(settings):
            rules += (NoSchemaIntrospectionCustomRule,)
        execution.validation_rules = (*execution.validation_rules, *rules)
        yield
