"""Importing places from a file: the example into an empty database, a re-import as a no-op, updates, bad rows,
the command (with --dry-run), the people example resolving its home buildings, and a running server's floors."""

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from smartoffice.audit.record import Actor
from smartoffice.cli import main
from smartoffice.db import Database
from smartoffice.errors import PermissionDenied
from smartoffice.ids import encode_id
from smartoffice.people.models import Employee, Role
from smartoffice.people.siasn import PeopleFileCode
from smartoffice.places.imports.errors import PlacesFileCode
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.people_files import xlsx_bytes
from tests.support.places_files import (
    EXAMPLE,
    PEOPLE_EXAMPLE,
    audit_entries,
    csv_bytes,
    desk,
    one,
    place_counts,
    room,
    spaces_by_code,
)


async def test_the_example_imports_into_an_empty_database_and_again_changes_nothing(
    runtime: Runtime, db: Database
) -> None:
    # when
    result = await runtime.places_import.run(EXAMPLE.read_bytes())
    # then: one site, two towers, five floors with two zones each, 40 desks and 4 rooms
    assert result.written and result.plan.problems == ()
    counts = await place_counts(db)
    assert (counts.sites, counts.buildings, counts.floors, counts.zones, counts.spaces) == (1, 2, 5, 10, 44)
    spaces = await spaces_by_code(db)
    assert sum(1 for s in spaces.values() if s.kind == SpaceKind.ROOM) == 4
    mahakam = spaces["T1-1-R1"]
    assert (mahakam.name, mahakam.capacity, mahakam.amenities) == (
        "Ruang Rapat Mahakam",
        10,
        ["video_conference", "whiteboard"],
    )
    assert (mahakam.x, mahakam.y, mahakam.width, mahakam.height) == (1.0, 1.0, 7.5, 6.0)
    tower = await one(db, Building, code="T1")
    assert (tower.name, tower.time_zone) == ("Menara 1 Kompleks Kemenko", "Asia/Makassar")
    # each change audited by the command line, with the site, as the GraphQL types name the entities
    site = await one(db, Site, code="KIPP")
    assert site.name == "Kawasan Inti Pusat Pemerintahan"
    entries = await audit_entries(db)
    assert len(entries) == counts.audit_entries == 1 + 2 + 5 + 10 + 44
    assert {e.site_id for e in entries} == {site.id} and {e.via for e in entries} == {"cli"}
    assert {e.entity_kind for e in entries} == {"Site", "Building", "Floor", "Zone", "Desk", "MeetingRoom"}
    assert (
        next(e for e in entries if e.entity_id == mahakam.id and e.entity_kind == "MeetingRoom").action
        == "space.create"
    )
    # when the same file comes again: nothing is written, not even an audit entry
    again = await runtime.places_import.run(EXAMPLE.read_bytes())
    assert not again.written and again.plan.changes_nothing and again.plan.unchanged == 44
    assert await place_counts(db) == counts


async def test_desks_laid_out_on_the_grid_neither_overlap_nor_leave_their_floor(runtime: Runtime, db: Database) -> None:
    await runtime.places_import.run(EXAMPLE.read_bytes())
    async with db.read() as session:
        floors = {f.id: f for f in await session.scalars(select(Floor))}
        spaces = list(await session.scalars(select(Space)))
    for space in spaces:
        floor = floors[space.floor_id]
        assert space.x >= 0 and space.x + space.width <= floor.width and space.y + space.height <= floor.height
    for a in spaces:
        for b in spaces:
            if a.id < b.id and a.floor_id == b.floor_id:
                apart = a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
                assert apart, (a.code, b.code)


async def test_a_changed_name_and_capacity_update_exactly_those(runtime: Runtime, db: Database) -> None:
    await runtime.places_import.run(csv_bytes([room(), desk()]))
    before = await place_counts(db)
    # when the building is renamed and the room gets more seats
    result = await runtime.places_import.run(csv_bytes([room(**{"Nama Gedung": "Menara Satu", "Kapasitas": "12"}),
                                                        desk(**{"Nama Gedung": "Menara Satu"})]))  # fmt: skip
    # then those two change, nothing else
    plan = result.plan
    assert result.written and (plan.count("buildings"), plan.count("spaces")) == ((0, 1), (0, 1))
    assert plan.sites == plan.floors == plan.zones == () and plan.unchanged == 1
    assert (await one(db, Building, code="T1")).name == "Menara Satu"
    assert (await spaces_by_code(db))["T1-1-R1"].capacity == 12
    updates = (await audit_entries(db))[before.audit_entries :]
    assert [(e.action, e.entity_kind, e.before, e.after) for e in updates] == [
        ("building.update", "Building", {"name": "Menara 1"}, {"name": "Menara Satu"}),
        ("space.update", "MeetingRoom", {"capacity": 8}, {"capacity": 12}),
    ]
    site = await one(db, Site, code="IKN")
    assert {e.site_id for e in updates} == {site.id}


