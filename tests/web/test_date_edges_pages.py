"""Dates at the ends of the calendar in the pages' links and forms (issue 10, item 5): ``?date=9999-12-31`` ran off
the calendar while the page worked out the day's bounds or the week around it (a 500). A day outside
1970-01-01..2199-12-31 is now an invalid date, like ``2025-13-45``: a 422 page that says so, nothing written."""

import pytest
from sqlalchemy import func, select

from smartoffice.bookings.models import Booking
from smartoffice.db import Database
from smartoffice.people.models import Role
from smartoffice.policies.models import WorkDay
from tests.factories import Factory
from tests.support.pages import PageClient

EDGES = ["0001-01-01", "9999-12-31", "1969-12-31", "2200-01-01"]
INVALID = "That date is not valid"


async def count(db: Database, model: type[Booking] | type[WorkDay]) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("day", EDGES)
class TestALinkWithADayOutsideTheRange:
    async def test_floor_page(self, pages: PageClient, factory: Factory, day: str) -> None:
        floor = await factory.floor()

        response = await pages.get(f"/floors/{floor.id}?date={day}")

        assert response.status_code == 422
        assert INVALID in response.text

    async def test_home_page(self, pages: PageClient, factory: Factory, day: str) -> None:
        await factory.floor()

        response = await pages.get(f"/?date={day}")

        assert response.status_code == 422
        assert INVALID in response.text

    async def test_my_week_page(self, pages: PageClient, factory: Factory, day: str) -> None:
        await pages.act_as((await factory.employee()).id)

        response = await pages.get(f"/my-week?week={day}")

        assert response.status_code == 422
        assert INVALID in response.text

    async def test_compliance_page(self, pages: PageClient, factory: Factory, day: str) -> None:
        unit = await factory.unit()
        head = await factory.employee(unit)
        await factory.role(head, Role.ADMIN)
        await pages.act_as(head.id)

        response = await pages.get(f"/units/{unit.id}/compliance?week={day}")

        assert response.status_code == 422
        assert INVALID in response.text


@pytest.mark.parametrize("day", EDGES)
class TestAFormWithADayOutsideTheRange:
    async def test_booking_a_desk(self, pages: PageClient, factory: Factory, db: Database, day: str) -> None:
        desk, me = await factory.desk(), await factory.employee()
        await pages.act_as(me.id)

        response = await pages.submit(f"/floors/{desk.floor_id}/bookings", {"date": day, "desk_id": desk.id})

        assert response.status_code == 303  # back to the floor, which shows the error once
        assert INVALID in (await pages.get(response.headers["location"])).text
        assert await count(db, Booking) == 0

    async def test_planning_a_day(self, pages: PageClient, factory: Factory, db: Database, day: str) -> None:
        await pages.act_as((await factory.employee()).id)

        response = await pages.submit("/my-week/plan", {"date": day, "mode": "HOME"}, from_page="/my-week")

        assert response.status_code == 303  # back to the week, which shows the error once
        assert INVALID in (await pages.get(response.headers["location"])).text
        assert await count(db, WorkDay) == 0
