"""The scheduled notifications on a fixed clock: the check-in reminder, the Friday reminder and the unit heads' digest.

The weeks are those of tests.support.policies (6-10 and 13-17 July 2026, no holiday): the directorate's anchor days
are Monday and Wednesday, so on Friday 10 July its people are reminded of 13 and 15 July.
"""

import asyncio
from datetime import time, timedelta

import pytest

from smartoffice.bookings.models import BookingStatus
from smartoffice.jobs import JOBS
from smartoffice.notifications.check_in_reminders import remind_check_ins, run_check_in_reminders
from smartoffice.notifications.models import NotificationKind
from smartoffice.notifications.unit_digest import run_unit_digests, send_unit_digests
from smartoffice.notifications.weekly_reminder import run_weekly_reminders, send_weekly_reminders
from smartoffice.people.models import Employee, Role
from smartoffice.places.models import SpaceKind
from smartoffice.policies.engine import ComplianceStatus
from smartoffice.policies.models import WorkMode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.notifications import all_notifications, notifications_of, set_preference
from tests.support.policies import FRI, MON, NEXT_WEEK, WED, WEEK, Team, build_team

NEXT_MON, NEXT_WED = NEXT_WEEK, NEXT_WEEK + timedelta(days=2)
REMINDER = NotificationKind.WEEKLY_REMINDER
DIGEST = NotificationKind.UNIT_DIGEST


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


def days_of(data: dict[str, object]) -> list[tuple[str, bool]]:
    return [(day["date"], day["booked"]) for day in data["days"]]  # type: ignore[attr-defined]


async def kinds_of(runtime: Runtime, employee: Employee) -> list[tuple[NotificationKind, str]]:
    return [(n.kind, n.dedupe_key) for n in await notifications_of(runtime, employee.id)]


