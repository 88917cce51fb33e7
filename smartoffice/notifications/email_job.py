"""Sending the emails that are due (helper H1 owns this file)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime


async def run_send_emails(runtime: "Runtime") -> int:
    """The periodic job: send the notification emails that are due; nothing when SMTP is not configured."""
    return 0
