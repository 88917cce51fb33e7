"""The policy services on a real database: who sees a week, planning remote days against the caps, exemptions,
anchor days, policies, the occupancy cap at booking time, a unit's compliance and the desk suggestions.

Weeks are fixed dates, judged as of the Friday before (``TODAY``): 6-10 and 13-17 July 2026 hold no holiday.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.bookings.service import BookingService
from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied, PolicyRefusal
from smartoffice.people.models import Employee
from smartoffice.places.models import Space
from smartoffice.policies import anchor_days, exemptions, policy_changes, weeks, work_days
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.policies.engine import ComplianceStatus, Requirement
from smartoffice.policies.models import (
    AnchorDay,
    CaseStatus,
    ExemptionStatus,
    LocationKind,
    Policy,
    PolicyLevel,
    WorkMode,
)
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import office_hours
from tests.support.policies import FRI, MON, NEXT_WEEK, SAT, THU, TUE, WED, WEEK, Team, build_team

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 7, 3)
"""A Friday: the weeks of ``tests.support.policies`` are all ahead of it."""
TODAY_NOW = datetime.combine(TODAY, time(9), WITA).astimezone(UTC)


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


async def plan(db: Database, actor: Employee, employee: Employee, day: date, mode: WorkMode | None) -> Any:
    async with db.write() as session:
        return await work_days.set_work_day(session, actor.id, employee.id, day, TODAY, planned=mode)


async def week_of(db: Database, viewer: Employee, employee: Employee, monday: date = WEEK) -> weeks.MyWeek:
    async with db.read() as session:
        return await weeks.my_week(session, viewer.id, employee.id, monday, TODAY)


def booking_service(runtime: Runtime) -> BookingService:
    """Bookings made on TODAY's morning, so the weeks ahead are bookable."""
    now = datetime.combine(TODAY, time(8), WITA).astimezone(UTC)
    return BookingService(runtime.db, runtime.availability, lambda: now)


