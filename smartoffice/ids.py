"""The public ids of objects (Relay global ids, `base64("Type:id")`), as the API, events and webhooks show them.

Decoded here so a malformed one is a typed InvalidInput (a ValidationError in the API), not a crash.
"""

from strawberry.relay import GlobalID

from smartoffice.db import is_storable_id
from smartoffice.errors import InvalidInput


def decode_id(value: str, type_name: str, field: str) -> int:
    try:
        global_id = GlobalID.from_id(value)
        if global_id.type_name != type_name:
            raise ValueError(f"a {global_id.type_name} id where a {type_name} id is expected")
        ident = int(global_id.node_id)
        if not is_storable_id(ident):
            raise ValueError(f"id {ident} is out of range")
        return ident
    except (ValueError, TypeError) as exc:
        raise InvalidInput(field, "INVALID_ID", type_name=type_name) from exc


def encode_id(type_name: str, ident: int) -> str:
    return str(GlobalID(type_name, str(ident)))
