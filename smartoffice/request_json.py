"""Decoding a request's JSON body (GraphQL, its WebSocket messages, SCIM) so that no body, however hostile, is
more than a 400.

Python's ``json`` fails in ways strawberry did not expect (it catches ``JSONDecodeError`` only), and each was a
500 with no log record: bytes that are not UTF-8 (``UnicodeDecodeError``), 100,000 nested ``[`` (``RecursionError``,
in the body or inside ``variables``) and an integer of more than 4,300 digits (``ValueError``: Python's limit on
converting a string to an int). A body nested less deeply than the recursion limit parsed, and then the code that
walks the variables ran out of stack instead. So the body is decoded as strict UTF-8 and strict JSON (no ``NaN`` or
``Infinity``, which are not JSON), and refused when nested deeper than :data:`MAX_NESTING`: no variables of this
schema come near it (the deepest input is an object in a list in an object).

The body's size is capped before it is read (``Settings.graphql_max_body_bytes``, by litestar while it streams
the body in; see :mod:`smartoffice.api.controller`), so decoding is bounded too.
"""

import json
import sys
from typing import Any

MAX_NESTING = 32
"""Arrays and objects in arrays and objects, the body's own object counting as 1."""


class MalformedBody(ValueError):
    """The body is not a JSON document this API reads; the message says why, for the client's developer."""


def _refuse_constant(name: str) -> Any:
    raise MalformedBody(f"{name} is not a JSON value: send numbers as finite decimals.")


def decode_request_json(data: str | bytes) -> object:
    """The JSON value of a request body, or :class:`MalformedBody` (``json.JSONDecodeError`` for bad syntax)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedBody(f"The request body is not valid UTF-8 (at byte {error.start}).") from None
    try:
        value = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        raise MalformedBody(f"The request body is nested deeper than {MAX_NESTING} levels.") from None
    except json.JSONDecodeError:
        raise
    except MalformedBody:
        raise
    except ValueError:  # an int past sys.get_int_max_str_digits(): nothing else in json raises a plain ValueError
        digits = sys.get_int_max_str_digits()
        raise MalformedBody(f"The request body holds an integer of more than {digits} digits.") from None
    if nesting_exceeds(value, MAX_NESTING):
        raise MalformedBody(f"The request body is nested deeper than {MAX_NESTING} levels.")
    return value


def nesting_exceeds(value: object, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` in ``value`` (walked without recursion)."""
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children: Any = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
