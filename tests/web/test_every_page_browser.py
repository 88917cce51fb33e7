"""Every page, in Chromium, at a phone's width (390 × 844) and a desktop's (1280 × 800): axe-core finds no
violation and the page does not scroll sideways (issue 13, item 9; issue 14 added its pages).

One administrator who also books, approves a room and heads nothing visits every page a person can reach from
the navigation, with something on each (a booking of their own, a teammate's, a room to approve). The pages'
own browser tests check their behaviour; this one checks that none of them is left out of the accessibility bar.
"""

from datetime import time

import pytest
from sqlalchemy import select

from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.notifications.models import NotificationKind
from smartoffice.notifications.unsubscribe import make_token
from smartoffice.people.models import Role
from smartoffice.places.models import Space
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import working_weekday
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office_floor import office_floor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

DESKTOP = {"width": 1280, "height": 800}


async def test_every_page_is_accessible_at_phone_and_desktop_width(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given: an administrator with a desk booked on a working day, a teammate beside them, and a room they approve
    office = await office_floor(factory, runtime.db)
    day = working_weekday(1)
    unit = await factory.unit(name="Direktorat Tata Ruang")
    siti = await factory.employee(unit, name="Siti Rahmawati")
    teammate = await factory.employee(unit, name="Budi Santoso")
    await factory.role(siti, Role.ADMIN)
    async with runtime.db.read() as session:
        room = (await session.scalars(select(Space).where(Space.code == "R1"))).one()
    await factory.approver(room, siti)
    mine, beside, free = office.desk("T2-3-A1"), office.desk("T2-3-A2"), office.desk("T2-3-A9")
    booking = await runtime.bookings.book_desk(siti.id, BookDeskRequest(mine.id, day))
    await runtime.bookings.book_desk(teammate.id, BookDeskRequest(beside.id, day, time(8), time(12)))
    floor = office.floor.id
    pages = [
        "/",
        f"/floors/{floor}?date={day}",
        f"/floors/{floor}?date={day}&desk={free.id}",
        f"/find-desk?date={day}",
        f"/rooms?date={day}",
        "/approvals",
        f"/bookings/repeat?space={free.id}&date={day}",
        "/my-week",
        "/my-bookings",
        f"/bookings/{booking.id}/cancel",
        f"/spaces/{mine.id}/qr-card",
        f"/check-in/{mine.id}",
        f"/units/{unit.id}/compliance",
        f"/units/{unit.id}/compliance/trend",
        f"/units/{unit.id}/compliance/day?day={day}",
        f"/units/{unit.id}/anchor-days",
        "/team/compliance",
        "/my-week/history",
        "/exemptions",
        "/exemptions/queue",
        "/account",
        "/account/data",
        "/notifications",
        "/notifications/preferences",
        "/notifications/unsubscribe/" + make_token(runtime.settings.secret_key, siti.id, NotificationKind.UNIT_DIGEST),
        "/admin",
        "/admin/places",
        f"/admin/places/floors/{floor}",
        f"/admin/places/floors/{floor}/plan",
        f"/admin/closures?floor={floor}",
        "/admin/rules",
        "/admin/quotas",
        "/admin/roles",
        "/admin/audit",
        "/admin/people/import",
        "/admin/accounts",
        "/admin/hr-records",
        "/admin/notifications",
        "/admin/policies",
        "/admin/policies/new",
        "/admin/attendance",
        "/admin/attendance/reconciliation",
        "/capacity",
        f"/capacity/forecast?scope=building-{office.floor.building_id}&weeks=2",
        f"/capacity/planner?run=1&building={office.floor.building_id}&siblings=on",
    ]

    found: dict[str, list[str]] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        try:
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()
            for path in pages:
                for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                    await page.set_viewport_size(size)
                    response = await page.goto(f"{server}{path}")
                    assert response is not None and response.ok, f"{path}: {response.status if response else None}"
                    violations = await axe_violations(page)
                    if violations:
                        found[f"{path} ({name})"] = violations
        finally:
            await browser.close()
    # then: every page passes at both widths
    assert found == {}
