"""SCIM Groups inside a write transaction: name and members, and the roles of everyone whose groups changed."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from scim2_models import Group, InvalidValueException, UniquenessException
from sqlalchemy import delete, select
from sqlalchemy import update as sa_update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor
from smartoffice.scim import accounts
from smartoffice.scim.models import ScimGroup, ScimGroupMember, ScimUser
from smartoffice.scim.users import MAX_TEXT

MAX_MEMBERS_PER_WRITE = 10_000


def group_values(group: ScimGroup, member_ids: Sequence[str]) -> dict[str, Any]:
    return {
        "scim_id": group.scim_id,
        "display_name": group.display_name,
        "external_id": group.external_id,
        "members": sorted(member_ids),
    }


Member = tuple[ScimUser, str | None]
"""A member and the ``display`` the provider gave it."""


async def members_of(session: AsyncSession, group_ids: Sequence[int]) -> dict[int, list[Member]]:
    """The live members of each group, in one query."""
    found: dict[int, list[Member]] = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return found
    rows = await session.execute(
        select(ScimGroupMember.group_id, ScimUser, ScimGroupMember.display)
        .join(ScimUser, ScimUser.id == ScimGroupMember.user_id)
        .where(ScimGroupMember.group_id.in_(group_ids), ScimUser.deleted_at.is_(None))
        .order_by(ScimUser.id)
    )
    for group_id, user, display in rows.tuples():
        found[group_id].append((user, display))
    return found


def _name(resource: Group) -> str:
    name = (resource.display_name or "").strip()
    if not name:
        raise InvalidValueException(detail="displayName is required")
    if len(name) > MAX_TEXT:
        raise InvalidValueException(detail=f"displayName is longer than {MAX_TEXT} characters")
    return name


async def _check_unique(session: AsyncSession, name: str, own_id: int | None) -> None:
    query = select(ScimGroup.id).where(ScimGroup.display_name_key == name.lower())
    if own_id is not None:
        query = query.where(ScimGroup.id != own_id)
    if await session.scalar(query) is not None:
        raise UniquenessException(detail="another group has this displayName")


async def _wanted_members(session: AsyncSession, resource: Group) -> dict[int, Member]:
    displays = {m.value: (m.display or "").strip()[:MAX_TEXT] or None for m in resource.members or [] if m.value}
    ids = set(displays)
    if not ids:
        return {}
    if len(ids) > MAX_MEMBERS_PER_WRITE:
        raise InvalidValueException(detail=f"at most {MAX_MEMBERS_PER_WRITE} members per request")
    for member in resource.members or []:
        if member.type not in (None, "User"):
            raise InvalidValueException(detail="groups hold users only, not other groups")
    users = (
        await session.scalars(select(ScimUser).where(ScimUser.scim_id.in_(ids), ScimUser.deleted_at.is_(None)))
    ).all()
    unknown = ids - {u.scim_id for u in users}
    if unknown:
        raise InvalidValueException(detail=f"no user with id {sorted(unknown)[0]}")
    return {u.id: (u, displays[u.scim_id]) for u in users}


async def create(session: AsyncSession, resource: Group, actor: Actor, now: datetime) -> ScimGroup:
    name = _name(resource)
    await _check_unique(session, name, None)
    wanted = await _wanted_members(session, resource)
    group = ScimGroup(
        scim_id=str(uuid.uuid4()),
        display_name=name,
        display_name_key=name.lower(),
        external_id=(resource.external_id or "").strip()[:MAX_TEXT] or None,
        created_at=now,
        updated_at=now,
    )
    session.add(group)
    await session.flush()
    session.add_all(ScimGroupMember(group_id=group.id, user_id=u, display=d) for u, (_, d) in wanted.items())
    await accounts.sync_roles(session, [user for user, _ in wanted.values()], actor)
    return group


async def update(session: AsyncSession, group: ScimGroup, resource: Group, actor: Actor, now: datetime) -> None:
    """Write ``resource`` over the group (a PUT, or the result of a PATCH); everyone who joined, left, or (on a
    rename) stayed gets their roles synced."""
    name = _name(resource)
    await _check_unique(session, name, group.id)
    wanted = await _wanted_members(session, resource)
    current = (await members_of(session, [group.id]))[group.id]
    held = {u.id: (u, display) for u, display in current}
    renamed = name != group.display_name
    group.display_name, group.display_name_key = name, name.lower()
    group.external_id = (resource.external_id or "").strip()[:MAX_TEXT] or None
    group.updated_at = now
    gone = [user_id for user_id in held if user_id not in wanted]
    if gone:
        await session.execute(
            delete(ScimGroupMember).where(ScimGroupMember.group_id == group.id, ScimGroupMember.user_id.in_(gone))
        )
    session.add_all(
        ScimGroupMember(group_id=group.id, user_id=u, display=d) for u, (_, d) in wanted.items() if u not in held
    )
    for user_id, (_, display) in wanted.items():
        if user_id in held and held[user_id][1] != display:
            await session.execute(
                sa_update(ScimGroupMember)
                .where(ScimGroupMember.group_id == group.id, ScimGroupMember.user_id == user_id)
                .values(display=display)
            )
    changed = [held[u][0] for u in gone] + [user for u, (user, _) in wanted.items() if u not in held]
    if renamed:
        changed += [user for u, (user, _) in wanted.items() if u in held]
    await accounts.sync_roles(session, changed, actor)


async def delete_group(session: AsyncSession, group: ScimGroup, actor: Actor) -> list[str]:
    members = (await members_of(session, [group.id]))[group.id]
    await session.execute(delete(ScimGroupMember).where(ScimGroupMember.group_id == group.id))
    await session.delete(group)
    await accounts.sync_roles(session, [user for user, _ in members], actor)
    return [user.scim_id for user, _ in members]
