"""DOMAIN.md's eight example policies as scenarios of the pure engine: given a person, policies and a real week of
the 2026 national calendar, when the engine plans the week, then these days are required and these numbers hold.

Weeks used (local dates, Asia/Makassar; holidays 0.109 with categories public + government):

* 23-27 Nov 2026: an ordinary week, five working days;
* 17-21 Aug 2026: Independence Day on Monday, four working days;
* 21-25 Dec 2026: cuti bersama Natal on Thursday, Natal on Friday, three working days;
* 16-20 Mar 2026: cuti bersama Nyepi (Wed), Nyepi (Thu), cuti bersama Idul Fitri (Fri), two working days;
* 25-29 May 2026: Idul Adha on Wednesday (an anchor day that is a holiday), cuti bersama on Thursday;
* Ramadan 1447 H: 19 Feb - 20 Mar 2026 (the package's first of Ramadan, to the eve of its Idul Fitri; see
  :class:`TestRamadanOverlay`).

Policies are written as the JSON documents stored in ``policies.rules`` and parsed as the service parses them.
"""

import itertools
from collections.abc import Mapping
from datetime import date, time, timedelta
from typing import Any

import pytest
from holidays.countries.indonesia import IndonesiaIslamicHolidays

from smartoffice.people.models import EmploymentType, PositionKind
from smartoffice.policies.day_rules import Case, ExemptionView, Person, PolicyView, ReasonCode, rules_on
from smartoffice.policies.engine import Attendance, ComplianceStatus, Requirement, WeekPlan, plan_week
from smartoffice.policies.models import CaseStatus, PolicyLevel, Rating, WorkMode
from smartoffice.policies.rules import NATIONAL_WORKING_HOURS, WorkingHours, parse_rules
from smartoffice.workcalendar.service import WorkingCalendar

CALENDAR = WorkingCalendar.build(date(2025, 12, 1), date(2027, 12, 31))

ORDINARY_WEEK = date(2026, 11, 23)
INDEPENDENCE_WEEK = date(2026, 8, 17)
CHRISTMAS_WEEK = date(2026, 12, 21)
NYEPI_AND_IDUL_FITRI_WEEK = date(2026, 3, 16)
IDUL_ADHA_WEEK = date(2026, 5, 25)
RAMADAN_2026 = (date(2026, 2, 19), date(2026, 3, 20))

MON, TUE, WED, THU, FRI = range(5)
BAPPENAS, KEMENKO_PMK = 1, 2
DEPUTY, DIRECTORATE, TEAM, OTHER_DIRECTORATE = 10, 20, 30, 21
TOWER_1, TOWER_2 = 100, 200
SUPERVISOR = 99


def day(monday: date, weekday: int) -> date:
    return monday + timedelta(days=weekday)


# --- builders -------------------------------------------------------------------------------------------------

_policy_ids = itertools.count(1)


def policy(
    code: str,
    level: PolicyLevel,
    rules: Mapping[str, Any],
    *,
    overlay: bool = False,
    starts: date = date(2025, 4, 21),
    ends: date | None = None,
    **scope: Any,
) -> PolicyView:
    """A policy as the engine sees it; ``rules`` is the stored JSON document, ``scope`` the scope columns."""
    return PolicyView(
        id=next(_policy_ids),
        code=code,
        name=code.replace("-", " ").title(),
        level=level,
        is_overlay=overlay,
        legal_basis=f"basis of {code}",
        effective_from=starts,
        effective_until=ends,
        rules=parse_rules(dict(rules)),
        **scope,
    )


def person(**overrides: Any) -> Person:
    """A Bappenas planner of long standing in a team of a directorate whose anchor day is Wednesday."""
    values: dict[str, Any] = {
        "id": 7,
        "organisation_id": BAPPENAS,
        "unit_path": (TEAM, DIRECTORATE, DEPUTY),
        "position_kind": PositionKind.FUNCTIONAL,
        "position_level": "Perencana Ahli Muda",
        "employment_type": EmploymentType.PNS,
        "placed_on": date(2021, 3, 1),
        "supervisor_id": SUPERVISOR,
        "building_ids": frozenset({TOWER_1}),
        "latest_rating": Rating.BAIK,
        "anchor_weekdays": frozenset({WED}),
    }
    values.update(overrides)
    return Person(**values)


MODES = {
    "O": WorkMode.OFFICE,
    "H": WorkMode.HOME,
    "A": WorkMode.ANYWHERE,
    "L": WorkMode.LEAVE,
    "D": WorkMode.DUTY_TRAVEL,
    "X": WorkMode.ABSENT,
}


def attendance(monday: date, planned: str = "", actual: str = "") -> dict[date, Attendance]:
    """Monday-first letters per day: O office, H home, A anywhere, L leave, D duty travel, X absent (reported),
    ``.`` nothing."""
    days = {}
    for offset in range(max(len(planned), len(actual))):
        plan = MODES.get(planned[offset : offset + 1])
        did = MODES.get(actual[offset : offset + 1])
        if plan or did:
            days[day(monday, offset)] = Attendance(plan, did)
    return days


def week(
    who: Person,
    monday: date,
    *policies: PolicyView,
    today: date | None = None,
    seen: Mapping[date, Attendance] | None = None,
    supervisor: Mapping[date, Attendance] | None = None,
) -> WeekPlan:
    """The engine's plan; judged on the Monday unless ``today`` says otherwise."""
    return plan_week(who, monday, today or monday, policies, CALENDAR, seen or {}, supervisor)


def required(plan: WeekPlan) -> list[date]:
    return [d.day for d in plan.days if d.requirement == Requirement.REQUIRED]


def working(plan: WeekPlan) -> list[date]:
    return [d.day for d in plan.working_days]


def reason_codes(plan: WeekPlan, on: date) -> list[ReasonCode]:
    return [reason.code for reason in plan.days[on.weekday()].reasons]


def problem_codes(plan: WeekPlan) -> list[str]:
    return [problem.code for problem in plan.problems]


# --- DOMAIN.md's example policies, as the demo stores them ---------------------------------------------------

