"""The floor page names who sits where as far as the privacy rules allow (the API's own query), marks the viewer's
team, counts free desks per zone, and filters desks by equipment without JavaScript."""

import re

from smartoffice.bookings.service import BookDeskRequest
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.pages import PageClient


def plan_desk(html: str, desk_id: int) -> str:
    match = re.search(rf'<a class="desk [^>]*data-desk-id="{desk_id}"[^>]*>.*?</a>', html)
    assert match, f"desk {desk_id} is not on the plan"
    return match.group(0)


def list_row(html: str, desk_id: int) -> str:
    match = re.search(rf'<tr id="desk-{desk_id}".*?</tr>', html, re.S)
    assert match, f"desk {desk_id} is not in the list"
    return match.group(0)


async def test_teammates_are_named_and_marked_and_a_private_stranger_is_not(
    pages: PageClient, runtime: Runtime, factory: Factory
) -> None:
    # given: my unit, a teammate on A1, a stranger from another unit who hides their presence on A2, and one from
    # another unit who shares it on A3
    floor = await factory.floor()
    zone = await factory.zone(floor, code="ZA", name="Zona A")
    a1, a2, a3, a4 = [
        await factory.desk(floor, code=f"T-A{n}", zone_id=zone.id, x=2.0 * n, amenities=amenities)
        for n, amenities in ((1, ["monitor"]), (2, ["monitor", "docking"]), (3, []), (4, ["docking"]))
    ]
    unit = await factory.unit()
    me = await factory.employee(unit, name="Andi Wijaya")
    teammate = await factory.employee(unit, name="Siti Rahmawati", share_presence=False)
    stranger = await factory.employee(name="Bambang Hidden", share_presence=False)
    sharer = await factory.employee(name="Dewi Terbuka", share_presence=True)
    day = tomorrow()
    for person, desk in ((teammate, a1), (stranger, a2), (sharer, a3)):
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day))
    await pages.act_as(me.id)

    # when
    html = (await pages.get(f"/floors/{floor.id}?date={day}&desk={a1.id}")).text

    # then: the teammate is named on the plan (accessible name), in the list and in the panel, and marked as team
    assert 'data-team="true"' in plan_desk(html, a1.id)
    assert "Siti Rahmawati (your team)" in plan_desk(html, a1.id)
    assert "Siti Rahmawati" in list_row(html, a1.id)
    panel = html.split('id="desk-panel"')[1].split("</aside>")[0]
    assert "Siti Rahmawati" in panel and "your team" in panel
    # the stranger who hides their presence is nobody, anywhere on the page
    assert "Bambang Hidden" not in html
    assert 'data-team="true"' not in plan_desk(html, a2.id)
    # the colleague who shares their presence is named, but not as my team
    assert "Dewi Terbuka" in plan_desk(html, a3.id) and "Dewi Terbuka" in list_row(html, a3.id)
    assert 'data-team="true"' not in plan_desk(html, a3.id)
    # free desks per zone
    assert "Zona A: <strong>1</strong> free of 4" in html

    # the amenity filter (a GET form): desks without docking are dimmed on the plan and left out of the list
    filtered = (await pages.get(f"/floors/{floor.id}?date={day}&amenity=docking")).text
    assert 'name="amenity" value="docking" checked' in filtered
    assert [d.id for d in (a1, a2, a3, a4) if 'data-match="no"' in plan_desk(filtered, d.id)] == [a1.id, a3.id]
    assert [d.id for d in (a1, a2, a3, a4) if " hidden>" in list_row(filtered, d.id).split("\n")[0]] == [
        a1.id,
        a3.id,
    ]
    assert "Only desks with docking are listed." in filtered

    # nobody acting (no session): no names at all
    pages.http.cookies.clear()
    anonymous = (await pages.get(f"/floors/{floor.id}?date={day}")).text
    assert "Andi Wijaya" not in anonymous
    assert "Siti Rahmawati" not in anonymous and "Dewi Terbuka" not in anonymous