class TestMyWeek:
    async def test_the_person_their_supervisor_and_the_unit_head_see_it(self, db: Database, team: Team) -> None:
        person = team.staff[0]

        for viewer in (person, team.supervisor, team.head, team.admin):
            week = await week_of(db, viewer, person)
            assert (week.employee.id, week.plan.monday) == (person.id, WEEK)
            assert (week.plan.office_days_needed, week.plan.remote_days_allowed) == (3, 2)

    async def test_anyone_else_is_refused(self, db: Database, team: Team) -> None:
        for viewer in (team.stranger, team.staff[1]):
            with pytest.raises(PermissionDenied) as refused:
                await week_of(db, viewer, team.staff[0])
            assert refused.value.code == "NOT_YOUR_WEEK"
            assert refused.value.message_in("id").startswith("Hanya pegawai")

    async def test_any_day_names_its_week(self, db: Database, team: Team) -> None:
        week = await week_of(db, team.staff[0], team.staff[0], THU)

        assert [d.day for d in week.plan.days] == [WEEK + timedelta(days=n) for n in range(7)]
        assert [d.requirement for d in week.plan.days[5:]] == [Requirement.NOT_WORKING] * 2

    async def test_an_unknown_employee(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            with pytest.raises(NotFound):
                await weeks.my_week(session, team.admin.id, 999_999, WEEK, TODAY)


class TestSetWorkDay:
    async def test_a_remote_day_within_the_allowance(self, db: Database, team: Team) -> None:
        person = team.staff[0]

        row = await plan(db, person, person, MON, WorkMode.HOME)

        assert (row.planned, row.updated_by_id) == (WorkMode.HOME, person.id)
        week = await week_of(db, person, person)
        assert week.plan.days[0].planned == WorkMode.HOME

    async def test_clearing_a_plan(self, db: Database, team: Team) -> None:
        person = team.staff[0]
        await plan(db, person, person, MON, WorkMode.HOME)

        row = await plan(db, person, person, MON, None)

        assert row is not None and row.planned is None
        assert await plan(db, person, person, TUE, None) is None  # nothing to clear: no row is written

    async def test_the_supervisor_plans_for_their_staff_but_a_stranger_may_not(self, db: Database, team: Team) -> None:
        row = await plan(db, team.supervisor, team.staff[0], MON, WorkMode.DUTY_TRAVEL)
        assert row.planned == WorkMode.DUTY_TRAVEL

        with pytest.raises(PermissionDenied) as refused:
            await plan(db, team.stranger, team.staff[0], MON, WorkMode.HOME)
        assert refused.value.code == "NOT_YOUR_PLAN"

    async def test_a_past_day_or_a_weekend_is_invalid(self, db: Database, team: Team) -> None:
        person = team.staff[0]
        with pytest.raises(InvalidInput) as past:
            await plan(db, person, person, TODAY - timedelta(days=1), WorkMode.HOME)
        with pytest.raises(InvalidInput) as weekend:
            await plan(db, person, person, SAT, WorkMode.HOME)

        assert (past.value.field, past.value.code) == ("date", "PAST_DAY")
        assert (weekend.value.code, weekend.value.message) == (
            "NOT_A_WORKING_DAY",
            "Saturday 11 July 2026 is not a working day",
        )

    async def test_the_weeks_remote_allowance_is_used(self, db: Database, team: Team) -> None:
        person = team.staff[0]
        await plan(db, person, person, MON, WorkMode.HOME)
        async with db.write() as session:  # anywhere: at another office of the agency (issue 14, point 8)
            await work_days.set_work_day(
                session,
                person.id,
                person.id,
                TUE,
                TODAY,
                planned=WorkMode.ANYWHERE,
                location_kind=LocationKind.AGENCY_OFFICE,
                location_detail="Kantor Regional Balikpapan",
            )

        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, person, person, THU, WorkMode.HOME)

        assert refused.value.code == "REMOTE_ALLOWANCE_USED"
        assert (refused.value.policy, refused.value.legal_basis) == (team.national.name, team.national.legal_basis)
        assert "2 remote days" in refused.value.message
        # re-planning one of the two remote days is not a third
        assert (await plan(db, person, person, TUE, WorkMode.HOME)).planned == WorkMode.HOME

    async def test_an_anchor_day_is_required_in_the_office(self, db: Database, team: Team, factory: Factory) -> None:
        anchors = await factory.policy(
            {"anchor_days_required": True},
            level=int(PolicyLevel.UNIT),
            org_unit_id=team.deputy.id,
            name="Hari wajib hadir kedeputian",
            legal_basis="Keputusan Deputi 1/2026",
        )
        await factory.anchor_day(team.directorate, WED.weekday())

        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, team.staff[0], team.staff[0], WED, WorkMode.HOME)

        assert refused.value.code == "DAY_REQUIRED_IN_OFFICE"
        assert (refused.value.policy, refused.value.legal_basis) == (anchors.name, "Keputusan Deputi 1/2026")
        assert refused.value.message_in("id") == (
            "Rabu, 8 Juli 2026 adalah hari wajib bekerja di kantor bagi Anda menurut Hari wajib hadir kedeputian "
            "(Keputusan Deputi 1/2026)"
        )

    async def test_a_day_required_by_ineligibility_names_the_eligibility_policy(
        self, db: Database, team: Team, factory: Factory
    ) -> None:
        await factory.discipline_case(team.staff[0], CaseStatus.PENDING)

        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, team.staff[0], team.staff[0], MON, WorkMode.HOME)

        assert (refused.value.code, refused.value.policy) == ("DAY_REQUIRED_IN_OFFICE", team.national.name)

    async def test_the_units_remote_share_cap(self, db: Database, team: Team) -> None:
        first, second = team.staff[0], team.staff[1]
        await plan(db, first, first, MON, WorkMode.HOME)  # 1 of 4 = 25 % <= 30 %

        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, second, second, MON, WorkMode.HOME)  # 2 of 4 = 50 %

        assert refused.value.code == "UNIT_REMOTE_SHARE_CAP"
        assert refused.value.policy == team.national.name
        assert refused.value.params["percent"] == 30
        # another day is free, and leave is not remote
        assert (await plan(db, second, second, TUE, WorkMode.HOME)).planned == WorkMode.HOME
        assert (await plan(db, second, second, MON, WorkMode.LEAVE)).planned == WorkMode.LEAVE