NATIONAL = policy(  # 1: what PermenPANRB 4/2025 itself states (Pasal 13(1), Pasal 25)
    "NASIONAL",
    PolicyLevel.NATIONAL,
    {"max_remote_days_per_week": 2, "eligibility": {"no_discipline_case": True, "min_days_in_post": 180}},
)
UNIT_SHARE = policy(  # 1: an agency's own decision, not the Permen's (issue 14, point 2)
    "BAPPENAS-PORSI-UNIT", PolicyLevel.AGENCY, {"max_unit_remote_percent": 30}, organisation_id=BAPPENAS
)
PRORATE = policy(  # 1: pro-rating short weeks is an agency's choice too
    "BAPPENAS-PRORATA", PolicyLevel.AGENCY, {"prorate_short_weeks": True}, organisation_id=BAPPENAS
)
PLANNERS = policy(  # 2
    "BAPPENAS-PERENCANA",
    PolicyLevel.AGENCY,
    {"min_office_days_per_week": 3, "anchor_days_required": True},
    organisation_id=BAPPENAS,
    position_level="Perencana Ahli Muda",
)
PUBLIC_SERVICE = policy(  # 3
    "BAPPENAS-LAYANAN",
    PolicyLevel.AGENCY,
    {"office_every_working_day": True, "works_on_collective_leave": True},
    org_unit_id=OTHER_DIRECTORATE,
)
PERFORMANCE_GATE = policy(  # 4
    "PMK-KINERJA",
    PolicyLevel.AGENCY,
    {"eligibility": {"ratings": ["sangat_baik", "baik"]}},
    organisation_id=KEMENKO_PMK,
)
COPRESENCE = policy("COPRESENCE", PolicyLevel.AGENCY, {"supervisor_copresence_days": 1})  # 5
MANAGERS_ON_ANCHOR_DAYS = policy(  # 5
    "MANAGERS-ANCHOR", PolicyLevel.AGENCY, {"anchor_days_required": True}, position_kind=PositionKind.MANAGERIAL
)
SPECIAL_CIRCUMSTANCES = policy(  # 6
    "KEADAAN-KHUSUS", PolicyLevel.NATIONAL, {"exemption_max_remote_days": 5, "exemption_max_days": 92}
)
RAMADAN = policy(  # 7
    "RAMADAN-1447",
    PolicyLevel.NATIONAL,
    {"working_hours": {"start": "08:00:00", "hours_per_week": 32.5}},
    overlay=True,
    starts=RAMADAN_2026[0],
    ends=RAMADAN_2026[1],
)
EMERGENCY = policy(  # 8
    "DARURAT-25",
    PolicyLevel.NATIONAL,
    {
        "building_occupancy_percent": 25,
        "max_remote_days_per_week": 5,
        "min_office_days_per_week": 0,
        "anchor_days_required": False,
        "supervisor_copresence_days": 0,
        "eligibility": {},
    },
    overlay=True,
    starts=ORDINARY_WEEK,
    ends=day(ORDINARY_WEEK, FRI),
    building_id=TOWER_1,
)


def exemption(remote_days: int, starts: date, ends: date) -> ExemptionView:
    return ExemptionView(id=501, remote_days_per_week=remote_days, starts_on=starts, ends_on=ends)


# --- the calendar -----------------------------------------------------------------------------------------------


class TestWorkingDaysIn2026:
    @staticmethod
    def working_days_in_2026(who: Person, *policies: PolicyView) -> int:
        mondays = (date(2025, 12, 29) + timedelta(weeks=n) for n in range(53))
        return sum(d.year == 2026 for monday in mondays for d in working(week(who, monday, *policies)))

    def test_a_standard_employee_works_240_days(self) -> None:
        # 261 weekdays (2026 starts on a Thursday: 52 weeks and one day), minus the 13 of the 17 public holidays
        # that fall on a weekday (Idul Fitri's two days, Easter Sunday and Waisak are weekend days), minus the
        # 8 days of cuti bersama, all on weekdays: 261 - 13 - 8 = 240.
        assert self.working_days_in_2026(person(), NATIONAL) == 240

    def test_public_service_works_on_cuti_bersama_so_248_days(self) -> None:
        # The same 261 - 13, as the 8 cuti bersama are working days for them (their leave is taken elsewhere).
        clinic = person(unit_path=(OTHER_DIRECTORATE, DEPUTY))

        assert self.working_days_in_2026(clinic, NATIONAL, PUBLIC_SERVICE) == 248


# --- 1. the national baseline -----------------------------------------------------------------------------------


class TestNationalCapProRated:
    """At most 2 remote days in a 5-day week; where an agency pro-rates short weeks, each working day carries a
    fifth of it, rounded down over the week, and the pro-rating policy is cited."""

    @pytest.mark.parametrize(
        ("monday", "working_days", "remote", "office"),
        [
            (ORDINARY_WEEK, 5, 2, 3),
            (INDEPENDENCE_WEEK, 4, 1, 3),  # 4 x 2/5 = 1.6: one remote day, not two
            (CHRISTMAS_WEEK, 3, 1, 2),  # 3 x 2/5 = 1.2
            (NYEPI_AND_IDUL_FITRI_WEEK, 2, 0, 2),  # 2 x 2/5 = 0.8: no remote day in a two-day week
        ],
    )
    def test_remote_days_shrink_with_the_working_days_where_an_agency_pro_rates(
        self, monday: date, working_days: int, remote: int, office: int
    ) -> None:
        # Before issue 14 the national policy itself pro-rated and was cited for it; pro-rating is now the
        # agency's rule (PRORATE), and a week it shrinks cites that policy, not the Permen.
        plan = week(person(), monday, NATIONAL, PRORATE)

        assert len(working(plan)) == working_days
        assert (plan.remote_days_allowed, plan.office_days_needed) == (remote, office)
        assert [r.code for r in plan.needed_because] == [ReasonCode.MAX_REMOTE_DAYS]
        assert plan.needed_because[0].policy == (NATIONAL if working_days == 5 else PRORATE)
        assert plan.remote_days_source == plan.needed_because[0].policy

    @pytest.mark.parametrize(
        ("monday", "remote", "office"),
        [(ORDINARY_WEEK, 2, 3), (INDEPENDENCE_WEEK, 2, 2), (CHRISTMAS_WEEK, 2, 1), (NYEPI_AND_IDUL_FITRI_WEEK, 2, 0)],
    )
    def test_without_pro_rating_the_permen_s_weekly_maximum_holds_in_a_short_week(
        self, monday: date, remote: int, office: int
    ) -> None:
        plan = week(person(), monday, NATIONAL)

        assert (plan.remote_days_allowed, plan.office_days_needed) == (remote, office)
        assert plan.needed_because[0].policy == NATIONAL
        assert plan.needed_because[0].params["prorated"] is False

    def test_pro_rating_stated_by_no_policy_is_off_and_stated_anywhere_is_on(self) -> None:
        unstated = rules_on(day(INDEPENDENCE_WEEK, TUE), person(), [NATIONAL]).rules.prorate_short_weeks
        combined = rules_on(day(INDEPENDENCE_WEEK, TUE), person(), [NATIONAL, PRORATE])

        assert unstated is None
        assert combined.rules.prorate_short_weeks is True
        assert combined.sources["prorate_short_weeks"] == PRORATE

    def test_holidays_and_cuti_bersama_are_not_working_days(self) -> None:
        plan = week(person(), NYEPI_AND_IDUL_FITRI_WEEK, NATIONAL)

        days = {d.day: (d.requirement, d.calendar_name) for d in plan.days}
        assert days[date(2026, 3, 18)] == (Requirement.NOT_WORKING, "Cuti Bersama Hari Suci Nyepi")
        assert days[date(2026, 3, 19)] == (Requirement.NOT_WORKING, "Hari Suci Nyepi")
        assert days[date(2026, 3, 20)] == (Requirement.NOT_WORKING, "Cuti Bersama Hari Raya Idul Fitri")
        assert working(plan) == [date(2026, 3, 16), date(2026, 3, 17)]

    def test_a_policy_starting_mid_week_counts_from_its_first_day(self) -> None:
        # given no remote days from Thursday: Monday-Wednesday carry 3 x 2/5, Thursday-Friday nothing
        arrangement = policy(
            "INDIVIDUAL-NO-REMOTE",
            PolicyLevel.INDIVIDUAL,
            {"max_remote_days_per_week": 0},
            starts=day(ORDINARY_WEEK, THU),
            employee_id=7,
        )

        plan = week(person(), ORDINARY_WEEK, NATIONAL, arrangement)

        assert (plan.remote_days_allowed, plan.office_days_needed) == (1, 4)

    def test_the_unit_remote_share_cap_is_in_force_with_its_source(self) -> None:
        # the 30 % share is the agency's decision (it was the national policy's before issue 14)
        rules = rules_on(day(ORDINARY_WEEK, MON), person(), [NATIONAL, UNIT_SHARE])

        assert rules.rules.max_unit_remote_percent == 30
        assert rules.sources["max_unit_remote_percent"] == UNIT_SHARE


