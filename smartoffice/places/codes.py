"""Ordering places by their codes as people read them."""

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(code: str) -> tuple[str | int, ...]:
    """``T2-3-A9`` before ``T2-3-A10``: people read the numbers in desk codes as numbers.

    >>> sorted(["A10", "A2", "A1"], key=natural_key)
    ['A1', 'A2', 'A10']
    """
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(code))
