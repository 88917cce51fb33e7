"""The working calendar against the database: loading it with its overrides, and who may change them."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select

from smartoffice.db import Database
from smartoffice.errors import InvalidInput, PermissionDenied
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.workcalendar.models import CalendarOverride, DayKind
from smartoffice.workcalendar.service import load_calendar, remove_override, set_override
from tests.factories import Factory

MAULID_2026 = date(2026, 8, 25)  # Tuesday
FRIDAY_AFTER_MAULID = date(2026, 8, 28)


@pytest.fixture
async def admin(factory: Factory, db: Database) -> Employee:
    employee = await factory.employee()
    async with db.write() as session:
        session.add(RoleAssignment(employee_id=employee.id, role=Role.ADMIN))
    return employee


@contextmanager
def counting_selects(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def overrides_in(db: Database) -> list[tuple[date, DayKind, str]]:
    async with db.read() as session:
        rows = await session.execute(
            select(CalendarOverride.day, CalendarOverride.kind, CalendarOverride.name).order_by(CalendarOverride.day)
        )
        return [(day, kind, name) for day, kind, name in rows]


class TestLoadCalendar:
    async def test_without_overrides_2026_has_240_working_days(self, db: Database) -> None:
        async with db.read() as session:
            calendar = await load_calendar(session, date(2026, 1, 1), date(2026, 12, 31))

        assert len(calendar.working_days(date(2026, 1, 1), date(2026, 12, 31))) == 240

    async def test_moving_a_holiday(self, db: Database, admin: Employee) -> None:
        # given
        async with db.write() as session:
            await set_override(session, admin.id, MAULID_2026, DayKind.WORKING_DAY, "Maulid Nabi dipindahkan")
            await set_override(session, admin.id, FRIDAY_AFTER_MAULID, DayKind.PUBLIC_HOLIDAY, "Maulid Nabi Muhammad")

        # when
        async with db.read() as session:
            calendar = await load_calendar(session, date(2026, 8, 1), date(2026, 8, 31))

        # then
        assert calendar.is_working_day(MAULID_2026)
        assert calendar.closure_reason(MAULID_2026) is None
        assert not calendar.is_working_day(FRIDAY_AFTER_MAULID)
        assert calendar.closure_reason(FRIDAY_AFTER_MAULID) == "Maulid Nabi Muhammad"

    async def test_overrides_across_a_year_boundary_in_one_query(self, db: Database, admin: Employee) -> None:
        async with db.write() as session:
            await set_override(session, admin.id, date(2026, 12, 24), DayKind.WORKING_DAY, "Cuti bersama dibatalkan")
            await set_override(session, admin.id, date(2027, 1, 2), DayKind.WORKING_DAY, "Hari kerja pengganti")
            await set_override(session, admin.id, date(2027, 2, 1), DayKind.PUBLIC_HOLIDAY, "Outside the range")

        with counting_selects(db) as selects:
            async with db.read() as session:
                calendar = await load_calendar(session, date(2026, 12, 21), date(2027, 1, 8))

        assert len(selects) == 1
        assert calendar.is_working_day(date(2026, 12, 24))
        assert not calendar.is_working_day(date(2026, 12, 25))
        assert not calendar.is_working_day(date(2027, 1, 1))
        assert calendar.is_working_day(date(2027, 1, 2))  # a Saturday
        assert [e.day for e in calendar.entries.values() if e.overridden] == [date(2026, 12, 24), date(2027, 1, 2)]


class TestSetOverride:
    async def test_admin_sets_an_override(self, db: Database, admin: Employee) -> None:
        async with db.write() as session:
            override = await set_override(session, admin.id, date(2026, 3, 28), DayKind.WORKING_DAY, " Hari kerja ")

        assert (override.day, override.kind, override.name) == (date(2026, 3, 28), DayKind.WORKING_DAY, "Hari kerja")
        assert override.created_by_id == admin.id
        assert await overrides_in(db) == [(date(2026, 3, 28), DayKind.WORKING_DAY, "Hari kerja")]

    async def test_setting_the_same_override_again_changes_nothing(
        self, db: Database, admin: Employee, factory: Factory
    ) -> None:
        other_admin = await factory.employee()
        async with db.write() as session:
            session.add(RoleAssignment(employee_id=other_admin.id, role=Role.ADMIN))
        day = date(2026, 12, 24)
        async with db.write() as session:
            first = await set_override(session, admin.id, day, DayKind.WORKING_DAY, "Masuk kerja")

        async with db.write() as session:
            again = await set_override(session, other_admin.id, day, DayKind.WORKING_DAY, "Masuk kerja")

        assert (again.id, again.created_by_id, again.created_at) == (first.id, admin.id, first.created_at)
        assert await overrides_in(db) == [(day, DayKind.WORKING_DAY, "Masuk kerja")]

    async def test_a_new_value_replaces_the_old_and_records_who_set_it(
        self, db: Database, admin: Employee, factory: Factory
    ) -> None:
        other_admin = await factory.employee()
        async with db.write() as session:
            session.add(RoleAssignment(employee_id=other_admin.id, role=Role.ADMIN))
        day = date(2026, 12, 24)
        async with db.write() as session:
            first = await set_override(session, admin.id, day, DayKind.WORKING_DAY, "Masuk kerja")

        async with db.write() as session:
            changed = await set_override(session, other_admin.id, day, DayKind.PUBLIC_HOLIDAY, "Malam Natal")

        assert (changed.id, changed.kind, changed.name) == (first.id, DayKind.PUBLIC_HOLIDAY, "Malam Natal")
        assert changed.created_by_id == other_admin.id
        assert await overrides_in(db) == [(day, DayKind.PUBLIC_HOLIDAY, "Malam Natal")]

    async def test_two_admins_saving_one_new_day_at_once_both_succeed(
        self, db: Database, admin: Employee, factory: Factory
    ) -> None:
        other_admin = await factory.employee()
        async with db.write() as session:
            session.add(RoleAssignment(employee_id=other_admin.id, role=Role.ADMIN))
        day = date(2026, 12, 24)

        async def save(actor: Employee, name: str) -> CalendarOverride:
            async with db.write() as session:
                return await set_override(session, actor.id, day, DayKind.PUBLIC_HOLIDAY, name)

        saved = await asyncio.gather(save(admin, "Malam Natal"), save(other_admin, "Malam Natal 2026"))

        [(_day, _kind, name)] = await overrides_in(db)
        assert name in {"Malam Natal", "Malam Natal 2026"}
        assert saved[0].id == saved[1].id

    @pytest.mark.parametrize(("name", "code"), [("", "REQUIRED"), ("   ", "REQUIRED"), ("x" * 201, "NAME_TOO_LONG")])
    async def test_the_name_is_checked(self, db: Database, admin: Employee, name: str, code: str) -> None:
        with pytest.raises(InvalidInput) as raised:
            async with db.write() as session:
                await set_override(session, admin.id, date(2026, 7, 7), DayKind.PUBLIC_HOLIDAY, name)

        assert (raised.value.field, raised.value.code) == ("name", code)
        assert await overrides_in(db) == []

    async def test_a_name_of_200_characters_fits(self, db: Database, admin: Employee) -> None:
        async with db.write() as session:
            await set_override(session, admin.id, date(2026, 7, 7), DayKind.PUBLIC_HOLIDAY, "x" * 200)

        assert len(await overrides_in(db)) == 1


class TestRemoveOverride:
    async def test_the_day_reverts_to_the_generated_calendar(self, db: Database, admin: Employee) -> None:
        async with db.write() as session:
            await set_override(session, admin.id, MAULID_2026, DayKind.WORKING_DAY, "Maulid Nabi dipindahkan")

        async with db.write() as session:
            await remove_override(session, admin.id, MAULID_2026)

        async with db.read() as session:
            calendar = await load_calendar(session, MAULID_2026, MAULID_2026)
        assert calendar.closure_reason(MAULID_2026) == "Maulid Nabi Muhammad"
        assert await overrides_in(db) == []

    async def test_removing_what_is_not_there_is_fine(self, db: Database, admin: Employee) -> None:
        async with db.write() as session:
            await remove_override(session, admin.id, MAULID_2026)

        assert await overrides_in(db) == []


class TestOnlyAdminsChangeTheCalendar:
    @pytest.fixture
    async def unit_manager(self, factory: Factory, db: Database) -> Employee:
        employee = await factory.employee()
        async with db.write() as session:
            session.add(
                RoleAssignment(employee_id=employee.id, role=Role.UNIT_MANAGER, org_unit_id=employee.org_unit_id)
            )
        return employee

    async def test_an_employee_cannot_set_an_override(self, db: Database, factory: Factory) -> None:
        employee = await factory.employee()

        with pytest.raises(PermissionDenied):
            async with db.write() as session:
                await set_override(session, employee.id, MAULID_2026, DayKind.WORKING_DAY, "Masuk kerja")

        assert await overrides_in(db) == []

    async def test_a_unit_manager_cannot_set_an_override(self, db: Database, unit_manager: Employee) -> None:
        with pytest.raises(PermissionDenied):
            async with db.write() as session:
                await set_override(session, unit_manager.id, MAULID_2026, DayKind.WORKING_DAY, "Masuk kerja")

    async def test_permission_is_checked_before_the_input(self, db: Database, factory: Factory) -> None:
        employee = await factory.employee()

        with pytest.raises(PermissionDenied):
            async with db.write() as session:
                await set_override(session, employee.id, MAULID_2026, DayKind.WORKING_DAY, "")

    async def test_an_employee_cannot_remove_an_override(self, db: Database, admin: Employee, factory: Factory) -> None:
        employee = await factory.employee()
        async with db.write() as session:
            await set_override(session, admin.id, MAULID_2026, DayKind.WORKING_DAY, "Masuk kerja")

        with pytest.raises(PermissionDenied):
            async with db.write() as session:
                await remove_override(session, employee.id, MAULID_2026)

        async with db.read() as session:
            assert await session.scalar(select(func.count()).select_from(CalendarOverride)) == 1
