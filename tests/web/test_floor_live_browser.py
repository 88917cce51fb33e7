"""The floor page, live, in two browsers: a desk booked in one turns taken in the other without a reload."""

import asyncio

import pytest
from redis.asyncio import Redis

from smartoffice.integrations.events import floor_channel, person_channel
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office_floor import office_floor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

LIVE = 1000
"""Milliseconds: a change made elsewhere shows within a second of the booking's answer (issue 13, item 2)."""


async def test_desks_booked_elsewhere_change_on_the_open_page(
    server: str, runtime: Runtime, factory: Factory, redis: Redis
) -> None:
    from playwright.async_api import Page, async_playwright, expect

    # given: a floor, and Siti and Budi of one team (she may see his name on the desk he books)
    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    team = await factory.unit()
    siti = await factory.employee(team, name="Siti Rahmawati")
    await factory.employee(team, name="Budi Santoso")
    by_budi, by_siti = office.desk("T2-3-A9"), office.desk("T2-3-A10")
    floor_url = f"{server}/floors/{office.floor.id}?date={day}"

    async def act_as(page: Page, name: str) -> None:
        await page.goto(f"{server}/?q={name.split()[0]}")
        await page.get_by_role("button", name=f"Act as {name}").click()
        await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # Siti watches the floor in one browser, Budi has it open in another (each its own cookies)
            sitis = await browser.new_context(viewport={"width": 1280, "height": 800})
            budis = await browser.new_context(viewport={"width": 1280, "height": 800})
            watching, budi = await sitis.new_page(), await budis.new_page()
            await act_as(watching, "Siti Rahmawati")
            await act_as(budi, "Budi Santoso")
            await watching.goto(floor_url)
            await expect(watching.locator("[data-live-url]")).to_have_attribute("data-live-state", "live")
            on_plan = watching.locator(f'svg.plan a[data-desk-id="{by_budi.id}"]')
            in_list = watching.locator(f"#desk-{by_budi.id}")
            await expect(on_plan).to_have_attribute("data-status", "free")

            # when: Budi books a desk from his page
            await budi.goto(floor_url)
            await budi.get_by_role("button", name="Book desk T2-3-A9", exact=True).click()
            await expect(budi.locator(f"#desk-{by_budi.id}")).to_have_attribute("data-status", "mine")

            # then: on Siti's page, unreloaded, the desk is taken on the plan and in the list, named as a reloaded
            # page names it, and said so politely
            await expect(on_plan).to_have_attribute("data-status", "booked", timeout=LIVE)
            await expect(on_plan).to_have_class("desk desk--booked")
            await expect(in_list).to_have_attribute("data-status", "booked")
            await expect(in_list.get_by_role("button", name="Book desk T2-3-A9")).to_be_hidden()
            reloaded = await sitis.new_page()
            await reloaded.goto(floor_url)
            label = await reloaded.locator(f'svg.plan a[data-desk-id="{by_budi.id}"]').get_attribute("aria-label")
            assert label is not None and label.startswith("Desk T2-3-A9, booked") and "Budi Santoso" in label
            await expect(on_plan).to_have_attribute("aria-label", label)
            await expect(watching.locator("[data-floor-live]")).to_have_text(label)
            await reloaded.close()

            # Siti books another desk in a second tab: the first tab shows it as hers, not as booked
            other_tab = await sitis.new_page()
            await other_tab.goto(floor_url)
            await other_tab.get_by_role("button", name="Book desk T2-3-A10", exact=True).click()
            await expect(other_tab.locator(f"#desk-{by_siti.id}")).to_have_attribute("data-status", "mine")
            mine = watching.locator(f'svg.plan a[data-desk-id="{by_siti.id}"]')
            await expect(mine).to_have_attribute("data-status", "mine", timeout=LIVE)
            await expect(mine).to_have_class("desk desk--mine")
            await expect(watching.locator(f"#desk-{by_siti.id}")).to_have_attribute("data-status", "mine")
            assert await watching.evaluate("location.href") == floor_url  # never reloaded

            # Siti closes her browser: her page's subscriptions go away with it
            assert await subscribers(redis, person_channel(siti.id)) >= 1
            await sitis.close()
            await budis.close()
            assert await gone(redis, person_channel(siti.id))
            assert await gone(redis, floor_channel(office.floor.id))
        finally:
            await browser.close()


async def subscribers(redis: Redis, channel: str) -> int:
    [(_, count)] = await redis.pubsub_numsub(channel)
    return int(count)


async def gone(redis: Redis, channel: str) -> bool:
    """Nobody listens on ``channel`` any more, polled for up to 10 s (the server notices a disconnect on its own)."""
    for _ in range(100):
        if await subscribers(redis, channel) == 0:
            return True
        await asyncio.sleep(0.1)
    return False
