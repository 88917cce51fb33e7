"""The "my week" and unit compliance pages: over HTTP against a seeded directorate, then once in Chromium.

The directorate: Bappenas's Direktorat Perencanaan Makro, its hot desks in Zona B3, a national policy (at most two
remote days, anchor days required, at most 30 % of a unit remote on a day, no remote days during a discipline
case) and Wednesday as its anchor day. The clock is Tuesday 9 July 2030, 06:00 WITA: Monday is past.
"""

import re
from dataclasses import dataclass
from datetime import date, time

import httpx
import pytest
from markupsafe import escape
from sqlalchemy import select

from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.db import Database
from smartoffice.errors import CommonInputCode
from smartoffice.people.models import Employee, OrgUnit, PositionKind, Role
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.policies.errors import PolicyPermissionCode, PolicyRefusalCode
from smartoffice.policies.models import CaseStatus, DisciplineCase, Policy, WorkDay, WorkMode
from smartoffice.policies.wording import explain
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import WITA, Clock, at
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.pages import PageClient

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (date(2030, 7, d) for d in range(8, 13))
NEXT_WEDNESDAY = date(2030, 7, 17)
POLICY_NAME = "Fleksibilitas lokasi kerja ASN"
LEGAL_BASIS = "PermenPANRB 4/2025 Pasal 13(1)"


@dataclass
class Directorate:
    unit: OrgUnit
    floor: Floor
    desks: list[Space]
    manager: Employee
    """Budi Santoso: the unit's manager and Siti's direct supervisor."""
    siti: Employee
    andi: Employee
    """Under an active discipline sanction: every working day is an office day."""
    dewi: Employee
    """Planned in the office Tuesday to Thursday."""
    policy: Policy


async def directorate(factory: Factory, db: Database) -> Directorate:
    organisation = await factory.organisation(code="BAPPENAS", name="Kementerian PPN/Bappenas")
    unit = await factory.unit(organisation, code="DIR-MAKRO", name="Direktorat Perencanaan Makro")
    building = await factory.building(name="Menara Kemenko 1", code="T1")
    floor = await factory.floor(building, level=3, name="Lantai 3")
    zone = await factory.zone(floor, code="B3", name="Zona B3", org_unit_id=unit.id)
    desks = [await factory.desk(floor, zone_id=zone.id, code=f"B3-{n}") for n in range(1, 7)]
    manager = await factory.employee(
        unit, name="Budi Santoso", position_kind=PositionKind.MANAGERIAL, position_level=None
    )
    await factory.role(manager, Role.UNIT_MANAGER, org_unit_id=unit.id)
    siti = await factory.employee(unit, name="Siti Rahmawati", supervisor_id=manager.id)
    andi = await factory.employee(unit, name="Andi Wijaya", supervisor_id=manager.id)
    dewi = await factory.employee(unit, name="Dewi Lestari", supervisor_id=manager.id)
    policy = await factory.policy(
        {
            "max_remote_days_per_week": 2,
            "anchor_days_required": True,
            "max_unit_remote_percent": 30,
            "eligibility": {"no_discipline_case": True},
        },
        name=POLICY_NAME,
        legal_basis=LEGAL_BASIS,
    )
    await factory.anchor_day(unit, WEDNESDAY.weekday())
    async with db.write() as session:
        session.add(DisciplineCase(employee_id=andi.id, status=CaseStatus.ACTIVE, opened_on=date(2030, 1, 6)))
        session.add_all(
            WorkDay(employee_id=dewi.id, day=d, planned=WorkMode.OFFICE) for d in (TUESDAY, WEDNESDAY, THURSDAY)
        )
    return Directorate(unit, floor, desks, manager, siti, andi, dewi, policy)


