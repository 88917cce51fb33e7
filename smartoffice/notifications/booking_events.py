"""Notifications from the booking events outbox (helper H3 owns this file)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime


async def run_notify_booking_events(runtime: "Runtime") -> int:
    """The periodic job: turn committed booking events into notifications; returns how many events."""
    return 0