class TestDisciplineCase:
    """No remote days with a pending or active case (PermenPANRB 4/2025 Pasal 25)."""

    @pytest.mark.parametrize("status", [CaseStatus.PENDING, CaseStatus.ACTIVE])
    def test_an_open_case_makes_every_working_day_required(self, status: CaseStatus) -> None:
        under_examination = person(cases=(Case(status, date(2026, 10, 1), None),))

        plan = week(under_examination, ORDINARY_WEEK, NATIONAL)

        assert required(plan) == working(plan) and len(required(plan)) == 5
        assert (plan.remote_days_allowed, plan.office_days_needed) == (0, 5)
        monday = plan.days[MON]
        assert [r.code for r in monday.reasons[:2]] == [ReasonCode.NOT_ELIGIBLE, ReasonCode.OPEN_DISCIPLINE_CASE]
        assert monday.reasons[1].policy == NATIONAL

    def test_a_closed_case_no_longer_counts(self) -> None:
        cleared = person(cases=(Case(CaseStatus.CLOSED, date(2026, 6, 1), date(2026, 9, 1)),))

        plan = week(cleared, ORDINARY_WEEK, NATIONAL)

        assert required(plan) == []
        assert plan.remote_days_allowed == 2

    def test_a_case_closed_mid_week_frees_the_days_after(self) -> None:
        # closed on Wednesday: Monday and Tuesday are required, Wednesday-Friday carry 3 x 2/5 = 1.2 remote days
        closed = person(cases=(Case(CaseStatus.CLOSED, date(2026, 6, 1), day(ORDINARY_WEEK, WED)),))

        plan = week(closed, ORDINARY_WEEK, NATIONAL)

        assert required(plan) == [day(ORDINARY_WEEK, MON), day(ORDINARY_WEEK, TUE)]
        assert (plan.remote_days_allowed, plan.office_days_needed) == (1, 4)

    def test_a_case_opened_after_the_week_does_not_reach_back(self) -> None:
        later = person(cases=(Case(CaseStatus.PENDING, date(2026, 12, 1), None),))

        assert week(later, ORDINARY_WEEK, NATIONAL).remote_days_allowed == 2


class TestNewPlacement:
    """No remote days in the first 180 days in post."""

    def test_someone_placed_179_days_ago_has_no_remote_day(self) -> None:
        newcomer = person(placed_on=day(ORDINARY_WEEK, FRI) - timedelta(days=179))

        plan = week(newcomer, ORDINARY_WEEK, NATIONAL)

        assert len(required(plan)) == 5 and plan.remote_days_allowed == 0
        tenure = plan.days[FRI].reasons[1]
        assert tenure.code == ReasonCode.TOO_NEW_IN_POST
        assert dict(tenure.params) == {"days": 179, "needed": 180}
        assert tenure.policy == NATIONAL

    def test_the_180th_day_in_post_is_the_first_eligible_one(self) -> None:
        # placed so that Wednesday is day 180: Monday and Tuesday required, then 3 x 2/5 remote days
        newcomer = person(placed_on=day(ORDINARY_WEEK, WED) - timedelta(days=180))

        plan = week(newcomer, ORDINARY_WEEK, NATIONAL)

        assert required(plan) == [day(ORDINARY_WEEK, MON), day(ORDINARY_WEEK, TUE)]
        assert (plan.remote_days_allowed, plan.office_days_needed) == (1, 4)

    def test_each_criterion_names_the_policy_that_states_it(self) -> None:
        # given the tenure rule from the national baseline and the rating gate from the agency
        newcomer = person(
            organisation_id=KEMENKO_PMK,
            placed_on=ORDINARY_WEEK - timedelta(days=30),
            latest_rating=Rating.BUTUH_PERBAIKAN,
        )

        plan = week(newcomer, ORDINARY_WEEK, NATIONAL, PERFORMANCE_GATE)

        sources = {reason.code: reason.policy for reason in plan.days[MON].reasons[1:]}
        assert sources == {ReasonCode.TOO_NEW_IN_POST: NATIONAL, ReasonCode.RATING_NOT_ALLOWED: PERFORMANCE_GATE}


# --- 2. planners: 3 office days and the directorate's anchor day -----------------------------------------------


