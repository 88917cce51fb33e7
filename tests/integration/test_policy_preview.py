"""Previewing a policy change (smartoffice.policies.preview) on a real database: whom a draft covers, how the
sample week changes, the cap on the people compared, ending a policy, and refusals identical to create_policy's.

The team is the policy tests' (tests.support.policies): four people in the directorate, the deputy's head above,
a stranger and an admin elsewhere, the national cap of two remote days; 6-10 July 2026 holds no holiday."""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from smartoffice.db import Database
from smartoffice.errors import DomainError
from smartoffice.people.models import PositionKind
from smartoffice.policies import preview
from smartoffice.policies.models import PolicyLevel
from smartoffice.policies.policy_changes import PolicyDraft
from smartoffice.policies.preview import sample_week
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.policies import FRI, MON, THU, WED, Team, build_team


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


def draft(**overrides: Any) -> PolicyDraft:
    values: dict[str, Any] = {
        "code": "DRAFT-1",
        "name": "Satu hari jarak jauh",
        "level": PolicyLevel.UNIT,
        "is_overlay": False,
        "legal_basis": "Keputusan Direktur 7/2026",
        "set_by": "Direktur",
        "effective_from": MON,
        "effective_until": None,
        "rules": {"max_remote_days_per_week": 1},
        "scope": {},
    }
    return PolicyDraft(**{**values, **overrides})


async def preview_of(db: Database, actor: int, policy: PolicyDraft) -> preview.PolicyPreview:
    async with db.read() as session:
        return await preview.preview_new(session, actor, policy)


def test_the_sample_week_is_the_first_full_week_in_force() -> None:
    assert sample_week(MON, None) == MON
    assert sample_week(WED, None) == date(2026, 7, 13)
    assert sample_week(WED, date(2026, 7, 15)) == MON  # no full week: the week of the first day
    assert sample_week(MON, FRI) == MON


async def test_a_unit_policy_counts_its_subtree_and_names_whose_week_changes(db: Database, team: Team) -> None:
    result = await preview_of(db, team.admin.id, draft(scope={"org_unit_id": team.deputy.id}))

    # the deputy's head and the directorate's four; the head is the unit head: same national rules
    assert (result.people_in_scope, result.people_compared, result.people_changed) == (5, 5, 5)
    assert result.remote_allowance_changed == 5 and result.office_days_changed == 5
    assert result.eligibility_changed == 0
    assert [(t.before, t.after, t.people) for t in result.remote_days] == [(2, 1, 5)]
    assert [c.employee.name for c in result.examples] == [
        "Atasan Langsung",
        "Kepala Deputi",
        "Staf 1",
        "Staf 2",
        "Staf 3",
    ]
    assert result.scope.unit == "Kedeputian Pendanaan" and not result.is_capped


async def test_a_policy_no_stricter_than_the_national_changes_nobodys_week(db: Database, team: Team) -> None:
    result = await preview_of(db, team.admin.id, draft(rules={"max_remote_days_per_week": 3}))

    assert (result.people_in_scope, result.people_changed, result.examples) == (7, 0, ())


async def test_scopes_by_post_and_building(db: Database, team: Team, factory: Factory) -> None:
    floor = await factory.floor()
    await factory.zone(floor, org_unit_id=team.directorate.id)
    building_id = floor.building_id
    managerial = await preview_of(db, team.admin.id, draft(scope={"position_kind": PositionKind.MANAGERIAL}))
    in_building = await preview_of(db, team.admin.id, draft(scope={"building_id": building_id}))

    assert managerial.people_in_scope == 1 and [c.employee.name for c in managerial.examples] == ["Kepala Deputi"]
    assert in_building.people_in_scope == 4  # the directorate's zone: its people, not the deputy's head


async def test_the_people_compared_are_capped(db: Database, team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview, "MAX_PREVIEW_PEOPLE", 2)
    monkeypatch.setattr(preview, "MAX_EXAMPLES", 1)

    result = await preview_of(db, team.admin.id, draft())

    assert (result.people_in_scope, result.people_compared, result.people_changed) == (7, 2, 2)
    assert result.is_capped and len(result.examples) == 1


