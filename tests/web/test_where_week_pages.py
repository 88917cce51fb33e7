"""My week's remote days say where they are worked, and the history of weeks (issue 14, point 8 and the employee's
pages): over HTTP, in English and Bahasa Indonesia, then once in Chromium at phone width.

The clock is Tuesday 9 July 2030, 06:00 WITA. Siti works in a directorate under a national policy (at most two
remote days a week) and her agency's policy on where remote days may be worked (her registered home and the
agency's offices: no designated places).
"""

import re
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from smartoffice.db import Database
from smartoffice.people.models import Employee
from smartoffice.policies.errors import PolicyInputCode
from smartoffice.policies.models import LocationKind, PolicyLevel, WorkDay, WorkMode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import Clock, at
from tests.support.pages import PageClient
from tests.support.statements import statements as recorded
from tests.support.week_places import BALIKPAPAN, HOME_REF, WHERE_POLICY, where_directorate

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (date(2030, 7, d) for d in range(8, 13))


@pytest.fixture
def clock(pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(at(TUESDAY, 6))
    runtime = pages.http.app.state.runtime
    for service in (runtime, runtime.bookings, runtime.policies, runtime.required_days):
        monkeypatch.setattr(service, "clock", clock)
    return clock


def day_card(html: str, day: date) -> str:
    start = html.index(f'id="day-{day.isoformat()}"')
    end = html.find('id="day-', start + 1)
    return html[start : end if end != -1 else len(html)]


async def plans(db: Database, employee: Employee) -> dict[date, tuple[WorkMode | None, str | None, str | None]]:
    async with db.read() as session:
        rows = await session.scalars(select(WorkDay).where(WorkDay.employee_id == employee.id))
        return {row.day: (row.planned, row.location_kind, row.location_detail) for row in rows}


async def test_plan_a_remote_day_with_where_it_is_worked_and_see_it(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    office = await where_directorate(factory)
    await pages.act_as(office.siti.id)
    url = f"/my-week?week={MONDAY}"

    # the form offers the places the policies allow for an anywhere day: the agency's offices, no designated place
    week = await pages.get(url)
    thursday = day_card(week.text, THURSDAY)
    assert '<select id="where-2030-07-11" name="location_kind">' in thursday
    assert '<option value="agency_office">Another office of the agency</option>' in thursday
    assert "designated_place" not in thursday
    assert 'name="location_detail"' in thursday
    assert 'href="/my-week/history" id="history-link">History of weeks</a>' in week.text

    # when Siti plans Thursday anywhere, at the Balikpapan office, and Friday at home
    fields = {"date": THURSDAY.isoformat(), "mode": "anywhere", "location_kind": "agency_office"}
    saved = await pages.submit("/my-week/plan", {**fields, "location_detail": BALIKPAPAN}, from_page=url)
    assert saved.status_code == 303
    # (a home day ignores the place fields the form keeps for anywhere days)
    home = {"date": FRIDAY.isoformat(), "mode": "home", "location_kind": "agency_office", "location_detail": "x"}
    assert (await pages.submit("/my-week/plan", home, from_page=url)).status_code == 303

    # then each day says where, and the form starts on it
    page = await pages.get(saved.headers["location"])
    thursday = day_card(page.text, THURSDAY)
    assert f'data-location="agency_office">Another office of the agency · {BALIKPAPAN}</dd>' in thursday
    assert '<option value="agency_office" selected>' in thursday
    assert f'value="{BALIKPAPAN}"' in thursday
    assert f'data-location="registered_home">Registered home · {HOME_REF}</dd>' in day_card(page.text, FRIDAY)
    assert await plans(runtime.db, office.siti) == {
        THURSDAY: (WorkMode.ANYWHERE, LocationKind.AGENCY_OFFICE, BALIKPAPAN),
        FRIDAY: (WorkMode.HOME, LocationKind.REGISTERED_HOME, HOME_REF),
    }

    # an anywhere day without saying which office is refused on the day, changing nothing
    refused = await pages.submit("/my-week/plan", {**fields, "date": WEDNESDAY.isoformat()}, from_page=url)
    shown = await pages.get(refused.headers["location"])
    assert 'data-code="LOCATION_DETAIL_NEEDED"' in shown.text
    assert str(escape(PolicyInputCode.LOCATION_DETAIL_NEEDED.message_in("en"))) in shown.text
    # and a designated place, which the form does not offer, is refused naming the agency's policy
    # (next week: this one's two remote days are planned)
    next_wednesday = WEDNESDAY + timedelta(days=7)
    sent = {**fields, "date": next_wednesday.isoformat(), "location_kind": "designated_place", "location_detail": "X"}
    refused = await pages.get((await pages.submit("/my-week/plan", sent, from_page=url)).headers["location"])
    assert 'data-code="LOCATION_KIND_NOT_ALLOWED"' in refused.text
    assert WHERE_POLICY in refused.text
    assert set(await plans(runtime.db, office.siti)) == {THURSDAY, FRIDAY}


async def test_the_places_in_bahasa_indonesia(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    office = await where_directorate(factory)
    async with runtime.db.write() as session:
        session.add(
            WorkDay(
                employee_id=office.siti.id,
                day=THURSDAY,
                planned=WorkMode.ANYWHERE,
                location_kind=LocationKind.AGENCY_OFFICE,
                location_detail=BALIKPAPAN,
            )
        )
    await pages.act_as(office.siti.id)
    pages.http.headers["accept-language"] = "id-ID,id;q=0.9"

    page = await pages.get(f"/my-week?week={MONDAY}")

    thursday = day_card(page.text, THURSDAY)
    assert f'<dt>Lokasi</dt><dd data-location="agency_office">Kantor lain instansi · {BALIKPAPAN}</dd>' in thursday
    assert "Tempat, untuk hari kerja dari mana saja" in thursday
    assert "Kantor atau tempat mana" in thursday
    assert ">Riwayat minggu</a>" in page.text
    refused = await pages.get(
        (
            await pages.submit(
                "/my-week/plan",
                {"date": FRIDAY.isoformat(), "mode": "anywhere", "location_kind": "agency_office"},
                from_page=f"/my-week?week={MONDAY}",
            )
        ).headers["location"]
    )
    assert str(escape(PolicyInputCode.LOCATION_DETAIL_NEEDED.message_in("id"))) in refused.text


async def test_the_history_of_weeks(pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock) -> None:
    # given Siti's last three weeks: in the office three days (compliant), nothing reported (no data), and three
    # days at home, one more than the week allows (not compliant)
    office = await where_directorate(factory)
    weeks_ago = [MONDAY - timedelta(weeks=n) for n in (1, 2, 3)]
    async with runtime.db.write() as session:
        for offset, mode in ((0, WorkMode.OFFICE), (2, WorkMode.HOME)):
            session.add_all(
                WorkDay(employee_id=office.siti.id, day=weeks_ago[offset] + timedelta(days=d), actual=mode)
                for d in range(3)
            )
    await pages.act_as(office.siti.id)

    # when she opens her history (from My week), the weeks are judged in a bounded number of queries
    with recorded(pages.http.app.state.runtime.db) as statements:
        page = await pages.get("/my-week/history")
    assert len(statements) < 30, len(statements)

    # then twelve weeks, newest first, each with its verdict and numbers, linking to the week
    assert page.status_code == 200
    assert "<h1>History of weeks</h1>" in page.text
    rows = re.findall(r'<tr id="week-([\d-]+)" data-status="(\w+)">', page.text)
    assert len(rows) == 12
    assert [day for day, _ in rows[:3]] == [w.isoformat() for w in weeks_ago]
    assert [status for _, status in rows[:3]] == ["compliant", "no_data", "non_compliant"]

    def row(monday: date) -> str:
        start = page.text.index(f'id="week-{monday}"')
        return page.text[start : page.text.index("</tr>", start)]

    assert f'<a href="/my-week?week={weeks_ago[0]}">Monday 1 July to Sunday 7 July 2030</a>' in row(weeks_ago[0])
    assert 'data-number="office">3 of 3<' in row(weeks_ago[0])
    assert 'data-number="remote">0 of 2<' in row(weeks_ago[0])
    assert 'data-number="remote">3 of 2<' in row(weeks_ago[2])
    assert "Not compliant" in row(weeks_ago[2])

    # in Bahasa Indonesia
    pages.http.headers["accept-language"] = "id-ID,id;q=0.9"
    page = await pages.get("/my-week/history")
    assert "<h1>Riwayat minggu</h1>" in page.text
    assert "Senin, 1 Juli s.d. Minggu, 7 Juli 2030" in page.text
    assert "3 dari 3" in page.text and "Patuh" in page.text

    # her manager sees it, linking to her weeks; a stranger may not
    await pages.act_as(office.manager.id)
    theirs = await pages.get(f"/my-week/history?employee={office.siti.id}")
    assert (
        "<h1>History of weeks of Siti Rahmawati</h1>" in theirs.text or "Riwayat minggu Siti Rahmawati" in theirs.text
    )
    assert f"/my-week?week={weeks_ago[0]}&amp;employee={office.siti.id}" in theirs.text
    await pages.act_as((await factory.employee(name="Orang Lain")).id)
    assert (await pages.get(f"/my-week/history?employee={office.siti.id}")).status_code == 403


async def test_no_anywhere_day_is_offered_where_the_policies_allow_only_the_home(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    office = await where_directorate(factory)
    await factory.policy(
        {"allowed_location_kinds": ["registered_home"]},
        name="Lokasi kerja Direktorat Perencanaan Makro",
        level=int(PolicyLevel.UNIT),
        org_unit_id=office.unit.id,
    )
    await pages.act_as(office.siti.id)

    thursday = day_card((await pages.get(f"/my-week?week={MONDAY}")).text, THURSDAY)

    assert 'value="home"' in thursday
    assert 'value="anywhere"' not in thursday
    assert 'name="location_kind"' not in thursday