class TestPlanners:
    def test_wednesday_is_required_as_the_anchor_day(self) -> None:
        plan = week(person(), ORDINARY_WEEK, NATIONAL, PLANNERS)

        assert required(plan) == [day(ORDINARY_WEEK, WED)]
        anchor = plan.days[WED].reasons[0]
        assert (anchor.code, anchor.policy, dict(anchor.params)) == (ReasonCode.ANCHOR_DAY, PLANNERS, {"weekday": WED})
        assert plan.office_days_needed == 3 and plan.office_days_to_choose == 2

    def test_no_anchor_day_is_required_when_wednesday_is_a_holiday(self) -> None:
        plan = week(person(), IDUL_ADHA_WEEK, NATIONAL, PLANNERS)

        assert plan.days[WED].requirement == Requirement.NOT_WORKING
        assert required(plan) == []

    def test_the_minimum_office_days_round_up_in_a_holiday_week(self) -> None:
        # 4 x 3/5 = 2.4 office days: three, not two (without the national cap to hide it)
        plan = week(person(), INDEPENDENCE_WEEK, PLANNERS)

        assert plan.office_days_needed == 3
        assert [r.code for r in plan.needed_because] == [ReasonCode.MIN_OFFICE_DAYS]

    def test_people_outside_the_scope_have_no_anchor_day(self) -> None:
        analyst = person(position_level="Analis Anggaran Ahli Muda")
        other_ministry = person(organisation_id=KEMENKO_PMK)

        assert required(week(analyst, ORDINARY_WEEK, NATIONAL, PLANNERS)) == []
        assert required(week(other_ministry, ORDINARY_WEEK, NATIONAL, PLANNERS)) == []

    def test_anchor_days_alone_require_nothing_without_a_policy_asking_for_them(self) -> None:
        assert required(week(person(), ORDINARY_WEEK, NATIONAL)) == []


# --- 3. public service ------------------------------------------------------------------------------------------


class TestPublicService:
    clinic_nurse = person(unit_path=(OTHER_DIRECTORATE, DEPUTY), position_kind=PositionKind.EXECUTOR)

    def test_every_working_day_is_required(self) -> None:
        plan = week(self.clinic_nurse, ORDINARY_WEEK, NATIONAL, PUBLIC_SERVICE)

        assert len(required(plan)) == 5
        assert (plan.remote_days_allowed, plan.office_days_needed) == (0, 5)
        reason = plan.days[MON].reasons[0]
        assert (reason.code, reason.policy) == (ReasonCode.OFFICE_EVERY_WORKING_DAY, PUBLIC_SERVICE)

    def test_cuti_bersama_become_required_working_days_but_holidays_do_not(self) -> None:
        plan = week(self.clinic_nurse, CHRISTMAS_WEEK, NATIONAL, PUBLIC_SERVICE)
        colleague = week(person(), CHRISTMAS_WEEK, NATIONAL, PUBLIC_SERVICE)

        christmas_eve, christmas = date(2026, 12, 24), date(2026, 12, 25)
        assert required(plan) == [*working(colleague), christmas_eve]
        assert plan.days[FRI].requirement == Requirement.NOT_WORKING
        assert plan.days[THU].calendar_name == "Cuti Bersama Hari Raya Natal"
        assert christmas not in working(plan)
        # the colleague's three-day week: the Permen's 2 remote days, not pro-rated (no policy here pro-rates)
        assert plan.office_days_needed == 4 and colleague.office_days_needed == 1

    def test_the_idul_fitri_week_keeps_them_in_on_both_cuti_bersama(self) -> None:
        plan = week(self.clinic_nurse, NYEPI_AND_IDUL_FITRI_WEEK, NATIONAL, PUBLIC_SERVICE)

        assert [d.weekday() for d in required(plan)] == [MON, TUE, WED, FRI]  # Thursday is Nyepi itself

    def test_an_exemption_does_not_take_them_out_of_the_office(self) -> None:
        exempted = person(
            unit_path=(OTHER_DIRECTORATE, DEPUTY),
            exemptions=(exemption(3, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),),
        )

        assert week(exempted, ORDINARY_WEEK, NATIONAL, PUBLIC_SERVICE).office_days_needed == 5


# --- 4. performance gate ----------------------------------------------------------------------------------------


class TestPerformanceGate:
    @pytest.mark.parametrize("rating", [Rating.BUTUH_PERBAIKAN, Rating.KURANG, Rating.SANGAT_KURANG, None])
    def test_a_rating_outside_the_set_means_no_remote_days(self, rating: Rating | None) -> None:
        analyst = person(organisation_id=KEMENKO_PMK, latest_rating=rating)

        plan = week(analyst, ORDINARY_WEEK, NATIONAL, PERFORMANCE_GATE)

        assert required(plan) == working(plan) and len(required(plan)) == 5
        assert plan.remote_days_allowed == 0
        gate = plan.days[TUE].reasons[1]
        assert (gate.code, gate.policy) == (ReasonCode.RATING_NOT_ALLOWED, PERFORMANCE_GATE)
        assert dict(gate.params) == {"rating": rating, "allowed": (Rating.SANGAT_BAIK, Rating.BAIK)}

    @pytest.mark.parametrize("rating", [Rating.SANGAT_BAIK, Rating.BAIK])
    def test_a_good_rating_keeps_the_national_allowance(self, rating: Rating) -> None:
        plan = week(
            person(organisation_id=KEMENKO_PMK, latest_rating=rating), ORDINARY_WEEK, NATIONAL, PERFORMANCE_GATE
        )

        assert required(plan) == [] and plan.remote_days_allowed == 2

    def test_the_gate_is_one_agency_s_criterion(self) -> None:
        planner = person(latest_rating=Rating.BUTUH_PERBAIKAN)  # at Bappenas

        assert week(planner, ORDINARY_WEEK, NATIONAL, PERFORMANCE_GATE).remote_days_allowed == 2


# --- 5. supervisor co-presence and managers on the anchor day ---------------------------------------------------


