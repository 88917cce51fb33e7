"""Importing people from a SIASN-shaped file: plan, one transaction, leavers, reactivation, re-import as a no-op."""

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.cli import main
from smartoffice.db import Database, utcnow
from smartoffice.identity import tokens
from smartoffice.identity.models import ApiToken
from smartoffice.identity.scopes import Scope
from smartoffice.integrations.models import BookingEvent, EventKind
from smartoffice.people.imports.plan import ChangeKind
from smartoffice.people.siasn import PeopleFileCode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import local_today
from tests.support.people_files import HEAD_NIP, PPPK_NIP, STAFF_NIP, csv_bytes, head, pppk, staff, valid_rows
from tests.support.people_import import actions, by_nip, counts, towers, units_by_code


@pytest.fixture
async def buildings(factory: Factory) -> None:
    await towers(factory)


async def test_a_valid_file_imports_and_a_reimport_changes_nothing(
    runtime: Runtime, db: Database, buildings: None
) -> None:
    # when
    result = await runtime.people_import.run(csv_bytes(valid_rows()))
    # then: everyone, their units (parents resolved) and supervisors exist, each change audited
    assert result.written and result.plan.count(ChangeKind.NEW) == 3
    people, units = await by_nip(db), await units_by_code(db)
    assert units["D1-DIR1"].parent_id == units["D1"].id and units["D1"].parent_id is None
    assert (units["D1"].level, units["D1-DIR1"].level) == (1, 2)
    assert people[STAFF_NIP].supervisor_id == people[HEAD_NIP].id
    assert people[PPPK_NIP].org_unit_id == units["D1-DIR1"].id and people[HEAD_NIP].home_building_id is not None
    logged = [action for action, _ in await actions(db)]
    assert logged.count("employee.create") == 3 and logged.count("org_unit.create") == 2
    before = await counts(db)
    # when the same file comes again
    again = await runtime.people_import.run(csv_bytes(valid_rows()))
    # then nothing is written, not even an audit entry
    assert not again.written and again.plan.unchanged == 3 and again.plan.changes_nothing
    assert await counts(db) == before


async def test_a_changed_field_is_updated_and_audited_with_before_and_after(
    runtime: Runtime, db: Database, buildings: None
) -> None:
    await runtime.people_import.run(csv_bytes(valid_rows()))
    changed = [head(), staff(Jabatan="Perencana Ahli Utama", Gedung="T2"), pppk()]
    result = await runtime.people_import.run(csv_bytes(changed))
    [change] = result.plan.people
    assert change.kind == ChangeKind.CHANGED and change.key == STAFF_NIP
    assert {(f.field, f.before, f.after) for f in change.fields} == {
        ("position_name", "Perencana Ahli Madya", "Perencana Ahli Utama"),
        ("building_code", "T1", "T2"),
    }
    assert (await by_nip(db))[STAFF_NIP].position_name == "Perencana Ahli Utama"
    assert (await actions(db))[-1] == ("employee.update", change.id)


async def test_a_file_with_one_bad_nip_writes_nothing_and_names_the_line(runtime: Runtime, db: Database) -> None:
    rows = [head(), staff(), pppk(NIP="19970909202221100")]
    result = await runtime.people_import.run(csv_bytes(rows))
    assert not result.written
    [problem] = result.plan.errors
    assert (problem.line, problem.column, problem.code) == (4, "NIP", PeopleFileCode.NIP_NOT_18_DIGITS)
    assert (await counts(db)).employees == 0 and (await counts(db)).units == 0


async def test_an_unknown_building_code_is_a_warning_with_its_line_and_no_home_building(
    runtime: Runtime, db: Database, buildings: None
) -> None:
    result = await runtime.people_import.run(csv_bytes([head(), staff(Gedung="T9"), pppk()]))
    assert result.written
    [problem] = result.plan.problems
    assert (problem.line, problem.column, problem.code) == (3, "Gedung", PeopleFileCode.BUILDING_UNKNOWN)
    assert problem.is_warning and "T9" in problem.message
    people = await by_nip(db)
    assert people[STAFF_NIP].home_building_id is None and people[HEAD_NIP].home_building_id is not None
    # the same file again is a no-op: the unknown code is not a change each time
    assert not (await runtime.people_import.run(csv_bytes([head(), staff(Gedung="T9"), pppk()]))).written


