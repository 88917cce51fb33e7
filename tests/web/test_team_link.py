"""My week links a direct supervisor to their team's weeks (``/team/compliance``), and only them."""

import re

from tests.factories import Factory
from tests.support.pages import PageClient
from tests.support.policies import build_team


async def test_a_supervisor_finds_their_team_from_my_week(pages: PageClient, factory: Factory) -> None:
    team = await build_team(factory)

    await pages.act_as(team.staff[0].id)
    staff_week = await pages.get("/my-week")
    await pages.act_as(team.supervisor.id)
    supervisor_week = await pages.get("/my-week")
    link = re.search(r'href="(/team/compliance\?week=[0-9-]+)"', supervisor_week.text)
    assert link is not None
    team_page = await pages.get(link.group(1))

    assert "/team/compliance" not in staff_week.text
    assert team_page.status_code == 200
    assert all(person.name in team_page.text for person in team.staff)
