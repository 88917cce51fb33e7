"""The unit heads' Monday digest: last week's compliance of each unit they head or manage, at a glance.

**When.** From Monday 07:00 until the end of Tuesday in the recipient's zone (their home building's, else
:data:`~smartoffice.notifications.produce.DEFAULT_ZONE`), about the week that ended the day before. Tuesday too,
so that a server down on Monday morning still sends it when it is back; later than that, last week's numbers are
old news. One digest per recipient, unit and week (dedupe ``digest:<unit id>:<monday>``): the job runs every few
minutes in every process, and whatever a run did not finish the next one does.

**Who, about what.** Each head of a unit by position and each granted unit manager of it
(:mod:`smartoffice.people.roles`), about that unit: its whole subtree, as its compliance page shows it. A manager
of a subtree gets one digest per unit they directly head or were granted, not one per unit below it: the subtree's
numbers are in the one digest, and the page splits them by sub-unit. Administrators as such get none.

**The numbers** are the compliance page's: :func:`smartoffice.policies.weeks.unit_week` (the function behind
``/units/<id>/compliance`` and ``unitCompliance``), judged as of today, for last week. ``members`` are the rows of
that page, ``compliant`` those COMPLIANT, ``notCompliant`` those NON_COMPLIANT (or AT_RISK, which a finished week
cannot really be); the rest are NO_DATA (the attendance source said nothing of their days). ``lines`` are the
page's rows worst first (not compliant, then no data, then compliant; by name within each), at most
:data:`MAX_LINES`: ``required`` is the office days the week needed, ``attended`` the office days counted.

Units are computed :data:`UNIT_BATCH` at a time in a read transaction, and their digests made in a short write
transaction after each batch. The cost is the compliance page's for each unit (the engine judges each member's
week from their attendance, so people cannot share a plan as the Friday reminder's do): a person in a unit four
levels deep is judged four times, once per digest that counts them.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Database
from smartoffice.errors import NotFound, PermissionDenied
from smartoffice.notifications.kinds import UnitDigestFacts, UnitMemberLine
from smartoffice.notifications.models import Notification, NotificationKind, NotificationPreference
from smartoffice.notifications.produce import DEFAULT_ZONE, Draft, notify
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.people.roles import heads_by_position
from smartoffice.places.models import Building
from smartoffice.policies import weeks
from smartoffice.policies.engine import ComplianceStatus, monday_of
from smartoffice.policies.service import POLICY_TIME_ZONE

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

log = logging.getLogger(__name__)

KIND = NotificationKind.UNIT_DIGEST
DIGEST_AT = time(7, 0)
"""Local time on Monday from which the digest is made."""
LAST_WEEKDAY = 1
"""Tuesday: the last day it is still made."""
MAX_LINES = 20
UNIT_BATCH = 20
CHUNK = 500
WORST_FIRST = {
    ComplianceStatus.NON_COMPLIANT: 0,
    ComplianceStatus.AT_RISK: 1,
    ComplianceStatus.NO_DATA: 2,
    ComplianceStatus.COMPLIANT: 3,
}


def dedupe_key(unit_id: int, monday: date) -> str:
    return f"digest:{unit_id}:{monday.isoformat()}"


def week_to_digest(now: datetime, zone: str) -> date | None:
    """The Monday of the week to digest for recipients in ``zone`` at ``now``, or None outside Monday 07:00 to
    the end of Tuesday."""
    local = now.astimezone(ZoneInfo(zone))
    weekday = local.weekday()
    if (weekday == 0 and local.time() >= DIGEST_AT) or 0 < weekday <= LAST_WEEKDAY:
        return monday_of(local.date()) - timedelta(weeks=1)
    return None


async def send_unit_digests(db: Database, now: datetime) -> int:
    """Make the unit digests due at ``now``; returns how many notifications were made."""
    today = now.astimezone(POLICY_TIME_ZONE).date()  # the day weeks are judged on, as the compliance page's
    tried: set[tuple[int, date]] = set()
    made = 0
    while True:
        # What is pending is read again before each batch: another process running the job at the same time
        # skips the units it has done (computing a large unit's week is the expensive part).
        async with db.read() as session:
            pending = await _pending(session, now)
            batch = [unit_week for unit_week in sorted(pending) if unit_week not in tried][:UNIT_BATCH]
            drafts: list[Draft] = []
            for unit_week in batch:
                drafts += await _digest(session, unit_week, pending[unit_week], today)
        if not batch:
            return made
        tried.update(batch)
        if drafts:
            async with db.write() as session:
                made += await notify(session, drafts, now)


async def _pending(session: AsyncSession, now: datetime) -> dict[tuple[int, date], list[int]]:
    """``(unit id, monday) → recipients`` still to get the digest at ``now``: heads and managers of the unit, in
    their digest window, who do not have it yet and have not turned the kind off."""
    recipients = await _recipients(session)
    turned_off = set(
        await session.scalars(
            select(NotificationPreference.employee_id).where(
                NotificationPreference.kind == KIND,
                NotificationPreference.email.is_(False),
                NotificationPreference.in_app.is_(False),
            )
        )
    )
    wanted: dict[tuple[int, str], tuple[int, date]] = {}
    for employee_id, unit_id, zone in recipients:
        monday = week_to_digest(now, zone)
        if monday is not None and employee_id not in turned_off:
            wanted[employee_id, dedupe_key(unit_id, monday)] = (unit_id, monday)
    have = await _existing(session, set(wanted))
    pending: dict[tuple[int, date], list[int]] = defaultdict(list)
    for (employee_id, key), unit_week in sorted(wanted.items()):
        if (employee_id, key) not in have:
            pending[unit_week].append(employee_id)
    return pending


async def _recipients(session: AsyncSession) -> list[tuple[int, int, str]]:
    """``(employee id, unit id, zone)`` of every active head by position and granted unit manager."""
    heads = heads_by_position().subquery()
    managers = union(
        select(heads.c.id.label("employee_id"), heads.c.org_unit_id.label("unit_id")),
        select(RoleAssignment.employee_id, RoleAssignment.org_unit_id).where(
            RoleAssignment.role == Role.UNIT_MANAGER, RoleAssignment.org_unit_id.is_not(None)
        ),
    ).subquery("managers")
    rows = await session.execute(
        select(managers.c.employee_id, managers.c.unit_id, Building.time_zone)
        .join(Employee, Employee.id == managers.c.employee_id)
        .outerjoin(Building, Building.id == Employee.home_building_id)
        .where(Employee.active.is_(True))
    )
    return [(employee_id, unit_id, zone or DEFAULT_ZONE) for employee_id, unit_id, zone in rows]


async def _existing(session: AsyncSession, wanted: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Those of ``wanted`` (recipient, dedupe key) that exist already."""
    ids = sorted({employee_id for employee_id, _ in wanted})
    keys = sorted({key for _, key in wanted})
    have: set[tuple[int, str]] = set()
    for start in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(Notification.recipient_id, Notification.dedupe_key).where(
                Notification.recipient_id.in_(ids[start : start + CHUNK]), Notification.dedupe_key.in_(keys)
            )
        )
        have.update((recipient, key) for recipient, key in rows if (recipient, key) in wanted)
    return have


