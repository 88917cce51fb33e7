"""Attendance from the presensi system: a file read with its bad rows by line, imported in one transaction (all or
nothing), the same file again a no-op, each import audited and logged, apps' records checked per record, and the
command line's dry run."""

import asyncio
import io
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from smartoffice.attendance.errors import AttendanceCode, AttendancePermissionCode
from smartoffice.attendance.plan import ChangeKind
from smartoffice.attendance.reader import read_attendance_file
from smartoffice.attendance.records import AttendanceItem
from smartoffice.attendance.service import MAX_RECORDS
from smartoffice.audit.record import Actor
from smartoffice.cli import main
from smartoffice.errors import CommonInputCode, InvalidInput, PermissionDenied
from smartoffice.hr.errors import HrRecordCode
from smartoffice.people.siasn import PeopleFileCode
from smartoffice.policies.facts import load_attendance
from smartoffice.policies.models import WorkMode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.attendance import actuals, attendance_file, imports, reports
from tests.support.hr_records import audit_count, audit_rows
from tests.support.policies import MON, THU, TUE, WED, Team, build_team

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = date(2026, 7, 8)


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


class TestReader:
    def test_status_words_in_both_languages_and_optional_columns(self) -> None:
        nip = "199001012015011001"
        content = attendance_file(
            (nip, "2026-07-01", "Hadir", "07:30", "e-presensi"),
            (nip, "2026-07-02", "wfh"),
            (nip, "2026-07-03", "W.F.A"),
            (nip, "06-07-2026", "CUTI"),
            (nip, "2026-07-07", " Dinas  Luar "),
            (nip, "2026-07-08", "tidak hadir"),
            (nip, "2026-06-01", "present", "7.05"),
            (nip, "2026-06-02", "work from home"),
            (nip, "2026-06-03", "on leave"),
            (nip, "2026-06-04", "duty travel"),
            (nip, "2026-06-05", "Absent"),
            (nip, "2026-06-08", "alpa"),
        )

        parsed = read_attendance_file(content, today=TODAY)

        assert parsed.problems == ()
        assert [r.mode for r in parsed.records] == [
            WorkMode.OFFICE, WorkMode.HOME, WorkMode.ANYWHERE, WorkMode.LEAVE, WorkMode.DUTY_TRAVEL, WorkMode.ABSENT,
            WorkMode.OFFICE, WorkMode.HOME, WorkMode.LEAVE, WorkMode.DUTY_TRAVEL, WorkMode.ABSENT, WorkMode.ABSENT,
        ]  # fmt: skip
        first = parsed.records[0]
        assert (first.position, first.day, first.check_in, first.source) == (
            2,
            date(2026, 7, 1),
            time(7, 30),
            "e-presensi",
        )
        assert parsed.records[3].day == date(2026, 7, 6) and parsed.records[6].check_in == time(7, 5)

    def test_every_bad_row_is_named_by_line_and_column(self) -> None:
        nip = "199001012015011001"
        content = attendance_file(
            (nip, "2026-07-01", "hadir"),
            ("12345", "2026-07-01", "hadir"),
            (nip, "2026-13-01", "hadir"),
            (nip, "2026-07-09", "hadir"),  # after today
            (nip, "2026-07-02", "bolos"),
            (nip, "2026-07-03", "hadir", "25:00"),
            (nip, "2026-07-06", "tidak hadir", "07:00"),
            (nip, "", "hadir"),
        )

        parsed = read_attendance_file(content, today=TODAY)

        assert [(p.line, p.column, p.code) for p in parsed.problems] == [
            (3, "NIP", PeopleFileCode.NIP_NOT_18_DIGITS),
            (4, "Tanggal", PeopleFileCode.DATE_INVALID),
            (5, "Tanggal", AttendanceCode.ATTENDANCE_DAY_IN_FUTURE),
            (6, "Status", AttendanceCode.ATTENDANCE_STATUS_UNKNOWN),
            (7, "Jam Masuk", AttendanceCode.ATTENDANCE_TIME_INVALID),
            (8, "Jam Masuk", AttendanceCode.ATTENDANCE_TIME_WITHOUT_PRESENCE),
            (9, "Tanggal", CommonInputCode.REQUIRED),
        ]
        assert parsed.problems[3].message_in("id").startswith("Status bolos bukan status kehadiran")
        assert [r.position for r in parsed.records] == [2]

    def test_a_workbook_with_date_and_time_cells(self) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["NIP", "Tanggal", "Status", "Jam Masuk"])
        sheet.append(["199001012015011001", date(2026, 7, 6), "Hadir", time(7, 25)])
        sheet.append(["199001012015011001", date(2026, 7, 7), "WFH", None])
        buffer = io.BytesIO()
        book.save(buffer)

        parsed = read_attendance_file(buffer.getvalue(), today=TODAY)

        assert parsed.problems == ()
        assert [(r.position, r.day, r.mode, r.check_in) for r in parsed.records] == [
            (2, date(2026, 7, 6), WorkMode.OFFICE, time(7, 25)),
            (3, date(2026, 7, 7), WorkMode.HOME, None),
        ]

    def test_a_file_without_the_columns_is_refused_as_a_whole(self) -> None:
        parsed = read_attendance_file(b"NIP;Nama\n199001012015011001;Agus\n", today=TODAY)
        assert [p.code for p in parsed.problems] == [AttendanceCode.ATTENDANCE_HEADER_NOT_FOUND]
        missing = read_attendance_file(b"NIP;Tanggal\n199001012015011001;2026-07-01\n", today=TODAY)
        assert [(p.code, p.params["field"]) for p in missing.problems] == [(PeopleFileCode.COLUMN_MISSING, "Status")]


