"""No string an operation sends may hold the NUL character (U+0000).

PostgreSQL's text cannot store it: a name, reason or title with ``\\u0000`` in it failed the INSERT with
"invalid byte sequence for encoding UTF8: 0x00" (a masked "Unexpected error."), while SQLite stored it. Both
refuse it now, at validation, before any resolver runs: in a string literal of the document, or anywhere in the
variables (values and input-object keys).
"""

from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, StringValueNode, ValidationRule

NUL = "\x00"
MESSAGE = "Strings must not contain the NUL character (U+0000)."
CODE = "INVALID_CHARACTER"


def holds_nul(value: Any) -> bool:
    """Whether a JSON value (the request's variables) holds NUL in any string or key."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


class NoNulInLiterals(ValidationRule):
    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if NUL in node.value:
            self.report_error(GraphQLError(MESSAGE, node, extensions={"code": CODE}))


class NulInVariables(ValidationRule):
    """Added only for a request whose variables hold NUL (validation cannot see variables): refuses each
    operation. Static, so the validation cache still keys on an equal tuple of rules."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.report_error(GraphQLError(f"Variables: {MESSAGE}", node, extensions={"code": CODE}))


def string_rules(variables: Any) -> tuple[type[ValidationRule], ...]:
    return (NoNulInLiterals, NulInVariables) if holds_nul(variables) else (NoNulInLiterals,)