async def _digest(
    session: AsyncSession, unit_week: tuple[int, date], recipients: Sequence[int], today: date
) -> list[Draft]:
    unit_id, monday = unit_week
    try:  # as the first recipient would see it on the compliance page (they manage the unit)
        week = await weeks.unit_week(session, recipients[0], unit_id, monday, today)
    except (NotFound, PermissionDenied):  # the unit or the role went since the recipients were read
        log.info("unit digest: unit %s is gone or no longer managed by %s", unit_id, recipients[0])
        return []
    facts = digest_facts(week)
    return [
        Draft(recipient_id=employee_id, kind=KIND, dedupe_key=dedupe_key(unit_id, monday), data=dict(facts))
        for employee_id in recipients
    ]


def digest_facts(week: weeks.UnitWeek) -> UnitDigestFacts:
    """The digest of a unit's week as :func:`~smartoffice.policies.weeks.unit_week` judged it."""
    counts = Counter(plan.status for _, plan in week.weeks)
    worst_first = sorted(
        week.weeks, key=lambda row: (WORST_FIRST.get(row[1].status, 2), row[0].name.casefold(), row[0].id)
    )
    return UnitDigestFacts(
        unitId=week.unit.id,
        unitName=week.unit.name,
        weekStart=week.monday.isoformat(),
        members=len(week.weeks),
        compliant=counts[ComplianceStatus.COMPLIANT],
        notCompliant=counts[ComplianceStatus.NON_COMPLIANT] + counts[ComplianceStatus.AT_RISK],
        lines=[
            UnitMemberLine(
                personName=employee.name,
                required=plan.office_days_needed,
                attended=plan.office_days,
                compliant=plan.status == ComplianceStatus.COMPLIANT,
            )
            for employee, plan in worst_first[:MAX_LINES]
        ],
    )


async def run_unit_digests(runtime: "Runtime") -> int:
    """The periodic job; returns how many notifications it made."""
    return await send_unit_digests(runtime.db, runtime.clock())
