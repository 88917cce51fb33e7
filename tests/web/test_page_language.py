"""The pages' language: every page in Bahasa Indonesia with no text left untranslated, and in English; the switch
on every page, the person's saved choice and the browser's Accept-Language, in that order.

Every page is visited in every state this suite can reach (nobody acting, acting, signed in; notices and errors)
with the gettext lookups recorded: a msgid the Indonesian catalogue does not translate fails the test, and so does
an English word in the text an Indonesian page shows (text that never went through gettext).
"""

import re
from dataclasses import dataclass, field
from datetime import time, timedelta
from html import unescape

import httpx
import pytest
from sqlalchemy import select

from smartoffice import i18n
from smartoffice.db import utcnow
from smartoffice.identity.accounts import set_password
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.people.models import Employee, PositionKind, Role
from smartoffice.places.models import Space
from smartoffice.policies.models import Rating, WorkMode
from smartoffice.runtime import Runtime
from smartoffice.web.language import LANGUAGE_COOKIE
from tests.factories import Factory
from tests.support.auth import login_session
from tests.support.bookings import insert_booking
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.pages import PageClient

MONDAY, WEDNESDAY, THURSDAY = DAY - timedelta(days=1), DAY + timedelta(days=1), DAY + timedelta(days=2)
PASSWORD = "rahasia-yang-panjang"
ENGLISH_WORDS = {
    *("the", "you", "your", "and", "of", "is", "are", "to", "for", "this", "on", "at", "with", "not", "no"),
    *("desk", "desks", "book", "booked", "booking", "cancel", "choose", "free", "day", "week", "today", "floor"),
    *("sign", "home", "office", "plan", "search", "who", "show", "next", "previous", "close", "zone"),
}
"""Words an Indonesian page never shows: if one does, some text did not go through gettext. (The test data's
names are Indonesian, so they cannot trip it.)"""


@dataclass
class Office:
    floor_id: int
    desks: list[Space]
    unit_id: int
    manager: Employee
    siti: Employee
    dewi: Employee
    stranger: Employee
    admin: Employee


@dataclass
class Visit:
    name: str
    response: httpx.Response
    status: int


@dataclass
class Visits:
    pages: PageClient
    done: list[Visit] = field(default_factory=list)

    async def get(self, name: str, url: str, status: int = 200) -> httpx.Response:
        response = await self.pages.get(url)
        self.done.append(Visit(name, response, status))
        return response

    async def post(self, name: str, url: str, fields: dict[str, str | int], status: int, from_page: str = "/") -> None:
        response = await self.pages.submit(url, fields, from_page=from_page)
        if response.status_code == 303:  # the page it leads to, with its notice
            self.done.append(Visit(name, response, 303))
            response = await self.pages.get(response.headers["location"])
            status = 200
        self.done.append(Visit(name, response, status))


async def an_office(factory: Factory, runtime: Runtime) -> Office:
    """A directorate with its zone of desks, its manager, Siti and colleagues whose weeks have something to say:
    a discipline case, a rating below the agency's bar, too few days in the post."""
    organisation = await factory.organisation(code="BAPPENAS", name="Kementerian PPN/Bappenas")
    unit = await factory.unit(organisation, code="DIR-MAKRO", name="Direktorat Perencanaan Makro")
    site = await factory.site(name="Kawasan Inti Pusat Pemerintahan")
    building = await factory.building(site, name="Menara Kemenko Satu", code="T1")
    floor = await factory.floor(building, level=3, name="Lantai Tiga")
    zone = await factory.zone(floor, code="B3", name="Zona Barat", org_unit_id=unit.id)
    desks = [
        await factory.desk(floor, zone_id=zone.id, code=f"B3-{n}", amenities=["monitor"] if n % 2 else [])
        for n in range(1, 7)
    ]
    await factory.room(floor, code="R1", name="Ruang Garuda", capacity=8)
    manager = await factory.employee(
        unit, name="Budi Santoso", position_kind=PositionKind.MANAGERIAL, position_level=None
    )
    await factory.role(manager, Role.UNIT_MANAGER, org_unit_id=unit.id)
    siti = await factory.employee(unit, name="Siti Rahmawati", supervisor_id=manager.id)
    await factory.rating(siti, Rating.BAIK)
    andi = await factory.employee(unit, name="Andi Wijaya", supervisor_id=manager.id)
    await factory.discipline_case(andi)
    dewi = await factory.employee(unit, name="Dewi Lestari", supervisor_id=manager.id, placed_on=DAY)
    await factory.rating(dewi, Rating.BUTUH_PERBAIKAN)
    stranger = await factory.employee(name="Orang Lain")
    await factory.policy(
        {
            "max_remote_days_per_week": 2,
            "min_office_days_per_week": 3,
            "anchor_days_required": True,
            "supervisor_copresence_days": 1,
            "max_unit_remote_percent": 30,
            "eligibility": {"no_discipline_case": True, "min_days_in_post": 180, "ratings": ["sangat_baik", "baik"]},
        },
        name="Fleksibilitas lokasi kerja ASN",
    )
    await factory.anchor_day(unit, WEDNESDAY.weekday())
    await factory.work_day(siti, THURSDAY, planned=WorkMode.HOME)
    await factory.work_day(manager, THURSDAY, planned=WorkMode.HOME)
    await factory.work_day(manager, MONDAY, actual=WorkMode.OFFICE)
    # Siti's desk today; colleagues take the others all day or for the morning
    for desk, person, hours in (
        (desks[0], siti, (8, 16)),
        (desks[1], manager, (8, 17)),
        (desks[2], andi, (8, 12)),
        (desks[3], dewi, (8, 17)),
    ):
        await insert_booking(runtime.db, desk, person, at(DAY, hours[0]), at(DAY, hours[1]))
    async with runtime.db.write() as session:
        await set_password(session, manager.id, PASSWORD, utcnow())
    admin = await factory.employee(name="Rina Kusuma")
    await factory.role(admin, Role.ADMIN)
    return Office(floor.id, desks, unit.id, manager, siti, dewi, stranger, admin)