@pytest.mark.parametrize(
    ("second", "column", "code"),
    [
        (desk(**{"Kode Meja": "T1-1-A02", "Jenis": "lemari"}), "Jenis", PlacesFileCode.PLACES_KIND_UNKNOWN),
        (desk(), "Kode Meja", PlacesFileCode.PLACES_SPACE_REPEATED),
        (desk(**{"Kode Meja": "T1-1-A02", "Zona Waktu": "Asia/Nusantara"}), "Zona Waktu",
         PlacesFileCode.PLACES_TIME_ZONE_UNKNOWN),
        (desk(**{"Kode Meja": "T1-1-A02", "Zona Waktu": "Asia/Jakarta"}), "Zona Waktu",
         PeopleFileCode.DESCRIBED_TWICE),
        (desk(**{"Kode Meja": "T1-1-A02", "Lantai": "1,5"}), "Lantai", PlacesFileCode.PLACES_WHOLE_NUMBER_INVALID),
        (desk(**{"Kode Meja": "T1-1-A02", "Zona": "Zona " + "A" * 40}), "Zona",
         PlacesFileCode.PLACES_ZONE_NAME_INVALID),
    ],
    ids=["unknown kind", "repeated code", "bad time zone", "building's zone differs", "bad number", "bad zone name"],
)  # fmt: skip
async def test_a_bad_row_names_its_line_and_nothing_is_written(
    runtime: Runtime, db: Database, second: dict[str, str], column: str, code: PlacesFileCode
) -> None:
    result = await runtime.places_import.run(csv_bytes([desk(), second]))
    assert not result.written
    [problem] = result.plan.errors
    assert (problem.line, problem.column, problem.code) == (3, column, code)
    assert (await place_counts(db)).spaces == 0 and (await place_counts(db)).audit_entries == 0


async def test_a_desk_in_the_file_that_is_a_room_in_the_database_is_refused(runtime: Runtime, db: Database) -> None:
    await runtime.places_import.run(csv_bytes([room()]))
    result = await runtime.places_import.run(csv_bytes([desk(), desk(**{"Kode Meja": "T1-1-R1"})]))
    assert not result.written
    assert [(p.line, p.code) for p in result.plan.errors] == [(3, PlacesFileCode.PLACES_KIND_CHANGED)]
    assert (await place_counts(db)).spaces == 1


