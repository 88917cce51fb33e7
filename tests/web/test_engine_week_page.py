"""Issue 14 on My week's page: each day's working hours (Ramadan's Friday has its own) and a past week without
attendance data shown as "no attendance data", not as non-compliance, in both languages.

The clock is Tuesday 9 July 2030, 06:00 WITA.
"""

from datetime import date

import pytest

from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import Clock, at
from tests.support.pages import PageClient

MONDAY = date(2030, 7, 8)
LAST_MONDAY = date(2030, 7, 1)
RAMADAN_DAYS = [
    *({"weekday": n, "start": "08:00:00", "end": "15:00:00", "hours": 6.5} for n in range(4)),
    {"weekday": 4, "start": "08:00:00", "end": "15:30:00", "hours": 6.5},
]


@pytest.fixture
def clock(pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(at(date(2030, 7, 9), 6))
    runtime = pages.http.app.state.runtime
    for service in (runtime, runtime.bookings, runtime.policies, runtime.required_days):
        monkeypatch.setattr(service, "clock", clock)
    return clock


async def person(factory: Factory) -> Employee:
    await factory.policy({"max_remote_days_per_week": 2, "min_office_days_per_week": 3}, name="PermenPANRB")
    await factory.policy(
        {"working_hours": {"start": "08:00:00", "hours_per_week": 32.5, "days": RAMADAN_DAYS}},
        is_overlay=True,
        effective_from=date(2030, 7, 11),  # a Thursday
        name="Ramadan",
    )
    return await factory.employee(name="Siti Rahmawati")


def day_card(html: str, day: date) -> str:
    start = html.index(f'id="day-{day.isoformat()}"')
    end = html.find('id="day-', start + 1)
    return html[start : end if end != -1 else len(html)]


async def test_each_day_shows_its_own_hours(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    siti = await person(factory)
    await pages.act_as(siti.id)

    english = (await pages.get(f"/my-week?week={MONDAY}")).text
    pages.http.headers["accept-language"] = "id-ID,id;q=0.9"
    indonesian = (await pages.get(f"/my-week?week={MONDAY}")).text

    assert "Working hours: 07:30–16:00, 7.5 hours" in day_card(english, MONDAY)
    assert "Working hours: 08:00–15:30, 6.5 hours" in day_card(english, date(2030, 7, 12))  # Ramadan's Friday
    assert "Jam kerja: 08.00–15.00, 6,5 jam" in day_card(indonesian, date(2030, 7, 11))
    assert "Jam kerja: 07.30–16.00, 7,5 jam" in day_card(indonesian, MONDAY)
    assert "data-hours" not in day_card(indonesian, date(2030, 7, 13))  # Saturday


async def test_a_past_week_without_data_is_no_data(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    siti = await person(factory)
    await pages.act_as(siti.id)

    english = (await pages.get(f"/my-week?week={LAST_MONDAY}")).text
    pages.http.headers["accept-language"] = "id-ID,id;q=0.9"
    indonesian = (await pages.get(f"/my-week?week={LAST_MONDAY}")).text

    assert 'data-status="no_data"' in english and "No attendance data" in english
    assert "Not compliant" not in english
    assert "data-unknown" in day_card(english, LAST_MONDAY)
    assert "Tidak ada data kehadiran" in indonesian
    assert "Tidak ada data kehadiran untuk 5 hari kerja" in indonesian
