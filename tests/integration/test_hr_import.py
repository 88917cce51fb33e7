"""Importing performance ratings and discipline cases from HR files: one transaction, bad rows by line, re-import
as a no-op, changes audited, and the policy engine's eligibility reading what was imported."""

import asyncio
from datetime import date
from pathlib import Path

import pytest

from smartoffice.audit.record import Actor
from smartoffice.cli import main
from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, PermissionDenied
from smartoffice.hr.errors import HrRecordCode
from smartoffice.hr.plan import ChangeKind
from smartoffice.hr.reader import read_records_file
from smartoffice.hr.records import RecordKind
from smartoffice.people.models import Employee
from smartoffice.people.siasn import PeopleFileCode
from smartoffice.policies import weeks
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.hr_records import audit_count, audit_rows, cases, cases_file, csv_bytes, ratings, ratings_file
from tests.support.policies import MON, WEEK, Team, build_team

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = date(2026, 7, 3)
"""The Friday before the team's week (``tests.support.policies``)."""


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


async def week(db: Database, person: Employee) -> weeks.MyWeek:
    async with db.read() as session:
        return await weeks.my_week(session, person.id, person.id, WEEK, TODAY)


def reasons(plan: weeks.MyWeek) -> set[ReasonCode]:
    return {reason.code for day in plan.plan.days for reason in day.reasons}


class TestRatings:
    async def test_a_file_imports_and_the_same_file_again_changes_nothing(
        self, runtime: Runtime, db: Database, team: Team
    ) -> None:
        agus, budi = team.staff[0], team.staff[1]
        content = ratings_file(
            (agus.nip, 2025, "Sangat Baik"), (budi.nip, 2025, " butuh  PERBAIKAN"), (agus.nip, 2024, "baik")
        )

        result = await runtime.hr_records.run(RecordKind.RATINGS, content)

        assert result.written and result.plan.count(ChangeKind.NEW) == 3
        assert await ratings(db) == {
            (agus.nip, 2025): "sangat_baik", (budi.nip, 2025): "butuh_perbaikan", (agus.nip, 2024): "baik"
        }  # fmt: skip
        logged = await audit_rows(db)
        assert [(e["action"], e["via"], e["actor_id"]) for e in logged] == [
            ("performance_rating.create", "cli", None)
        ] * 3
        assert logged[0]["before"] is None
        assert logged[0]["after"] == {"employee_id": agus.id, "period": 2025, "rating": "sangat_baik"}
        assert logged[0]["org_unit_id"] == team.directorate.id and logged[0]["entity_kind"] == "PerformanceRating"
        # when the same file comes again: nothing written, not even an audit entry
        again = await runtime.hr_records.run(RecordKind.RATINGS, content)
        assert not again.written and again.plan.unchanged == 3 and again.plan.changes_nothing
        assert await audit_count(db) == 3

    async def test_a_changed_rating_is_updated_and_audited_with_before_and_after(
        self, runtime: Runtime, db: Database, team: Team
    ) -> None:
        agus = team.staff[0]
        await runtime.hr_records.run(RecordKind.RATINGS, ratings_file((agus.nip, 2025, "Baik")))

        result = await runtime.hr_records.run(
            RecordKind.RATINGS, ratings_file((agus.nip, 2025, "Kurang")), actor=Actor(team.admin.id, "page")
        )

        [change] = result.plan.changes
        assert (change.kind, change.before, change.after) == (
            ChangeKind.CHANGED,
            {"rating": "baik"},
            {"rating": "kurang"},
        )
        assert await ratings(db) == {(agus.nip, 2025): "kurang"}
        last = (await audit_rows(db))[-1]
        assert (last["action"], last["actor_id"], last["via"]) == ("performance_rating.update", team.admin.id, "page")
        assert (last["before"], last["after"]) == ({"rating": "baik"}, {"rating": "kurang"})

    async def test_bad_rows_are_named_by_line_and_nothing_is_written(
        self, runtime: Runtime, db: Database, team: Team
    ) -> None:
        agus = team.staff[0]
        content = ratings_file(
            (agus.nip, 2025, "Baik"),
            ("199912312020121999", 2025, "Baik"),  # nobody has it
            (team.staff[1].nip, 2025, "Luar Biasa"),  # not a rating
            (team.staff[2].nip, 1999, "Baik"),  # too old a year
            (agus.nip, 2025, "Sangat Baik"),  # the same person and year again
        )

        result = await runtime.hr_records.run(RecordKind.RATINGS, content)

        assert not result.written
        assert [(p.line, p.column, p.code) for p in result.plan.problems] == [
            (3, "NIP", HrRecordCode.NIP_UNKNOWN),
            (4, "Predikat", HrRecordCode.RATING_UNKNOWN),
            (5, "Periode", HrRecordCode.PERIOD_INVALID),
            (6, "Periode", HrRecordCode.RATING_REPEATED),
        ]
        assert result.plan.problems[3].message == f"NIP {agus.nip} has a rating for 2025 on line 2 too"
        assert await ratings(db) == {} and await audit_count(db) == 0

    async def test_a_person_who_is_not_an_admin_is_refused(self, runtime: Runtime, team: Team) -> None:
        with pytest.raises(PermissionDenied):
            await runtime.hr_records.run(
                RecordKind.RATINGS, ratings_file((team.staff[0].nip, 2025, "Baik")), actor=Actor(team.head.id, "page")
            )