async def test_the_commands_dry_run_writes_nothing_then_people_find_their_home_buildings(
    runtime: Runtime, db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    assert await asyncio.to_thread(main, ["places", "import", str(EXAMPLE), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "spaces 44 new/0 changed" in out and "Dry run: nothing was written." in out
    assert await place_counts(db) == await place_counts(db) and (await place_counts(db)).sites == 0
    assert await asyncio.to_thread(main, ["places", "import", str(EXAMPLE)]) == 0
    assert "Imported." in capsys.readouterr().out and (await place_counts(db)).spaces == 44
    assert await asyncio.to_thread(main, ["places", "import", str(EXAMPLE)]) == 0
    assert "Nothing to change" in capsys.readouterr().out
    # then the people example's Gedung codes are the example's towers
    assert await asyncio.to_thread(main, ["people", "import", str(PEOPLE_EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert PeopleFileCode.BUILDING_UNKNOWN.name not in out and PeopleFileCode.BUILDING_AMBIGUOUS.name not in out
    async with db.read() as session:
        homes = set(await session.scalars(select(Employee.home_building_id)))
    towers = {(await one(db, Building, code=code)).id for code in ("T1", "T2")}
    assert towers <= homes <= towers | {None}


async def test_the_command_exits_1_on_a_bad_file_and_names_the_line(
    runtime: Runtime, db: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    path = tmp_path / "ruang.csv"
    path.write_bytes(csv_bytes([desk(), desk(**{"Kode Meja": "T1-1-A02", "Jenis": "lemari"})]))
    assert await asyncio.to_thread(main, ["places", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "nothing was written" in out and "line 3, Jenis: error PLACES_KIND_UNKNOWN" in out
    assert (await place_counts(db)).sites == 0


FLOOR_DESKS = "query ($id: ID!) { floor(id: $id) { name desks { code } rooms { code name capacity } } }"


async def test_a_running_server_shows_what_the_command_imported_without_a_restart(
    runtime: Runtime, db: Database, factory: Factory, settings: Settings, database_url: str, redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    monkeypatch.setenv("SMARTOFFICE_REDIS_URL", redis_url)  # the server's Redis: where the layout version lives

    await runtime.places_import.run(csv_bytes([room(), desk()]))
    floor_id = encode_id("Floor", (await one(db, Floor, level=1)).id)
    viewer = await factory.employee()
    async with client_for(settings) as client:

        async def floor() -> dict[str, object]:
            response = await client.post(
                "/graphql", json={"query": FLOOR_DESKS, "variables": {"id": floor_id}},
                headers={"x-demo-employee": str(viewer.id)},
            )  # fmt: skip
            data: dict[str, object] = response.json()["data"]["floor"]
            return data

        assert await floor() == {"name": "Lantai 1", "desks": [{"code": "T1-1-A01"}],
                                 "rooms": [{"code": "T1-1-R1", "name": "T1-1-R1", "capacity": 8}]}  # fmt: skip
        # when another process (the command) adds a desk and gives the room more seats
        path = settings.data_dir / "ruang.csv"
        path.write_bytes(csv_bytes([room(Kapasitas="10"), desk(), desk(**{"Kode Meja": "T1-1-A02"})]))
        assert await asyncio.to_thread(main, ["places", "import", str(path)]) == 0
        # then the server's cached layout is stale and the floor shows both
        assert await floor() == {"name": "Lantai 1", "desks": [{"code": "T1-1-A01"}, {"code": "T1-1-A02"}],
                                 "rooms": [{"code": "T1-1-R1", "name": "T1-1-R1", "capacity": 10}]}  # fmt: skip


async def test_a_workbook_with_numbers_as_excel_stores_them_imports_too(
    runtime: Runtime, db: Database, tmp_path: Path
) -> None:
    header = ["Kode Kawasan", "Kode Gedung", "Lantai", "Kode Ruang", "Jenis", "Kapasitas", "X", "Y"]
    cells: list[list[object]] = [header, ["IKN", "T1", 2, "T1-2-R1", "Ruang Rapat", 6, 2.5, 1]]
    result = await runtime.places_import.run(xlsx_bytes(cells, tmp_path))
    assert result.written, result.plan.problems
    room_ = (await spaces_by_code(db))["T1-2-R1"]
    assert (room_.kind, room_.capacity, room_.x, room_.y, room_.width) == (SpaceKind.ROOM, 6, 2.5, 1.0, 5.7)
    assert (await one(db, Floor, level=2)).name == "Lantai 2" and (await one(db, Site, code="IKN")).name == "IKN"


async def test_a_room_marked_not_bookable_has_no_bookable_weekday_until_marked_again(
    runtime: Runtime, db: Database
) -> None:
    header = ("Kode Kawasan", "Kode Gedung", "Lantai", "Kode Meja", "Jenis", "Kapasitas", "Dapat Dipesan")
    await runtime.places_import.run(csv_bytes([room(**{"Dapat Dipesan": "tidak"})], header))
    assert (await spaces_by_code(db))["T1-1-R1"].bookable_hours == {}
    await runtime.places_import.run(csv_bytes([room(**{"Dapat Dipesan": "ya"})], header))
    assert (await spaces_by_code(db))["T1-1-R1"].bookable_hours is None
    refused = await runtime.places_import.run(csv_bytes([desk(**{"Dapat Dipesan": "tidak"})], header))
    assert [p.code for p in refused.plan.errors] == [PlacesFileCode.PLACES_DESK_NOT_BOOKABLE]


async def test_a_person_importing_must_be_an_administrator(runtime: Runtime, db: Database, factory: Factory) -> None:
    clerk, admin = await factory.employee(), await factory.employee()
    await factory.role(admin, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        await runtime.places_import.run(csv_bytes([desk()]), actor=Actor(clerk.id, "page"))
    assert (await place_counts(db)).sites == 0
    assert (await runtime.places_import.run(csv_bytes([desk()]), actor=Actor(admin.id, "page"))).written
    assert {(e.actor_id, e.via) for e in await audit_entries(db)} == {(admin.id, "page")}