class TestSupervisorCopresence:
    monday = ORDINARY_WEEK
    after_the_week = day(ORDINARY_WEEK, 5)

    def plan(self, mine: str, theirs: str, **kwargs: Any) -> WeekPlan:
        return week(
            kwargs.pop("who", person()),
            self.monday,
            NATIONAL,
            COPRESENCE,
            seen=attendance(self.monday, actual=mine),
            supervisor=attendance(self.monday, actual=theirs),
            **kwargs,
        )

    def test_one_shared_office_day_complies(self) -> None:
        plan = self.plan("OOOHH", "HHOOO", today=self.after_the_week)

        assert (plan.copresence_days_needed, plan.copresence_days) == (1, 1)
        assert plan.status == ComplianceStatus.COMPLIANT

    def test_no_shared_day_by_the_end_of_the_week_is_non_compliant(self) -> None:
        plan = self.plan("OOOHH", "HHHOO", today=self.after_the_week)

        assert plan.copresence_days == 0
        assert problem_codes(plan) == ["TOO_FEW_DAYS_WITH_SUPERVISOR"]
        assert plan.status == ComplianceStatus.NON_COMPLIANT

    def test_no_shared_day_planned_yet_is_at_risk(self) -> None:
        plan = week(
            person(),
            self.monday,
            NATIONAL,
            COPRESENCE,
            seen=attendance(self.monday, planned="OOOHH"),
            supervisor=attendance(self.monday, planned="HHHOO"),
        )

        assert plan.status == ComplianceStatus.AT_RISK

    def test_the_supervisor_s_actual_day_wins_over_their_plan(self) -> None:
        plan = week(
            person(),
            self.monday,
            NATIONAL,
            COPRESENCE,
            today=self.after_the_week,
            seen=attendance(self.monday, actual="OOOHH"),
            supervisor=attendance(self.monday, planned="..O", actual="..H"),
        )

        assert plan.copresence_days == 0

    def test_someone_without_a_supervisor_needs_no_shared_day(self) -> None:
        head_of_deputy = person(supervisor_id=None)

        assert self.plan("OOOHH", "", who=head_of_deputy).copresence_days_needed == 0

    def test_a_week_of_leave_excuses_the_shared_day(self) -> None:
        assert self.plan("LLLLL", "OOOOO", today=self.after_the_week).status == ComplianceStatus.COMPLIANT

    def test_a_supervisor_away_all_week_excuses_it(self) -> None:
        assert self.plan("OOOHH", "DDDLL", today=self.after_the_week).status == ComplianceStatus.COMPLIANT


class TestManagersOnAnchorDays:
    director = person(
        unit_path=(DIRECTORATE, DEPUTY), position_kind=PositionKind.MANAGERIAL, position_level="Pimpinan Tinggi Pratama"
    )

    def test_a_manager_is_required_on_the_unit_s_anchor_day(self) -> None:
        plan = week(self.director, ORDINARY_WEEK, NATIONAL, MANAGERS_ON_ANCHOR_DAYS)

        assert required(plan) == [day(ORDINARY_WEEK, WED)]
        assert plan.days[WED].reasons[0].policy == MANAGERS_ON_ANCHOR_DAYS

    def test_functional_staff_of_the_same_unit_are_not(self) -> None:
        analyst = person(position_level="Analis Anggaran Ahli Muda")

        assert required(week(analyst, ORDINARY_WEEK, NATIONAL, MANAGERS_ON_ANCHOR_DAYS)) == []


# --- 6. special-circumstances exemptions ------------------------------------------------------------------------


class TestExemptions:
    def test_an_active_exemption_allows_more_remote_days(self) -> None:
        exempted = person(exemptions=(exemption(4, date(2026, 11, 1), date(2027, 1, 31)),))

        plan = week(exempted, ORDINARY_WEEK, NATIONAL, SPECIAL_CIRCUMSTANCES)

        assert (plan.remote_days_allowed, plan.office_days_needed) == (4, 1)
        assert [r.code for r in plan.needed_because] == [ReasonCode.EXEMPTION]

    def test_an_expired_exemption_gives_nothing(self) -> None:
        expired = person(exemptions=(exemption(4, date(2026, 8, 21), date(2026, 11, 20)),))

        plan = week(expired, ORDINARY_WEEK, NATIONAL, SPECIAL_CIRCUMSTANCES)

        assert (plan.remote_days_allowed, plan.office_days_needed) == (2, 3)
        assert [r.code for r in plan.needed_because] == [ReasonCode.MAX_REMOTE_DAYS]

    def test_an_exemption_ending_mid_week_is_pro_rated(self) -> None:
        # Monday-Wednesday carry 3 x 4/5, Thursday-Friday 2 x 2/5: 16/5 = 3.2 remote days
        ending = person(exemptions=(exemption(4, date(2026, 9, 1), day(ORDINARY_WEEK, WED)),))

        assert week(ending, ORDINARY_WEEK, NATIONAL, SPECIAL_CIRCUMSTANCES).remote_days_allowed == 3

    def test_a_policy_caps_what_an_exemption_may_grant(self) -> None:
        agency = policy("AGENCY-EXEMPTIONS", PolicyLevel.AGENCY, {"exemption_max_remote_days": 3})
        exempted = person(exemptions=(exemption(5, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),))

        assert week(exempted, ORDINARY_WEEK, NATIONAL, SPECIAL_CIRCUMSTANCES, agency).remote_days_allowed == 3

    def test_a_full_week_exemption_excuses_the_anchor_day_too(self) -> None:
        exempted = person(exemptions=(exemption(5, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),))

        plan = week(exempted, ORDINARY_WEEK, NATIONAL, PLANNERS, SPECIAL_CIRCUMSTANCES)

        assert required(plan) == []
        assert (plan.remote_days_allowed, plan.office_days_needed) == (5, 0)

    def test_a_partial_exemption_keeps_the_anchor_day(self) -> None:
        exempted = person(exemptions=(exemption(3, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),))

        plan = week(exempted, ORDINARY_WEEK, NATIONAL, PLANNERS, SPECIAL_CIRCUMSTANCES)

        assert required(plan) == [day(ORDINARY_WEEK, WED)]
        assert (plan.remote_days_allowed, plan.office_days_needed) == (3, 2)

    def test_an_exemption_lifts_the_eligibility_criteria(self) -> None:
        # a newcomer in special circumstances (say, a child in hospital) with the unit head's approval
        newcomer = person(
            placed_on=ORDINARY_WEEK - timedelta(days=20),
            exemptions=(exemption(2, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),),
        )

        plan = week(newcomer, ORDINARY_WEEK, NATIONAL)

        assert required(plan) == [] and plan.remote_days_allowed == 2

    def test_an_exemption_never_gives_less_than_the_rules_do(self) -> None:
        # given one remote day by exemption, while the national cap already allows two
        exempted = person(exemptions=(exemption(1, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),))

        plan = week(exempted, ORDINARY_WEEK, NATIONAL)

        assert plan.remote_days_allowed == 2
        assert [r.code for r in plan.needed_because] == [ReasonCode.MAX_REMOTE_DAYS]


# --- conflicting policies at two levels -------------------------------------------------------------------------


