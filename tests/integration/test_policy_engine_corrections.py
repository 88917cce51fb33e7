"""Issue 14's corrections of the policy engine on a real database: the unit remote share (one definition, a small
team may use it, exemption holders counted but never refused), discipline under an exemption, attendance facts
(a released booking is a no-show; no facts is no data), and each refusal citing the policy that binds.

Weeks are fixed dates, judged as of the Friday before (``TODAY``): 6-10 July 2026 holds no holiday; 17-21 August
2026 has Independence Day on Monday.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from smartoffice.bookings.models import BookingStatus
from smartoffice.db import Database
from smartoffice.errors import PolicyRefusal
from smartoffice.people.models import Employee, OrgUnit, Role
from smartoffice.policies import weeks, work_days
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.policies.engine import ComplianceStatus
from smartoffice.policies.models import CaseStatus, PolicyLevel, WorkMode
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.policies import MON, TUE, WEEK

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 7, 3)
PERMEN = {"max_remote_days_per_week": 2, "eligibility": {"no_discipline_case": True}}


async def plan(db: Database, employee: Employee, day: date, mode: WorkMode | None, today: date = TODAY) -> Any:
    async with db.write() as session:
        return await work_days.set_work_day(session, employee.id, employee.id, day, today, planned=mode)


async def unit_with(factory: Factory, people: int, **unit: Any) -> tuple[OrgUnit, list[Employee]]:
    team = await factory.unit(**unit)
    return team, [await factory.employee(team, name=f"Staf {n}") for n in range(people)]


async def share_policy(factory: Factory, percent: int) -> Any:
    await factory.policy(PERMEN, name="PermenPANRB 4/2025", legal_basis="PermenPANRB 4/2025 Pasal 13(1)")
    return await factory.policy(
        {"max_unit_remote_percent": percent},
        level=int(PolicyLevel.AGENCY),
        name="Porsi unit",
        legal_basis="Keputusan PPK 7/2026 (porsi unit)",
    )


class TestUnitRemoteShare:
    async def test_a_three_person_team_under_30_percent_may_have_one_remote(
        self, db: Database, factory: Factory
    ) -> None:
        # 30 % of 3 is 0.9: before issue 14 the first remote plan of such a team was refused
        await share_policy(factory, 30)
        _, (first, second, _third) = await unit_with(factory, 3)

        assert (await plan(db, first, MON, WorkMode.HOME)).planned == WorkMode.HOME
        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, second, MON, WorkMode.HOME)

        assert refused.value.code == "UNIT_REMOTE_SHARE_CAP"
        assert (refused.value.policy, refused.value.legal_basis) == ("Porsi unit", "Keputusan PPK 7/2026 (porsi unit)")

    async def test_the_share_counts_the_unit_s_subtree_as_the_compliance_report_does(
        self, db: Database, factory: Factory
    ) -> None:
        # a directorate of 4 with a sub-team of 2, under 50 %: 3 of the 6 may be remote (own members only: 2 of 4)
        await share_policy(factory, 50)
        directorate, staff = await unit_with(factory, 4)
        await unit_with(factory, 2, organisation_id=directorate.organisation_id, parent_id=directorate.id)
        head = staff[0]
        await factory.role(head, Role.UNIT_MANAGER, org_unit_id=directorate.id)
        for person in staff[1:3]:
            await plan(db, person, MON, WorkMode.HOME)

        third = await plan(db, staff[3], MON, WorkMode.HOME)  # refused before issue 14: 3 of 4 own members > 50 %
        async with db.read() as session:
            report = await weeks.unit_week(session, head.id, directorate.id, WEEK, TODAY)

        assert third.planned == WorkMode.HOME
        monday = report.shares[0]
        assert (monday.members, monday.remote, monday.allowed, monday.is_breached) == (6, 3, 3, False)
        with pytest.raises(PolicyRefusal):
            await plan(db, head, MON, WorkMode.HOME)

    async def test_a_plan_keeps_every_unit_above_within_its_share_too(self, db: Database, factory: Factory) -> None:
        # three teams of three under a directorate, 30 %: each team may have one remote, the directorate (9) two
        await share_policy(factory, 30)
        directorate = await factory.unit()
        teams = [
            await unit_with(factory, 3, organisation_id=directorate.organisation_id, parent_id=directorate.id)
            for _ in range(3)
        ]
        head = await factory.employee()  # placed elsewhere: the directorate's subtree is the nine
        await factory.role(head, Role.UNIT_MANAGER, org_unit_id=directorate.id)
        for _, staff in teams[:2]:
            await plan(db, staff[0], MON, WorkMode.HOME)

        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, teams[2][1][0], MON, WorkMode.HOME)  # its team's place, but the directorate's 3rd of 9
        async with db.read() as session:
            report = await weeks.unit_week(session, head.id, directorate.id, WEEK, TODAY)

        assert refused.value.code == "UNIT_REMOTE_SHARE_CAP"
        assert (report.shares[0].remote, report.shares[0].allowed, report.shares[0].is_breached) == (2, 2, False)

    async def test_an_exemption_holder_is_counted_but_never_refused(self, db: Database, factory: Factory) -> None:
        # a team of 4 under 30 %: one place a day
        await share_policy(factory, 30)
        _, (colleague, holder, other, _fourth) = await unit_with(factory, 4)
        await factory.exemption(holder, WEEK - timedelta(days=7), WEEK + timedelta(days=30))
        await plan(db, colleague, MON, WorkMode.HOME)

        taken = await plan(db, holder, MON, WorkMode.HOME)  # refused before issue 14
        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, other, MON, WorkMode.HOME)

        assert taken.planned == WorkMode.HOME
        assert refused.value.code == "UNIT_REMOTE_SHARE_CAP"
        # the holder takes the one place on Tuesday: the others are refused because of them
        await plan(db, holder, TUE, WorkMode.HOME)
        with pytest.raises(PolicyRefusal):
            await plan(db, other, TUE, WorkMode.HOME)


class TestDisciplineUnderAnExemption:
    async def test_an_open_case_suspends_the_exemption_unless_it_says_otherwise(
        self, db: Database, factory: Factory
    ) -> None:
        await factory.policy(PERMEN, name="PermenPANRB 4/2025", legal_basis="PermenPANRB 4/2025 Pasal 25")
        _, (suspended, decided) = await unit_with(factory, 2)
        for person, overrides in ((suspended, False), (decided, True)):
            await factory.discipline_case(person, CaseStatus.PENDING)
            await factory.exemption(person, WEEK, WEEK + timedelta(days=30), overrides_discipline=overrides)

        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, suspended, MON, WorkMode.HOME)
        async with db.read() as session:
            week = await weeks.my_week(session, suspended.id, suspended.id, WEEK, TODAY)
        allowed = await plan(db, decided, MON, WorkMode.HOME)

        assert (refused.value.code, refused.value.policy) == ("DAY_REQUIRED_IN_OFFICE", "PermenPANRB 4/2025")
        assert week.plan.remote_days_allowed == 0
        case = week.plan.days[0].reasons[1]
        assert case.code == ReasonCode.OPEN_DISCIPLINE_CASE and case.params["suspends_exemption"] is True
        assert allowed.planned == WorkMode.HOME


class TestAttendanceFacts:
    async def test_a_released_booking_is_absent_and_a_week_without_facts_is_no_data(
        self, db: Database, factory: Factory
    ) -> None:
        await factory.policy(
            {**PERMEN, "min_office_days_per_week": 3}, name="PermenPANRB 4/2025", legal_basis="PermenPANRB"
        )
        _, (released, nothing) = await unit_with(factory, 2)
        desk = await factory.desk()
        for day in range(3):  # three desks booked, nobody checked in: each released as a no-show
            start = datetime.combine(WEEK + timedelta(days=day), time(8), WITA).astimezone(UTC)
            await insert_booking(db, desk, released, start, start + timedelta(hours=8), status=BookingStatus.RELEASED)

        after = WEEK + timedelta(days=5)
        async with db.read() as session:
            plans = await weeks.plan_weeks(session, [released.id, nothing.id], WEEK, after, with_supervisors=False)

        assert [d.actual for d in plans[released.id].working_days[:3]] == [WorkMode.ABSENT] * 3
        assert plans[released.id].status == ComplianceStatus.NON_COMPLIANT
        assert plans[nothing.id].status == ComplianceStatus.NO_DATA  # was NON_COMPLIANT before issue 14


class TestProRatingCitation:
    async def test_a_short_week_s_refusal_cites_the_pro_rating_policy(self, db: Database, factory: Factory) -> None:
        await factory.policy(PERMEN, name="PermenPANRB 4/2025", legal_basis="PermenPANRB 4/2025 Pasal 13(1)")
        prorating = await factory.policy(
            {"prorate_short_weeks": True},
            level=int(PolicyLevel.AGENCY),
            name="Prorata minggu libur",
            legal_basis="Keputusan PPK 8/2026",
        )
        _, (person,) = await unit_with(factory, 1)
        independence_week = date(2026, 8, 17)  # Monday a holiday: 4 x 2/5 = 1.6, one remote day
        await plan(db, person, independence_week + timedelta(days=1), WorkMode.HOME)

        with pytest.raises(PolicyRefusal) as refused:
            await plan(db, person, independence_week + timedelta(days=2), WorkMode.HOME)

        assert refused.value.code == "REMOTE_ALLOWANCE_USED"
        assert (refused.value.policy, refused.value.legal_basis) == (prorating.name, "Keputusan PPK 8/2026")