async def visit_every_page(pages: PageClient, office: Office, clock: Clock) -> list[Visit]:
    """Every page, in the states a visitor meets it in, as one visitor would go through them."""
    visits = Visits(pages)
    floor = f"/floors/{office.floor_id}?date={DAY}"
    mine, taken, partly, free = (office.desks[i].id for i in (0, 1, 2, 5))
    checkin = f"/check-in/{mine}"
    # nobody acting yet
    await visits.get("home", "/")
    await visits.get("floor", floor)
    await visits.get("floor, a desk", f"{floor}&desk={free}")
    await visits.get("my week, nobody", "/my-week")
    await visits.get("compliance, nobody", f"/units/{office.unit_id}/compliance")
    await visits.get("check-in, nobody", checkin)
    await visits.get("login", "/login")
    await visits.post("login, wrong password", "/login", {"email": office.manager.email, "password": "x"}, 401)
    await visits.get("search", "/?q=Siti")
    await visits.get("search, nobody found", "/?q=Zzz")
    await visits.get("home, a bad date", "/?date=kemarin", 422)
    await visits.get("home, unknown employee", "/?notice=unknown_employee")
    await visits.get("home, cancelled", "/?notice=cancelled")
    await visits.get("not a floor", "/floors/999999", 404)
    await visits.post("booking before choosing", f"/floors/{office.floor_id}/bookings", {"desk_id": free}, 200)
    # acting as Siti
    await visits.post("act as", "/identity", {"employee_id": office.siti.id, "next": floor}, 200)
    await visits.get("home, acting", "/")
    await visits.get("floor, my desk", f"{floor}&desk={mine}")
    await visits.get("floor, a desk taken all day", f"{floor}&desk={taken}")
    await visits.get("floor, a desk taken in the morning", f"{floor}&desk={partly}")
    await visits.get("floor, a past day", f"/floors/{office.floor_id}?date={MONDAY}&desk={free}")
    await visits.post("book a taken desk", f"/floors/{office.floor_id}/bookings", {"date": DAY, "desk_id": taken}, 409)
    await visits.post(
        "book, a bad time", f"/floors/{office.floor_id}/bookings", {"date": DAY, "desk_id": free, "start": "9"}, 422
    )
    await visits.post("book", f"/floors/{office.floor_id}/bookings", {"date": WEDNESDAY, "desk_id": free}, 200)
    await visits.get("floor, cancelled", f"{floor}&desk={free}&notice=cancelled")
    await visits.post(
        "cancel", "/bookings/0/cancel", {"return_to": office.floor_id, "date": WEDNESDAY}, 200, from_page=floor
    )
    await visits.get("check-in, too early", checkin)
    await visits.post("check in, too early", checkin, {}, 422, from_page=checkin)
    clock.set(time(7, 45))
    await visits.get("check-in, open", checkin)
    await visits.post("check in", checkin, {}, 200, from_page=checkin)
    booking_id = re.search(r'name="booking_id" value="(\d+)"', visits.done[-1].response.text)
    assert booking_id, "no check-out form after checking in"
    await visits.post("check out", f"{checkin}/check-out", {"booking_id": booking_id.group(1)}, 200, from_page=checkin)
    await visits.get("qr code", f"/spaces/{mine}/qr.svg")
    await visits.get("qr card", f"/spaces/{mine}/qr-card")
    listed = await visits.get("my bookings", "/my-bookings")
    cancel_url = re.search(r'href="(/bookings/\d+/cancel\?return_to=%2Fmy-bookings)"', listed.text)
    assert cancel_url, "no cancel link on My bookings"
    await visits.get("cancel, the confirmation", cancel_url.group(1))
    await visits.get("cancel a range, what it cancels", f"/my-bookings/cancel-range?from={WEDNESDAY}&until={THURSDAY}")
    await visits.get("cancel a range, reversed", f"/my-bookings/cancel-range?from={THURSDAY}&until={WEDNESDAY}")
    await visits.get("a new calendar feed URL, the confirmation", "/my-bookings/calendar-feed")
    await visits.post("a new calendar feed URL", "/my-bookings/calendar-feed", {}, 200, from_page="/my-bookings")
    await visits.post("presence sharing", "/my-bookings/presence-sharing", {"share": "on"}, 200)
    await visits.get("my week", f"/my-week?week={DAY}")
    await visits.get("my week, saved", f"/my-week?week={DAY}&saved={THURSDAY}")
    await visits.get("my week, a bad week", "/my-week?week=minggu-depan", 422)
    await visits.post("plan a remote anchor day", "/my-week/plan", {"date": WEDNESDAY, "mode": "home"}, 422)
    await visits.post("plan, a bad mode", "/my-week/plan", {"date": THURSDAY, "mode": "pantai"}, 422)
    await visits.post("plan", "/my-week/plan", {"date": THURSDAY, "mode": "office"}, 200)
    await visits.get("someone else's week", f"/my-week?employee={office.manager.id}", 403)
    await visits.post("stop acting", "/identity/clear", {}, 200)
    # the unit's manager, then a stranger
    await visits.post("act as the manager", "/identity", {"employee_id": office.manager.id}, 200)
    await visits.get("my week, a manager", f"/my-week?week={DAY}")
    await visits.get("a member's week", f"/my-week?week={DAY}&employee={office.siti.id}")
    await visits.get("a member's week, below the bar", f"/my-week?week={DAY}&employee={office.dewi.id}")
    await visits.get("compliance", f"/units/{office.unit_id}/compliance?week={DAY}")
    await visits.get("compliance, by name", f"/units/{office.unit_id}/compliance?week={DAY}&sort=-name")
    await visits.get("administration, a unit manager", "/admin")
    await visits.get("roles, a unit manager", "/admin/roles")
    await visits.get("audit log, a unit manager", "/admin/audit")
    await visits.get("audit log, a bad date", "/admin/audit?from=kemarin", 422)
    await visits.get("your account", "/account")
    await visits.get("your data", "/account/data")
    await visits.get("your data, a bad format", "/account/data/download?format=xml", 422)
    await visits.post("act as an administrator", "/identity", {"employee_id": office.admin.id}, 200)
    await visits.get("people import", "/admin/people/import")
    await visits.get("accounts", "/admin/accounts")
    await visits.get("ratings and discipline", "/admin/hr-records")
    await visits.get("floor plan editor", f"/admin/places/floors/{office.floor_id}/plan")
    await visits.get("seat quotas", "/admin/quotas")
    await visits.get("closures", f"/admin/closures?floor={office.floor_id}")
    closure = {"place": f"floor:{office.floor_id}", "start_day": str(DAY), "end_day": str(DAY), "reason": "Fumigasi"}
    await visits.post("closure, who is affected", "/admin/closures/preview", closure, 200, from_page="/admin/closures")
    await visits.post(
        "closure, no reason", "/admin/closures/preview", {**closure, "reason": ""}, 422, from_page="/admin/closures"
    )
    await visits.get("booking rules", "/admin/rules")
    await visits.get("booking rules, edit the defaults", "/admin/rules/edit?kind=room")
    bad_rule = {"kind": "room", "max_days_in_advance": "x"}
    await visits.post("booking rules, a bad number", "/admin/rules/edit", bad_rule, 422, from_page="/admin/rules")
    await visits.get("places", "/admin/places")
    await visits.get("places, a floor", f"/admin/places/floors/{office.floor_id}")
    await visits.get("places, edit the floor", f"/admin/places/floor/{office.floor_id}/edit")
    await visits.get("places, add a meeting room", f"/admin/places/new/room?parent={office.floor_id}")
    await visits.get("places, edit a desk", f"/admin/places/desk/{office.desks[5].id}/edit")
    bad_desk = {"parent": office.floor_id, "code": "M 1", "x": "1", "y": "1", "width": "1", "height": "1"}
    await visits.post("places, a bad desk code", "/admin/places/new/desk", bad_desk, 422, from_page="/admin/places")
    await visits.get("places, retire a desk", f"/admin/places/desk/{office.desks[0].id}/retire")
    await visits.post("act as a stranger", "/identity", {"employee_id": office.stranger.id}, 200)
    await visits.get("compliance, not allowed", f"/units/{office.unit_id}/compliance", 403)
    await visits.get("administration, not allowed", "/admin", 403)
    forged = await pages.http.post("/my-week/plan", data={"date": str(THURSDAY), "mode": "home"})
    visits.done.append(Visit("a form without its CSRF token", forged, 403))
    # signed in
    await visits.post("sign in", "/login", {"email": office.manager.email, "password": PASSWORD}, 200)
    await visits.get("home, signed in", "/")
    return visits.done