async def test_an_email_another_employee_has_is_refused(
    runtime: Runtime, db: Database, factory: Factory, buildings: None
) -> None:
    await factory.employee(email="agus@contoh.go.id")
    result = await runtime.people_import.run(csv_bytes(valid_rows()))
    assert [(p.line, p.code) for p in result.plan.errors] == [(3, PeopleFileCode.EMAIL_TAKEN)]
    assert (await counts(db)).employees == 1


async def test_a_leaver_is_deactivated_with_future_bookings_cancelled_and_access_revoked(
    runtime: Runtime, db: Database, factory: Factory, buildings: None
) -> None:
    # given staff with a past, an ongoing and a future booking, a login session and an app token
    await runtime.people_import.run(csv_bytes(valid_rows()))
    leaver = (await by_nip(db))[STAFF_NIP]
    desk, now = await factory.desk(), utcnow()
    past = await insert_booking(db, desk, leaver, now - timedelta(days=2, hours=2), now - timedelta(days=2))
    ongoing = await insert_booking(db, desk, leaver, now - timedelta(hours=1), now + timedelta(hours=1))
    future = await insert_booking(db, desk, leaver, now + timedelta(days=2), now + timedelta(days=2, hours=3))
    session_id = await runtime.identity.sessions.create(leaver.id)
    async with db.write() as session:
        issued = await tokens.issue_token(
            session, owner_id=leaver.id, name="app", scopes=[Scope.BOOKINGS_READ], now=now
        )
    # when the next file no longer lists them
    result = await runtime.people_import.run(csv_bytes([head(), pppk()]))
    # then
    assert [leaving.nip for leaving in result.plan.leavers] == [STAFF_NIP]
    assert (result.cancelled_bookings, result.revoked_tokens, result.ended_sessions) == (1, 1, 1)
    gone = (await by_nip(db))[STAFF_NIP]
    assert not gone.active and gone.left_on == local_today()  # WITA, where the test buildings are
    async with db.read() as session:
        status = dict((await session.execute(select(Booking.id, Booking.status))).all())
        token = await session.get(ApiToken, issued.token.id)
        reasons = [
            e.payload.get("reason")
            for e in await session.scalars(select(BookingEvent).where(BookingEvent.kind == EventKind.CANCELLED))
        ]
    assert status == {
        past.id: BookingStatus.BOOKED,
        ongoing.id: BookingStatus.BOOKED,
        future.id: BookingStatus.CANCELLED,
    }
    assert [r["code"] for r in reasons if r] == ["employee_left"]
    assert token is not None and token.revoked_at is not None
    assert await runtime.identity.sessions.get(session_id) is None
    assert (await actions(db))[-1] == ("employee.deactivate", leaver.id)
    # and a second run of the same file changes nothing more
    assert not (await runtime.people_import.run(csv_bytes([head(), pppk()]))).written


async def test_a_returning_person_is_reactivated(runtime: Runtime, db: Database, buildings: None) -> None:
    await runtime.people_import.run(csv_bytes(valid_rows()))
    await runtime.people_import.run(csv_bytes([head(), pppk()]))
    result = await runtime.people_import.run(csv_bytes(valid_rows()))
    assert [(c.kind, c.key) for c in result.plan.people] == [(ChangeKind.REACTIVATED, STAFF_NIP)]
    back = (await by_nip(db))[STAFF_NIP]
    assert back.active and back.left_on is None
    assert (await actions(db))[-1] == ("employee.reactivate", back.id)


async def test_people_of_another_agency_do_not_leave(
    runtime: Runtime, db: Database, factory: Factory, buildings: None
) -> None:
    other = await factory.employee()
    result = await runtime.people_import.run(csv_bytes(valid_rows()))
    assert result.written and result.plan.leavers == ()
    assert (await by_nip(db))[other.nip].active


async def test_the_commands_dry_run_writes_nothing(
    runtime: Runtime, db: Database, buildings: None, database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(valid_rows()))
    assert await asyncio.to_thread(main, ["people", "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "people: 3 new, 0 changed, 0 unchanged, 0 leaving, 0 reactivated" in out and "Dry run" in out
    assert (await counts(db)).employees == 0
    assert await asyncio.to_thread(main, ["people", "import", str(path)]) == 0
    assert (await counts(db)).employees == 3


async def test_the_command_exits_1_on_an_invalid_file_and_names_the_line(
    runtime: Runtime, db: Database, database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes([head(), staff(NIP="123")]))
    assert await asyncio.to_thread(main, ["people", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "nothing was written" in out and "line 3, NIP: error NIP_NOT_18_DIGITS" in out
    assert (await counts(db)).employees == 0
