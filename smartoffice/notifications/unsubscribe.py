"""One-click unsubscribe links (RFC 8058) for reminder emails: a signed token names the person and the kind.

The link ``/notifications/unsubscribe/<token>`` needs no sign-in (a mail client posts to it on the person's
behalf, with ``List-Unsubscribe=One-Click``): the token is the proof, an HMAC-SHA256 under a key derived from
``SMARTOFFICE_SECRET_KEY`` (earlier keys still open old links after a rotation). It never expires: an old
reminder's link must still work. A GET shows a confirmation button, so a link scanner cannot unsubscribe anyone.
"""

import base64
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from smartoffice.notifications.models import NotificationKind

PATH = "/notifications/unsubscribe/"
KIND_VALUES = frozenset(k.value for k in NotificationKind)


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    employee_id: int
    kind: NotificationKind


def _key(secret_key: str) -> bytes:
    return hashlib.sha256(b"smartoffice-unsubscribe\0" + secret_key.encode()).digest()


def _signature(secret_key: str, message: bytes) -> str:
    digest = hmac.new(_key(secret_key), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def make_token(secret_key: str, employee_id: int, kind: NotificationKind) -> str:
    message = f"{employee_id}.{kind.value}"
    return f"{message}.{_signature(secret_key, message.encode())}"


def read_token(secret_keys: Sequence[str], token: str) -> Unsubscribe | None:
    """What the token asks for, if one of the keys signed it; else None."""
    employee, _, rest = token.partition(".")
    kind, _, signature = rest.partition(".")
    if not employee.isdigit() or len(employee) > 12 or kind not in KIND_VALUES:
        return None
    message = f"{employee}.{kind}".encode()
    if not any(hmac.compare_digest(_signature(key, message), signature) for key in secret_keys if key):
        return None
    return Unsubscribe(int(employee), NotificationKind(kind))


def unsubscribe_url(base_url: str, secret_key: str, employee_id: int, kind: NotificationKind) -> str:
    return f"{base_url}{PATH}{make_token(secret_key, employee_id, kind)}"
