"""The public ids of objects: Relay global ids, ``base64("Type:id")``, as the API, events and webhooks show them.

The same encoding as strawberry's ``GlobalID`` (the API's ``Node.id``), written out here so that domain modules
(events, layouts) need nothing from the schema layer. Decoded here so that a malformed id is a typed
:class:`InvalidInput` (a ``ValidationError`` in the API), not a crash.
"""

import base64
import binascii
from collections.abc import Sequence

from smartoffice.db import is_storable_id
from smartoffice.errors import CommonInputCode, InvalidInput


def encode_id(type_name: str, ident: int) -> str:
    return base64.b64encode(f"{type_name}:{ident}".encode()).decode()


def decode_id(value: str, type_name: str, field: str) -> int:
    """The row id in ``value``, a global id of a ``type_name``; else InvalidInput on ``field``."""
    return decode_any_id(value, (type_name,), field)[1]


def decode_any_id(value: str, type_names: Sequence[str], field: str) -> tuple[str, int]:
    """The type name and row id in ``value``, a global id of one of ``type_names``."""
    found = parse_id(value, type_names)
    if found is None:
        raise InvalidInput(field, CommonInputCode.INVALID_ID, type_name=" or ".join(type_names))
    return found


def parse_id(value: str, type_names: Sequence[str]) -> tuple[str, int] | None:
    """Like :func:`decode_any_id`, but ``None`` for a malformed id: for lookups where that finds nothing."""
    try:
        found_type, _, node_id = base64.b64decode(value.encode(), validate=False).decode().partition(":")
        ident = int(node_id)
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if found_type not in type_names or not is_storable_id(ident):
        return None
    return found_type, ident


def id_or_none(value: str, type_name: str) -> int | None:
    """The row id in ``value``, a global id of a ``type_name``, or ``None`` when it is malformed: for a query's
    id argument, where a malformed id finds nothing (null), like an unknown one."""
    found = parse_id(value, (type_name,))
    return None if found is None else found[1]


SPACE_TYPES = ("Desk", "MeetingRoom")
"""The types of a space's id: an input that takes either (a QR code's space, a recurring booking's space)."""


def decode_space_id(value: str, field: str) -> int:
    return decode_any_id(value, SPACE_TYPES, field)[1]
