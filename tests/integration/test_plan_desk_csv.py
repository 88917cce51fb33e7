"""A floor's desks as CSV (``runtime.desk_files``): export → import is unchanged, bad rows reported by line, all or
nothing, 500 desks in one transaction, never deleting, audited as one entry."""

import time

import pytest
from sqlalchemy import event

from smartoffice.audit.record import Actor
from smartoffice.db import Database
from smartoffice.errors import PermissionDenied
from smartoffice.places.desk_csv import AUDIT_ACTION
from smartoffice.places.imports.errors import PlacesFileCode
from smartoffice.places.plan_errors import FloorPlanCode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.floor_plans import audit_of, plan_floor, spaces_of

HEADER = "code,x,y,width,height,rotation,zone,amenities\r\n"


async def test_export_then_import_changes_nothing(runtime: Runtime, factory: Factory, db: Database) -> None:
    f = await plan_floor(factory)
    zone = await factory.zone(f.floor, code="ZA")
    await factory.desk(f.floor, code="D-Z", zone_id=zone.id, x=5.25, y=9.5, rotation=180, amenities=["monitor", "dock"])
    text, name = await runtime.desk_files.export(f.manager.id, f.floor.id)
    assert name == f"desks-floor-{f.floor.id}.csv"
    lines = text.splitlines()
    assert lines[0] == "code,x,y,width,height,rotation,zone,amenities"
    assert "D-Z,5.25,9.5,1.6,0.8,180,ZA,monitor;dock" in lines
    assert not any(line.startswith("R-1") for line in lines)  # desks only
    # when
    result = await runtime.desk_files.run(Actor(f.manager.id, "page"), f.floor.id, text.encode())
    # then
    assert result.plan.is_valid and not result.written
    assert (len(result.plan.new), len(result.plan.changed), result.plan.unchanged) == (0, 0, 4)
    assert await audit_of(db, AUDIT_ACTION) == []


