"""The floor page in a real browser: the real app served by granian, driven through headless Chromium."""

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.web.conftest import tomorrow
from tests.web.office_floor import book_some, office_floor

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOT = Path("/tmp/floor.png")
ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def server(settings: Settings, runtime: Runtime) -> AsyncIterator[str]:
    """The app as `smartoffice serve` runs it, on the tests' database and Redis; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "SMARTOFFICE_DATABASE_URL": settings.resolved_database_url,
        "SMARTOFFICE_REDIS_URL": settings.redis_url or "",
        "SMARTOFFICE_SECRET_KEY": settings.secret_key,
        "SMARTOFFICE_DATA_DIR": str(settings.data_dir),
        "SMARTOFFICE_MIGRATE_ON_START": "0",
        "SMARTOFFICE_DEMO_MODE": "1",  # the "act as" picker; a database URL alone means production
    }
    command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "smartoffice.app:app_from_env"]
    process = await asyncio.create_subprocess_exec(
        *command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", env=env, cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_healthy(base, process)
        yield base
    finally:
        await stop(process)


async def stop(process: asyncio.subprocess.Process) -> None:
    """Terminate a server process; kill it if it has not exited within 10 s."""
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout=10)
    except TimeoutError:
        process.kill()
        await process.wait()


async def wait_until_healthy(base: str, process: asyncio.subprocess.Process) -> None:
    """Poll /health until the server answers (it must bind, open the database and Redis first)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    async with httpx.AsyncClient(base_url=base, timeout=2) as client:
        while loop.time() < deadline:
            if process.returncode is not None:
                pytest.fail(f"the server exited with {process.returncode} before answering")
            try:
                if (await client.get("/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"the server did not answer /health within {STARTUP_SECONDS} s")


async def test_book_and_cancel_a_desk_from_the_plan(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    # given: a floor where colleagues already hold some desks, and me
    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    await book_some(runtime, factory, office, day)
    await factory.employee(name="Siti Rahmawati")
    desk = office.desk("T2-3-A9")
    floor_url = f"{server}/floors/{office.floor.id}?date={day}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1360, "height": 900})
        try:
            # I act as Siti
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            # open the floor and click a free desk on the plan
            await page.goto(floor_url)
            on_plan = page.locator(f'svg.plan a[data-desk-id="{desk.id}"]')
            await expect(on_plan).to_have_attribute("aria-label", "Desk T2-3-A9, free")
            await on_plan.click()
            await expect(page.get_by_role("heading", name="Desk T2-3-A9")).to_be_visible()

            # book it: the plan and the list now say it is mine
            await page.get_by_role("button", name="Book this desk").click()
            await expect(page.get_by_role("status")).to_have_text("Desk T2-3-A9 is booked for you.")
            await expect(on_plan).to_have_attribute("aria-label", "Desk T2-3-A9, booked by you")
            await expect(on_plan).to_have_class("desk desk--mine")
            await expect(page.locator(f"#desk-{desk.id}")).to_contain_text("Booked by you")
            await page.screenshot(path=str(SCREENSHOT), full_page=True)

            # cancel it: free again
            await page.get_by_role("button", name="Cancel my booking", exact=True).click()
            await expect(page.get_by_role("status")).to_have_text("Your booking of desk T2-3-A9 is cancelled.")
            await expect(on_plan).to_have_attribute("aria-label", "Desk T2-3-A9, free")
            await expect(on_plan).to_have_class("desk desk--free")

            # the list below the plan books and cancels too (one form, each button naming its desk)
            in_list = page.locator(f"#desk-{desk.id}")
            await page.get_by_role("button", name="Book desk T2-3-A9", exact=True).click()
            await expect(in_list).to_have_attribute("data-status", "mine")
            await page.get_by_role("button", name="Cancel my booking of desk T2-3-A9").click()
            await expect(in_list).to_have_attribute("data-status", "free")
        finally:
            await browser.close()


async def test_desks_on_the_plan_are_reachable_by_keyboard(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    first, other = office.desks[0], office.desk("T2-3-B4")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        try:
            await page.goto(f"{server}/floors/{office.floor.id}?date={day}")

            # Tabbing from the top of the page reaches the plan's first desk (the links before it are few)
            for _ in range(40):
                await page.keyboard.press("Tab")
                if await page.evaluate("document.activeElement.classList.contains('desk')"):
                    break
            focused = await page.evaluate("document.activeElement.getAttribute('aria-label')")
            assert focused == f"Desk {first.code}, free"

            # and Enter on a focused desk opens its panel
            await page.locator(f'svg.plan a[data-desk-id="{other.id}"]').focus()
            await page.keyboard.press("Enter")
            await expect(page).to_have_url(f"{server}/floors/{office.floor.id}?date={day}&desk={other.id}#desk-panel")
            await expect(page.get_by_role("heading", name="Desk T2-3-B4")).to_be_visible()
            await expect(page.locator(f'svg.plan a[data-desk-id="{other.id}"]')).to_have_attribute(
                "aria-current", "true"
            )
        finally:
            await browser.close()
