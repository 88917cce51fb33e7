"""Retry delays shared by everything that retries a remote party (webhook deliveries, notification emails)."""

from datetime import timedelta

MAX_DOUBLINGS = 32
"""Past this the delay is capped anyway; it keeps ``base * 2**n`` inside ``timedelta``'s range however many
attempts a row has had (emails keep retrying while their SMTP server is down)."""


def exponential_backoff(attempt: int, base: timedelta, cap: timedelta, jitter: float) -> timedelta:
    """Delay after failed attempt ``attempt`` (1-based): ``base * 2**(attempt - 1)``, at most ``cap``, with "equal
    jitter" (half fixed, half ``jitter`` in [0, 1) of it) so that a receiver coming back up is not hit by every
    sender at the same instant."""
    delay = min(cap, base * 2 ** min(max(attempt - 1, 0), MAX_DOUBLINGS))
    wait: timedelta = delay / 2 + delay / 2 * jitter
    return wait
