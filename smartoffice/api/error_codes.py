"""Every top-level error the GraphQL API answers carries ``extensions.code``, one stable name to switch on.

Decided: Apollo Server's names where it has one, since integrators know them; ours where it has none.

==============================  =====================================================================================
``GRAPHQL_PARSE_FAILED``        the document is not GraphQL (a syntax error; nested too deeply to parse)
``MAX_TOKENS_EXCEEDED``         the document has more tokens than ``SMARTOFFICE_GRAPHQL_MAX_TOKENS``
``GRAPHQL_VALIDATION_FAILED``   the document does not fit the schema: an unknown field, an argument of the wrong
                                type, a missing required argument, an unused variable, ...
``MAX_DEPTH_EXCEEDED``, ...     the query limits' own codes (:mod:`smartoffice.api.limits`), and
                                ``INVALID_CHARACTER`` (:mod:`smartoffice.api.strings`): refused at validation too
``BAD_USER_INPUT``              a variable's value does not fit its type (``Variable '$x' has invalid value``), or
                                another refusal of the input graphql-core or strawberry makes while executing
``UNAUTHENTICATED``, ...        who you are and what your credential allows (:mod:`smartoffice.api.permissions`)
a domain error's code           a domain error that the field's result union has no member for (``NOT_FOUND``)
``BUSY``                        overload: the HTTP doors answer the whole request 503 (:mod:`smartoffice.busy`)
``INTERNAL_SERVER_ERROR``       a bug; outside debug mode its message is the masked "Unexpected error."
==============================  =====================================================================================

The HTTP doors' own refusals, before GraphQL runs, have codes too (:mod:`smartoffice.api.doors`).
"""

import logging
from collections.abc import Iterator

from strawberry.extensions import MaskErrors, SchemaExtension

from graphql import GraphQLError, GraphQLSyntaxError
from smartoffice.busy import BUSY_CODE, busy_from
from smartoffice.errors import DomainError

GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
MAX_TOKENS_EXCEEDED = "MAX_TOKENS_EXCEEDED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
FORBIDDEN = "FORBIDDEN"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
MASKED_MESSAGE = MaskErrors().error_message
"""What an unexpected exception's message becomes outside debug mode."""
TOKEN_LIMIT_TEXT = "tokens. Parsing aborted."
"""graphql-core's parser: "Syntax Error: Document contains more than 2000 tokens. Parsing aborted." """


def code_of(error: GraphQLError) -> str | None:
    extensions = error.extensions or {}
    code = extensions.get("code")
    return code if isinstance(code, str) else None


def with_code(error: GraphQLError, code: str) -> GraphQLError:
    """``error`` with ``extensions.code`` set, unless it has one."""
    if code_of(error) is None:
        error.extensions = {**(error.extensions or {}), "code": code}
    return error


def is_busy(error: GraphQLError) -> bool:
    return error.original_error is not None and busy_from(error.original_error) is not None


def is_client_error(error: GraphQLError) -> bool:
    """An error about the request that its sender may read in full: GraphQL's own refusals (parse, validation,
    coercion), domain and authentication errors, overload. Anything else is a bug: masked outside debug mode."""
    original = error.original_error
    if original is None or code_of(error) == GRAPHQL_VALIDATION_FAILED:
        return True  # validation: also when a scalar's parse_literal raised a plain ValueError
    return isinstance(original, DomainError | PermissionError | GraphQLError) or is_busy(error)


def classify(error: GraphQLError) -> str:
    """The code for an error that has none yet."""
    original = error.original_error
    if isinstance(error, GraphQLSyntaxError):
        return MAX_TOKENS_EXCEEDED if TOKEN_LIMIT_TEXT in error.message else GRAPHQL_PARSE_FAILED
    if is_busy(error):
        return BUSY_CODE
    if isinstance(original, DomainError):
        return original.code
    if isinstance(original, PermissionError):
        return FORBIDDEN
    if original is None or isinstance(original, GraphQLError):
        return BAD_USER_INPUT
    return INTERNAL_SERVER_ERROR


def coded(errors: list[GraphQLError], *, debug: bool) -> list[GraphQLError]:
    """Every error with a code; outside debug mode, bugs masked. The last step of every execution: it also sees an
    exception that strawberry caught outside the operation's extensions (a failing validation rule, say), which
    :class:`MaskErrors` never saw (strawberry logged it, with its traceback)."""
    return [with_code(error if debug or is_client_error(error) else masked(error), classify(error)) for error in errors]


def masked(error: GraphQLError) -> GraphQLError:
    return GraphQLError(MASKED_MESSAGE, error.nodes, path=error.path, extensions={"code": INTERNAL_SERVER_ERROR})


class CodedMaskErrors(MaskErrors):
    """strawberry's masking, the masked error coded ``INTERNAL_SERVER_ERROR`` (it loses its original error)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not is_client_error(error))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return with_code(super().anonymise_error(error), INTERNAL_SERVER_ERROR)


class ValidationCodes(SchemaExtension):
    """Codes the errors of the validation step (graphql-core's rules and ours) ``GRAPHQL_VALIDATION_FAILED``,
    where a rule gave none: only here is it known that an error came from validation."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            with_code(error, GRAPHQL_VALIDATION_FAILED)


def log_level(error: GraphQLError) -> tuple[int, BaseException | None]:
    """How an error is logged, and with which traceback: a bug as an error with its traceback; overload as a
    warning; a client's refusal as info (a hostile client must not be able to fill the error log)."""
    if is_busy(error):
        return logging.WARNING, None
    if is_client_error(error):
        return logging.INFO, None
    return logging.ERROR, error.original_error