async def test_import_creates_and_updates_never_deletes_and_is_one_audit_entry(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    f = await plan_floor(factory)
    zone = await factory.zone(f.floor, code="ZB")
    content = (HEADER + "D-1,10,10,1.6,0.8,90,ZB,Monitor; Standing Desk\r\nN-1,20,15,,,,,\r\n").encode()
    preview = await runtime.desk_files.preview(f.manager.id, f.floor.id, content)
    assert [c.code for c in preview.new] == ["N-1"] and [c.code for c in preview.changed] == ["D-1"]
    assert preview.changed[0].changed_fields == ("x", "y", "rotation", "zone", "amenities")
    result = await runtime.desk_files.run(
        Actor(f.manager.id, "page"), f.floor.id, content, expected_fingerprint=preview.fingerprint
    )
    assert result.written
    spaces = await spaces_of(db, f.floor.id)
    assert (spaces["D-1"].x, spaces["D-1"].rotation, spaces["D-1"].zone_id) == (10, 90, zone.id)
    assert spaces["D-1"].amenities == ["monitor", "standing_desk"]
    assert (spaces["N-1"].width, spaces["N-1"].height, spaces["N-1"].zone_id) == (1.6, 0.8, None)
    assert {"D-2", "D-3", "R-1"} <= set(spaces)  # not named: left as they were
    [entry] = await audit_of(db, AUDIT_ACTION)
    assert (entry.entity_kind, entry.entity_id, entry.site_id) == ("Floor", f.floor.id, f.site_id)
    assert entry.after is not None and entry.before is not None
    assert (entry.after["new"], entry.after["changed"], entry.after["unchanged"]) == (1, 1, 0)
    assert entry.before["desks"]["D-1"]["x"] == 2.0 and entry.after["desks"]["D-1"]["x"] == 10


async def test_every_bad_row_is_reported_by_line_and_nothing_is_written(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    f = await plan_floor(factory)
    content = (
        HEADER
        + "D-1,abc,1,1,1,0,,\r\n"  # line 2: x not a number
        + "N-1,,,1,1,0,,\r\n"  # line 3: a new desk without a position
        + "N-2,39.5,1,1.6,0.8,0,,\r\n"  # line 4: outside the 40 m floor
        + "R-1,1,1,1,1,0,,\r\n"  # line 5: a meeting room
        + "N-3,1,1,1,1,0,NOPE,\r\n"  # line 6: an unknown zone
        + "N-4,1,1,1,1,400,,\r\n"  # line 7: rotation out of range
        + "N-5,5,5,1,1,0,,\r\n"  # line 8: fine
        + "N-5,6,6,1,1,0,,\r\n"  # line 9: the same code again
    ).encode()
    result = await runtime.desk_files.run(Actor(f.manager.id, "page"), f.floor.id, content)
    assert not result.written
    assert [(p.line, p.code) for p in result.plan.problems] == [
        (2, PlacesFileCode.PLACES_NUMBER_INVALID),
        (3, FloorPlanCode.DESK_FILE_POSITION_REQUIRED),
        (4, FloorPlanCode.DESK_FILE_OUTSIDE_FLOOR),
        (5, FloorPlanCode.DESK_FILE_NOT_A_DESK),
        (6, FloorPlanCode.DESK_FILE_ZONE_UNKNOWN),
        (7, PlacesFileCode.PLACES_NUMBER_OUT_OF_RANGE),
        (9, PlacesFileCode.PLACES_SPACE_REPEATED),
    ]
    assert "N-5" not in await spaces_of(db, f.floor.id)
    assert result.plan.problems[0].message_in("id")  # each has words, in Indonesian too


async def test_a_file_without_the_columns_is_refused(runtime: Runtime, factory: Factory) -> None:
    f = await plan_floor(factory)
    preview = await runtime.desk_files.preview(f.manager.id, f.floor.id, b"foo,bar\r\n1,2\r\n")
    assert [p.code for p in preview.problems] == [FloorPlanCode.DESK_FILE_HEADER_NOT_FOUND]


def _five_hundred(last_row: str | None = None) -> bytes:
    rows = [f"M-{i:03},{1 + (i % 20) * 1.9:.2f},{1 + (i // 20) * 0.75:.2f},1.6,0.8,0,,monitor" for i in range(500)]
    if last_row is not None:
        rows[-1] = last_row
    return (HEADER + "\r\n".join(rows) + "\r\n").encode()


async def test_500_desks_import_in_one_transaction_or_not_at_all(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    f = await plan_floor(factory, desks=0)
    actor = Actor(f.manager.id, "page")
    # row 500 is bad: nothing of the 499 good rows is written
    refused = await runtime.desk_files.run(actor, f.floor.id, _five_hundred("M-499,1,1,1,1,0,,\r\nM-500,x,1,1,1,0,,"))
    assert not refused.written and [p.line for p in refused.plan.problems] == [502]
    assert set(await spaces_of(db, f.floor.id)) == {"R-1"}
    # when all are good: one commit writes them all
    commits: list[object] = []

    def count(connection: object) -> None:
        commits.append(connection)

    event.listen(db.engine.sync_engine, "commit", count)
    try:
        started = time.perf_counter()
        result = await runtime.desk_files.run(actor, f.floor.id, _five_hundred())
        elapsed = time.perf_counter() - started
    finally:
        event.remove(db.engine.sync_engine, "commit", count)
    print(f"\nimporting 500 desks took {elapsed * 1000:.0f} ms in {len(commits)} commit(s)")
    assert result.written and len(result.plan.new) == 500
    assert len(commits) == 1
    assert len(await spaces_of(db, f.floor.id)) == 501
    assert len(await audit_of(db, AUDIT_ACTION)) == 1


async def test_others_may_neither_export_nor_import(runtime: Runtime, factory: Factory) -> None:
    f = await plan_floor(factory)
    someone = await factory.employee()
    with pytest.raises(PermissionDenied):
        await runtime.desk_files.export(someone.id, f.floor.id)
    with pytest.raises(PermissionDenied):
        await runtime.desk_files.run(Actor(someone.id, "page"), f.floor.id, (HEADER + "Q-1,1,1,1,1,0,,\r\n").encode())
