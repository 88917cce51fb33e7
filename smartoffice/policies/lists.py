"""Short lists for people: the policies in force on a day, one's exemption requests, and the requests to recommend
and to decide.

Each is bounded (a cap well above what the data holds) and comes with its rows' people loaded, so the API can
show them without further queries.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.roles import is_admin, managed_unit_roots
from smartoffice.policies.models import Exemption, ExemptionStatus, Policy

MAX_POLICIES = 500
"""Policies in force on one day: a national baseline, a few per agency and unit, some overlays (a few dozen)."""
MAX_EXEMPTIONS = 200


async def policies_in_force(session: AsyncSession, viewer_id: int, day: date) -> Sequence[Policy]:
    """Every policy in force on ``day``, national first, overlays after the base policies of their level.

    Individual policies are about one person (an arrangement is personal data): listed for that person and for
    administrators only.
    """
    query = select(Policy).where(
        Policy.effective_from <= day, or_(Policy.effective_until.is_(None), Policy.effective_until >= day)
    )
    if not await is_admin(session, viewer_id):
        query = query.where(or_(Policy.employee_id.is_(None), Policy.employee_id == viewer_id))
    query = query.order_by(Policy.level, Policy.is_overlay, Policy.effective_from, Policy.id).limit(MAX_POLICIES)
    return (await session.scalars(query)).all()


async def exemptions_of(session: AsyncSession, employee_id: int) -> list[tuple[Exemption, Employee]]:
    """The person's exemption requests, newest first, with the person."""
    rows = await session.execute(
        select(Exemption, Employee)
        .join(Employee, Exemption.employee_id == Employee.id)
        .where(Exemption.employee_id == employee_id)
        .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        .order_by(Exemption.starts_on.desc(), Exemption.id.desc())
        .limit(MAX_EXEMPTIONS)
    )
    return [(exemption, employee) for exemption, employee in rows]


def _managed_units(viewer_id: int) -> Select[Any]:
    """Every unit in the subtrees the viewer is unit manager of (granted, or the head of the unit by position)."""
    managed = managed_unit_roots(viewer_id)
    tree = select(OrgUnit.id).where(OrgUnit.id.in_(managed)).cte("managed", recursive=True)
    tree = tree.union_all(select(OrgUnit.id).join(tree, OrgUnit.parent_id == tree.c.id))
    return select(tree.c.id)


async def exemptions_to_decide(session: AsyncSession, viewer_id: int) -> list[tuple[Exemption, Employee]]:
    """Pending requests the viewer may decide: of people in the units they manage (whole subtrees), everyone's for
    administrators; never their own. Earliest start first."""
    query = (
        select(Exemption, Employee)
        .join(Employee, Exemption.employee_id == Employee.id)
        .where(Exemption.status == ExemptionStatus.PENDING, Exemption.employee_id != viewer_id)
    )
    if not await is_admin(session, viewer_id):
        query = query.where(Employee.org_unit_id.in_(_managed_units(viewer_id)))
    rows = await session.execute(
        query.options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        .order_by(Exemption.starts_on, Exemption.id)
        .limit(MAX_EXEMPTIONS)
    )
    return [(exemption, employee) for exemption, employee in rows]


async def exemptions_to_recommend(session: AsyncSession, viewer_id: int) -> list[tuple[Exemption, Employee]]:
    """Pending requests of the people the viewer directly supervises that have no recommendation yet. Not those the
    viewer decides anyway (a supervisor who heads the unit, an administrator): they are in
    :func:`exemptions_to_decide`. Earliest start first."""
    if await is_admin(session, viewer_id):
        return []
    query = (
        select(Exemption, Employee)
        .join(Employee, Exemption.employee_id == Employee.id)
        .where(
            Exemption.status == ExemptionStatus.PENDING,
            Exemption.recommendation.is_(None),
            Employee.supervisor_id == viewer_id,
            Exemption.employee_id != viewer_id,
            Employee.org_unit_id.not_in(_managed_units(viewer_id)),
        )
    )
    rows = await session.execute(
        query.options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        .order_by(Exemption.starts_on, Exemption.id)
        .limit(MAX_EXEMPTIONS)
    )
    return [(exemption, employee) for exemption, employee in rows]