class TestPrecedence:
    """Base policies combine by the strictest statement, whichever level makes it; only an exemption loosens."""

    def test_a_tighter_agency_cap_wins_over_the_national_one(self) -> None:
        agency = policy("AGENCY-ONE-REMOTE-DAY", PolicyLevel.AGENCY, {"max_remote_days_per_week": 1})

        plan = week(person(), ORDINARY_WEEK, NATIONAL, agency)

        assert (plan.remote_days_allowed, plan.office_days_needed) == (1, 4)
        assert plan.needed_because[0].policy == agency

    def test_a_tighter_cap_stated_higher_up_wins_over_a_looser_lower_one(self) -> None:
        agency = policy("AGENCY-ONE-REMOTE-DAY", PolicyLevel.AGENCY, {"max_remote_days_per_week": 1})
        unit = policy("UNIT-THREE-REMOTE-DAYS", PolicyLevel.UNIT, {"max_remote_days_per_week": 3}, org_unit_id=TEAM)

        plan = week(person(), ORDINARY_WEEK, NATIONAL, agency, unit)

        assert plan.remote_days_allowed == 1
        assert plan.needed_because[0].policy == agency

    def test_a_unit_minimum_of_office_days_wins_over_the_national_cap(self) -> None:
        unit = policy("UNIT-FOUR-DAYS", PolicyLevel.UNIT, {"min_office_days_per_week": 4}, org_unit_id=DIRECTORATE)

        plan = week(person(), ORDINARY_WEEK, NATIONAL, unit)

        assert (plan.office_days_needed, plan.remote_days_allowed) == (4, 1)
        assert [(r.code, r.policy) for r in plan.needed_because][-1] == (ReasonCode.MIN_OFFICE_DAYS, unit)

    def test_an_individual_policy_cannot_loosen_the_national_cap_but_an_exemption_can(self) -> None:
        looser = policy("INDIVIDUAL-FIVE", PolicyLevel.INDIVIDUAL, {"max_remote_days_per_week": 5}, employee_id=7)
        exempted = person(exemptions=(exemption(5, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),))

        assert week(person(), ORDINARY_WEEK, NATIONAL, looser).remote_days_allowed == 2
        assert week(exempted, ORDINARY_WEEK, NATIONAL, looser, SPECIAL_CIRCUMSTANCES).remote_days_allowed == 5

    def test_rating_sets_of_two_levels_intersect(self) -> None:
        unit = policy("UNIT-BEST-ONLY", PolicyLevel.UNIT, {"eligibility": {"ratings": ["sangat_baik"]}})
        good = person(organisation_id=KEMENKO_PMK, latest_rating=Rating.BAIK)

        plan = week(good, ORDINARY_WEEK, NATIONAL, PERFORMANCE_GATE, unit)

        assert plan.remote_days_allowed == 0
        assert plan.days[MON].reasons[1].params["allowed"] == (Rating.SANGAT_BAIK,)

    def test_a_policy_out_of_force_or_out_of_scope_does_not_count(self) -> None:
        past = policy("AGENCY-2024", PolicyLevel.AGENCY, {"max_remote_days_per_week": 0}, ends=date(2026, 11, 1))
        elsewhere = policy("TOWER-2", PolicyLevel.UNIT, {"max_remote_days_per_week": 0}, building_id=TOWER_2)
        pppk_only = policy(
            "PPPK", PolicyLevel.AGENCY, {"max_remote_days_per_week": 0}, employment_type=EmploymentType.PPPK
        )

        assert week(person(), ORDINARY_WEEK, NATIONAL, past, elsewhere, pppk_only).remote_days_allowed == 2


# --- 7. Ramadan -------------------------------------------------------------------------------------------------


class TestRamadanOverlay:
    def test_the_dates_are_the_holidays_package_s(self) -> None:
        # 1 Ramadan 1447 H as the package has Indonesia's Islamic calendar, to the eve of its Idul Fitri
        first_days = [first for first, _estimated in IndonesiaIslamicHolidays().ramadan_beginning_dates(2026)]

        assert RAMADAN_2026[0] in first_days
        assert CALENDAR.name(RAMADAN_2026[1] + timedelta(days=1)) == "Hari Raya Idul Fitri"

    def test_working_hours_start_at_eight_for_32_5_hours(self) -> None:
        plan = week(person(), date(2026, 2, 23), NATIONAL, RAMADAN)

        assert plan.working_hours == WorkingHours(time(8, 0), 32.5)
        assert (plan.remote_days_allowed, plan.office_days_needed) == (2, 3)  # hours only: the rest stands

    def test_outside_ramadan_the_national_hours_hold(self) -> None:
        plan = week(person(), date(2026, 2, 9), NATIONAL, RAMADAN)

        assert plan.working_hours == NATIONAL_WORKING_HOURS
        assert (plan.working_hours.start, plan.working_hours.hours_per_week) == (time(7, 30), 37.5)

    def test_the_overlay_starts_and_ends_on_its_days(self) -> None:
        def hours_on(on: date) -> WorkingHours | None:
            return rules_on(on, person(), [NATIONAL, RAMADAN]).rules.working_hours

        assert hours_on(date(2026, 2, 18)) is None  # the national default applies
        assert hours_on(date(2026, 2, 19)) == WorkingHours(time(8, 0), 32.5)
        assert hours_on(date(2026, 3, 20)) == WorkingHours(time(8, 0), 32.5)
        assert hours_on(date(2026, 3, 25)) is None


# --- 8. emergency occupancy overlay -----------------------------------------------------------------------------


