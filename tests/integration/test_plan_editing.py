"""The floor plan editor's save (``runtime.plan_editor``): moves, resizes, rotates, renumbers and copies in one
transaction, each refusal typed and changing nothing, a stale save refused, permissions, and the audit."""

import pytest

from smartoffice.audit.record import Actor
from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.places.plan_editing import Placement, PlanChanged
from smartoffice.places.plan_errors import FloorPlanCode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.floor_plans import audit_of, plan_floor, spaces_of


def moved(space, **changes) -> Placement:  # type: ignore[no-untyped-def]
    values = {"code": space.code, "x": space.x, "y": space.y, "width": space.width, "height": space.height,
              "rotation": space.rotation, "space_id": space.id, **changes}  # fmt: skip
    return Placement(**values)


async def test_a_save_moves_rotates_renumbers_and_copies_in_one_go_and_audits_each_space(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    # given
    f = await plan_floor(factory)
    editor = runtime.plan_editor
    loaded = await editor.floor(f.manager.id, f.floor.id)
    d1, d2, d3 = f.desks
    actor = Actor(f.manager.id, "page")
    # when: D-1 moves and turns, D-2 and D-3 swap codes, D-1 is copied as D-4, the room is untouched
    result = await editor.save_placements(
        actor,
        f.floor.id,
        [
            moved(d1, x=10.5, y=12.25, rotation=90),
            moved(d2, code="D-3"),
            moved(d3, code="D-2"),
            Placement(code="D-4", x=20, y=5, width=1.6, height=0.8, copy_of=d1.id),
            moved(f.room),
        ],
        expected_version=loaded.version,
    )
    # then
    spaces = await spaces_of(db, f.floor.id)
    assert (spaces["D-1"].x, spaces["D-1"].y, spaces["D-1"].rotation) == (10.5, 12.25, 90)
    assert spaces["D-3"].id == d2.id and spaces["D-2"].id == d3.id
    copy = spaces["D-4"]
    assert (copy.kind, copy.amenities, copy.zone_id, copy.x) == (d1.kind, d1.amenities, d1.zone_id, 20)
    assert set(result.updated) == {d1.id, d2.id, d3.id} and result.created == (copy.id,) and result.unchanged == 1
    assert result.version != loaded.version
    assert (await editor.floor(f.manager.id, f.floor.id)).version == result.version
    entries = await audit_of(db, "space.")
    assert sorted((e.action, e.entity_id) for e in entries) == sorted(
        [("space.update", d1.id), ("space.update", d2.id), ("space.update", d3.id), ("space.create", copy.id)]
    )
    first = next(e for e in entries if e.entity_id == d1.id)
    assert first.before is not None and first.after is not None
    assert (first.before["x"], first.after["x"], first.after["rotation"]) == (d1.x, 10.5, 90)
    assert {e.via for e in entries} == {"page"} and {e.site_id for e in entries} == {f.site_id}
    assert {e.entity_kind for e in entries} == {"Desk"}


async def test_a_stale_save_is_refused_and_changes_nothing(runtime: Runtime, factory: Factory, db: Database) -> None:
    f = await plan_floor(factory)
    editor, actor = runtime.plan_editor, Actor(f.manager.id, "page")
    first_editor = await editor.floor(f.manager.id, f.floor.id)
    second_editor = await editor.floor(f.manager.id, f.floor.id)
    d1 = f.desks[0]
    # the first editor saves
    await editor.save_placements(actor, f.floor.id, [moved(d1, x=30)], first_editor.version)
    # when: the second saves what it loaded before that
    with pytest.raises(PlanChanged) as refused:
        await editor.save_placements(actor, f.floor.id, [moved(d1, x=5)], second_editor.version)
    # then
    assert refused.value.code == FloorPlanCode.PLAN_CHANGED.name and refused.value.field == "expectedVersion"
    assert (await spaces_of(db, f.floor.id))["D-1"].x == 30


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"x": 39.5}, FloorPlanCode.PLACEMENT_OUTSIDE_FLOOR, "placements.1.x"),
        ({"y": -0.5}, FloorPlanCode.PLACEMENT_OUTSIDE_FLOOR, "placements.1.x"),
        ({"x": 19.0, "y": 19.0, "rotation": 90}, FloorPlanCode.PLACEMENT_OUTSIDE_FLOOR, "placements.1.x"),
        ({"width": 0}, FloorPlanCode.PLACEMENT_SIZE, "placements.1.width"),
        ({"height": -1}, FloorPlanCode.PLACEMENT_SIZE, "placements.1.width"),
        ({"rotation": 361}, FloorPlanCode.PLACEMENT_ROTATION, "placements.1.rotation"),
        ({"rotation": -1}, FloorPlanCode.PLACEMENT_ROTATION, "placements.1.rotation"),
        ({"code": "D-3"}, FloorPlanCode.PLACEMENT_CODE_TAKEN, "placements.1.code"),
        ({"code": "R-1"}, FloorPlanCode.PLACEMENT_CODE_TAKEN, "placements.1.code"),
        ({"code": "with space"}, FloorPlanCode.PLACEMENT_CODE_INVALID, "placements.1.code"),
        ({"code": ""}, FloorPlanCode.PLACEMENT_CODE_INVALID, "placements.1.code"),
        ({"x": float("nan")}, FloorPlanCode.PLACEMENT_NUMBER_INVALID, "placements.1.x"),
        ({"space_id": 10**9}, FloorPlanCode.PLACEMENT_SPACE_UNKNOWN, "placements.1.spaceId"),
    ],
)
async def test_a_bad_placement_is_refused_with_its_code_and_nothing_changes(
    runtime: Runtime, factory: Factory, db: Database, change: dict[str, object], code: FloorPlanCode, field: str
) -> None:
    f = await plan_floor(factory)
    d1, d2 = f.desks[0], f.desks[1]
    before = {s.code: (s.x, s.y, s.rotation) for s in (await spaces_of(db, f.floor.id)).values()}
    with pytest.raises(InvalidInput) as refused:
        await runtime.plan_editor.save_placements(
            Actor(f.manager.id, "page"), f.floor.id, [moved(d1, x=25.0), moved(d2, **change)]
        )
    assert (refused.value.code, refused.value.field) == (code.name, field)
    assert {s.code: (s.x, s.y, s.rotation) for s in (await spaces_of(db, f.floor.id)).values()} == before
    assert await audit_of(db, "space.") == []


