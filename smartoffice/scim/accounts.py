"""What a SCIM account means for the person it signs in as: linking it to an employee, deprovisioning (tokens
revoked here, login sessions ended after the commit), and keeping the person's identity-provider roles what their
groups give (:func:`smartoffice.identity.idp_roles.sync_idp_roles`).

Deprovisioning does not deactivate the employee as a leaver: whether someone still works here is the HR
import's word (``Employee.active``); the identity provider only says whether this account may sign in. While the
account is inactive, sign-in of any kind is refused (:func:`smartoffice.identity.accounts.sign_in_refusal`) and a
login session no longer counts, even one Redis failed to end.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.identity.idp_roles import sync_idp_roles
from smartoffice.identity.models import ApiToken
from smartoffice.people.models import Employee
from smartoffice.scim.models import ScimGroup, ScimGroupMember, ScimUser


async def matching_employee(session: AsyncSession, employee_number: str | None, emails: Sequence[str]) -> int | None:
    """The employee an account names: by NIP (the enterprise ``employeeNumber``), else by one of its emails."""
    if employee_number:
        found = await session.scalar(select(Employee.id).where(Employee.nip == employee_number.strip()))
        if found is not None:
            return int(found)
    lowered = [e.strip().lower() for e in emails if e.strip()]
    if not lowered:
        return None
    found = await session.scalar(select(Employee.id).where(func.lower(Employee.email).in_(lowered)).limit(1))
    return None if found is None else int(found)


async def holder_of(session: AsyncSession, employee_id: int) -> ScimUser | None:
    """The live SCIM account already linked to the employee, if any (one per person). A deleted account that
    still holds the link lets it go here, for the new account to take it over."""
    holder = await session.scalar(select(ScimUser).where(ScimUser.employee_id == employee_id))
    if holder is not None and holder.deleted_at is not None:
        holder.employee_id = None
        await session.flush()
        return None
    return holder


async def revoke_tokens(session: AsyncSession, employee_id: int, now: datetime) -> int:
    """Revoke every active app token of the person; returns how many."""
    result = await session.execute(
        update(ApiToken)
        .where(ApiToken.owner_id == employee_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def group_names(session: AsyncSession, user_id: int) -> list[str]:
    rows = await session.scalars(
        select(ScimGroup.display_name)
        .join(ScimGroupMember, ScimGroupMember.group_id == ScimGroup.id)
        .where(ScimGroupMember.user_id == user_id)
        .order_by(ScimGroup.display_name)
    )
    return list(rows)


async def sync_roles(session: AsyncSession, users: Iterable[ScimUser], actor: Actor) -> None:
    """Each linked account's person gets the roles its groups map to; an inactive account's person none."""
    await session.flush()
    for user in users:
        if user.employee_id is None:
            continue
        names = await group_names(session, user.id) if user.active is not False else []
        await sync_idp_roles(session, user.employee_id, names, actor)


async def unlink_roles(session: AsyncSession, employee_id: int, actor: Actor) -> None:
    """The person no longer signs in through this account (deleted, or relinked): no identity-provider roles."""
    await sync_idp_roles(session, employee_id, [], actor)


async def link_pending(session: AsyncSession, actor: Actor, now: datetime) -> list[int]:
    """Link unlinked accounts to the employees that now match them (for the people import to call after it
    brought new people, in its transaction); returns the ids of the employees linked. Each link is audited
    (``scim_user.link``); the person's roles follow the account's groups, and an account the provider had
    deactivated keeps them from signing in from then on."""
    unlinked = select(ScimUser).where(ScimUser.employee_id.is_(None), ScimUser.deleted_at.is_(None))
    pending = (await session.scalars(unlinked)).all()
    linked: list[ScimUser] = []
    for user in pending:
        emails = [str(e.get("value") or "") for e in user.emails]
        employee_id = await matching_employee(session, user.employee_number, emails)
        if employee_id is None or await holder_of(session, employee_id) is not None:
            continue
        user.employee_id = employee_id
        await session.flush()
        linked.append(user)
        record_change(
            session,
            actor,
            "scim_user.link",
            at=now,
            entity_kind="ScimUser",
            entity_id=user.id,
            before={"employee_id": None},
            after={"scim_id": user.scim_id, "employee_id": employee_id},
        )
    await sync_roles(session, linked, actor)
    return [u.employee_id for u in linked if u.employee_id is not None]