async def test_ending_a_policy_previews_the_first_full_week_without_it(
    db: Database, team: Team, factory: Factory
) -> None:
    unit = await factory.policy(
        {"max_remote_days_per_week": 0}, level=int(PolicyLevel.UNIT), org_unit_id=team.directorate.id
    )

    async with db.read() as session:
        result = await preview.preview_end(session, team.head.id, unit.id, WED)

    assert result.monday == date(2026, 7, 13) and result.ending_after == WED
    assert [(t.before, t.after, t.people) for t in result.remote_days] == [(0, 2, 4)]


BAD_DRAFTS = {
    "bad rules": {"rules": {"max_remote_days_per_week": 9}},
    "unknown scope": {"scope": {"floor_id": 1}},
    "reversed": {"effective_until": date(2026, 7, 1)},
    "no code": {"code": "  "},
    "long name": {"name": "x" * 201},
    "no unit": {"scope": {"org_unit_id": 999_999}},
    "agency by a manager": {"level": PolicyLevel.AGENCY},
    "overlay by a manager": {"is_overlay": True},
    "outside their units": {"scope": {}},
    "duplicate": {"code": "POL1"},
}


@pytest.mark.parametrize("case", BAD_DRAFTS)
async def test_a_preview_refuses_what_create_refuses(runtime: Runtime, team: Team, case: str) -> None:
    overrides = {"scope": {"org_unit_id": team.directorate.id}, **BAD_DRAFTS[case]}
    if case == "duplicate":
        overrides["code"] = team.national.code
    bad = draft(**overrides)
    errors: list[tuple[type, str]] = []
    for attempt in ("preview", "create"):
        try:
            if attempt == "preview":
                await runtime.policies.preview_policy(team.head.id, bad)
            else:
                await runtime.policies.create_policy(team.head.id, bad)
        except DomainError as exc:
            errors.append((type(exc), exc.code))
    assert len(errors) == 2 and errors[0] == errors[1], errors


async def test_a_preview_accepts_what_create_accepts(runtime: Runtime, team: Team) -> None:
    ok = draft(scope={"org_unit_id": team.directorate.id})

    result = await runtime.policies.preview_policy(team.head.id, ok)
    created = await runtime.policies.create_policy(team.head.id, replace(ok))

    ended = await runtime.policies.end_policy(team.head.id, created.id, THU)

    assert result.people_in_scope == 4 and created.code == ok.code and ended.effective_until == THU


async def test_people_alike_but_for_their_days_in_post_or_a_policy_of_their_own_are_told_apart(
    db: Database, team: Team, factory: Factory
) -> None:
    """The preview works a week out once per kind of person: the day one took up the post (against the national
    180 days) and an individual policy must still tell two colleagues apart."""
    newcomer = await factory.employee(team.directorate, name="Pegawai Baru", placed_on=date(2026, 3, 1))
    await factory.policy(
        {"max_remote_days_per_week": 1}, level=int(PolicyLevel.INDIVIDUAL), employee_id=team.staff[1].id
    )

    result = await preview_of(db, team.admin.id, draft(scope={"org_unit_id": team.directorate.id}))

    # the newcomer (127 days in the post) has no remote day either way; Staf 2 has one already
    assert (result.people_in_scope, result.people_changed) == (5, 3)
    assert newcomer.id not in {c.employee.id for c in result.examples}
    assert [c.employee.name for c in result.examples] == ["Atasan Langsung", "Staf 1", "Staf 3"]


async def test_a_preview_costs_the_same_queries_for_4_people_as_for_16(
    db: Database, team: Team, factory: Factory
) -> None:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.strip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    unit = draft(scope={"org_unit_id": team.directorate.id})
    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        small = await preview_of(db, team.admin.id, unit)
        few = len(statements)
        for n in range(12):
            await factory.employee(team.directorate, name=f"Staf tambahan {n}", placed_on=date(2020 + n % 5, 1, 1))
        statements.clear()
        large = await preview_of(db, team.admin.id, unit)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)

    assert (small.people_in_scope, large.people_in_scope, large.people_changed) == (4, 16, 16)
    assert len(statements) == few <= 20, statements