class TestCheckInReminder:
    async def test_a_started_unchecked_booking_is_reminded_once_until_its_release(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        # given a desk booked 09:00-12:00 under a 30-minute grace
        building = await factory.building()
        await factory.booking_rule(building, SpaceKind.DESK, check_in_grace_minutes=30)
        desk, person = await factory.desk(await factory.floor(building)), await factory.employee()
        booking = await insert_booking(runtime.db, desk, person, at(DAY, 9), at(DAY, 12))

        # when the job runs before the start, nothing; at the start, the reminder
        clock.set(time(8, 59))
        assert await run_check_in_reminders(runtime) == 0
        clock.set(time(9))
        assert await run_check_in_reminders(runtime) == 1

        # then it is made once, whatever the runs after it
        clock.set(time(9, 10))
        assert await run_check_in_reminders(runtime) == 0
        (reminder,) = await notifications_of(runtime, person.id, NotificationKind.CHECK_IN_REMINDER)
        assert reminder.dedupe_key == f"checkin:{booking.id}"
        assert (reminder.data["bookingId"], reminder.data["spaceKind"]) == (booking.id, "desk")
        assert reminder.data["releaseAt"] == at(DAY, 9, 30).isoformat()
        assert reminder.expires_at == at(DAY, 9, 30)

    async def test_checked_in_future_and_past_the_grace_get_none(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        building = await factory.building()
        await factory.booking_rule(building, SpaceKind.DESK, check_in_grace_minutes=30)
        floor = await factory.floor(building)
        checked_in, future, late = await factory.employee(), await factory.employee(), await factory.employee()
        await insert_booking(
            runtime.db,
            await factory.desk(floor),
            checked_in,
            at(DAY, 9, 30),
            at(DAY, 12),
            status=BookingStatus.CHECKED_IN,
        )
        await insert_booking(runtime.db, await factory.desk(floor), future, at(DAY, 10), at(DAY, 12))
        await insert_booking(runtime.db, await factory.desk(floor), late, at(DAY, 8), at(DAY, 12))

        # at 09:45 the 09:30 booking is checked in, the 10:00 one has not started, and the 08:00 one's release
        # (08:30) has passed: it is the release job's to handle, not ours
        clock.set(time(9, 45))
        assert await run_check_in_reminders(runtime) == 0
        assert await all_notifications(runtime) == []

    async def test_a_desk_booked_after_its_start_counts_its_grace_from_the_booking(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        building = await factory.building()
        await factory.booking_rule(building, SpaceKind.DESK, check_in_grace_minutes=30)
        desk, person = await factory.desk(await factory.floor(building)), await factory.employee()
        booking = await insert_booking(runtime.db, desk, person, at(DAY, 8), at(DAY, 17))
        async with runtime.db.write() as session:
            row = await session.merge(booking)
            row.created_at = at(DAY, 10)  # taken at 10:00 for the whole day: released at 10:30 unless checked in

        assert await remind_check_ins(runtime.db, at(DAY, 10, 1)) == 1

        (reminder,) = await notifications_of(runtime, person.id, NotificationKind.CHECK_IN_REMINDER)
        assert reminder.data["releaseAt"] == at(DAY, 10, 30).isoformat()

    async def test_the_jobs_are_registered(self) -> None:
        assert {"check_in_reminders", "weekly_reminders", "unit_digests"} <= {job.name for job in JOBS}


@pytest.fixture
async def team(factory: Factory) -> Team:
    """The policies' team, the directorate's anchor days on Monday and Wednesday, required by a national policy."""
    team = await build_team(factory)
    await factory.policy({"anchor_days_required": True}, name="Hari jangkar")
    await factory.anchor_day(team.directorate, MON.weekday())
    await factory.anchor_day(team.directorate, WED.weekday())
    return team


class TestWeeklyReminder:
    async def test_made_on_friday_at_14_wita_with_the_required_days(
        self, runtime: Runtime, factory: Factory, clock: Clock, team: Team
    ) -> None:
        # given a desk already booked for next Monday by one of the staff, and leave planned by another on Wednesday
        desk = await factory.desk()
        await insert_booking(runtime.db, desk, team.staff[0], at(NEXT_MON, 8), at(NEXT_MON, 17))
        await factory.work_day(team.staff[1], NEXT_WED, planned=WorkMode.LEAVE)

        # when the job runs at 13:59 on Friday nothing is made; at 14:00 the reminders are
        clock.set(time(13, 59), FRI)
        assert await run_weekly_reminders(runtime) == 0
        clock.set(time(14), FRI)
        assert await run_weekly_reminders(runtime) == 4  # the supervisor and the three staff

        # then each lists next week's anchor days, booked or not; the leave day is left out
        (booked,) = await notifications_of(runtime, team.staff[0].id, REMINDER)
        assert booked.dedupe_key == f"weekly:{NEXT_MON.isoformat()}"
        assert (booked.data["weekStart"], booked.data["timeZone"]) == (NEXT_MON.isoformat(), "Asia/Makassar")
        assert days_of(booked.data) == [(NEXT_MON.isoformat(), True), (NEXT_WED.isoformat(), False)]
        (away,) = await notifications_of(runtime, team.staff[1].id, REMINDER)
        assert days_of(away.data) == [(NEXT_MON.isoformat(), False)]
        (plain,) = await notifications_of(runtime, team.supervisor.id, REMINDER)
        assert days_of(plain.data) == [(NEXT_MON.isoformat(), False), (NEXT_WED.isoformat(), False)]
        # nobody whose week requires no day is reminded (the deputy's head, a stranger, the admin)
        for nobody in (team.head, team.stranger, team.admin):
            assert await notifications_of(runtime, nobody.id, REMINDER) == []

    async def test_once_per_person_when_the_job_runs_twice_at_once_and_again(
        self, runtime: Runtime, clock: Clock, team: Team
    ) -> None:
        now = at(FRI, 14, 5)
        clock.now = now

        made = await asyncio.gather(send_weekly_reminders(runtime.db, now), send_weekly_reminders(runtime.db, now))
        assert sum(made) == 4
        assert await run_weekly_reminders(runtime) == 0  # and a later run, through the progress kept in Redis

        reminded = [n.recipient_id for n in await all_notifications(runtime) if n.kind == REMINDER]
        assert sorted(reminded) == sorted([team.supervisor.id, *(s.id for s in team.staff)])

    async def test_a_run_cut_off_is_finished_later_and_newcomers_are_not_skipped(
        self, runtime: Runtime, factory: Factory, clock: Clock, team: Team
    ) -> None:
        clock.set(time(14), FRI)
        assert await run_weekly_reminders(runtime) == 4
        newcomer = await factory.employee(team.directorate, supervisor_id=team.supervisor.id)
        clock.set(time(18), FRI)
        assert await run_weekly_reminders(runtime) == 1
        assert [k for k, _ in await kinds_of(runtime, newcomer)] == [REMINDER]
        # Sunday evening is still in time; Monday is not
        clock.set(time(23, 59), FRI + timedelta(days=2))
        await factory.employee(team.directorate, supervisor_id=team.supervisor.id)
        assert await run_weekly_reminders(runtime) == 1
        late = await factory.employee(team.directorate, supervisor_id=team.supervisor.id)
        clock.set(time(0, 0), NEXT_MON)
        assert await run_weekly_reminders(runtime) == 0
        assert await notifications_of(runtime, late.id, REMINDER) == []

    async def test_in_another_zone_it_comes_at_14_there(
        self, runtime: Runtime, factory: Factory, clock: Clock, team: Team
    ) -> None:
        # given one of the directorate whose home building is in Jayapura (WIT, an hour ahead of WITA)
        papua = await factory.building(time_zone="Asia/Jayapura")
        far = await factory.employee(team.directorate, supervisor_id=team.supervisor.id, home_building_id=papua.id)

        # 13:59 WIT: nothing; 14:00 WIT (13:00 WITA): theirs, and nobody else's yet
        clock.set(time(12, 59), FRI)
        assert await run_weekly_reminders(runtime) == 0
        clock.set(time(13), FRI)
        assert await run_weekly_reminders(runtime) == 1
        (reminder,) = await notifications_of(runtime, far.id, REMINDER)
        assert reminder.data["timeZone"] == "Asia/Jayapura"
        assert days_of(reminder.data) == [(NEXT_MON.isoformat(), False), (NEXT_WED.isoformat(), False)]
        # 14:00 WITA: the others
        clock.set(time(14), FRI)
        assert await run_weekly_reminders(runtime) == 4

    async def test_turned_off_makes_no_row(self, runtime: Runtime, clock: Clock, team: Team) -> None:
        await set_preference(runtime, team.staff[2].id, REMINDER, email=False, in_app=False)
        await set_preference(runtime, team.staff[1].id, REMINDER, email=False, in_app=True)
        clock.set(time(14), FRI)

        assert await run_weekly_reminders(runtime) == 3

        assert await notifications_of(runtime, team.staff[2].id, REMINDER) == []
        (in_app_only,) = await notifications_of(runtime, team.staff[1].id, REMINDER)
        assert (in_app_only.in_app, in_app_only.email_status) == (True, None)

    async def test_the_link_books_that_weeks_required_days(
        self, runtime: Runtime, factory: Factory, clock: Clock, team: Team
    ) -> None:
        """The reminder's link is ``/my-week?week=<monday>``, whose form books "this week and the next" by
        default (``weeks=2``): on Friday afternoon that is next week's required days."""
        floor = await factory.floor()
        zone = await factory.zone(floor, org_unit_id=team.directorate.id)
        for n in range(3):
            await factory.desk(floor, zone_id=zone.id, code=f"T{n}")
        clock.set(time(14), FRI)

        result = await runtime.required_days.book(team.staff[0].id, 2)

        assert [(d.day, d.outcome.value) for d in result.days] == [(NEXT_MON, "booked"), (NEXT_WED, "booked")]
        await run_weekly_reminders(runtime)
        (reminder,) = await notifications_of(runtime, team.staff[0].id, REMINDER)
        assert days_of(reminder.data) == [(NEXT_MON.isoformat(), True), (NEXT_WED.isoformat(), True)]


class TestUnitDigest:
    async def test_monday_digest_matches_the_compliance_page(
        self, runtime: Runtime, factory: Factory, clock: Clock, team: Team
    ) -> None:
        # given last week: one of the staff in on both anchor days and a third day, one remote on Monday (an anchor
        # day), one with nothing recorded; and the supervisor granted the directorate
        for day in (MON, WED, FRI):
            await factory.work_day(team.staff[0], day, actual=WorkMode.OFFICE)
        await factory.work_day(team.staff[1], MON, planned=WorkMode.HOME)
        await factory.role(team.supervisor, Role.UNIT_MANAGER, org_unit_id=team.directorate.id)

        # when the job runs on Monday before 07:00 nothing is made; from 07:00 the digests, once
        clock.set(time(6, 59), NEXT_MON)
        assert await run_unit_digests(runtime) == 0
        clock.set(time(7), NEXT_MON)
        made = await asyncio.gather(run_unit_digests(runtime), send_unit_digests(runtime.db, clock.now))
        assert sum(made) == 2  # two processes at once make each digest once
        clock.set(time(9), NEXT_MON)
        assert await run_unit_digests(runtime) == 0

        # then the deputy's head gets the deputy's (the whole subtree), not one per unit below it
        assert await kinds_of(runtime, team.head) == [(DIGEST, f"digest:{team.deputy.id}:{WEEK.isoformat()}")]
        assert await kinds_of(runtime, team.supervisor) == [(DIGEST, f"digest:{team.directorate.id}:{WEEK}")]
        (digest,) = await notifications_of(runtime, team.head.id, DIGEST)
        report = await runtime.policies.unit_report(team.head.id, team.deputy.id, WEEK)
        statuses = [plan.status for _, plan in report.week.weeks]
        assert (digest.data["unitId"], digest.data["unitName"], digest.data["weekStart"]) == (
            team.deputy.id,
            team.deputy.name,
            WEEK.isoformat(),
        )
        assert digest.data["members"] == len(report.week.weeks) == 5
        assert digest.data["compliant"] == statuses.count(ComplianceStatus.COMPLIANT) == 1
        assert digest.data["notCompliant"] == statuses.count(ComplianceStatus.NON_COMPLIANT) >= 1
        lines = digest.data["lines"]
        assert len(lines) == 5
        assert lines[0] == {"personName": team.staff[1].name, "required": 3, "attended": 0, "compliant": False}
        assert lines[-1] == {"personName": team.staff[0].name, "required": 3, "attended": 3, "compliant": True}

    async def test_turned_off_or_out_of_the_window_makes_none(self, runtime: Runtime, clock: Clock, team: Team) -> None:
        await set_preference(runtime, team.head.id, DIGEST, email=False, in_app=False)
        clock.set(time(12), NEXT_MON)
        assert await run_unit_digests(runtime) == 0
        clock.set(time(12), NEXT_MON + timedelta(days=2))  # Wednesday: too late for last week's
        await set_preference(runtime, team.head.id, DIGEST, email=True, in_app=True)
        assert await run_unit_digests(runtime) == 0
        assert await notifications_of(runtime, team.head.id, DIGEST) == []