class TestEmergencyOverlay:
    """An overlay replaces what it states, above every level; what it does not state stands."""

    def test_it_lifts_caps_anchor_days_copresence_and_eligibility_it_states(self) -> None:
        newcomer = person(placed_on=ORDINARY_WEEK - timedelta(days=30))

        plan = week(newcomer, ORDINARY_WEEK, NATIONAL, PLANNERS, COPRESENCE, EMERGENCY)

        assert required(plan) == []
        assert (plan.remote_days_allowed, plan.office_days_needed, plan.copresence_days_needed) == (5, 0, 0)
        rules = plan.days[MON].rules
        assert rules is not None
        assert rules.rules.building_occupancy_percent == 25
        assert rules.sources["building_occupancy_percent"] == EMERGENCY
        assert rules.sources["max_remote_days_per_week"] == EMERGENCY

    def test_what_it_does_not_state_stands_public_service_stays_in(self) -> None:
        clinic = person(unit_path=(OTHER_DIRECTORATE, DEPUTY))

        assert week(clinic, ORDINARY_WEEK, NATIONAL, PUBLIC_SERVICE, EMERGENCY).office_days_needed == 5

    def test_it_replaces_even_a_tighter_base_cap(self) -> None:
        base = policy("TOWER-1-CAP", PolicyLevel.AGENCY, {"building_occupancy_percent": 10}, building_id=TOWER_1)
        reopening = policy(
            "REOPENING", PolicyLevel.NATIONAL, {"building_occupancy_percent": 75}, overlay=True, starts=ORDINARY_WEEK
        )

        rules = rules_on(day(ORDINARY_WEEK, TUE), person(), [NATIONAL, base, reopening])

        assert rules.rules.building_occupancy_percent == 75
        assert rules.rules.max_remote_days_per_week == 2

    def test_it_applies_only_to_its_building_and_dates(self) -> None:
        other_tower = person(building_ids=frozenset({TOWER_2}))

        assert week(other_tower, ORDINARY_WEEK, NATIONAL, PLANNERS, EMERGENCY).office_days_needed == 3
        assert (
            week(person(), ORDINARY_WEEK + timedelta(weeks=1), NATIONAL, PLANNERS, EMERGENCY).remote_days_allowed == 2
        )

    def test_an_exemption_does_not_make_the_emergency_stricter(self) -> None:
        exempted = person(exemptions=(exemption(3, ORDINARY_WEEK, day(ORDINARY_WEEK, FRI)),))

        assert week(exempted, ORDINARY_WEEK, NATIONAL, EMERGENCY).remote_days_allowed == 5

    def test_it_and_ramadan_apply_together(self) -> None:
        ramadan_emergency = policy(
            "DARURAT-RAMADAN", PolicyLevel.NATIONAL, {"building_occupancy_percent": 50}, overlay=True,
            starts=date(2026, 3, 2), ends=date(2026, 3, 6),
        )  # fmt: skip

        rules = rules_on(date(2026, 3, 4), person(), [NATIONAL, RAMADAN, ramadan_emergency]).rules

        assert (rules.building_occupancy_percent, rules.working_hours) == (50, WorkingHours(time(8, 0), 32.5))


# --- compliance -------------------------------------------------------------------------------------------------


class TestCompliance:
    """A planner (Wednesday anchor, 3 office days) judged on different days of the ordinary week."""

    monday = ORDINARY_WEEK
    thursday = day(ORDINARY_WEEK, THU)
    saturday = day(ORDINARY_WEEK, 5)

    def judge(self, today: date, planned: str = "", actual: str = "") -> WeekPlan:
        return week(
            person(), self.monday, NATIONAL, PLANNERS, today=today, seen=attendance(self.monday, planned, actual)
        )

    def test_a_plan_that_meets_the_week_is_compliant(self) -> None:
        plan = self.judge(self.monday, planned="OHOOH")

        assert plan.status == ComplianceStatus.COMPLIANT and plan.problems == ()

    def test_a_plan_that_falls_short_is_at_risk_while_it_can_be_fixed(self) -> None:
        plan = self.judge(self.monday, planned="OHOHH")

        assert problem_codes(plan) == ["TOO_FEW_OFFICE_DAYS", "TOO_MANY_REMOTE_DAYS"]
        assert plan.status == ComplianceStatus.AT_RISK

    def test_the_same_shortfall_is_non_compliant_once_the_week_is_over(self) -> None:
        plan = self.judge(self.saturday, planned="OHOHH", actual="O.O")

        assert problem_codes(plan) == ["TOO_FEW_OFFICE_DAYS", "TOO_MANY_REMOTE_DAYS"]
        assert plan.status == ComplianceStatus.NON_COMPLIANT

    def test_an_unplanned_anchor_day_is_at_risk_and_a_missed_one_non_compliant(self) -> None:
        unplanned = self.judge(self.monday, planned="OO.OH")
        missed = self.judge(self.thursday, planned="OOHOH", actual="OOH")

        assert problem_codes(unplanned) == ["REQUIRED_DAY_NOT_PLANNED"]
        assert unplanned.status == ComplianceStatus.AT_RISK
        assert problem_codes(missed) == ["REQUIRED_DAY_MISSED"]
        assert missed.problems[0].policy == PLANNERS
        assert missed.status == ComplianceStatus.NON_COMPLIANT

    def test_a_booked_day_without_a_check_in_does_not_count_once_past(self) -> None:
        # booked Monday to Wednesday, checked in on Monday and Wednesday only: Tuesday was a no-show (reported
        # absent, X). Before issue 14 a Tuesday nobody reported anything about counted as absent too; it is now
        # unknown, and the week NO_DATA (TestNoData).
        on_thursday = self.judge(self.thursday, planned="OOOHH", actual="OXO")
        after_the_week = self.judge(self.saturday, planned="OOOHH", actual="OXO")

        assert problem_codes(on_thursday) == ["TOO_FEW_OFFICE_DAYS"]
        assert on_thursday.status == ComplianceStatus.AT_RISK  # Thursday or Friday in the office still does it
        assert on_thursday.office_days == 2
        assert after_the_week.status == ComplianceStatus.NON_COMPLIANT

    def test_checked_in_days_count_as_office_days(self) -> None:
        plan = self.judge(self.saturday, planned="OOOHH", actual="OOO")

        assert plan.office_days == 3 and plan.status == ComplianceStatus.COMPLIANT

    def test_leave_days_reduce_the_office_days_needed(self) -> None:
        # two days of leave: one office day (the anchor day) and two remote days are enough
        plan = self.judge(self.saturday, planned="LLOHH", actual="..O")

        assert plan.status == ComplianceStatus.COMPLIANT

    def test_duty_travel_on_the_anchor_day_is_excused_but_working_from_home_is_not(self) -> None:
        travelling = self.judge(self.saturday, planned="OODOH", actual="OODO")
        at_home = self.judge(self.saturday, planned="OOHOH", actual="OOHO")

        assert travelling.status == ComplianceStatus.COMPLIANT
        assert at_home.status == ComplianceStatus.NON_COMPLIANT

    def test_too_many_remote_days_already_taken_cannot_be_undone(self) -> None:
        plan = self.judge(day(self.monday, FRI), planned="HHOHO", actual="HHOH")

        assert "TOO_MANY_REMOTE_DAYS" in problem_codes(plan)
        assert plan.status == ComplianceStatus.NON_COMPLIANT


# --- issue 14: the corrections ----------------------------------------------------------------------------------