class TestRecordAttendance:
    async def test_managers_report_but_the_person_may_not(self, db: Database, team: Team) -> None:
        async with db.write() as session:
            row = await work_days.record_attendance(session, team.head.id, team.staff[0].id, MON, WorkMode.OFFICE)
        assert row is not None and row.actual == WorkMode.OFFICE

        async with db.write() as session:
            with pytest.raises(PermissionDenied):
                await work_days.record_attendance(session, team.staff[0].id, team.staff[0].id, TUE, WorkMode.OFFICE)


def exemption_request(person: Employee, **overrides: Any) -> exemptions.ExemptionRequest:
    values: dict[str, Any] = {
        "employee_id": person.id,
        "remote_days_per_week": 5,
        "starts_on": WEEK,
        "ends_on": WEEK + timedelta(days=27),
        "reason": "Merawat orang tua yang sakit",
        "evidence": "Surat keterangan dokter RSUD",
        "work_plan": "Laporan harian kepada atasan",
    }
    return exemptions.ExemptionRequest(**{**values, **overrides})


async def request(db: Database, actor: Employee, req: exemptions.ExemptionRequest) -> Any:
    async with db.write() as session:
        return await exemptions.request_exemption(session, actor.id, req, TODAY, datetime.now(UTC))


async def decide(db: Database, actor: Employee, exemption_id: int, *, approve: bool = True) -> Any:
    async with db.write() as session:
        return await exemptions.decide_exemption(
            session, actor.id, exemption_id, approve=approve, note=" Disetujui ", now=datetime.now(UTC)
        )


