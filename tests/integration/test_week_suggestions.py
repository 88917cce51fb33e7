"""My week's suggestions, found for the whole week at once (``policies/suggestions.py``), give on every day the
desk that ``desks_near_team(limit=1)`` gives for that day alone: near the teammates, else in the home building,
else anywhere open (the search's three tiers), with and without the process's cache."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from smartoffice.bookings.nearby import desks_near_team
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.bookings.service import BookingService
from smartoffice.places.models import Space
from smartoffice.policies import weeks
from smartoffice.policies.models import PolicyLevel
from smartoffice.policies.service import PolicyService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.policies import FRI, MON, THU, TUE, WED, WEEK, Team, build_team
from tests.support.statements import statements

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 7, 3)
NOW = datetime.combine(TODAY, time(8), WITA).astimezone(UTC)
MONDAY_TO_THURSDAY = {str(n): ["07:00", "19:00"] for n in (1, 2, 3, 4)}


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


async def build_week(runtime: Runtime, team: Team, factory: Factory) -> tuple[list[Space], list[Space]]:
    """The person must be in every day; the team sits on a three-desk floor of one tower, the person's home is
    another tower (closed on Fridays). Monday and Tuesday teammates are in; Wednesday they fill their floor;
    Thursday and Friday nobody is in. The home tower's desks, then the team tower's other floor's."""
    await factory.policy({"max_remote_days_per_week": 0}, level=int(PolicyLevel.UNIT), org_unit_id=team.directorate.id)
    team_floor = await factory.floor()
    zone = await factory.zone(team_floor, name="Zona Tim", org_unit_id=team.directorate.id)
    team_desks = [await factory.desk(team_floor, code=f"T-{n}", zone_id=zone.id, x=4.0 * n) for n in (1, 2, 3)]
    other_floor = await factory.floor(await factory.building(code="Z9"))
    spare = [await factory.desk(other_floor, code=f"Z-{n}") for n in (1, 2)]
    home = await factory.building(code="A1", opening_hours=MONDAY_TO_THURSDAY)
    home_floor = await factory.floor(home)
    home_desks = [await factory.desk(home_floor, code=f"H-{n}") for n in (10, 9, 2)]
    person = team.staff[0]
    async with runtime.db.write() as session:
        (await session.get_one(type(person), person.id)).home_building_id = home.id
    bookings = BookingService(runtime.db, runtime.availability, lambda: NOW)
    for day, who in ((MON, [team.staff[1]]), (TUE, [team.staff[2], team.supervisor])):
        for desk, teammate in zip(team_desks, who, strict=False):
            await bookings.book_desk(teammate.id, BookDeskRequest(desk.id, day))
    for desk, teammate in zip(team_desks, (team.staff[1], team.staff[2], team.supervisor), strict=True):
        await bookings.book_desk(teammate.id, BookDeskRequest(desk.id, WED))
    return home_desks, spare


async def test_every_day_gets_the_desk_the_day_search_gives(runtime: Runtime, team: Team, factory: Factory) -> None:
    # given
    home_desks, _ = await build_week(runtime, team, factory)
    person = team.staff[0]
    cached = PolicyService(runtime.db, lambda: NOW, facts=runtime.policies.facts)

    # when
    week = await cached.my_week(person.id, person.id, WEEK)
    async with runtime.db.read() as session:
        plain = await weeks.my_week(session, person.id, person.id, WEEK, TODAY)
        one_by_one = {day: await desks_near_team(session, person.id, day, limit=1) for day in (MON, TUE, WED, THU, FRI)}

    # then
    expected = [(day, choices[0].space_id if choices else None) for day, choices in one_by_one.items()]
    assert sorted((s.day, s.desk_id) for s in week.suggestions) == expected
    assert sorted((s.day, s.desk_id) for s in plain.suggestions) == expected
    by_day = {s.day: s for s in week.suggestions}
    # each tier is exercised: the team's floor, the home tower (Wednesday: the team's floor is full), the home
    # tower in natural code order (Thursday: nobody in), and anywhere open (Friday: the home tower is closed)
    assert by_day[MON].desk_name == "T-2" and by_day[MON].teammates_in == 1
    assert (by_day[WED].desk_name, by_day[WED].zone_name) == ("H-2", "Zona Tim")
    assert by_day[THU].desk_id == home_desks[2].id
    assert by_day[FRI].desk_name == "T-1"  # the first open tower by code (B…, before Z9), its first desk


async def test_the_week_reads_free_desks_in_one_query(runtime: Runtime, team: Team, factory: Factory) -> None:
    # given
    await build_week(runtime, team, factory)
    person = team.staff[0]
    cached = PolicyService(runtime.db, lambda: NOW, facts=runtime.policies.facts)
    await cached.my_week(person.id, person.id, WEEK)  # the shared facts are now in memory
    # when
    with statements(runtime.db) as seen:
        week = await cached.my_week(person.id, person.id, WEEK)

    # then five days are suggested; their desks take one query, plus one for the home tower on the days the team's
    # floors are full (Wednesday: the home tower's desks are read only when needed, not every day: at tier M that
    # is ~600 rows a week fewer), plus one for Friday's wider search (the home tower is closed and nobody of the
    # team is in), which asks desks_near_team itself
    assert len(week.suggestions) == 5
    free_desk_queries = [s for s in seen if "FROM spaces JOIN floors" in s and "NOT (EXISTS" in s]
    assert len(free_desk_queries) <= 3, free_desk_queries
    assert len(seen) <= 17, seen  # with BEGIN on SQLite
