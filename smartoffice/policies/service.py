"""Office-day policies for people and apps: :class:`PolicyService`, one per process, owns their transactions.

Each method opens one transaction (a read for an answer, a write for a change) and does its work with the functions
that run inside one: :mod:`~smartoffice.policies.weeks` (a person's week, a unit's compliance),
:mod:`~smartoffice.policies.work_days` (plans and attendance), :mod:`~smartoffice.policies.exemptions`,
:mod:`~smartoffice.policies.anchor_days`, :mod:`~smartoffice.policies.policy_changes` and
:mod:`~smartoffice.policies.lists`. They check who may act and raise domain errors; a write that raises changes
nothing; the changes a manager or an administrator makes are audited in the same transaction. ``via`` (default
``api``) says through what a change came, as ``AuditEntry.via`` records it: the pages pass ``page``.

"Today" is the date in WITA by the runtime's clock: the policies are national, and IKN's offices keep WITA.
"""

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings import idempotency
from smartoffice.db import Database, utcnow
from smartoffice.people import service as people
from smartoffice.people.models import OrgUnit
from smartoffice.policies import anchor_days, exemptions, lists, policy_changes, remote_locations, weeks, work_days
from smartoffice.policies import catalogue as catalogues
from smartoffice.policies import preview as previews
from smartoffice.policies import unit_days as unit_reports
from smartoffice.policies import unit_trend as unit_trends
from smartoffice.policies import week_history as week_histories
from smartoffice.policies.evidence import EvidenceFile
from smartoffice.policies.exemptions import ExemptionCase, ExemptionDetails, ExemptionRequest
from smartoffice.policies.models import (
    AnchorDay,
    Exemption,
    ExemptionEvidence,
    LocationKind,
    Policy,
    WorkDay,
    WorkMode,
)
from smartoffice.policies.policy_changes import PolicyDraft
from smartoffice.policies.shared_facts import PolicyFacts, PolicyFactsView
from smartoffice.policies.weeks import MyWeek, UnitWeek

POLICY_TIME_ZONE = ZoneInfo("Asia/Makassar")
"""Weeks and "today" for policies are in the capital's time zone (WITA)."""


@dataclass(frozen=True, slots=True)
class WeekOverview:
    """A person's week and where the week page links to, read in one transaction."""

    week: MyWeek
    home_floor_id: int | None
    """Where "book a desk" points: the floor of the hot-desk zone nearest the person's unit (None: no zone)."""
    managed_units: Sequence[OrgUnit]
    """The units whose compliance the viewer monitors."""
    has_team: bool = False
    """The viewer supervises someone directly (their team's weeks: ``/team/compliance``)."""