class TestExemptions:
    @pytest.mark.parametrize(
        ("overrides", "field", "code", "message"),
        [
            ({"reason": "  "}, "reason", "REQUIRED", "reason is required"),
            ({"evidence": "x" * 4_001}, "evidence", "TEXT_TOO_LONG", "evidence may be at most 4000 characters long"),
            ({"starts_on": TODAY - timedelta(days=1)}, "startsOn", "PAST_DAY", "That day is already in the past"),
            (
                {"ends_on": WEEK - timedelta(days=1)},
                "endsOn",
                "RANGE_REVERSED",
                "The end date must not be before the start date",
            ),
            (
                {"remote_days_per_week": 6},
                "remoteDaysPerWeek",
                "OUT_OF_RANGE",
                "remoteDaysPerWeek must be between 1 and 5",
            ),
            (
                {"ends_on": WEEK + timedelta(days=92)},
                "endsOn",
                "EXEMPTION_TOO_LONG",
                "An exemption starting on Monday 6 July 2026 may end on Monday 5 October 2026 at the latest",
            ),
        ],
    )
    async def test_a_request_is_validated(
        self, db: Database, team: Team, overrides: dict[str, Any], field: str, code: str, message: str
    ) -> None:
        with pytest.raises(InvalidInput) as invalid:
            await request(db, team.staff[0], exemption_request(team.staff[0], **overrides))

        assert (invalid.value.field, invalid.value.code, invalid.value.message) == (field, code, message)

    async def test_a_policy_limits_what_an_exemption_may_grant(
        self, db: Database, team: Team, factory: Factory
    ) -> None:
        await factory.policy({"exemption_max_remote_days": 3, "exemption_max_days": 30}, level=int(PolicyLevel.AGENCY))

        with pytest.raises(InvalidInput) as too_many:
            await request(db, team.staff[0], exemption_request(team.staff[0]))
        with pytest.raises(InvalidInput) as too_long:
            await request(
                db,
                team.staff[0],
                exemption_request(team.staff[0], remote_days_per_week=3, ends_on=WEEK + timedelta(days=30)),
            )

        assert (too_many.value.code, too_many.value.params["high"]) == ("OUT_OF_RANGE", 3)
        assert (too_long.value.code, too_long.value.params["max"]) == ("EXEMPTION_TOO_LONG", 30)

    async def test_the_unit_head_approves_and_the_week_opens_up(self, db: Database, team: Team) -> None:
        person = team.staff[0]
        pending = await request(db, person, exemption_request(person))
        assert pending.status == ExemptionStatus.PENDING
        before = await week_of(db, person, person)
        assert before.plan.remote_days_allowed == 2  # pending changes nothing

        approved = await decide(db, team.head, pending.id)

        assert (approved.status, approved.decided_by_id, approved.decision_note) == (
            ExemptionStatus.APPROVED,
            team.head.id,
            "Disetujui",
        )
        after = await week_of(db, person, person)
        assert (after.plan.remote_days_allowed, after.plan.office_days_needed) == (5, 0)
        assert [r.code for r in after.plan.needed_because] == [ReasonCode.EXEMPTION]
        for day in (MON, TUE, WED):
            await plan(db, person, person, day, WorkMode.HOME)  # beyond the national two

    async def test_a_rejection_changes_nothing(self, db: Database, team: Team) -> None:
        pending = await request(db, team.staff[0], exemption_request(team.staff[0]))

        rejected = await decide(db, team.head, pending.id, approve=False)

        assert rejected.status == ExemptionStatus.REJECTED
        assert (await week_of(db, team.staff[0], team.staff[0])).plan.remote_days_allowed == 2

    async def test_not_by_oneself_nor_by_a_supervisor_who_is_not_the_unit_head(self, db: Database, team: Team) -> None:
        own = await request(db, team.head, exemption_request(team.head))
        staff = await request(db, team.staff[0], exemption_request(team.staff[0]))

        for actor, exemption_id in ((team.head, own.id), (team.supervisor, staff.id), (team.staff[1], staff.id)):
            with pytest.raises(PermissionDenied) as refused:
                await decide(db, actor, exemption_id)
            assert refused.value.code == "NOT_YOUR_DECISION"

    async def test_only_a_pending_request_is_decided(self, db: Database, team: Team) -> None:
        pending = await request(db, team.staff[0], exemption_request(team.staff[0]))
        await decide(db, team.head, pending.id)

        with pytest.raises(InvalidInput) as decided:
            await decide(db, team.admin, pending.id, approve=False)

        assert decided.value.code == "EXEMPTION_NOT_PENDING"
        async with db.write() as session:
            with pytest.raises(NotFound):
                await exemptions.decide_exemption(
                    session, team.head.id, 999_999, approve=True, note=None, now=TODAY_NOW
                )

    async def test_an_expired_exemption_no_longer_counts(self, db: Database, team: Team, factory: Factory) -> None:
        await factory.exemption(team.staff[0], WEEK - timedelta(days=30), WEEK - timedelta(days=1))

        week = await week_of(db, team.staff[0], team.staff[0])

        assert week.plan.remote_days_allowed == 2


