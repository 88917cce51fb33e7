"""Reading the pages' query strings and form fields.

A malformed value is the visitor's mistake, never a 500: it becomes a :class:`FormError`, which
smartoffice.web.errors puts into words in the page's language, and the page answers 422.
"""

from collections.abc import Mapping
from datetime import date, time
from typing import Any
from urllib.parse import urlsplit

from smartoffice.date_range import is_supported_day
from smartoffice.db import is_storable_id


class FormError(Exception):
    def __init__(self, field: str, code: str) -> None:
        super().__init__(code)
        self.field = field
        self.code = code
        """``invalid_<field>`` or ``missing_<field>``."""


def required_int(value: str | None, field: str) -> int:
    if value is None or not value.strip():
        raise FormError(field, f"missing_{field}")
    return _int(value, field)


def optional_int(value: str | None, field: str) -> int | None:
    return None if value is None or not value.strip() else _int(value, field)


def optional_date(value: str | None, field: str = "date") -> date | None:
    """A ``YYYY-MM-DD`` day from 1970 to 2199 (smartoffice/date_range.py): ``?date=0001-01-01`` ran off the calendar
    while the page worked out the day's bounds or the week around it."""
    if value is None or not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise FormError(field, f"invalid_{field}") from None
    if not is_supported_day(day):
        raise FormError(field, f"invalid_{field}")
    return day


def required_date(value: str | None, field: str = "date") -> date:
    day = optional_date(value, field)
    if day is None:
        raise FormError(field, f"missing_{field}")
    return day


def optional_time(value: str | None, field: str) -> time | None:
    """``HH:MM`` (what ``<input type="time">`` sends) or ``HH:MM:SS``; blank means "not given"."""
    if value is None or not value.strip():
        return None
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise FormError(field, f"invalid_{field}") from None


IDEMPOTENCY_FIELD = "idempotency_key"
"""The hidden field ``idempotency_input()`` (smartoffice.web.templating) puts in a page form."""


def idempotency_key(form: Mapping[str, Any]) -> str | None:
    """The form's idempotency key, or ``None`` when it sent none; the booking service validates its shape
    (``INVALID_IDEMPOTENCY_KEY``, a typed error) like the API's."""
    value = form.get(IDEMPOTENCY_FIELD)
    return value.strip() or None if isinstance(value, str) else None


def local_path(value: str | None, default: str = "/") -> str:
    """A redirect target that stays on this site: a path, never ``//host`` or ``https://host``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def _int(value: str, field: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit() and is_storable_id(int(text))):
        raise FormError(field, f"invalid_{field}")
    return int(text)