class TestImport:
    async def test_a_file_imports_and_the_same_file_again_changes_nothing(self, runtime: Runtime, team: Team) -> None:
        agus, budi = team.staff[0], team.staff[1]
        await Factory(runtime.db).work_day(budi, TUE, planned=WorkMode.HOME)  # a plan: its row gains the actual
        content = attendance_file(
            (agus.nip, MON.isoformat(), "hadir", "07:28", "e-presensi"),
            (budi.nip, MON.isoformat(), "WFH"),
            (budi.nip, TUE.isoformat(), "tidak hadir"),
        )

        result = await runtime.attendance.run(content, file_name="presensi-juli.csv")

        assert result.written and result.plan.count(ChangeKind.NEW) == 3
        assert await actuals(runtime.db) == {
            (agus.nip, MON.isoformat()): "office", (budi.nip, MON.isoformat()): "home",
            (budi.nip, TUE.isoformat()): "absent",
        }  # fmt: skip
        assert (await reports(runtime.db))[agus.nip, MON.isoformat()] == ("07:28", "e-presensi")
        [logged] = await audit_rows(runtime.db)
        assert (logged["action"], logged["via"], logged["actor_id"]) == ("attendance.import", "cli", None)
        assert logged["after"] == {
            "file_name": "presensi-juli.csv", "records": 3, "created": 3, "changed": 0, "unchanged": 0,
            "first_day": MON.isoformat(), "last_day": TUE.isoformat(),
        }  # fmt: skip
        [log] = await imports(runtime.db)
        assert (log.file_name, log.records, log.created, len(log.digest or "")) == ("presensi-juli.csv", 3, 3, 64)
        # when the same file comes again: nothing written, not even an audit entry
        again = await runtime.attendance.run(content, file_name="presensi-juli.csv")
        assert not again.written and again.plan.unchanged == 3 and again.plan.changes_nothing
        assert await audit_count(runtime.db) == 1 and len(await imports(runtime.db)) == 1

    async def test_the_policy_engine_reads_what_was_imported(self, runtime: Runtime, team: Team) -> None:
        agus = team.staff[0]
        await runtime.attendance.run(
            attendance_file((agus.nip, MON.isoformat(), "tidak hadir"), (agus.nip, TUE.isoformat(), "cuti"))
        )

        async with runtime.db.read() as session:
            days = (await load_attendance(session, [agus.id], MON, WED))[agus.id]

        assert {day: attendance.actual for day, attendance in days.items()} == {
            MON: WorkMode.ABSENT,
            TUE: WorkMode.LEAVE,
        }  # Wednesday holds nothing: no data, never absent

    async def test_a_changed_report_replaces_the_stored_one(self, runtime: Runtime, team: Team) -> None:
        agus = team.staff[0]
        await runtime.attendance.run(attendance_file((agus.nip, MON.isoformat(), "hadir", "07:28")))

        result = await runtime.attendance.run(
            attendance_file((agus.nip, MON.isoformat(), "dinas luar")), actor=Actor(team.admin.id, "page")
        )

        [change] = result.plan.changes
        assert (change.kind, change.before) == (
            ChangeKind.CHANGED,
            {"actual": WorkMode.OFFICE, "check_in_time": time(7, 28)},
        )
        assert await actuals(runtime.db) == {(agus.nip, MON.isoformat()): "duty_travel"}
        assert await reports(runtime.db) == {(agus.nip, MON.isoformat()): (None, None)}
        last = (await audit_rows(runtime.db))[-1]
        assert (last["actor_id"], last["via"], last["after"]["changed"]) == (team.admin.id, "page", 1)

    async def test_a_file_with_any_bad_row_writes_nothing(self, runtime: Runtime, team: Team) -> None:
        agus = team.staff[0]
        content = attendance_file(
            (agus.nip, MON.isoformat(), "hadir"),
            ("199912312020121999", MON.isoformat(), "hadir"),  # nobody has it
            (agus.nip, MON.isoformat(), "WFH"),  # the same person and day again
        )

        result = await runtime.attendance.run(content)

        assert not result.written
        assert [(p.line, p.code) for p in result.plan.problems] == [
            (3, HrRecordCode.NIP_UNKNOWN),
            (4, AttendanceCode.ATTENDANCE_REPEATED),
        ]
        assert result.plan.problems[1].message == f"{agus.nip} has attendance for Monday 6 July 2026 on line 2 too"
        assert await actuals(runtime.db) == {} and await audit_count(runtime.db) == 0

    async def test_statements_do_not_grow_with_the_rows(self, runtime: Runtime, factory: Factory) -> None:
        people = [await factory.employee() for _ in range(30)]
        small = attendance_file((people[0].nip, MON.isoformat(), "hadir"), (people[1].nip, MON.isoformat(), "WFH"))
        large = attendance_file(  # alternating rows with and without a check-in time and a source
            *((p.nip, day.isoformat(), "hadir", "07:30", "e-presensi") for p in people for day in (TUE, WED)),
            *((p.nip, THU.isoformat(), "WFH") for p in people),
        )
        statements: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        engine = runtime.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            await runtime.attendance.run(small)
            for_two = len(statements)
            statements.clear()
            result = await runtime.attendance.run(large)
        finally:
            event.remove(engine, "before_cursor_execute", count)

        assert result.written and result.plan.count(ChangeKind.NEW) == 90
        assert len(statements) == for_two  # one INSERT for the 90 days, not one a day

    async def test_a_day_after_today_is_refused(self, runtime: Runtime, team: Team) -> None:
        tomorrow = runtime.attendance.today() + timedelta(days=1)
        result = await runtime.attendance.run(attendance_file((team.staff[0].nip, tomorrow.isoformat(), "hadir")))
        assert [p.code for p in result.plan.problems] == [AttendanceCode.ATTENDANCE_DAY_IN_FUTURE]
        assert await actuals(runtime.db) == {}

    async def test_only_administrators_import_files(self, runtime: Runtime, team: Team) -> None:
        content = attendance_file((team.staff[0].nip, MON.isoformat(), "hadir"))
        with pytest.raises(PermissionDenied):
            await runtime.attendance.run(content, actor=Actor(team.head.id, "page"))
        with pytest.raises(PermissionDenied):
            await runtime.attendance.preview(content, actor=Actor(team.head.id, "page"))
        assert await actuals(runtime.db) == {}

    async def test_the_example_file_reads_without_problems(self) -> None:
        parsed = read_attendance_file((EXAMPLES / "attendance-example.csv").read_bytes(), today=TODAY)
        assert parsed.problems == () and len(parsed.records) == 9