class TestDisciplineCases:
    async def test_a_file_imports_a_re_import_is_a_no_op_and_closing_a_case_updates_it(
        self, runtime: Runtime, db: Database, team: Team
    ) -> None:
        agus, budi = team.staff[0], team.staff[1]
        opened = cases_file(
            (agus.nip, "800/1/KEP/2026", "Aktif", "2026-06-01", ""), (budi.nip, "800/2", "pending", "01-06-2026", "")
        )

        first = await runtime.hr_records.run(RecordKind.CASES, opened)
        again = await runtime.hr_records.run(RecordKind.CASES, opened)

        assert first.written and first.plan.count(ChangeKind.NEW) == 2
        assert not again.written and again.plan.unchanged == 2 and await audit_count(db) == 2
        # when the HR system closes the first case
        closed = cases_file((agus.nip, "800/1/KEP/2026", "Selesai", "2026-06-01", "2026-06-30"))
        result = await runtime.hr_records.run(RecordKind.CASES, closed)
        assert result.written and result.plan.count(ChangeKind.CHANGED) == 1
        assert await cases(db) == {
            (agus.nip, "800/1/KEP/2026"): ("closed", "2026-06-01", "2026-06-30"),
            (budi.nip, "800/2"): ("pending", "2026-06-01", None),
        }
        last = (await audit_rows(db))[-1]
        assert (last["action"], last["entity_kind"]) == ("discipline_case.update", "DisciplineCase")
        assert last["before"] == {"status": "active", "closed_on": None}
        assert last["after"] == {"status": "closed", "closed_on": "2026-06-30"}

    async def test_bad_rows_are_named_by_line_and_nothing_is_written(
        self, runtime: Runtime, db: Database, team: Team
    ) -> None:
        agus = team.staff[0]
        content = cases_file(
            (agus.nip, "A-1", "closed", "2026-06-10", "2026-06-01"),  # closed before it opened
            ("19850312201001100", "A-2", "active", "2026-06-10", ""),  # 17 digits
            (agus.nip, "A-3", "closed", "2026-06-10", ""),  # closed without a day
            (agus.nip, "A-4", "active", "2026-02-30", ""),  # no such day
            (agus.nip, "A-5", "dibatalkan", "2026-06-10", ""),  # no such status
            (agus.nip, "", "active", "2026-06-10", ""),  # no number
            (agus.nip, "A-1", "active", "2026-06-10", ""),  # the first case again
        )

        result = await runtime.hr_records.run(RecordKind.CASES, content)

        assert not result.written
        assert [(p.line, p.column, p.code) for p in result.plan.problems] == [
            (2, "Tanggal Selesai", HrRecordCode.CLOSED_BEFORE_OPENED),
            (3, "NIP", PeopleFileCode.NIP_NOT_18_DIGITS),
            (4, "Tanggal Selesai", HrRecordCode.CLOSED_ON_MISSING),
            (5, "Tanggal Mulai", PeopleFileCode.DATE_INVALID),
            (6, "Status", HrRecordCode.CASE_STATUS_UNKNOWN),
            (7, "Nomor Kasus", CommonInputCode.REQUIRED),
        ]
        assert (
            result.plan.problems[0].message
            == "Tanggal Selesai 2026-06-01 is before the day the case was opened (Wednesday 10 June 2026)"
        )
        assert await cases(db) == {} and await audit_count(db) == 0

    async def test_a_case_without_a_reference_stays_as_it_is(
        self, runtime: Runtime, db: Database, team: Team, factory: Factory
    ) -> None:
        agus = team.staff[0]
        await factory.discipline_case(agus)  # the demo's kind: no number in any HR system

        await runtime.hr_records.run(RecordKind.CASES, cases_file((agus.nip, "B-1", "pending", "2026-06-01", "")))

        assert set(await cases(db)) == {(agus.nip, None), (agus.nip, "B-1")}


