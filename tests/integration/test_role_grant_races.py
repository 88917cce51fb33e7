"""Identical grants racing: the database, not the pre-check, decides. Exactly one row, every caller answered with
success, exactly one audit entry (issue 11, follow-up to item 3)."""

import asyncio

import pytest
from sqlalchemy import Select, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.db import create_engine
from smartoffice.migrations import downgrade, upgrade
from smartoffice.people.grants import is_duplicate_grant
from smartoffice.people.models import Role, RoleAssignment
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.places.models import room_approvers
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.org_chart import OrgChart, build_org_chart

RACERS = 8


@pytest.fixture
async def org(factory: Factory) -> OrgChart:
    return await build_org_chart(factory)


def grant_of(org: OrgChart, role: GrantableRole) -> RoleGrant:
    scope = {
        GrantableRole.ADMIN: None,
        GrantableRole.FACILITIES_MANAGER: org.site.id,
        GrantableRole.UNIT_MANAGER: org.team.id,
        GrantableRole.ROOM_APPROVER: org.room.id,
    }[role]
    return RoleGrant(org.staff[0].id, role, scope)


async def rows_held(runtime: Runtime, grant: RoleGrant) -> int:
    async with runtime.db.read() as session:
        if grant.role == GrantableRole.ROOM_APPROVER:
            query = (
                select(func.count())
                .select_from(room_approvers)
                .where(room_approvers.c.employee_id == grant.employee_id)
            )
        else:
            query = (
                select(func.count()).select_from(RoleAssignment).where(RoleAssignment.employee_id == grant.employee_id)
            )
        return int(await session.scalar(query) or 0)


async def grant_entries(runtime: Runtime) -> int:
    async with runtime.db.read() as session:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "role.grant")
        return int(await session.scalar(query) or 0)


@pytest.mark.parametrize("role", list(GrantableRole))
async def test_identical_grants_at_once_make_one_row_and_one_entry(
    runtime: Runtime, org: OrgChart, role: GrantableRole
) -> None:
    grant = grant_of(org, role)
    admin = Actor(org.admin.id, "test")

    results = await asyncio.gather(*(runtime.roles.grant(admin, grant) for _ in range(RACERS)), return_exceptions=True)

    assert results == [grant] * RACERS
    assert await rows_held(runtime, grant) == 1
    assert await grant_entries(runtime) == 1


async def test_a_grant_held_already_inserts_nothing_more(runtime: Runtime, org: OrgChart) -> None:
    grant = grant_of(org, GrantableRole.UNIT_MANAGER)
    admin = Actor(org.admin.id, "test")

    await runtime.roles.grant(admin, grant)
    await runtime.roles.grant(admin, grant)

    assert (await rows_held(runtime, grant), await grant_entries(runtime)) == (1, 1)


@pytest.mark.parametrize("role", [GrantableRole.ADMIN, GrantableRole.FACILITIES_MANAGER, GrantableRole.ROOM_APPROVER])
async def test_the_database_refuses_a_second_identical_row(
    runtime: Runtime, org: OrgChart, role: GrantableRole
) -> None:
    """What the service relies on when the race is lost, on both databases (SQLite's serial writers never lose
    it through the service): the error is raised, and recognised as a duplicate grant."""
    grant = grant_of(org, role)
    if role == GrantableRole.ROOM_APPROVER:
        row = insert(room_approvers).values(space_id=grant.scope_id, employee_id=grant.employee_id)
    else:
        scope = {"site_id": grant.scope_id} if role == GrantableRole.FACILITIES_MANAGER else {}
        row = insert(RoleAssignment).values(employee_id=grant.employee_id, role=Role(role), **scope)
    async with runtime.db.write() as session:
        await session.execute(row)

    with pytest.raises(IntegrityError) as caught:
        async with runtime.db.write() as session:
            await session.execute(row)

    assert is_duplicate_grant(caught.value)


async def test_another_integrity_error_is_not_taken_for_a_duplicate(runtime: Runtime) -> None:
    with pytest.raises(IntegrityError) as caught:
        async with runtime.db.write() as session:
            await session.execute(insert(RoleAssignment).values(employee_id=987654, role=Role.ADMIN))

    assert not is_duplicate_grant(caught.value)


def held_by(person: int) -> Select[tuple[int]]:
    return select(RoleAssignment.id).where(RoleAssignment.employee_id == person).order_by(RoleAssignment.id)


async def test_the_migration_keeps_the_oldest_of_each_duplicate(
    runtime: Runtime, org: OrgChart, direct_database_url: str
) -> None:
    engine = create_engine(direct_database_url)
    try:
        await downgrade(engine, "0012")
        person, site, unit = org.staff[0].id, org.site.id, org.team.id
        rows = [
            {"employee_id": person, "role": "admin", "org_unit_id": None, "site_id": None},
            {"employee_id": person, "role": "facilities_manager", "org_unit_id": None, "site_id": site},
            {"employee_id": person, "role": "admin", "org_unit_id": None, "site_id": None},
            {"employee_id": person, "role": "unit_manager", "org_unit_id": unit, "site_id": None},
            {"employee_id": person, "role": "facilities_manager", "org_unit_id": None, "site_id": site},
            {"employee_id": person, "role": "admin", "org_unit_id": None, "site_id": None},
        ]
        async with engine.begin() as connection:
            await connection.execute(insert(RoleAssignment.__table__), rows)
            ids = list(await connection.scalars(held_by(person)))
    finally:
        await upgrade(engine)
        async with engine.connect() as connection:
            kept = list(await connection.scalars(held_by(org.staff[0].id)))
        await engine.dispose()

    assert kept == ids[:2] + ids[3:4]


async def test_the_unique_index_exists(runtime: Runtime, is_postgres: bool) -> None:
    """SQLite cannot reflect expression indexes, so Alembic's model comparison skips this one there (with a
    warning); PostgreSQL's comparison covers its expressions, and this covers that it is there and unique."""
    if is_postgres:
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_role_assignments_grant'"
    else:
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'uq_role_assignments_grant'"
    async with runtime.db.read() as session:
        definition = str(await session.scalar(text(query))).lower().replace('"', "")

    assert "create unique index uq_role_assignments_grant on " in definition
    assert "coalesce(org_unit_id, 0)" in definition and "coalesce(site_id, 0)" in definition