class TestAnchorDays:
    async def test_a_replacement_from_a_later_week_keeps_the_earlier_weeks(
        self, db: Database, team: Team, factory: Factory
    ) -> None:
        await factory.policy({"anchor_days_required": True}, level=int(PolicyLevel.UNIT), org_unit_id=team.deputy.id)
        async with db.write() as session:
            await anchor_days.set_anchor_days(session, team.head.id, team.directorate.id, [WED.weekday()], WEEK, TODAY)
        async with db.write() as session:
            await anchor_days.set_anchor_days(session, team.head.id, team.directorate.id, [0, 4], NEXT_WEEK, TODAY)

        this_week = await week_of(db, team.staff[0], team.staff[0], WEEK)
        next_week = await week_of(db, team.staff[0], team.staff[0], NEXT_WEEK)

        def required(week: weeks.MyWeek) -> list[int]:
            return [d.day.weekday() for d in week.plan.days if d.requirement == Requirement.REQUIRED]

        assert required(this_week) == [2]
        assert required(next_week) == [0, 4]
        assert this_week.plan.days[2].reasons[0].code == ReasonCode.ANCHOR_DAY

    async def test_setting_the_same_start_again_replaces_the_days(self, db: Database, team: Team) -> None:
        for weekdays in ([0, 4], [1]):
            async with db.write() as session:
                await anchor_days.set_anchor_days(session, team.head.id, team.directorate.id, weekdays, WEEK, TODAY)

        async with db.read() as session:
            rows = (await session.scalars(select(AnchorDay).where(AnchorDay.org_unit_id == team.directorate.id))).all()
        assert [(r.weekday, r.effective_from, r.effective_until) for r in rows] == [(1, WEEK, None)]

    async def test_only_a_unit_manager_and_only_working_weekdays(self, db: Database, team: Team) -> None:
        async with db.write() as session:
            with pytest.raises(PermissionDenied) as refused:
                await anchor_days.set_anchor_days(session, team.supervisor.id, team.directorate.id, [2], WEEK, TODAY)
            with pytest.raises(InvalidInput) as saturday:
                await anchor_days.set_anchor_days(session, team.head.id, team.directorate.id, [5], WEEK, TODAY)
            with pytest.raises(InvalidInput) as past:
                await anchor_days.set_anchor_days(
                    session, team.head.id, team.directorate.id, [2], TODAY - timedelta(1), TODAY
                )

        assert refused.value.code == "NOT_YOUR_UNIT"
        assert saturday.value.code == "NOT_WORKING_WEEKDAYS"
        assert past.value.code == "PAST_DAY"


def draft(**overrides: Any) -> policy_changes.PolicyDraft:
    values: dict[str, Any] = {
        "code": "DIT-3-HARI",
        "name": "Tiga hari di kantor",
        "level": PolicyLevel.UNIT,
        "is_overlay": False,
        "legal_basis": "Keputusan Direktur 2/2026",
        "set_by": "Direktur Perencanaan",
        "effective_from": WEEK,
        "effective_until": None,
        "rules": {"min_office_days_per_week": 4},
        "scope": {},
    }
    return policy_changes.PolicyDraft(**{**values, **overrides})


async def create(db: Database, actor: Employee, policy_draft: policy_changes.PolicyDraft) -> Policy:
    async with db.write() as session:
        return await policy_changes.create_policy(session, actor.id, policy_draft, TODAY_NOW)