class TestAppRecords:
    def item(
        self, employee_id: int | None = None, nip: str | None = None, day: date = MON, mode: WorkMode = WorkMode.OFFICE
    ) -> AttendanceItem:
        return AttendanceItem(employee_id, None if employee_id is None else str(employee_id), nip, day, mode)

    async def test_a_unit_manager_reports_their_people_and_no_one_else(self, runtime: Runtime, team: Team) -> None:
        head = Actor(team.head.id, "token:1")
        mine = [self.item(team.staff[0].id), self.item(nip=team.staff[1].nip, mode=WorkMode.ABSENT)]

        refused = await runtime.attendance.report([*mine, self.item(team.stranger.id)], actor=head)
        assert not refused.written
        assert [(p.line, p.code) for p in refused.plan.problems] == [(2, AttendanceCode.ATTENDANCE_NOT_YOUR_PERSON)]
        assert await actuals(runtime.db) == {}

        stored = await runtime.attendance.report(mine, actor=head)
        assert stored.written and stored.plan.count(ChangeKind.NEW) == 2
        assert set((await actuals(runtime.db)).values()) == {"office", "absent"}

    async def test_someone_who_manages_no_one_is_refused_and_a_call_is_bounded(
        self, runtime: Runtime, team: Team
    ) -> None:
        with pytest.raises(PermissionDenied) as refused:
            await runtime.attendance.report([self.item(team.staff[0].id)], actor=Actor(team.staff[1].id, "api"))
        assert refused.value.error_code == AttendancePermissionCode.NOT_YOUR_PERSON
        with pytest.raises(InvalidInput):
            await runtime.attendance.report(
                [self.item(team.staff[0].id)] * (MAX_RECORDS + 1), actor=Actor(team.admin.id, "api")
            )


async def test_the_command_line_dry_run_writes_nothing_and_the_import_writes(
    runtime: Runtime, team: Team, database_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    path = tmp_path / "presensi.csv"
    path.write_bytes(attendance_file((team.staff[0].nip, WED.isoformat(), "hadir")))

    assert await asyncio.to_thread(main, ["attendance", "import", str(path), "--dry-run"]) == 0
    assert "attendance: 1 new, 0 changed, 0 unchanged\nDry run: nothing was written." in capsys.readouterr().out
    assert await actuals(runtime.db) == {}
    assert await asyncio.to_thread(main, ["attendance", "import", str(path)]) == 0
    assert "Imported." in capsys.readouterr().out
    assert await actuals(runtime.db) == {(team.staff[0].nip, WED.isoformat()): "office"}
    assert [log.file_name for log in await imports(runtime.db)] == ["presensi.csv"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(attendance_file(("199912312020121999", WED.isoformat(), "hadir")))
    assert await asyncio.to_thread(main, ["attendance", "import", str(bad)]) == 1
    assert "line 2, NIP: error NIP_UNKNOWN" in capsys.readouterr().out
