"""The unit compliance page (``/units/{id}/compliance``) for the head of a unit by position, with no grant; not for
a struktural employee who is not the head, nor for a head who left."""

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.org_chart import build_org_chart, set_employee
from tests.support.pages import PageClient
from tests.support.policies import MON


async def test_the_head_by_position_opens_the_unit_compliance_page(
    pages: PageClient, runtime: Runtime, factory: Factory
) -> None:
    org = await build_org_chart(factory)
    url = f"/units/{org.directorate.id}/compliance?week={MON}"

    await pages.act_as(org.director.id)
    week = await pages.get(f"/my-week?week={MON}")  # the link needs policies/weeks.py's units_managed_by
    page = await pages.get(url)
    await pages.act_as(org.vice.id)
    vice = await pages.get(url)
    await set_employee(runtime.db, org.director, active=False)
    await pages.act_as(org.deputy_head.id)
    above = await pages.get(url)
    await pages.act_as(org.director.id)
    gone = await pages.get(url)

    assert f'<a href="{url}">Compliance of Direktorat Perencanaan</a>' in week.text
    assert page.status_code == 200
    assert "<h1>Compliance: Direktorat Perencanaan</h1>" in page.text
    assert f'<tr id="member-{org.staff[0].id}"' in page.text
    assert vice.status_code == 403
    assert above.status_code == 200
    assert gone.status_code == 200 and "<h1>Compliance:" not in gone.text  # a leaver acts as nobody: the picker