class TestCitationsNameTheBindingRule:
    clinic_nurse = TestPublicService.clinic_nurse

    def test_public_service_s_zero_remote_days_cite_the_public_service_policy(self) -> None:
        plan = week(self.clinic_nurse, ORDINARY_WEEK, NATIONAL, PUBLIC_SERVICE)

        assert [(r.code, r.policy) for r in plan.needed_because] == [(ReasonCode.MAX_REMOTE_DAYS, PUBLIC_SERVICE)]
        assert plan.remote_days_source == PUBLIC_SERVICE
        assert rules_on(day(ORDINARY_WEEK, MON), self.clinic_nurse, [NATIONAL, PUBLIC_SERVICE]).max_remote_source == (
            PUBLIC_SERVICE
        )

    def test_an_ineligible_person_s_zero_remote_days_cite_the_criterion_s_policy(self) -> None:
        newcomer = person(organisation_id=KEMENKO_PMK, latest_rating=Rating.KURANG)

        plan = week(newcomer, ORDINARY_WEEK, NATIONAL, PERFORMANCE_GATE)

        assert plan.remote_days_source == PERFORMANCE_GATE

    def test_a_short_week_cites_pro_rating_only_where_it_shrinks_the_allowance(self) -> None:
        # a 3-day week under an agency cap of 1 remote day: 3 x 1/5 = 0.6 pro-rated, 1 plain -> pro-rating binds;
        # a 4-day week under the national 2 with a 1-day individual cap: the individual cap binds either way
        tight = policy("PMK-SATU", PolicyLevel.AGENCY, {"max_remote_days_per_week": 1})
        shrunk = week(person(), CHRISTMAS_WEEK, NATIONAL, tight, PRORATE)
        capped = week(person(), ORDINARY_WEEK, NATIONAL, tight, PRORATE)

        assert (shrunk.remote_days_allowed, shrunk.remote_days_source) == (0, PRORATE)
        assert shrunk.needed_because[0].params["prorated"] is True
        assert (capped.remote_days_allowed, capped.remote_days_source) == (1, tight)


class TestExemptionsAndDiscipline:
    """An exemption lifts the criteria it is decided against, never an open disciplinary case unless it says so."""

    case = (Case(CaseStatus.ACTIVE, date(2026, 10, 1), None),)

    def test_an_open_case_suspends_an_exemption(self) -> None:
        exempted = person(cases=self.case, exemptions=(exemption(5, date(2026, 11, 1), date(2026, 12, 31)),))

        plan = week(exempted, ORDINARY_WEEK, NATIONAL, SPECIAL_CIRCUMSTANCES)

        assert plan.remote_days_allowed == 0 and len(required(plan)) == 5
        assert reason_codes(plan, day(ORDINARY_WEEK, MON)) == [ReasonCode.NOT_ELIGIBLE, ReasonCode.OPEN_DISCIPLINE_CASE]
        case_reason = plan.days[MON].reasons[1]
        assert case_reason.policy == NATIONAL and case_reason.params["suspends_exemption"] is True

    def test_an_exemption_decided_over_the_case_holds(self) -> None:
        decided = ExemptionView(501, 5, date(2026, 11, 1), date(2026, 12, 31), overrides_discipline=True)

        plan = week(person(cases=self.case, exemptions=(decided,)), ORDINARY_WEEK, NATIONAL, SPECIAL_CIRCUMSTANCES)

        assert plan.remote_days_allowed == 5 and required(plan) == []

    def test_it_still_lifts_the_tenure_criterion(self) -> None:
        newcomer = person(
            placed_on=date(2026, 10, 1), exemptions=(exemption(3, date(2026, 11, 1), date(2026, 12, 31)),)
        )

        assert week(newcomer, ORDINARY_WEEK, NATIONAL, SPECIAL_CIRCUMSTANCES).remote_days_allowed == 3


class TestNoData:
    """A past working day counts as absent only when the attendance source says so (issue 14, point 6)."""

    monday = ORDINARY_WEEK
    saturday = day(ORDINARY_WEEK, 5)

    def judge(self, planned: str = "", actual: str = "", today: date | None = None) -> WeekPlan:
        seen = attendance(self.monday, planned, actual)
        return week(person(), self.monday, NATIONAL, PLANNERS, today=today or self.saturday, seen=seen)

    def test_a_week_nobody_reported_anything_about_is_no_data(self) -> None:
        plan = self.judge()

        assert plan.status == ComplianceStatus.NO_DATA
        assert problem_codes(plan) == ["NO_ATTENDANCE_DATA"]
        assert plan.problems[0].params == {"days": 5, "first": self.monday}
        assert all(d.is_unknown for d in plan.working_days)

    def test_days_reported_absent_are_non_compliant(self) -> None:
        plan = self.judge(actual="XXXXX")

        assert plan.status == ComplianceStatus.NON_COMPLIANT
        assert "REQUIRED_DAY_MISSED" in problem_codes(plan)

    def test_an_unknown_anchor_day_is_not_missed(self) -> None:
        plan = self.judge(planned="OOOHH", actual="OO")  # Wednesday booked, no check-in, no release: unknown

        assert plan.status == ComplianceStatus.NO_DATA
        assert "REQUIRED_DAY_MISSED" not in problem_codes(plan)

    def test_what_is_wrong_whatever_the_unknown_days_were_stays_non_compliant(self) -> None:
        plan = self.judge(actual="HHH")  # three remote days done: too many, whatever Thursday and Friday were

        assert plan.status == ComplianceStatus.NON_COMPLIANT


class TestHoursPerDay:
    """Perpres 21/2023: Friday has its own hours, in Ramadan too; an overlay starting mid-week sets only its days."""

    ramadan = policy(
        "RAMADAN-HARIAN",
        PolicyLevel.NATIONAL,
        {
            "working_hours": {
                "start": "08:00:00",
                "hours_per_week": 32.5,
                "days": [
                    *({"weekday": n, "start": "08:00:00", "end": "15:00:00", "hours": 6.5} for n in range(4)),
                    {"weekday": 4, "start": "08:00:00", "end": "15:30:00", "hours": 6.5},
                ],
            }
        },
        overlay=True,
        starts=date(2026, 11, 26),  # a Thursday
        ends=date(2026, 12, 31),
    )

    def test_an_overlay_starting_on_thursday_gives_each_day_its_own_hours(self) -> None:
        plan = week(person(), ORDINARY_WEEK, NATIONAL, self.ramadan)

        hours = [(d.hours.start, d.hours.end, d.hours.hours) for d in plan.working_days if d.hours]
        assert hours == [
            (time(7, 30), time(16), 7.5),
            (time(7, 30), time(16), 7.5),
            (time(7, 30), time(16), 7.5),
            (time(8), time(15), 6.5),
            (time(8), time(15, 30), 6.5),
        ]

    def test_a_document_with_weekly_figures_only_still_gives_each_day_a_fifth(self) -> None:
        plan = week(person(), date(2026, 2, 23), NATIONAL, RAMADAN)

        friday = plan.days[FRI].hours
        assert friday is not None and (friday.start, friday.end, friday.hours) == (time(8), time(14, 30), 6.5)
        assert plan.days[5].hours is None  # Saturday is not a working day