@pytest.fixture
def clock(pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The app's clock: Tuesday 9 July 2030, 06:00 WITA."""
    clock = Clock(at(TUESDAY, 6))
    runtime = pages.http.app.state.runtime
    for service in (runtime, runtime.bookings, runtime.policies, runtime.required_days):
        monkeypatch.setattr(service, "clock", clock)
    return clock


def said(text: str) -> str:
    """A message as the page's HTML carries it (escaped, as Jinja escapes it)."""
    return str(escape(text))


def day_card(html: str, day: date) -> str:
    """The HTML of one day's card, from its id to the next day's."""
    start = html.index(f'id="day-{day.isoformat()}"')
    end = html.find('id="day-', start + 1)
    return html[start : end if end != -1 else len(html)]


def attribute(html: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', html)
    assert match, f"no {name} attribute"
    return match.group(1)


def number(html: str, name: str) -> str:
    match = re.search(rf'data-number="{name}">([^<]*)<', html)
    assert match, f"no number {name}"
    return match.group(1)


async def followed(pages: PageClient, response: httpx.Response) -> httpx.Response:
    """The page a form's 303 leads to (after a refusal: the page that shows the error, once)."""
    assert response.status_code == 303
    return await pages.get(response.headers["location"])


async def work_days(db: Database, employee: Employee) -> dict[date, WorkMode | None]:
    async with db.read() as session:
        rows = await session.scalars(select(WorkDay).where(WorkDay.employee_id == employee.id))
        return {row.day: row.planned for row in rows}


async def test_nobody_acting_is_asked_who_they_are(pages: PageClient) -> None:
    page = await pages.get("/my-week")
    assert page.status_code == 200
    assert 'href="/?next=%2Fmy-week#identity"' in page.text
    assert '<a href="/my-week" aria-current="page">My week</a>' in page.text  # the navigation's link


async def test_the_week_says_which_days_are_required_and_why(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given Siti, whose teammates hold two desks of Zona B3 on the anchor day
    office = await directorate(factory, runtime.db)
    for person, desk in ((office.dewi, office.desks[0]), (office.manager, office.desks[1])):
        await insert_booking(runtime.db, desk, person, at(WEDNESDAY, 8), at(WEDNESDAY, 16))
    await pages.act_as(office.siti.id)

    # when she opens her week (the home page links to it)
    home = await pages.get("/")
    assert 'href="/my-week">My week: office days and plans</a>' in home.text
    page = await pages.get(f"/my-week?week={THURSDAY}")

    # then Wednesday is required, because of the anchor day, naming the policy and its legal basis
    assert page.status_code == 200
    assert "<h1>My week</h1>" in page.text
    assert "Monday 8 July to Sunday 14 July 2030" in page.text
    wednesday = day_card(page.text, WEDNESDAY)
    assert attribute(wednesday, "data-requirement") == "required"
    assert 'data-reason="ANCHOR_DAY"' in wednesday
    assert said(explain("en", ReasonCode.ANCHOR_DAY, {})) in wednesday
    assert f"{POLICY_NAME} · {LEGAL_BASIS}" in wednesday
    assert f'href="/floors/{office.floor.id}?date={WEDNESDAY}">Book a desk' in wednesday
    assert attribute(day_card(page.text, THURSDAY), "data-requirement") == "flexible"
    assert attribute(day_card(page.text, date(2030, 7, 13)), "data-requirement") == "not_working"
    assert 'name="mode"' not in day_card(page.text, MONDAY)  # the past cannot be planned
    assert 'name="mode"' in day_card(page.text, TUESDAY)

    # and the week's numbers, status and a suggestion that opens the floor at a free desk next to the team
    assert number(page.text, "office-days-needed") == "3"
    assert number(page.text, "remote-days-allowed") == "2"
    assert number(page.text, "still-to-choose") == "2"
    assert 'id="compliance" data-status="at_risk"' in page.text
    assert 'data-reason="REQUIRED_DAY_NOT_PLANNED"' in page.text
    assert "From 07:30, 37.5 hours a week" in page.text
    free = office.desks[2]
    assert (
        "Wednesday 10 July is your unit&#39;s anchor day: 2 of your team have desks in Zona B3, desk B3-3 is free"
        in page.text
    )
    assert (
        f'href="/floors/{office.floor.id}?date={WEDNESDAY}&amp;desk={free.id}#desk-panel">Book desk B3-3' in page.text
    )
    assert "Units you manage" not in page.text  # Siti manages no unit


async def test_plan_a_remote_day_and_see_it(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    office = await directorate(factory, runtime.db)
    await pages.act_as(office.siti.id)
    url = f"/my-week?week={MONDAY}"

    response = await pages.submit("/my-week/plan", {"date": THURSDAY.isoformat(), "mode": "home"}, from_page=url)

    assert response.status_code == 303
    assert response.headers["location"] == f"/my-week?week={THURSDAY}&saved={THURSDAY}#day-{THURSDAY}"
    page = await pages.get(response.headers["location"])
    assert "Your plan for Thursday 11 July is saved." in page.text
    thursday = day_card(page.text, THURSDAY)
    assert attribute(thursday, "data-planned") == "home"
    assert '<input type="radio" name="mode" value="home" checked>' in thursday
    assert await work_days(runtime.db, office.siti) == {THURSDAY: WorkMode.HOME}

    # clearing the plan
    response = await pages.submit("/my-week/plan", {"date": THURSDAY.isoformat(), "mode": "none"}, from_page=url)
    assert response.status_code == 303
    assert attribute(day_card((await pages.get(url)).text, THURSDAY), "data-planned") == ""


async def test_a_refused_remote_plan_is_explained_and_changes_nothing(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    office = await directorate(factory, runtime.db)
    await pages.act_as(office.siti.id)
    url = f"/my-week?week={MONDAY}"

    # the anchor day cannot be a home day: the form redirects back to the day, which says why once
    response = await pages.submit("/my-week/plan", {"date": WEDNESDAY.isoformat(), "mode": "home"}, from_page=url)

    assert response.headers["location"] == f"/my-week?week={WEDNESDAY}#day-{WEDNESDAY}"
    refused = await followed(pages, response)
    assert 'data-code="DAY_REQUIRED_IN_OFFICE"' in refused.text
    assert "Not possible under your office-day policy" in refused.text
    assert f"{POLICY_NAME} ({LEGAL_BASIS})" in refused.text
    assert "Wednesday 10 July" in refused.text
    assert attribute(day_card(refused.text, WEDNESDAY), "data-planned") == ""
    assert await work_days(runtime.db, office.siti) == {}
    assert "data-code=" not in (await pages.get(response.headers["location"])).text  # a reload: said once

    # nor a third remote day in a week that allows two
    for day in (TUESDAY, THURSDAY):
        fields = {"date": day.isoformat(), "mode": "anywhere", "location_kind": "agency_office", "location_detail": "X"}
        response = await pages.submit("/my-week/plan", fields, from_page=url)
        assert response.status_code == 303
    refused = await followed(
        pages, await pages.submit("/my-week/plan", {"date": FRIDAY.isoformat(), "mode": "home"}, from_page=url)
    )
    assert 'data-code="REMOTE_ALLOWANCE_USED"' in refused.text
    assert await work_days(runtime.db, office.siti) == {TUESDAY: WorkMode.ANYWHERE, THURSDAY: WorkMode.ANYWHERE}

    # nor a day in the past, nor a mode the form does not offer
    past = await followed(
        pages, await pages.submit("/my-week/plan", {"date": MONDAY.isoformat(), "mode": "home"}, from_page=url)
    )
    assert said(CommonInputCode.PAST_DAY.message_in("en")) in past.text
    bogus = await followed(
        pages, await pages.submit("/my-week/plan", {"date": FRIDAY.isoformat(), "mode": "beach"}, from_page=url)
    )
    assert "Choose office, home, anywhere, leave, duty travel or no plan." in bogus.text


async def test_in_bahasa_indonesia(pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock) -> None:
    office = await directorate(factory, runtime.db)
    await pages.act_as(office.siti.id)
    pages.http.headers["accept-language"] = "id-ID,id;q=0.9,en;q=0.5"

    page = await pages.get(f"/my-week?week={MONDAY}")

    assert '<html lang="id">' in page.text
    assert "<h1>Minggu saya</h1>" in page.text
    assert "Senin, 8 Juli s.d. Minggu, 14 Juli 2030" in page.text
    wednesday = day_card(page.text, WEDNESDAY)
    assert "<h3>Rabu, 10 Juli</h3>" in wednesday
    assert "Wajib di kantor" in wednesday
    assert said(explain("id", ReasonCode.ANCHOR_DAY, {})) in wednesday
    assert "Simpan rencana" in wednesday
    assert "Mulai pukul 07.30, 37,5 jam per minggu" in page.text
    assert "Berhenti bertindak" in page.text

    refused = await followed(
        pages,
        await pages.submit(
            "/my-week/plan", {"date": WEDNESDAY.isoformat(), "mode": "home"}, from_page=f"/my-week?week={MONDAY}"
        ),
    )
    assert "Tidak dapat dilakukan menurut kebijakan hari kerja di kantor" in refused.text
    refusal = PolicyRefusalCode.DAY_REQUIRED_IN_OFFICE
    expected = said(refusal.message_in("id", day="Rabu, 10 Juli 2030", policy=POLICY_NAME, legal_basis=LEGAL_BASIS))
    assert expected in refused.text


async def test_unit_compliance_for_its_manager_not_for_others(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given Budi and Siti both planned at home on Thursday: half the unit, over its 30 % cap
    office = await directorate(factory, runtime.db)
    async with runtime.db.write() as session:
        session.add_all(
            WorkDay(employee_id=person.id, day=THURSDAY, planned=WorkMode.HOME)
            for person in (office.manager, office.siti)
        )
        # and the attendance source reported Andi absent on Monday (a required day under his discipline case):
        # since issue 14 a day nobody reported is unknown, not missed, and would make his week NO_DATA instead
        session.add(WorkDay(employee_id=office.andi.id, day=MONDAY, actual=WorkMode.ABSENT))
    await pages.act_as(office.manager.id)

    # Budi's week links to his unit's compliance
    week = await pages.get(f"/my-week?week={MONDAY}")
    compliance_url = f"/units/{office.unit.id}/compliance?week={MONDAY}"
    assert f'<a href="{compliance_url}">Compliance of Direktorat Perencanaan Makro</a>' in week.text

    # the table: the worst first, each with office days needed, planned and done, and problems
    page = await pages.get(compliance_url)
    assert page.status_code == 200
    assert "<h1>Compliance: Direktorat Perencanaan Makro</h1>" in page.text
    rows = re.findall(r'<tr id="member-(\d+)" data-status="(\w+)">', page.text)
    assert rows == [
        (str(office.andi.id), "non_compliant"),
        (str(office.manager.id), "at_risk"),
        (str(office.siti.id), "at_risk"),
        (str(office.dewi.id), "compliant"),
    ]
    assert 'aria-sort="ascending"' in page.text
    assert 'data-reason="REQUIRED_DAY_MISSED"' in page.text  # Andi's Monday
    assert f'<a href="/my-week?week={MONDAY}&amp;employee={office.siti.id}">Siti Rahmawati</a>' in page.text

    # and the remote share: Thursday over the cap, naming the policy
    thursday = re.search(rf'<td id="share-{THURSDAY}" data-breached="(\w+)"[^>]*>(.*?)</td>', page.text, re.S)
    assert thursday and thursday.group(1) == "true"
    assert "2 of 4 (50%)" in thursday.group(2) and "Over the cap" in thursday.group(2)
    assert f'<li id="policy-1" value="1">{POLICY_NAME}' in page.text
    assert 'data-breached="true"' not in page.text.replace(f'id="share-{THURSDAY}" data-breached="true"', "")
    assert page.text.count("At most 30%") == 5
    assert page.text.count(POLICY_NAME) == 1 and f"· {LEGAL_BASIS}</span>" in page.text

    # sorted by name, on the server
    by_name = await pages.get(f"{compliance_url}&sort=name")
    names = re.findall(r'<tr id="member-\d+" data-status="\w+">\s*<th scope="row"><a [^>]*>([^<]+)</a>', by_name.text)
    assert names == ["Andi Wijaya", "Budi Santoso", "Dewi Lestari", "Siti Rahmawati"]
    reversed_status = await pages.get(f"{compliance_url}&sort=-status")
    assert re.findall(r'<tr id="member-(\d+)"', reversed_status.text)[0] == str(office.dewi.id)

    # Budi may see Siti's week and plan for her; a stranger may see neither the unit nor her week
    siti_week = await pages.get(f"/my-week?week={MONDAY}&employee={office.siti.id}")
    assert "<h1>Week of Siti Rahmawati</h1>" in siti_week.text
    assert f'<input type="hidden" name="employee" value="{office.siti.id}">' in siti_week.text

    stranger = await factory.employee(name="Orang Lain")
    await pages.act_as(stranger.id)
    denied = await pages.get(compliance_url)
    assert denied.status_code == 403
    assert said(PolicyPermissionCode.NOT_YOUR_UNIT.message_in("en")) in denied.text
    assert (await pages.get(f"/my-week?employee={office.siti.id}")).status_code == 403
    assert "Units you manage" not in (await pages.get("/my-week")).text
    missing = await pages.get("/units/999999/compliance")
    assert missing.status_code == 404


def section(html: str, element_id: str) -> str:
    """The HTML of the element with ``element_id``, up to the end of its section (or form)."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


async def desk_bookings(db: Database, employee: Employee) -> list[tuple[int, date]]:
    """The person's active desk bookings: (desk id, local day)."""
    async with db.read() as session:
        rows = await session.execute(
            select(Booking.space_id, Booking.start_at)
            .where(Booking.employee_id == employee.id, Booking.status.in_(ACTIVE_STATUSES))
            .order_by(Booking.start_at)
        )
        return [(space_id, start_at.astimezone(WITA).date()) for space_id, start_at in rows]


async def test_the_numbers_agree_with_the_suggestions_and_a_booked_day_shows_its_desk(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given Siti with a desk on Wednesday, the anchor day: the "At risk · 1 of 3 · 2 still to choose"
    office = await directorate(factory, runtime.db)
    desk = office.desks[2]
    booking = await insert_booking(runtime.db, desk, office.siti, at(WEDNESDAY, 8), at(WEDNESDAY, 16))
    await pages.act_as(office.siti.id)
    url = f"/my-week?week={MONDAY}"

    page = await pages.get(url)

    # then the week suggests the two office days it still needs (none of her team is in), and never says the plan
    # covers the week
    assert 'id="compliance" data-status="at_risk"' in page.text
    assert (number(page.text, "office-days"), number(page.text, "still-to-choose")) == ("1", "2")
    suggestions = section(page.text, "suggestions-title")
    assert suggestions.count("<li>") == 2
    assert "Tuesday 9 July would make a good office day: nobody in your team has booked a desk yet" in suggestions
    assert "Thursday 11 July would make a good office day" in suggestions
    assert "Nothing to suggest" not in page.text

    # and Wednesday shows its desk, where it is, when, a link to the plan and to cancel; no other desk to book, and
    # no check-in before it opens
    wednesday = day_card(page.text, WEDNESDAY)
    assert f'href="/floors/{office.floor.id}?date={WEDNESDAY}&amp;desk={desk.id}#desk-panel"><strong>Desk B3-3' in (
        wednesday
    )
    assert "Lantai 3, Menara Kemenko 1" in wednesday
    assert "08:00 to 16:00" in wednesday
    assert f'href="/bookings/{booking.id}/cancel"' in wednesday
    assert "Book a desk" not in wednesday
    assert "/check-in/" not in wednesday

    # on Wednesday from 07:30 (30 minutes before the start) it offers check-in
    clock.set(time(7, 45), WEDNESDAY)
    wednesday = day_card((await pages.get(url)).text, WEDNESDAY)
    assert f'href="/check-in/{desk.id}">Check in' in wednesday

    # with desks on Thursday and Friday too, the week needs nothing more, and only now says so
    for day, other in ((THURSDAY, office.desks[3]), (FRIDAY, office.desks[4])):
        await insert_booking(runtime.db, other, office.siti, at(day, 8), at(day, 16))
    page = await pages.get(url)
    assert number(page.text, "still-to-choose") == "0"
    assert "<li>" not in section(page.text, "suggestions-title")
    assert "Nothing to suggest: your plan covers the office days this week needs." in page.text


async def test_book_my_required_days_near_the_team_day_by_day_and_once(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given Dewi at A1 on both coming anchor days; A2 is beside A1, A10 further along the row (it comes first by
    # code, as the old suggestion ordered desks); desks here may be booked at most 7 days ahead
    office = await directorate(factory, runtime.db)
    zone = await factory.zone(office.floor, code="A", name="Zona A", org_unit_id=office.unit.id)
    a1, a2, _a10 = [
        await factory.desk(office.floor, zone_id=zone.id, code=code, x=x, y=15.0)
        for code, x in (("A1", 30.0), ("A2", 32.0), ("A10", 34.0))
    ]
    for day in (WEDNESDAY, NEXT_WEDNESDAY):
        await insert_booking(runtime.db, a1, office.dewi, at(day, 8), at(day, 16))
    async with runtime.db.read() as session:
        building = await session.get_one(Building, office.floor.building_id)
    await factory.booking_rule(building, SpaceKind.DESK, max_days_in_advance=7)
    await pages.act_as(office.siti.id)

    # when Siti books her required days of this week and the next from her week
    week = await pages.get("/my-week")
    form = section(week.text, "book-required")
    assert 'name="idempotency_key"' in form and '<option value="2" selected>' in form
    fields = {"weeks": 2, "idempotency_key": "h7-book-required-days"}
    response = await pages.submit("/my-week/book-required", fields, from_page="/my-week")

    # then the 10th has A2, next to Dewi; the 17th is refused on its own, undoing nothing; the page lists both
    assert response.headers["location"] == "/my-week?booked=h7-book-required-days#required-days-result"
    page = await followed(pages, response)
    result = section(page.text, "required-days-result")
    assert re.findall(r'data-day="([\d-]+)" data-outcome="(\w+)"', result) == [
        (WEDNESDAY.isoformat(), "booked"),
        (NEXT_WEDNESDAY.isoformat(), "refused"),
    ]
    assert "1 desk booked for your required days from Tuesday 9 July to Sunday 21 July." in result
    assert f'href="/floors/{office.floor.id}?date={WEDNESDAY}&amp;desk={a2.id}#desk-panel">Desk A2 booked' in result
    assert said(BookingInputCode.TOO_FAR_AHEAD.message_in("en", days=7)) in result
    assert await desk_bookings(runtime.db, office.siti) == [(a2.id, WEDNESDAY)]
    assert "Desk A2" in day_card(page.text, WEDNESDAY)

    # sending the same form again books nothing new and shows the same results
    again = await pages.submit("/my-week/book-required", fields, from_page="/my-week")
    assert again.headers["location"] == response.headers["location"]
    assert section((await followed(pages, again)).text, "required-days-result") == result
    assert await desk_bookings(runtime.db, office.siti) == [(a2.id, WEDNESDAY)]

    # a range the form does not offer is refused on the week, changing nothing
    refused = await followed(pages, await pages.submit("/my-week/book-required", {"weeks": 9}, from_page="/my-week"))
    assert 'data-code="OUT_OF_RANGE"' in refused.text
    assert await desk_bookings(runtime.db, office.siti) == [(a2.id, WEDNESDAY)]


async def test_a_mangled_week_is_explained(pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock) -> None:
    office = await directorate(factory, runtime.db)
    await pages.act_as(office.siti.id)
    page = await pages.get("/my-week?week=next-tuesday")
    assert page.status_code == 422
    assert "That date is not valid. Use the form YYYY-MM-DD." in page.text
    assert "Monday 8 July to Sunday 14 July 2030" in page.text  # this week instead


@pytest.fixture
def demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """The served app in demo mode: the browser test chooses who it is with the demo's "act as" picker."""
    monkeypatch.setenv("SMARTOFFICE_DEMO_MODE", "1")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.usefixtures("demo_mode")  # before ``server``, which passes the environment on
async def test_plan_a_day_by_keyboard_then_see_the_unit(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    # given the directorate (the served app has the real clock: July 2030 is all future)
    office = await directorate(factory, runtime.db)
    await insert_booking(runtime.db, office.desks[0], office.dewi, at(WEDNESDAY, 8), at(WEDNESDAY, 16))
    thursday = f"#day-{THURSDAY}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1360, "height": 900})
        try:
            # I act as Siti and open my week from the navigation
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await page.get_by_role("navigation", name="Main").get_by_role("link", name="My week").click()
            await expect(page.get_by_role("heading", name="My week", level=1)).to_be_visible()
            await page.goto(f"{server}/my-week?week={MONDAY}")

            # Tab from the top of the page to Thursday's plan (its radio group is one stop), by keyboard only
            for _ in range(120):
                await page.keyboard.press("Tab")
                if await page.evaluate(f"!!document.activeElement.closest('{thursday} form')"):
                    break
            focused = await page.evaluate("[document.activeElement.name, document.activeElement.value]")
            assert focused == ["mode", "none"]
            await page.keyboard.press("ArrowRight")  # wraps to "Office (WFO)"
            await page.keyboard.press("ArrowRight")  # "Home (WFH)"
            await page.keyboard.press("Tab")
            save = page.get_by_role("button", name="Save plan for Thursday 11 July")
            await expect(save).to_be_focused()
            await page.keyboard.press("Enter")

            # the plan is saved, said so, and shown
            await expect(page.get_by_role("status")).to_have_text("Your plan for Thursday 11 July is saved.")
            await expect(page.locator(thursday)).to_have_attribute("data-planned", "home")
            await expect(page.locator(thursday).get_by_role("radio", name="Home (WFH)")).to_be_checked()
            await page.screenshot(path="/tmp/my_week.png", full_page=True)

            # on a phone, by keyboard: Tab to "Book my required days" (this week and the next, by default) and send
            # it; the week then lists each day's result, fits the screen and passes axe
            await page.set_viewport_size(PHONE)
            await page.goto(f"{server}/my-week")
            for _ in range(150):
                await page.keyboard.press("Tab")
                if await page.evaluate("document.activeElement.id === 'required-weeks'"):
                    break
            await expect(page.locator("#required-weeks")).to_have_value("2")
            await page.keyboard.press("Tab")
            await expect(page.get_by_role("button", name="Book my required days")).to_be_focused()
            await page.keyboard.press("Enter")
            await expect(page.locator("#required-days-result")).to_contain_text("for your required days")
            assert "/my-week?booked=" in page.url
            assert await axe_violations(page) == []
            await page.screenshot(path="/tmp/my_week_phone.png", full_page=True)

            # Budi, the unit's manager, follows his week's link to the unit's compliance, where his own Thursday at
            # home (planned before the cap, say) puts the unit over its 30 % that day
            async with runtime.db.write() as session:
                session.add(WorkDay(employee_id=office.manager.id, day=THURSDAY, planned=WorkMode.HOME))
            await page.get_by_role("button", name="Stop acting").click()
            await page.goto(f"{server}/?q=Budi")
            await page.get_by_role("button", name="Act as Budi Santoso").click()
            await page.goto(f"{server}/my-week?week={MONDAY}")
            await page.get_by_role("link", name="Compliance of Direktorat Perencanaan Makro").click()
            table = page.get_by_role(
                "table", name="Staff of Direktorat Perencanaan Makro and their office days this week"
            )
            await expect(table.get_by_role("row")).to_have_count(5)
            await expect(table.get_by_role("rowheader", name=re.compile("Siti Rahmawati"))).to_be_visible()
            await expect(page.locator(f"#share-{THURSDAY}")).to_have_attribute("data-breached", "true")
            await expect(page.locator(f"#share-{THURSDAY}")).to_contain_text("Over the cap")
            await page.get_by_role("link", name="Name (sort)").click()
            await expect(page.get_by_role("columnheader", name=re.compile("^Name"))).to_have_attribute(
                "aria-sort", "ascending"
            )
            await page.screenshot(path="/tmp/compliance.png", full_page=True)
        finally:
            await browser.close()

    assert await work_days(runtime.db, office.siti) == {THURSDAY: WorkMode.HOME}
