"""Scheduled notifications (helper H5 owns this file)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime


async def run_weekly_reminders(runtime: "Runtime") -> int:
    """The periodic job; returns how many notifications it made."""
    return 0