async def test_the_same_space_twice_and_a_placement_naming_nothing_are_refused(
    runtime: Runtime, factory: Factory
) -> None:
    f = await plan_floor(factory)
    actor, d1 = Actor(f.manager.id, "page"), f.desks[0]
    with pytest.raises(InvalidInput) as twice:
        await runtime.plan_editor.save_placements(actor, f.floor.id, [moved(d1), moved(d1, x=9)])
    assert twice.value.code == FloorPlanCode.PLACEMENT_TWICE.name
    with pytest.raises(InvalidInput) as nothing:
        await runtime.plan_editor.save_placements(actor, f.floor.id, [Placement("D-9", 1, 1, 1, 1)])
    assert nothing.value.code == FloorPlanCode.PLACEMENT_SOURCE_MISSING.name


async def test_a_copy_may_not_take_a_code_in_use_nor_copy_another_floors_space(
    runtime: Runtime, factory: Factory
) -> None:
    f = await plan_floor(factory)
    elsewhere = await factory.desk(code="X-1")
    actor = Actor(f.manager.id, "page")
    with pytest.raises(InvalidInput) as taken:
        await runtime.plan_editor.save_placements(
            actor, f.floor.id, [Placement("D-2", 30, 10, 1.6, 0.8, copy_of=f.desks[0].id)]
        )
    assert taken.value.code == FloorPlanCode.PLACEMENT_CODE_TAKEN.name
    with pytest.raises(InvalidInput) as foreign:
        await runtime.plan_editor.save_placements(
            actor, f.floor.id, [Placement("D-9", 30, 10, 1.6, 0.8, copy_of=elsewhere.id)]
        )
    assert (foreign.value.code, foreign.value.field) == (
        FloorPlanCode.PLACEMENT_SPACE_UNKNOWN.name,
        "placements.0.copyOf",
    )


async def test_only_the_sites_facilities_managers_and_admins_may_save(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    from smartoffice.people.models import Role

    f = await plan_floor(factory)
    other_site_manager = await factory.employee()
    await factory.role(other_site_manager, Role.FACILITIES_MANAGER, site_id=(await factory.site()).id)
    someone = await factory.employee()
    admin = await factory.employee()
    await factory.role(admin, Role.ADMIN)
    placement = [moved(f.desks[0], x=15)]
    for outsider in (other_site_manager, someone):
        with pytest.raises(PermissionDenied):
            await runtime.plan_editor.save_placements(Actor(outsider.id, "page"), f.floor.id, placement)
        with pytest.raises(PermissionDenied):
            await runtime.plan_editor.floor(outsider.id, f.floor.id)
    assert (await spaces_of(db, f.floor.id))["D-1"].x == f.desks[0].x
    await runtime.plan_editor.save_placements(Actor(admin.id, "api"), f.floor.id, placement)
    assert (await spaces_of(db, f.floor.id))["D-1"].x == 15
    with pytest.raises(NotFound):
        await runtime.plan_editor.save_placements(Actor(admin.id, "api"), 10**9, placement)


async def test_a_save_that_changes_nothing_writes_no_audit_and_keeps_the_version(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    f = await plan_floor(factory)
    loaded = await runtime.plan_editor.floor(f.manager.id, f.floor.id)
    result = await runtime.plan_editor.save_placements(
        Actor(f.manager.id, "page"), f.floor.id, [moved(s) for s in f.desks], loaded.version
    )
    assert (result.updated, result.created, result.unchanged, result.version) == ((), (), 3, loaded.version)
    assert await audit_of(db, "space.") == []