class TestCreateAndEndPolicies:
    async def test_a_unit_manager_tightens_their_unit(self, db: Database, team: Team) -> None:
        policy = await create(db, team.head, draft(scope={"org_unit_id": team.directorate.id}))

        assert (policy.created_by_id, policy.rules, policy.org_unit_id) == (
            team.head.id,
            {"min_office_days_per_week": 4},
            team.directorate.id,
        )
        week = await week_of(db, team.staff[0], team.staff[0])
        assert (week.plan.office_days_needed, week.plan.remote_days_allowed) == (4, 1)
        assert {r.code for r in week.plan.needed_because} == {ReasonCode.MAX_REMOTE_DAYS, ReasonCode.MIN_OFFICE_DAYS}

    async def test_a_unit_managers_reach(self, db: Database, team: Team, factory: Factory) -> None:
        elsewhere = await factory.unit()
        refusals = [
            draft(level=PolicyLevel.AGENCY, scope={"org_unit_id": team.directorate.id}),
            draft(is_overlay=True, scope={"org_unit_id": team.directorate.id}),  # an overlay could loosen the cap
            draft(scope={"org_unit_id": elsewhere.id}),
            draft(scope={}),
        ]
        for refused_draft in refusals:
            with pytest.raises(PermissionDenied) as refused:
                await create(db, team.head, refused_draft)
            assert refused.value.code == "NOT_YOUR_POLICY"
        with pytest.raises(PermissionDenied):
            await create(db, team.supervisor, draft(scope={"org_unit_id": team.directorate.id}))

    async def test_an_admin_sets_an_overlay(self, db: Database, team: Team) -> None:
        policy = await create(
            db,
            team.admin,
            draft(
                level=PolicyLevel.NATIONAL,
                is_overlay=True,
                rules={"working_hours": {"start": "08:00:00", "hours_per_week": 32.5}},
            ),
        )

        assert policy.rules == {"working_hours": {"start": "08:00:00", "hours_per_week": 32.5}}
        week = await week_of(db, team.staff[0], team.staff[0])
        assert (week.plan.working_hours.start, week.plan.working_hours.hours_per_week) == (time(8), 32.5)

    @pytest.mark.parametrize(
        "rules",
        [{"max_remote_days_per_week": 7}, {"remote_days": 2}, {"eligibility": {"ratings": ["excellent"]}}],
    )
    async def test_invalid_rules_say_which(self, db: Database, team: Team, rules: dict[str, Any]) -> None:
        with pytest.raises(InvalidInput) as invalid:
            await create(db, team.admin, draft(rules=rules))

        assert (invalid.value.field, invalid.value.code) == ("rules", "INVALID_RULES")
        assert invalid.value.message.startswith("The rules are not valid: ")

    async def test_other_invalid_drafts(self, db: Database, team: Team) -> None:
        await create(db, team.admin, draft())
        cases = [
            (draft(), "code", "DUPLICATE_CODE"),
            (draft(code="X", effective_until=WEEK - timedelta(days=1)), "effectiveUntil", "RANGE_REVERSED"),
            (draft(code="X", name=" "), "name", "REQUIRED"),
            (draft(code="X" * 65), "code", "TEXT_TOO_LONG"),
            (draft(code="X", scope={"unit": 1}), "scope", "UNKNOWN_SCOPE"),
        ]
        for invalid_draft, field, code in cases:
            with pytest.raises(InvalidInput) as invalid:
                await create(db, team.admin, invalid_draft)
            assert (invalid.value.field, invalid.value.code) == (field, code)
            assert invalid.value.message  # the words exist in the catalogue

    async def test_a_scope_naming_nothing_is_not_found(self, db: Database, team: Team) -> None:
        with pytest.raises(NotFound) as missing:
            await create(db, team.admin, draft(scope={"org_unit_id": 999_999}))

        assert (missing.value.kind, missing.value.ident) == ("OrgUnit", 999_999)

    async def test_ending_a_policy(self, db: Database, team: Team) -> None:
        unit_policy = await create(db, team.head, draft(scope={"org_unit_id": team.directorate.id}))

        async with db.write() as session:
            ended = await policy_changes.end_policy(session, team.head.id, unit_policy.id, WEEK + timedelta(days=6))
            with pytest.raises(PermissionDenied):
                await policy_changes.end_policy(session, team.head.id, team.national.id, WEEK)
            with pytest.raises(InvalidInput) as reversed_range:
                await policy_changes.end_policy(session, team.admin.id, unit_policy.id, WEEK - timedelta(days=1))

        assert ended.effective_until == WEEK + timedelta(days=6)
        assert reversed_range.value.code == "RANGE_REVERSED"
        assert (await week_of(db, team.staff[0], team.staff[0], WEEK)).plan.office_days_needed == 4
        assert (await week_of(db, team.staff[0], team.staff[0], NEXT_WEEK)).plan.office_days_needed == 3