def visible_text(html: str) -> str:
    """What a person reads or hears: the text between tags, and the labels and titles in attributes; not literal
    values in ``<code>`` (a file's column names, which a file may spell in English)."""
    html = re.sub(r"<(style|script|code)\b.*?</\1>", " ", html, flags=re.S)
    labels = re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', html)
    return unescape(" ".join([re.sub(r"<[^>]+>", " ", html), *labels]))


@pytest.fixture
def clock(runtime: Runtime, pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Tuesday 9 July 2030, 06:00 WITA, for the tests' runtime and the app's."""
    clock = install_clock(runtime, monkeypatch, Clock(at(DAY, 6)))
    return install_clock(pages.http.app.state.runtime, monkeypatch, clock)


@pytest.fixture
def missing_indonesian(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every msgid looked up in Indonesian that the catalogue does not translate (pages, errors, labels alike)."""
    missing: list[str] = []
    translations = i18n.translations("id")
    translated = translations._catalog  # type: ignore[attr-defined]  # gettext's own: msgid or (msgid, n) keys
    gettext, ngettext = translations.gettext, translations.ngettext

    def recording_gettext(message: str) -> str:
        if message not in translated:
            missing.append(message)
        return gettext(message)

    def recording_ngettext(singular: str, plural: str, n: int) -> str:
        if (singular, 0) not in translated:
            missing.append(singular)
        return ngettext(singular, plural, n)

    monkeypatch.setattr(translations, "gettext", recording_gettext)
    monkeypatch.setattr(translations, "ngettext", recording_ngettext)
    return missing


async def test_every_page_speaks_indonesian_throughout(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock, missing_indonesian: list[str]
) -> None:
    office = await an_office(factory, runtime)
    pages.http.headers["accept-language"] = "id-ID,id;q=0.9"

    visits = await visit_every_page(pages, office, clock)

    assert [(v.name, v.response.status_code) for v in visits] == [(v.name, v.status) for v in visits]
    html_pages = [v for v in visits if v.response.headers.get("content-type", "").startswith("text/html")]
    assert len(html_pages) > 40
    assert [v.name for v in html_pages if '<html lang="id">' not in v.response.text] == []
    assert missing_indonesian == []
    english = {
        v.name: sorted(ENGLISH_WORDS & set(re.findall(r"[a-z]+", visible_text(v.response.text).lower())))
        for v in html_pages
    }
    assert {name: words for name, words in english.items() if words} == {}
    # spot checks of what the lookups above cannot see: formats and labels
    my_week = next(v.response.text for v in visits if v.name == "my week")
    assert "Senin, 8 Juli s.d. Minggu, 14 Juli 2030" in my_week
    assert "Mulai pukul 07.30, 37,5 jam per minggu" in my_week
    dewis_week = next(v.response.text for v in visits if v.name == "a member's week, below the bar")
    assert "Predikat kinerja terakhir (Butuh Perbaikan) bukan salah satu dari: Sangat Baik, Baik" in dewis_week


async def test_every_page_speaks_english_by_default(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    office = await an_office(factory, runtime)

    visits = await visit_every_page(pages, office, clock)

    assert [(v.name, v.response.status_code) for v in visits] == [(v.name, v.status) for v in visits]
    html_pages = [v for v in visits if v.response.headers.get("content-type", "").startswith("text/html")]
    assert [v.name for v in html_pages if '<html lang="en">' not in v.response.text] == []
    my_week = next(v.response.text for v in visits if v.name == "my week")
    assert "Monday 8 July to Sunday 14 July 2030" in my_week
    assert "From 07:30, 37.5 hours a week" in my_week


async def test_the_switch_sets_the_cookie_and_goes_back(pages: PageClient, factory: Factory) -> None:
    switched = await pages.submit("/language", {"language": "id", "next": "/my-week?week=2030-07-09"})

    assert switched.status_code == 303
    assert switched.headers["location"] == "/my-week?week=2030-07-09"
    assert pages.http.cookies[LANGUAGE_COOKIE] == "id"
    assert '<html lang="id">' in (await pages.get("/")).text
    # the cookie wins over the browser's language
    pages.http.headers["accept-language"] = "en"
    assert '<html lang="id">' in (await pages.get("/login")).text


@pytest.mark.parametrize("next_", ["https://example.com/", "//example.com/", ""])
async def test_the_switch_only_goes_back_to_this_site(pages: PageClient, next_: str) -> None:
    switched = await pages.submit("/language", {"language": "en", "next": next_})
    assert (switched.status_code, switched.headers["location"]) == (303, "/")


async def test_an_unknown_language_changes_nothing(pages: PageClient) -> None:
    switched = await pages.submit("/language", {"language": "fr", "next": "/login"})
    assert (switched.status_code, switched.headers["location"]) == (303, "/login")
    assert LANGUAGE_COOKIE not in pages.http.cookies


async def test_every_page_offers_the_switch_back_to_itself(pages: PageClient) -> None:
    page = await pages.get("/login?next=/my-week")
    assert 'action="/language"' in page.text
    assert 'name="next" value="/login?next=/my-week"' in page.text
    assert '<button type="submit" name="language" value="id" lang="id">Bahasa Indonesia</button>' in page.text


async def test_a_signed_in_person_s_choice_is_saved_and_follows_them(
    pages: PageClient, runtime: Runtime, factory: Factory
) -> None:
    # given Siti signed in, in a browser that asks for English
    siti = await factory.employee(name="Siti Rahmawati")
    pages.http.cookies.set(SESSION_COOKIE, await login_session(runtime, siti.id))
    pages.http.headers["accept-language"] = "en"

    # when she switches to Indonesian
    await pages.submit("/language", {"language": "id", "next": "/"})

    # then her choice is saved, and her next browser (no language cookie) speaks it
    async with runtime.db.read() as session:
        assert await session.scalar(select(Employee.language).where(Employee.id == siti.id)) == "id"
    pages.http.cookies.delete(LANGUAGE_COOKIE)
    assert '<html lang="id">' in (await pages.get("/")).text
    # nobody else's pages change
    pages.http.cookies.delete(SESSION_COOKIE)
    assert '<html lang="en">' in (await pages.get("/")).text


async def test_the_browser_language_when_nothing_was_chosen(pages: PageClient) -> None:
    pages.http.headers["accept-language"] = "id-ID,id;q=0.9,en;q=0.5"
    assert '<html lang="id">' in (await pages.get("/")).text
    pages.http.headers["accept-language"] = "fr"
    assert '<html lang="en">' in (await pages.get("/")).text


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
async def test_switch_to_indonesian_in_a_browser_and_it_stays(server: str, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    await factory.employee(name="Siti Rahmawati")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(locale="en-US")
        try:
            # an English browser gets English
            await page.goto(f"{server}/?q=Siti")
            await expect(page.get_by_role("heading", level=1)).to_have_text("Book a desk in Nusantara")

            # the switch on the page: Bahasa Indonesia, back on the same page (the search kept)
            await page.get_by_role("form", name="Language").get_by_role("button", name="Bahasa Indonesia").click()
            await expect(page.locator("html")).to_have_attribute("lang", "id")
            await expect(page.get_by_role("heading", level=1)).to_have_text("Pesan meja di Nusantara")
            await expect(page).to_have_url(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Bertindak sebagai Siti Rahmawati").click()
            await expect(page.get_by_role("status")).to_have_text("Anda sekarang bertindak sebagai pegawai ini.")

            # and it stays: the next pages speak Indonesian too
            await page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Minggu saya").click()
            await expect(page.get_by_role("heading", name="Minggu saya", level=1)).to_be_visible()
            await page.goto(f"{server}/login")
            await expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")

            # until switched back
            await page.get_by_role("form", name="Bahasa").get_by_role("button", name="English").click()
            await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
            await expect(page.locator("html")).to_have_attribute("lang", "en")
        finally:
            await browser.close()
