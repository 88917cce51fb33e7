"""``/admin/quotas`` over HTTP without JavaScript: who may open it, setting a quota on two weekdays
(post/redirect/get), refusals shown with the input kept, removing one after the confirmation step."""

import re

import httpx
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.quotas.models import SeatQuota
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.office import Office, build_office
from tests.support.pages import CSRF_FIELD, PageClient


async def post_form(pages: PageClient, url: str, fields: list[tuple[str, str]]) -> httpx.Response:
    """POST a form with repeated fields (the weekday checkboxes), with the CSRF token of /admin/quotas's form."""
    page = await pages.get("/admin/quotas")
    match = CSRF_FIELD.search(page.text)
    token = match.group(1) if match else pages.http.cookies["csrftoken"]
    data: dict[str, list[str]] = {"_csrf_token": [token]}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return await pages.http.post(url, data=data, follow_redirects=False)


def quota_fields(office: Office, seats: str = "3", weekdays: tuple[str, ...] = ("2", "4")) -> list[tuple[str, str]]:
    return [
        ("holder", f"organisation-{office.directorate_a.organisation_id}"),
        ("place", f"floor-{office.floor.id}"),
        ("seats", seats),
        ("note", "SK Sekjen 12/2026"),
        *(("weekdays", day) for day in weekdays),
    ]


async def quotas(runtime: Runtime) -> list[tuple[int, int]]:
    async with runtime.db.read() as session:
        rows = await session.execute(select(SeatQuota.weekday, SeatQuota.seats).order_by(SeatQuota.weekday))
        return [(w, s) for w, s in rows]


async def test_a_plain_employee_and_a_unit_manager_are_refused(pages: PageClient, factory: Factory) -> None:
    office = await build_office(factory)

    await pages.act_as(office.alice.id)
    plain = await pages.get("/admin/quotas")
    await pages.act_as(office.manager_a.id)
    unit_manager = await pages.get("/admin/quotas")

    assert plain.status_code == 403
    assert unit_manager.status_code == 403 and 'data-code="NOT_A_FACILITIES_MANAGER"' in unit_manager.text


async def test_set_a_quota_on_two_weekdays_then_remove_one(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    office = await build_office(factory)
    await pages.act_as(office.facilities_1.id)

    page = await pages.get("/admin/quotas")
    done = await post_form(pages, "/admin/quotas", quota_fields(office))
    listed = await pages.get(done.headers["location"])

    assert page.status_code == 200 and f'value="floor-{office.floor.id}"' in page.text
    assert "What a quota means" in page.text and "No quotas yet" in page.text
    assert done.status_code == 303 and done.headers["location"] == "/admin/quotas?done=set"
    assert "The quota is saved." in listed.text and "SK Sekjen 12/2026" in listed.text
    assert "Tuesday: shares total 3 of 4 desks" in listed.text
    assert await quotas(runtime) == [(2, 3), (4, 3)]

    tuesday = re.search(r'data-quota-id="(\d+)">\s*<td>Tuesday', listed.text)
    assert tuesday is not None
    confirm = await pages.get(f"/admin/quotas/{tuesday.group(1)}/remove")
    assert confirm.status_code == 200 and "Remove the quota of" in confirm.text
    assert await quotas(runtime) == [(2, 3), (4, 3)]  # nothing changes before the confirmation

    removed = await pages.submit(f"/admin/quotas/{tuesday.group(1)}/remove", {}, from_page="/admin/quotas")
    after = await pages.get(removed.headers["location"])

    assert removed.status_code == 303 and "The quota is removed." in after.text
    assert await quotas(runtime) == [(4, 3)]
    async with runtime.db.read() as session:
        actions = (await session.scalars(select(AuditEntry.action).where(AuditEntry.entity_kind == "SeatQuota"))).all()
    assert sorted(actions) == ["seat_quota.create", "seat_quota.create", "seat_quota.remove"]


async def test_refusals_keep_the_input(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    office = await build_office(factory)
    await pages.act_as(office.facilities_1.id)

    too_many = await post_form(pages, "/admin/quotas", quota_fields(office, seats="9", weekdays=("3",)))
    no_days = await post_form(pages, "/admin/quotas", quota_fields(office, weekdays=()))
    no_seats = await post_form(pages, "/admin/quotas", quota_fields(office, seats=""))
    reserved_floor = await post_form(pages, "/admin/quotas", [*quota_fields(office), ("exclusive", "on")])

    assert too_many.status_code == 422 and 'data-code="QUOTA_SEATS_ABOVE_DESKS"' in too_many.text
    assert 'value="9"' in too_many.text and 'value="3" checked' in too_many.text
    assert f'value="floor-{office.floor.id}" selected' in too_many.text
    assert no_days.status_code == 422 and 'data-code="QUOTA_NO_WEEKDAYS"' in no_days.text
    assert no_seats.status_code == 422 and "Enter the number of seats" in no_seats.text
    assert reserved_floor.status_code == 422 and 'data-code="QUOTA_EXCLUSIVE_ZONES_ONLY"' in reserved_floor.text
    assert 'name="exclusive" checked' in reserved_floor.text
    assert await quotas(runtime) == []


async def test_another_sites_manager_sees_no_place_and_cannot_set(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    office = await build_office(factory)
    await pages.act_as(office.facilities_2.id)

    page = await pages.get("/admin/quotas")
    refused = await post_form(pages, "/admin/quotas", quota_fields(office))

    assert page.status_code == 200 and f'value="floor-{office.floor.id}"' not in page.text
    assert refused.status_code == 403 and 'data-code="NOT_A_FACILITIES_MANAGER"' in refused.text
    assert await quotas(runtime) == []