class TestOccupancyCap:
    async def test_a_desk_over_the_cap_is_refused_naming_the_policy(self, runtime: Runtime, factory: Factory) -> None:
        # given a building of four desks capped at 50 %: two people may book
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(4)]
        people = [await factory.employee() for _ in range(3)]
        cap = await factory.policy(
            {"building_occupancy_percent": 50},
            building_id=floor.building_id,
            is_overlay=True,
            name="Pembatasan darurat 50%",
            legal_basis="SE Menteri PANRB 19/2020",
        )
        bookings = booking_service(runtime)
        for desk, person in zip(desks, people[:2], strict=False):
            await bookings.book_desk(person.id, BookDeskRequest(desk.id, MON))

        # when a third person books
        with pytest.raises(PolicyRefusal) as refused:
            await bookings.book_desk(people[2].id, BookDeskRequest(desks[2].id, MON))

        # then
        assert (refused.value.code, refused.value.policy, refused.value.legal_basis) == (
            "OCCUPANCY_CAP",
            cap.name,
            "SE Menteri PANRB 19/2020",
        )
        assert refused.value.params == {
            "policy": cap.name,
            "legal_basis": "SE Menteri PANRB 19/2020",
            "percent": 50,
            "seats": 2,
        }
        with pytest.raises(PolicyRefusal):
            await bookings.validate(people[2].id, BookDeskRequest(desks[2].id, MON))
        # another day is free
        assert (await bookings.book_desk(people[2].id, BookDeskRequest(desks[2].id, TUE))).space_id == desks[2].id

    async def test_someone_already_in_takes_no_second_place(self, runtime: Runtime, factory: Factory) -> None:
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(2)]
        person = await factory.employee()
        await factory.policy({"building_occupancy_percent": 50}, building_id=floor.building_id, is_overlay=True)
        bookings = booking_service(runtime)
        await bookings.book_desk(person.id, BookDeskRequest(desks[0].id, MON, time(8), time(12)))

        afternoon = await bookings.book_desk(person.id, BookDeskRequest(desks[1].id, MON, time(13), time(17)))

        assert afternoon.space_id == desks[1].id