class PolicyService:
    def __init__(
        self, db: Database, clock: Callable[[], datetime] = utcnow, *, facts: PolicyFacts | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.facts = facts
        """The process's cache of policies, calendar and unit facts (:mod:`~smartoffice.policies.shared_facts`);
        None: every week reads them from SQL."""

    async def _shared(self) -> PolicyFactsView | None:
        """The cached facts at the version read now: before the request's SQL (see ``policies/cache.py``)."""
        return await self.facts.view() if self.facts is not None else None

    def today(self) -> date:
        """Today in WITA: the day weeks are judged on, and before which plans can no longer change."""
        return self.clock().astimezone(POLICY_TIME_ZONE).date()

    # weeks

    async def my_week(self, actor_id: int, employee_id: int, week_of: date | None = None) -> MyWeek:
        """The week holding ``week_of`` (default: this week) of a person the actor may see (see
        :func:`~smartoffice.policies.weeks.can_see_week`). Raises NotFound, PermissionDenied or InvalidInput."""
        today = self.today()
        shared = await self._shared()
        async with self.db.read() as session:
            return await weeks.my_week(session, actor_id, employee_id, week_of or today, today, shared)

    async def week_overview(self, actor_id: int, employee_id: int, week_of: date | None = None) -> WeekOverview:
        """:meth:`my_week` with the floors its links lead to and the units the actor monitors (the week page)."""
        today = self.today()
        shared = await self._shared()
        async with self.db.read() as session:
            week = await weeks.my_week(session, actor_id, employee_id, week_of or today, today, shared)
            home_floor = await weeks.home_floor_id(session, week.plan.person.unit_path)
            managed = await weeks.units_managed_by(session, actor_id)
            has_team = await weeks.supervises_anyone(session, actor_id)
        return WeekOverview(week, home_floor, managed, has_team)

    async def unit_week(self, actor_id: int, unit_id: int, week_of: date | None = None) -> UnitWeek:
        """Compliance of a unit's subtree for the week holding ``week_of`` (default: this week): unit managers over
        it and administrators. Raises NotFound, PermissionDenied or InvalidInput."""
        today = self.today()
        async with self.db.read() as session:
            return await weeks.unit_week(session, actor_id, unit_id, week_of or today, today)

    # lists

    async def policies_in_force(self, actor_id: int, day: date | None = None) -> Sequence[Policy]:
        """The policies in force on ``day`` (default: today) that the actor may see, national first."""
        async with self.db.read() as session:
            return await lists.policies_in_force(session, actor_id, day or self.today())

    async def policies_by_id(self, ids: Sequence[int]) -> dict[int, Policy]:
        """The policies with these ids that exist, in one query (for a DataLoader's batch)."""
        async with self.db.read() as session:
            return {row.id: row for row in await session.scalars(select(Policy).where(Policy.id.in_(ids)))}

    async def exemptions_of(self, employee_id: int) -> list[ExemptionDetails]:
        async with self.db.read() as session:
            return await exemptions.with_details(session, await lists.exemptions_of(session, employee_id))

    async def exemptions_to_decide(self, actor_id: int) -> list[ExemptionDetails]:
        async with self.db.read() as session:
            return await exemptions.with_details(session, await lists.exemptions_to_decide(session, actor_id))

    async def exemptions_to_recommend(self, actor_id: int) -> list[ExemptionDetails]:
        async with self.db.read() as session:
            return await exemptions.with_details(session, await lists.exemptions_to_recommend(session, actor_id))

    async def exemption(self, actor_id: int, exemption_id: int) -> ExemptionDetails:
        """One request, for the person, their direct supervisor, a unit manager over them or an admin (NotFound
        for anyone else)."""
        async with self.db.read() as session:
            return await exemptions.visible_exemption(session, actor_id, exemption_id)

    async def exemption_case(self, actor_id: int, exemption_id: int) -> ExemptionCase:
        """:meth:`exemption` with what the actor may do to it now (withdraw, recommend, decide)."""
        async with self.db.read() as session:
            return await exemptions.exemption_case(session, actor_id, exemption_id)

    async def exemption_queue(self, actor_id: int) -> tuple[list[ExemptionDetails], list[ExemptionDetails]]:
        """The requests waiting for the actor's recommendation, and those waiting for their decision."""
        async with self.db.read() as session:
            to_recommend = await lists.exemptions_to_recommend(session, actor_id)
            to_decide = await lists.exemptions_to_decide(session, actor_id)
            return (
                await exemptions.with_details(session, to_recommend),
                await exemptions.with_details(session, to_decide),
            )

    async def exemption_evidence(self, actor_id: int, exemption_id: int) -> ExemptionEvidence:
        """A request's evidence file with its bytes, for whoever may see the request (NotFound otherwise)."""
        async with self.db.read() as session:
            return await exemptions.evidence_file(session, actor_id, exemption_id)

    # changes

    async def set_work_plan(
        self,
        actor_id: int,
        employee_id: int,
        day: date,
        mode: WorkMode | None,
        *,
        location_kind: LocationKind | None = None,
        location_detail: str | None = None,
    ) -> WorkDay | None:
        """Plan a day from today on, or clear its plan (``mode`` None); None when the day then holds nothing.
        A remote day says where it is worked (``location_kind``, ``location_detail``). Raises PolicyRefusal for a
        remote day or a place the policies forbid (see :func:`work_days.set_work_day`)."""
        async with self.db.write() as session:
            return await work_days.set_work_day(
                session,
                actor_id,
                employee_id,
                day,
                self.today(),
                planned=mode,
                location_kind=location_kind,
                location_detail=location_detail,
            )

    async def record_attendance(
        self, actor_id: int, employee_id: int, day: date, mode: WorkMode | None
    ) -> WorkDay | None:
        async with self.db.write() as session:
            return await work_days.record_attendance(session, actor_id, employee_id, day, mode)

    async def request_exemption(
        self,
        actor_id: int,
        request: ExemptionRequest,
        evidence_file: EvidenceFile | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> ExemptionDetails:
        """The new request (with a checked evidence file, if any). A resent form with the same idempotency key
        answers the request the first one made, without a second one."""
        file_hash = evidence_file.sha256 if evidence_file is not None else None
        operation = "request_exemption"
        digest = idempotency.request_hash(operation, {"request": asdict(request), "file": file_hash})
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        async with self.db.write() as session:
            stored = key and await idempotency.stored_result(session, actor_id, key, operation, digest)
            if stored:
                return await exemptions.visible_exemption(session, actor_id, int(stored["exemption_id"]))
            exemption = await exemptions.request_exemption(
                session, actor_id, request, self.today(), self.clock(), evidence_file
            )
            if key is not None:
                idempotency.record(session, actor_id, key, operation, digest, {"exemption_id": exemption.id})
            return await self._details(session, exemption)

    async def withdraw_exemption(self, actor_id: int, exemption_id: int, *, via: str = "api") -> ExemptionDetails:
        async with self.db.write() as session:
            exemption = await exemptions.withdraw_exemption(session, actor_id, exemption_id, now=self.clock(), via=via)
            return await self._details(session, exemption)

    async def recommend_exemption(
        self, actor_id: int, exemption_id: int, *, recommend: bool, note: str | None, via: str = "api"
    ) -> ExemptionDetails:
        async with self.db.write() as session:
            exemption = await exemptions.recommend_exemption(
                session, actor_id, exemption_id, recommend=recommend, note=note, now=self.clock(), via=via
            )
            return await self._details(session, exemption)

    async def decide_exemption(
        self,
        actor_id: int,
        exemption_id: int,
        *,
        approve: bool,
        note: str | None,
        overrides_discipline: bool = False,
        via: str = "api",
    ) -> ExemptionDetails:
        """The decided request, its person (with their unit and organisation) and what is shown beside it."""
        async with self.db.write() as session:
            exemption = await exemptions.decide_exemption(
                session,
                actor_id,
                exemption_id,
                approve=approve,
                note=note,
                now=self.clock(),
                overrides_discipline=overrides_discipline,
                via=via,
            )
            return await self._details(session, exemption)

    @staticmethod
    async def _details(session: AsyncSession, exemption: Exemption) -> ExemptionDetails:
        employee = await people.get_employee(session, exemption.employee_id)
        return (await exemptions.with_details(session, [(exemption, employee)]))[0]

    async def set_anchor_days(
        self, actor_id: int, unit_id: int, weekdays: Sequence[int], effective_from: date, *, via: str = "api"
    ) -> list[AnchorDay]:
        """Replace a unit's anchor days (weekday numbers, 0 = Monday) from ``effective_from`` on."""
        async with self.db.write() as session:
            return await anchor_days.set_anchor_days(
                session, actor_id, unit_id, list(weekdays), effective_from, self.today(), now=self.clock(), via=via
            )

    async def create_policy(self, actor_id: int, draft: PolicyDraft, *, via: str = "api") -> Policy:
        async with self.db.write() as session:
            return await policy_changes.create_policy(session, actor_id, draft, self.clock(), via=via)

    async def end_policy(self, actor_id: int, policy_id: int, last_day: date, *, via: str = "api") -> Policy:
        async with self.db.write() as session:
            return await policy_changes.end_policy(session, actor_id, policy_id, last_day, now=self.clock(), via=via)

    # a unit's head (and a direct supervisor): reports beside the week's compliance

    async def unit_report(
        self, actor_id: int, unit_id: int, week_of: date | None = None, within: int | None = None
    ) -> unit_reports.UnitReport:
        """:meth:`unit_week`, for the subtree of ``within`` (a unit below ``unit_id``, or itself) when given, with
        the units of ``unit_id``'s subtree (the compliance page's filter)."""
        today = self.today()
        async with self.db.read() as session:
            return await unit_reports.unit_report(session, actor_id, unit_id, week_of or today, today, within)

    async def unit_scope(self, actor_id: int, unit_id: int, within: int | None = None) -> unit_reports.UnitScope:
        """A unit the actor manages and the units of its subtree (``within``, if given, must be one of them)."""
        async with self.db.read() as session:
            return await unit_reports.unit_scope(session, actor_id, unit_id, within)

    async def unit_trend(
        self, actor_id: int, unit_id: int, week_of: date | None = None, count: int = unit_trends.DEFAULT_TREND_WEEKS
    ) -> unit_trends.UnitTrend:
        """The statuses of a unit's subtree over ``count`` weeks up to the one holding ``week_of`` (default: this
        week): unit managers over it and administrators."""
        today = self.today()
        async with self.db.read() as session:
            return await unit_trends.unit_trend(session, actor_id, unit_id, week_of or today, count, today)

    async def unit_day(self, actor_id: int, unit_id: int, day: date | None = None) -> unit_reports.UnitDay:
        """Who of a unit's subtree is in the office on ``day`` (default: today), remote, away or without a plan."""
        today = self.today()
        async with self.db.read() as session:
            return await unit_reports.unit_day(session, actor_id, unit_id, day or today, today)

    async def anchor_schedule(self, actor_id: int, unit_id: int) -> unit_reports.AnchorSchedule:
        async with self.db.read() as session:
            return await unit_reports.anchor_schedule(session, actor_id, unit_id, self.today())

    async def team_week(self, actor_id: int, week_of: date | None = None) -> unit_reports.TeamWeek:
        """The weeks of the actor's direct reports (their direct supervisor sees them, as on My week)."""
        today = self.today()
        async with self.db.read() as session:
            return await unit_reports.team_week(session, actor_id, week_of or today, today)

    # the policy pages for HR and unit managers (/admin/policies)

    async def policy_catalogue(
        self,
        actor_id: int,
        day: date | None = None,
        *,
        level: int | None = None,
        organisation_id: int | None = None,
    ) -> catalogues.PolicyCatalogue:
        """The policies the actor may see (see :mod:`~smartoffice.policies.catalogue`) in force on ``day`` (default:
        today), upcoming and recently ended, with their scope's names and whether the actor may end each."""
        async with self.db.read() as session:
            return await catalogues.catalogue(
                session, actor_id, day or self.today(), level=level, organisation_id=organisation_id
            )

    async def policy_form_choices(self, actor_id: int) -> catalogues.FormChoices:
        async with self.db.read() as session:
            return await catalogues.form_choices(session, actor_id)

    async def policy_row(self, actor_id: int, policy_id: int) -> catalogues.PolicyRow:
        """One policy with its scope's names, if the actor may see it in the catalogue; else NotFound."""
        async with self.db.read() as session:
            return await catalogues.visible_row(session, actor_id, policy_id)

    async def employee_id_by_nip(self, nip: str) -> int | None:
        """The employee with this NIP (the policy form names a person by it), if any."""
        async with self.db.read() as session:
            return await catalogues.employee_id_by_nip(session, nip)

    async def preview_policy(self, actor_id: int, draft: PolicyDraft) -> previews.PolicyPreview:
        """Whom a new policy covers and how their weeks change; refuses what :meth:`create_policy` refuses."""
        async with self.db.read() as session:
            return await previews.preview_new(session, actor_id, draft)

    async def preview_end_policy(self, actor_id: int, policy_id: int, last_day: date) -> previews.PolicyPreview:
        """Whom ending a policy after ``last_day`` affects and how; refuses what :meth:`end_policy` refuses."""
        async with self.db.read() as session:
            return await previews.preview_end(session, actor_id, policy_id, last_day)

    async def create_policy_once(
        self, actor_id: int, draft: PolicyDraft, *, via: str = "api", idempotency_key: str | None = None
    ) -> Policy:
        """:meth:`create_policy`, once per idempotency key: the same form sent again returns the policy it made."""
        if idempotency_key is None:
            return await self.create_policy(actor_id, draft, via=via)
        key = idempotency.check_key(idempotency_key)
        operation, digest = "create_policy", idempotency.request_hash("create_policy", draft)
        async with self.db.write() as session:
            stored = await idempotency.stored_result(session, actor_id, key, operation, digest)
            if stored is not None:
                return await session.get_one(Policy, int(stored["policy_id"]))
            policy = await policy_changes.create_policy(session, actor_id, draft, self.clock(), via=via)
            idempotency.record(session, actor_id, key, operation, digest, {"policy_id": policy.id})
            return policy

    # where remote days are worked, and past weeks (the employee's week pages)

    async def week_overview_with_locations(
        self, actor_id: int, employee_id: int, week_of: date | None = None
    ) -> tuple[WeekOverview, dict[date, remote_locations.Location]]:
        """:meth:`week_overview` (who may see it is checked there) and where each remote day of it is planned."""
        overview = await self.week_overview(actor_id, employee_id, week_of)
        return overview, dict(overview.week.locations)

    async def week_history(
        self, actor_id: int, employee_id: int, count: int = week_histories.DEFAULT_WEEKS
    ) -> week_histories.WeekHistory:
        """The ``count`` weeks before this one of a person the actor may see, newest first, each judged by the
        engine (:mod:`~smartoffice.policies.week_history`). Raises NotFound or PermissionDenied."""
        async with self.db.read() as session:
            return await week_histories.week_history(session, actor_id, employee_id, self.today(), count)
