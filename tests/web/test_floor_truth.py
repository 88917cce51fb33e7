"""The floor page draws the floor's plan image under the desks, and says why a desk is unavailable in the
visitor's language."""

from smartoffice.places.models import FloorPlan
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import at, tomorrow
from tests.support.pages import PageClient, desk_status


async def test_the_plan_image_is_drawn_under_the_desks(pages: PageClient, runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor(width=30.0, height=12.0)
    await factory.desk(floor)
    plain = await pages.get(f"/floors/{floor.id}?date={tomorrow()}")
    assert "<image" not in plain.text

    async with runtime.db.write() as session:
        session.add(FloorPlan(floor_id=floor.id, content_type="image/svg+xml", data=b"<svg/>", digest="ab12" * 16))
    response = await pages.get(f"/floors/{floor.id}?date={tomorrow()}")

    html = response.text
    image = f'<image class="plan__image" href="/floors/{floor.id}/plan-image?v={"ab12" * 16}"'
    assert image in html
    assert html.index(image) < html.index('<a class="desk')  # under the desks


async def test_a_closed_desk_says_why_in_indonesian(pages: PageClient, factory: Factory) -> None:
    day = tomorrow()
    floor = await factory.floor()
    desk = await factory.desk(floor, code="T2-3-A1")
    await factory.closure("Renovasi lantai 3", space_id=desk.id, start_at=at(day, 0), end_at=at(day, 23))
    me = await factory.employee()
    await pages.act_as(me.id)
    await pages.submit("/language", {"language": "id"}, from_page="/")

    response = await pages.get(f"/floors/{floor.id}?date={day}&desk={desk.id}")

    assert desk_status(response.text, desk.id) == "unavailable"
    why = "Ditutup pada waktu tersebut: Renovasi lantai 3"
    assert f'{why}" data-desk-id="{desk.id}"' in response.text  # the end of the desk's label on the plan
    panel = response.text.split('id="desk-panel"')[1].split("</aside>")[0]
    assert why in panel
    assert 'class="book-form"' not in panel