class TestUnitWeek:
    async def test_members_and_remote_shares(self, db: Database, team: Team, factory: Factory) -> None:
        # given two of the four remote on Monday (reported by another system, past the cap) and one on leave
        await factory.work_day(team.staff[0], MON, planned=WorkMode.HOME)
        await factory.work_day(team.staff[1], MON, planned=WorkMode.ANYWHERE)
        await factory.work_day(team.staff[2], TUE, planned=WorkMode.LEAVE)

        async with db.read() as session:
            report = await weeks.unit_week(session, team.head.id, team.directorate.id, WED, TODAY)

        assert report.unit.organisation.name == "Kementerian PPN/Bappenas"
        assert [e.name for e, _ in report.weeks] == ["Atasan Langsung", "Staf 1", "Staf 2", "Staf 3"]
        assert [(s.day, s.members, s.remote, s.cap_percent, s.is_breached) for s in report.shares] == [
            (MON, 4, 2, 30, True),
            (TUE, 4, 0, 30, False),
            (WED, 4, 0, 30, False),
            (THU, 4, 0, 30, False),
            (FRI, 4, 0, 30, False),
        ]
        assert report.shares[0].policy is not None and report.shares[0].policy.id == team.national.id
        assert {plan.status for _, plan in report.weeks} == {ComplianceStatus.AT_RISK}  # nothing planned yet

    async def test_the_deputy_sees_its_subtree(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            report = await weeks.unit_week(session, team.head.id, team.deputy.id, WEEK, TODAY)

        assert {e.id for e, _ in report.weeks} == {team.head.id, team.supervisor.id} | {e.id for e in team.staff}

    async def test_only_unit_managers(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            with pytest.raises(PermissionDenied) as refused:
                await weeks.unit_week(session, team.supervisor.id, team.directorate.id, WEEK, TODAY)
            with pytest.raises(NotFound):
                await weeks.unit_week(session, team.admin.id, 999_999, WEEK, TODAY)

        assert refused.value.code == "NOT_YOUR_UNIT"


class TestSuggestions:
    @pytest.fixture
    async def zone_desks(self, team: Team, factory: Factory) -> list[Space]:
        floor = await factory.floor()
        zone = await factory.zone(floor, name="Zona B3", org_unit_id=team.directorate.id)
        return [await factory.desk(floor, code=f"B3-{n:02d}", zone_id=zone.id) for n in range(1, 6)]

    async def test_the_anchor_day_points_at_a_free_desk_next_to_the_team(
        self, db: Database, runtime: Runtime, team: Team, factory: Factory, zone_desks: list[Space]
    ) -> None:
        # given Wednesday is the anchor day and two teammates have desks in zone B3
        await factory.policy({"anchor_days_required": True}, level=int(PolicyLevel.UNIT), org_unit_id=team.deputy.id)
        await factory.anchor_day(team.directorate, WED.weekday())
        bookings = booking_service(runtime)
        for desk, teammate in zip(zone_desks[:2], team.staff[1:], strict=True):
            await bookings.book_desk(teammate.id, BookDeskRequest(desk.id, WED))

        # when
        week = await week_of(db, team.staff[0], team.staff[0])

        # then the required day comes first, with the free desk nearest the team
        first = week.suggestions[0]
        assert (first.day, first.requirement, first.teammates_in, first.zone_name) == (
            WED,
            Requirement.REQUIRED,
            2,
            "Zona B3",
        )
        assert (first.desk_id, first.desk_name) == (zone_desks[2].id, "B3-03")
        # then as many flexible days as office days remain to be chosen (three needed, one required), even with
        # nobody of the team in: the week's numbers and its suggestions agree
        assert [(s.day, s.requirement) for s in week.suggestions[1:]] == [
            (MON, Requirement.FLEXIBLE),
            (TUE, Requirement.FLEXIBLE),
        ]

    async def test_the_suggested_desk_is_one_booking_will_grant(
        self, db: Database, runtime: Runtime, team: Team, factory: Factory, zone_desks: list[Space]
    ) -> None:
        # given teammates are in on Thursday at B3-01; B3-02 is out of service and B3-03 closed that day
        await booking_service(runtime).book_desk(team.staff[1].id, BookDeskRequest(zone_desks[0].id, THU))
        async with db.write() as session:
            await session.execute(update(Space).where(Space.id == zone_desks[1].id).values(bookable=False))
        start, end = office_hours(THU)
        await factory.closure("Pengecatan", space_id=zone_desks[2].id, start_at=start, end_at=end)

        week = await week_of(db, team.staff[0], team.staff[0])

        # then the suggestion skips both, and booking it succeeds
        assert (week.suggestions[0].day, week.suggestions[0].desk_name) == (THU, "B3-04")
        await booking_service(runtime).book_desk(team.staff[0].id, BookDeskRequest(zone_desks[3].id, THU))

    async def test_flexible_days_only_while_office_days_remain_to_choose(
        self, db: Database, runtime: Runtime, team: Team, zone_desks: list[Space]
    ) -> None:
        # given teammates are in on Thursday; three office days are needed, none required
        bookings = booking_service(runtime)
        await bookings.book_desk(team.staff[1].id, BookDeskRequest(zone_desks[0].id, THU))
        person = team.staff[0]
        before = await week_of(db, person, person)
        assert [(s.day, s.requirement, s.desk_name) for s in before.suggestions] == [
            (THU, Requirement.FLEXIBLE, "B3-02"),  # where the team is, first
            (MON, Requirement.FLEXIBLE, "B3-01"),
            (TUE, Requirement.FLEXIBLE, "B3-01"),
        ]

        # when the person books three other days
        for day in (MON, TUE, WED):
            await bookings.book_desk(person.id, BookDeskRequest(zone_desks[4].id, day))

        # then there is nothing left to choose
        after = await week_of(db, person, person)
        assert (after.plan.office_days, after.suggestions) == (3, [])
