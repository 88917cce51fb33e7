"""In a real browser, against the app as `smartoffice serve` runs it (its own jobs on, every half second): Siti's bell
counts up when her manager books a desk for her, and down when she opens the notification; the pages pass axe-core
at a phone's width (issue 16: "a browser test sees the bell count rise after a colleague books on the person's
behalf, and fall on read")."""

import asyncio
from typing import Any

import httpx
import pytest

from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import days_ahead
from tests.support.graphql import operation
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS, serve, server_env

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

WAIT_SECONDS = 30.0
"""How long the bell may take to count the booking: the server's job turns the booking's event into the notification
every 0.5 s; the bound only stops a broken job from hanging the run."""


async def unread_on_reload(page: Any) -> int:
    await page.reload()
    return int(await page.locator("a.bell").get_attribute("data-unread"))


async def wait_for_bell(page: Any, count: int) -> None:
    """Reload until the bell shows ``count`` (a person reloads too: the page does not poll)."""
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while (found := await unread_on_reload(page)) != count:
        assert asyncio.get_running_loop().time() < deadline, f"the bell still shows {found}, not {count}"
        await page.wait_for_timeout(250)


async def test_the_bell_rises_when_a_manager_books_for_me_and_falls_on_read(
    settings: Settings, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given Siti, her manager Budi (who may book for her) and a free desk the day after tomorrow
    budi = await factory.employee(name="Budi Santoso")
    siti = await factory.employee(name="Siti Rahmawati", supervisor_id=budi.id)
    desk = await factory.desk(code="T2-3-B7")
    env = {**server_env(settings), "SMARTOFFICE_NOTIFICATION_INTERVAL_SECONDS": "0.5", "SMARTOFFICE_RUN_JOBS": "1"}

    async with serve(env) as server, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            # Siti's bell: nothing unread, no badge
            await page.goto(f"{server}/my-bookings")
            await expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
            await expect(page.locator(".bell__count")).to_have_count(0)

            # when Budi books the desk for her (GraphQL, as himself)
            variables = {
                "input": {
                    "deskId": encode_id("Desk", desk.id),
                    "date": days_ahead(2).isoformat(),
                    "forEmployeeId": encode_id("Employee", siti.id),
                }
            }
            async with httpx.AsyncClient(base_url=server, timeout=10) as client:
                booked = await client.post(
                    "/graphql",
                    json={"query": operation("BookDesk"), "variables": variables},
                    headers={"x-demo-employee": str(budi.id)},
                )
            assert booked.json()["data"]["bookDesk"]["__typename"] == "BookSuccess", booked.text

            # then her bell counts it, with its accessible name, on a page that passes axe-core at 390 px
            await wait_for_bell(page, 1)
            bell = page.get_by_role("link", name="Notifications, 1 unread")
            await expect(bell).to_be_visible()
            await expect(page.locator(".bell__count")).to_have_text("1")
            assert await axe_violations(page) == []

            # when she follows the bell: the notification is there, new, naming the desk and Budi
            await bell.click()
            await expect(page).to_have_url(f"{server}/notifications")
            item = page.locator("li.notification--unread")
            await expect(item).to_have_count(1)
            await expect(item).to_contain_text("T2-3-B7")
            await expect(item).to_contain_text("Budi Santoso")
            assert await axe_violations(page) == []
            await page.goto(f"{server}/notifications/preferences")
            assert await axe_violations(page) == []
            await page.go_back()

            # and opens it: it is read, she is on My bookings, and the bell has no count any more
            await item.get_by_role("button").click()
            await expect(page).to_have_url(f"{server}/my-bookings")
            await expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
            await expect(page.locator(".bell__count")).to_have_count(0)
            await page.screenshot(path="/tmp/notification-bell-phone.png", full_page=True)
        finally:
            await browser.close()

    assert await runtime.notifications.unread_count(siti.id) == 0
