"""The anchor-day planner as a service (``runtime.anchor_planner``): plan (a preview that changes nothing) and apply.

Planning reads in one transaction, then solves *off the event loop* (``asyncio.to_thread``: CP-SAT releases the GIL
while it searches), at most :data:`MAX_CONCURRENT_SOLVES` at a time per process, so a plan never stalls the other
requests of the process and a burst of plans queues instead of crowding the cores. Applying is one write
transaction through :func:`smartoffice.policies.anchor_days.set_anchor_days` for each unit whose days change: its
permission (unit managers over the unit, or administrators), date and weekday rules and its audit, all or nothing.
"""

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings import idempotency
from smartoffice.db import Database, utcnow
from smartoffice.errors import CommonPermissionCode, PermissionDenied
from smartoffice.people.models import OrgUnit
from smartoffice.people.roles import is_facilities_manager, manages_unit
from smartoffice.places.models import Building
from smartoffice.planning.anchor_planner.inputs import check_request, load_buildings, load_problem
from smartoffice.planning.anchor_planner.proposal import ApplyRequest, PlanRequest, PlanResult
from smartoffice.planning.anchor_planner.solver import SolverSettings, solve
from smartoffice.planning.errors import PlanningPermissionCode
from smartoffice.policies.anchor_days import set_anchor_days
from smartoffice.policies.models import AnchorDay
from smartoffice.policies.service import POLICY_TIME_ZONE

MAX_CONCURRENT_SOLVES = 2
"""Per process: each solve may use :attr:`SolverSettings.num_workers` threads for up to its time limit."""
ANSWER_SECONDS = 4.5
"""What a plan may take in all (the issue asks for 5 s at IKN scale): the solver gets what reading the demand left,
70 % to search and 30 % to explain an impossible plan, never more than its own settings."""
APPLY_OPERATION = "apply_anchor_day_plan"


class AnchorPlannerService:
    def __init__(
        self, db: Database, clock: Callable[[], datetime] = utcnow, solver_settings: SolverSettings | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.solver_settings = solver_settings or SolverSettings()
        self._solves = asyncio.Semaphore(MAX_CONCURRENT_SOLVES)

    def today(self) -> date:
        """Today in WITA, as for every anchor-day change (:class:`~smartoffice.policies.service.PolicyService`)."""
        return self.clock().astimezone(POLICY_TIME_ZONE).date()

    async def plan(self, actor_id: int, request: PlanRequest) -> PlanResult:
        """The proposed anchor days for the buildings' units: facilities managers of every planned building's site,
        and administrators. Raises InvalidInput, NotFound or PermissionDenied; changes nothing."""
        started = time.perf_counter()
        check_request(request)
        async with self.db.read() as session:
            buildings = await load_buildings(session, request.building_ids)
            await _check_facilities_manager(session, actor_id, buildings)
            problem = await load_problem(session, request, buildings, today=self.today())
        async with self._solves:
            left = max(0.5, ANSWER_SECONDS - (time.perf_counter() - started))
            settings = replace(
                self.solver_settings,
                time_limit_seconds=min(self.solver_settings.time_limit_seconds, 0.7 * left),
                core_time_limit_seconds=min(self.solver_settings.core_time_limit_seconds, 0.3 * left),
            )
            return await asyncio.to_thread(solve, problem, settings)

    async def apply(
        self, actor_id: int, request: ApplyRequest, *, via: str = "api", idempotency_key: str | None = None
    ) -> list[int]:
        """Set the units' anchor days from ``request.effective_from`` on, all or none; the ids of the units whose
        days changed (a unit already on those days, with no later change scheduled, is left alone). With an
        idempotency key, sending the same request again returns the first answer and changes nothing."""
        payload = {
            "unit_weekdays": {str(u): sorted(days) for u, days in sorted(request.unit_weekdays.items())},
            "effective_from": request.effective_from,
        }
        digest = idempotency.request_hash(APPLY_OPERATION, payload)
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        today, now = self.today(), self.clock()
        async with self.db.write() as session:
            if key is not None and (
                stored := await idempotency.stored_result(session, actor_id, key, APPLY_OPERATION, digest)
            ):
                return [int(unit_id) for unit_id in stored["unit_ids"]]
            changed = []
            for unit_id, weekdays in sorted(request.unit_weekdays.items()):
                if await _already(session, unit_id, weekdays, request.effective_from):
                    continue
                await _check_manages(session, actor_id, unit_id)
                await set_anchor_days(
                    session, actor_id, unit_id, sorted(weekdays), request.effective_from, today, now=now, via=via
                )
                changed.append(unit_id)
            if key is not None:
                idempotency.record(session, actor_id, key, APPLY_OPERATION, digest, {"unit_ids": changed})
        return changed


async def _check_facilities_manager(session: AsyncSession, actor_id: int, buildings: Sequence[Building]) -> None:
    for site_id in sorted({b.site_id for b in buildings}):
        if not await is_facilities_manager(session, actor_id, site_id):
            raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)


async def _check_manages(session: AsyncSession, actor_id: int, unit_id: int) -> None:
    """``set_anchor_days`` refuses a unit the actor does not manage; a plan sets many units, so the refusal names
    the unit (a facilities manager applying a plan learns whose manager to ask)."""
    unit = await session.get(OrgUnit, unit_id)
    if unit is not None and not await manages_unit(session, actor_id, unit_id):
        raise PermissionDenied(PlanningPermissionCode.NOT_MANAGER_OF_PLANNED_UNIT, unit=unit.name)


async def _already(session: AsyncSession, unit_id: int, weekdays: frozenset[int], effective_from: date) -> bool:
    """Whether the unit has exactly ``weekdays`` from ``effective_from`` on, open-ended, with nothing scheduled."""
    rows = (
        await session.execute(
            select(AnchorDay.weekday, AnchorDay.effective_from, AnchorDay.effective_until).where(
                AnchorDay.org_unit_id == unit_id,
                AnchorDay.effective_until.is_(None) | (AnchorDay.effective_until >= effective_from),
            )
        )
    ).all()
    return (
        all(start <= effective_from and until is None for _, start, until in rows)
        and {weekday for weekday, _, _ in rows} == set(weekdays)
        and len(rows) == len(weekdays)
    )