class TestTheEngineReadsWhatWasImported:
    """As the demo's KEMENKOPMK performance gate and the national baseline's no-discipline-case rule do
    (test_policy_demo.py, test_policy_service.py), with the facts imported instead of seeded."""

    async def test_a_kurang_rating_takes_the_remote_days_away_and_a_better_one_gives_them_back(
        self, runtime: Runtime, db: Database, team: Team, factory: Factory
    ) -> None:
        await factory.policy({"eligibility": {"ratings": ["sangat_baik", "baik"]}}, name="Syarat kinerja")
        agus = team.staff[0]
        await runtime.hr_records.run(RecordKind.RATINGS, ratings_file((agus.nip, 2025, "Baik")))
        assert (await week(db, agus)).plan.remote_days_allowed == 2

        await runtime.hr_records.run(RecordKind.RATINGS, ratings_file((agus.nip, 2025, "Kurang")))
        gated = await week(db, agus)
        assert gated.plan.remote_days_allowed == 0 and ReasonCode.RATING_NOT_ALLOWED in reasons(gated)

        await runtime.hr_records.run(RecordKind.RATINGS, ratings_file((agus.nip, 2026, "Sangat Baik")))
        assert (await week(db, agus)).plan.remote_days_allowed == 2  # the latest period counts

    async def test_an_active_case_makes_every_day_an_office_day_until_it_is_closed(
        self, runtime: Runtime, db: Database, team: Team
    ) -> None:
        agus = team.staff[0]
        await runtime.hr_records.run(RecordKind.CASES, cases_file((agus.nip, "K-7", "aktif", "2026-06-01", "")))
        open_case = await week(db, agus)
        required = [
            d.day for d in open_case.plan.days if any(r.code == ReasonCode.OPEN_DISCIPLINE_CASE for r in d.reasons)
        ]
        assert len(required) == 5 and open_case.plan.remote_days_allowed == 0

        closed = cases_file((agus.nip, "K-7", "selesai", "2026-06-01", MON.isoformat()))
        await runtime.hr_records.run(RecordKind.CASES, closed)
        assert ReasonCode.OPEN_DISCIPLINE_CASE not in reasons(await week(db, agus))
        assert (await week(db, agus)).plan.remote_days_allowed == 2


class TestTheFiles:
    def test_the_example_files_read_without_problems(self) -> None:
        for kind, name, count in (
            (RecordKind.RATINGS, "hr-ratings-example.csv", 9),
            (RecordKind.CASES, "hr-discipline-example.csv", 3),
        ):
            parsed = read_records_file(kind, (EXAMPLES / name).read_bytes(), today=date(2026, 12, 4))
            assert parsed.is_valid and len(parsed.records) == count, parsed.problems

    def test_a_workbook_reads_as_its_csv_does(self, tmp_path: Path) -> None:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["Daftar Hukuman Disiplin"])  # a title above the header
        sheet.append(["NIP", "Nomor SK", "Status Kasus", "TMT Hukuman", "Tanggal Selesai"])
        sheet.append(["198601102010011003", "KEP-9", "selesai", date(2025, 2, 3), date(2025, 8, 3)])
        sheet.append([198601102010011003, "KEP-10", "aktif", date(2025, 2, 3), None])  # a NIP stored as a number
        workbook.save(tmp_path / "kasus.xlsx")

        parsed = read_records_file(RecordKind.CASES, (tmp_path / "kasus.xlsx").read_bytes(), today=date(2026, 12, 4))

        [record] = parsed.records
        assert (record.position, record.reference, record.opened_on) == (3, "KEP-9", date(2025, 2, 3))  # type: ignore[union-attr]
        assert [(p.line, p.code) for p in parsed.problems] == [(4, PeopleFileCode.NIP_STORED_AS_NUMBER)]

    def test_a_file_of_the_other_kind_has_no_header_this_kind_knows(self) -> None:
        content = csv_bytes(("NIP", "Nama", "Email"), [("198601102010011003", "Agus", "agus@contoh.go.id")])

        parsed = read_records_file(RecordKind.RATINGS, content, today=date(2026, 12, 4))

        [problem] = parsed.problems
        assert problem.code == HrRecordCode.HR_HEADER_NOT_FOUND
        assert problem.message == "No header row naming the columns (NIP, Periode, Predikat) in the first 10 rows"
        missing = read_records_file(
            RecordKind.RATINGS, csv_bytes(("NIP", "Periode"), [("1", "2025")]), today=date(2026, 12, 4)
        )
        assert [(p.line, p.code) for p in missing.problems] == [(1, PeopleFileCode.COLUMN_MISSING)]


async def test_the_commands_dry_run_writes_nothing_and_a_bad_file_exits_1(
    runtime: Runtime, db: Database, team: Team, database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    path = tmp_path / "skp.csv"
    path.write_bytes(ratings_file((team.staff[0].nip, 2025, "Baik"), (team.staff[1].nip, 2025, "Kurang")))

    assert await asyncio.to_thread(main, ["hr", "import-ratings", str(path), "--dry-run"]) == 0
    assert "ratings: 2 new, 0 changed, 0 unchanged" in capsys.readouterr().out and await ratings(db) == {}
    assert await asyncio.to_thread(main, ["hr", "import-ratings", str(path)]) == 0
    assert "Imported." in capsys.readouterr().out and len(await ratings(db)) == 2
    bad = tmp_path / "kasus.csv"
    bad.write_bytes(cases_file((team.staff[0].nip, "K-1", "closed", "2026-06-10", "2026-06-01")))
    assert await asyncio.to_thread(main, ["hr", "import-discipline", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "nothing was written" in out and "line 2, Tanggal Selesai: error CLOSED_BEFORE_OPENED" in out
    assert await cases(db) == {}
