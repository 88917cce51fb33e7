"""``/admin/rules`` over HTTP without JavaScript: desk and room rules side by side, default or this building's,
editing (post/redirect/get), refusals with the input kept, reset to the default, the defaults for admins only."""

from typing import Any

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.office import Office, build_office
from tests.support.pages import PageClient

DESK_FORM = {
    "kind": "desk",
    "max_days_in_advance": "7",
    "min_duration_minutes": "60",
    "max_duration_minutes": "1440",
    "max_active_bookings": "20",
    "cancellation_deadline_minutes": "0",
    "check_in_opens_minutes": "30",
    "check_in_grace_minutes": "30",
    "closed_on_holidays": "on",
}


async def _office(factory: Factory) -> Office:
    return await build_office(factory)


def _card(html: str, building_id: int) -> str:
    start = html.index(f'id="building-{building_id}"')
    return html[start : html.index("</section>", start)]


async def test_edit_a_buildings_desk_rules_then_reset(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    office = await _office(factory)
    building = office.floor.building_id
    await pages.act_as(office.facilities_1.id)

    before = await pages.get("/admin/rules")
    form = await pages.get(f"/admin/rules/edit?building={building}&kind=desk")
    saved = await pages.submit("/admin/rules/edit", {**DESK_FORM, "building": building}, from_page="/admin/rules")
    after = await pages.get(saved.headers["location"])
    edit_again = await pages.get(f"/admin/rules/edit?building={building}&kind=desk")
    reset = await pages.submit("/admin/rules/reset", {"building": building, "kind": "desk"}, from_page="/admin/rules")
    after_reset = await pages.get(reset.headers["location"])

    assert before.status_code == 200 and _card(before.text, building).count(">default</span>") == 2
    assert "existing bookings stay as they are" in before.text
    assert form.status_code == 200 and 'name="max_days_in_advance"' in form.text and 'value="28"' in form.text
    assert 'name="buffer_minutes"' not in form.text  # desks have no buffer
    assert saved.status_code == 303 and saved.headers["location"] == f"/admin/rules?done=saved#building-{building}"
    assert "The rules are saved." in after.text
    card = _card(after.text, building)
    assert "this building" in card and "7 days" in card and card.count(">default</span>") == 1
    assert "Reset to the default rules" in edit_again.text
    assert reset.status_code == 303 and "The building follows the default rules again." in after_reset.text
    assert _card(after_reset.text, building).count(">default</span>") == 2


async def test_refusals_keep_the_input_and_mark_the_field(pages: PageClient, factory: Factory) -> None:
    office = await _office(factory)
    building = office.floor.building_id
    await pages.act_as(office.facilities_1.id)

    too_far = await pages.submit(
        "/admin/rules/edit", {**DESK_FORM, "building": building, "max_days_in_advance": "400"}, from_page="/admin/rules"
    )
    not_a_number = await pages.submit(
        "/admin/rules/edit",
        {**DESK_FORM, "building": building, "max_active_bookings": "lima"},
        from_page="/admin/rules",
    )

    assert too_far.status_code == 422 and 'data-code="ADVANCE_DAYS_OUT_OF_RANGE"' in too_far.text
    assert "Booking ahead must be between 0 and 365 days" in too_far.text
    assert 'value="400" required aria-describedby="rule-max_days_in_advance-hint" aria-invalid="true"' in too_far.text
    assert not_a_number.status_code == 422 and "Bookings one person may hold: enter a whole number" in not_a_number.text
    assert 'value="lima"' in not_a_number.text


async def test_only_admins_edit_the_defaults(pages: PageClient, factory: Factory) -> None:
    office = await _office(factory)
    fields: dict[str, Any] = {**DESK_FORM}

    await pages.act_as(office.facilities_1.id)
    manager_page = await pages.get("/admin/rules")
    refused = await pages.submit("/admin/rules/edit", fields, from_page="/admin/rules")
    await pages.act_as(office.admin.id)
    admin_page = await pages.get("/admin/rules")

    assert "Only administrators change the default rules." in manager_page.text
    assert 'href="/admin/rules/edit?kind=desk"' not in manager_page.text
    assert refused.status_code == 403 and 'data-code="ADMINS_ONLY"' in refused.text
    assert 'href="/admin/rules/edit?kind=desk"' in admin_page.text


async def test_another_sites_manager_does_not_see_the_building(pages: PageClient, factory: Factory) -> None:
    office = await _office(factory)
    building = office.floor.building_id
    await pages.act_as(office.facilities_2.id)

    page = await pages.get("/admin/rules")
    edit = await pages.get(f"/admin/rules/edit?building={building}&kind=room")

    assert f'id="building-{building}"' not in page.text
    assert edit.status_code == 403
