"""People who left (``Employee.active`` false): their app tokens stop working, and nobody books for them."""

from collections.abc import AsyncIterator
from datetime import time

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from smartoffice.bookings.models import Booking
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest
from smartoffice.db import utcnow
from smartoffice.errors import InvalidInput
from smartoffice.identity import tokens
from smartoffice.identity.scopes import Scope
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import bearer, issue_token
from tests.support.clock import days_ahead, next_weekday


async def deactivate(runtime: Runtime, person: Employee) -> None:
    async with runtime.db.write() as session:
        await session.execute(update(Employee).where(Employee.id == person.id).values(active=False))


async def booking_count(runtime: Runtime) -> int:
    async with runtime.db.read() as session:
        return int(await session.scalar(select(func.count(Booking.id))) or 0)


@pytest.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    async with client_for(settings) as test_client:
        yield test_client


class TestTokens:
    async def test_a_token_stops_working_when_its_owner_leaves(
        self, runtime: Runtime, factory: Factory, client: AsyncTestClient
    ) -> None:
        owner = await factory.employee()
        secret = await issue_token(runtime.db, owner.id, Scope.BOOKINGS_READ)
        query = {"query": "{ __typename }"}
        assert (await client.post("/api/graphql", json=query, headers=bearer(secret))).status_code == 200

        await deactivate(runtime, owner)

        refused = await client.post("/api/graphql", json=query, headers=bearer(secret))
        assert refused.status_code == 401 and refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert await tokens.authenticate(runtime.db, secret, utcnow()) is None


class TestBookings:
    async def test_nobody_books_a_desk_as_someone_who_left(self, runtime: Runtime, factory: Factory) -> None:
        person, desk = await factory.employee(name="Fajar Nugroho"), await factory.desk()
        await deactivate(runtime, person)

        with pytest.raises(InvalidInput) as refused:
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(2)))

        assert (refused.value.code, refused.value.field) == ("PERSON_INACTIVE", "forEmployeeId")
        assert "Fajar Nugroho is no longer active" in refused.value.message
        assert await booking_count(runtime) == 0

    async def test_a_supervisor_cannot_book_a_desk_for_staff_who_left(self, runtime: Runtime, factory: Factory) -> None:
        boss = await factory.employee()
        staff = await factory.employee(supervisor_id=boss.id)
        desk = await factory.desk()
        await deactivate(runtime, staff)

        with pytest.raises(InvalidInput) as refused:
            await runtime.bookings.book_desk(boss.id, BookDeskRequest(desk.id, days_ahead(2), for_employee_id=staff.id))

        assert refused.value.code == "PERSON_INACTIVE"
        assert await booking_count(runtime) == 0

    async def test_nor_a_room(self, runtime: Runtime, factory: Factory) -> None:
        boss = await factory.employee()
        staff = await factory.employee(supervisor_id=boss.id)
        room = await factory.room(capacity=4)
        request = BookRoomRequest(room.id, next_weekday(2), time(9), time(10), for_employee_id=staff.id)
        await deactivate(runtime, staff)

        with pytest.raises(InvalidInput) as refused:
            await runtime.bookings.book_room(boss.id, request)
        with pytest.raises(InvalidInput) as dry_run:
            await runtime.bookings.validate(boss.id, request)

        assert (refused.value.code, dry_run.value.code) == ("PERSON_INACTIVE", "PERSON_INACTIVE")
        assert await booking_count(runtime) == 0

    async def test_an_active_person_still_books(self, runtime: Runtime, factory: Factory) -> None:
        person, desk = await factory.employee(), await factory.desk()

        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(2)))

        assert await booking_count(runtime) == 1
