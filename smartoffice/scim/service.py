"""SCIM's units of work: each method one transaction (a write audited in it, as ``scim:<token id>`` acting for
the token's owner), answering scim2-models resources. Errors are scim2-models' ``SCIMException``s; a refused
write rolls back whole. Login sessions of people deprovisioned end after the commit (Redis is not transactional;
until they end, :func:`smartoffice.identity.accounts.session_is_live` already refuses them)."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis.exceptions import RedisError
from scim2_models import ForbiddenException, Group, NotFoundException, PatchOp, Resource, UniquenessException
from sqlalchemy import func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import MAX_PAGE_SIZE, Database
from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SessionStore
from smartoffice.people import roles
from smartoffice.scim import groups, users
from smartoffice.scim.filters import group_condition, user_condition
from smartoffice.scim.models import ScimGroup, ScimGroupMember, ScimUser
from smartoffice.scim.resources import group_resource, user_resource

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    start_index: int
    resources: list[Resource[Any]]


def _page_bounds(start_index: int | None, count: int | None) -> tuple[int, int]:
    """RFC 7644 §3.4.2.4: a ``startIndex`` below 1 is 1, a negative ``count`` is 0; we cap ``count``."""
    start = max(1, start_index or 1)
    size = MAX_PAGE_SIZE if count is None else max(0, min(count, MAX_PAGE_SIZE))
    return start, size


class ScimService:
    def __init__(self, db: Database, sessions: SessionStore, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.sessions = sessions
        self.clock = clock

    async def authorize(self, owner_id: int, token_id: int | None, scopes: frozenset[Scope]) -> Actor:
        """The actor of a SCIM request: a token with the ``scim`` scope whose owner is an administrator."""
        if Scope.SCIM not in scopes:
            raise ForbiddenException(detail="this token lacks the 'scim' scope")
        async with self.db.read() as session:
            if not await roles.is_admin(session, owner_id):
                raise ForbiddenException(detail="the token's owner is not an administrator")
        return Actor(owner_id, f"scim:{token_id}")

    # Users

    async def list_users(
        self, base_url: str, filter_text: str | None, start_index: int | None, count: int | None
    ) -> Page:
        condition = user_condition(filter_text) if filter_text else true()
        start, size = _page_bounds(start_index, count)
        live = condition & ScimUser.deleted_at.is_(None)
        async with self.db.read() as session:
            total = int(await session.scalar(select(func.count()).select_from(ScimUser).where(live)) or 0)
            query = select(ScimUser).where(live).order_by(ScimUser.id).offset(start - 1).limit(size)
            rows = (await session.scalars(query)).all() if size else []
            memberships = await _groups_of(session, [u.id for u in rows])
        return Page(total, start, [user_resource(u, memberships[u.id], base_url) for u in rows])

    async def get_user(self, base_url: str, scim_id: str) -> Resource[Any]:
        async with self.db.read() as session:
            user = await _user(session, scim_id)
            return user_resource(user, (await _groups_of(session, [user.id]))[user.id], base_url)

    async def create_user(self, actor: Actor, base_url: str, resource: Resource[Any]) -> Resource[Any]:
        now = self.clock()
        async with self._write() as session:
            user, effects = await users.create(session, resource, actor, now)
            self._audit(session, actor, "scim_user.create", user.id, None, users.user_values(user), effects, now)
            answer = user_resource(user, [], base_url)
        await self._end_sessions(effects.deprovisioned)
        return answer

    async def replace_user(self, actor: Actor, base_url: str, scim_id: str, resource: Resource[Any]) -> Resource[Any]:
        async def change(session: AsyncSession, user: ScimUser, _current: Resource[Any]) -> users.Effects:
            return await users.update(session, user, resource, actor, self.clock())

        return await self._change_user(actor, base_url, scim_id, "scim_user.replace", change)

    async def patch_user(self, actor: Actor, base_url: str, scim_id: str, patch: "PatchOp[Any]") -> Resource[Any]:
        async def change(session: AsyncSession, user: ScimUser, current: Resource[Any]) -> users.Effects:
            patch.patch(current)
            return await users.update(session, user, current, actor, self.clock())

        return await self._change_user(actor, base_url, scim_id, "scim_user.patch", change)

    async def delete_user(self, actor: Actor, scim_id: str) -> None:
        now = self.clock()
        async with self._write() as session:
            user = await _user(session, scim_id)
            before = users.user_values(user)
            effects = await users.delete(session, user, actor, now)
            self._audit(session, actor, "scim_user.delete", user.id, before, None, effects, now)
        await self._end_sessions(effects.deprovisioned)

    async def _change_user(self, actor: Actor, base_url: str, scim_id: str, action: str, change: Any) -> Resource[Any]:
        now = self.clock()
        async with self._write() as session:
            user = await _user(session, scim_id)
            before = users.user_values(user)
            current = user_resource(user, (await _groups_of(session, [user.id]))[user.id], base_url)
            effects = await change(session, user, current)
            self._audit(session, actor, action, user.id, before, users.user_values(user), effects, now)
            answer = user_resource(user, (await _groups_of(session, [user.id]))[user.id], base_url)
        await self._end_sessions(effects.deprovisioned)
        return answer

    # Groups

    async def list_groups(
        self, base_url: str, filter_text: str | None, start_index: int | None, count: int | None
    ) -> Page:
        condition = group_condition(filter_text) if filter_text else true()
        start, size = _page_bounds(start_index, count)
        async with self.db.read() as session:
            total = int(await session.scalar(select(func.count()).select_from(ScimGroup).where(condition)) or 0)
            query = select(ScimGroup).where(condition).order_by(ScimGroup.id).offset(start - 1).limit(size)
            rows = (await session.scalars(query)).all() if size else []
            members = await groups.members_of(session, [g.id for g in rows])
        return Page(total, start, [group_resource(g, members[g.id], base_url) for g in rows])

    async def get_group(self, base_url: str, scim_id: str) -> Group:
        async with self.db.read() as session:
            group = await _group(session, scim_id)
            return group_resource(group, (await groups.members_of(session, [group.id]))[group.id], base_url)

    async def create_group(self, actor: Actor, base_url: str, resource: Group) -> Group:
        now = self.clock()
        async with self._write() as session:
            group = await groups.create(session, resource, actor, now)
            members = (await groups.members_of(session, [group.id]))[group.id]
            after = groups.group_values(group, [u.scim_id for u, _ in members])
            self._audit(session, actor, "scim_group.create", group.id, None, after, None, now, "ScimGroup")
            return group_resource(group, members, base_url)

    async def replace_group(self, actor: Actor, base_url: str, scim_id: str, resource: Group) -> Group:
        async def change(session: AsyncSession, group: ScimGroup, _current: Group) -> None:
            await groups.update(session, group, resource, actor, self.clock())

        return await self._change_group(actor, base_url, scim_id, "scim_group.replace", change)

    async def patch_group(self, actor: Actor, base_url: str, scim_id: str, patch: "PatchOp[Any]") -> Group:
        async def change(session: AsyncSession, group: ScimGroup, current: Group) -> None:
            patch.patch(current)
            await groups.update(session, group, current, actor, self.clock())

        return await self._change_group(actor, base_url, scim_id, "scim_group.patch", change)

    async def delete_group(self, actor: Actor, scim_id: str) -> None:
        now = self.clock()
        async with self._write() as session:
            group = await _group(session, scim_id)
            group_id = group.id
            members = (await groups.members_of(session, [group.id]))[group.id]
            before = groups.group_values(group, [u.scim_id for u, _ in members])
            await groups.delete_group(session, group, actor)
            self._audit(session, actor, "scim_group.delete", group_id, before, None, None, now, "ScimGroup")

    async def _change_group(self, actor: Actor, base_url: str, scim_id: str, action: str, change: Any) -> Group:
        now = self.clock()
        async with self._write() as session:
            group = await _group(session, scim_id)
            members = (await groups.members_of(session, [group.id]))[group.id]
            before = groups.group_values(group, [u.scim_id for u, _ in members])
            await change(session, group, group_resource(group, members, base_url))
            await session.flush()
            members = (await groups.members_of(session, [group.id]))[group.id]
            after = groups.group_values(group, [u.scim_id for u, _ in members])
            self._audit(session, actor, action, group.id, before, after, None, now, "ScimGroup")
            return group_resource(group, members, base_url)

    # Plumbing

    def _write(self) -> "_UniqueWrite":
        return _UniqueWrite(self.db)

    def _audit(
        self,
        session: AsyncSession,
        actor: Actor,
        action: str,
        entity_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        effects: users.Effects | None,
        now: datetime,
        kind: str = "ScimUser",
    ) -> None:
        if effects is not None and effects.deprovisioned:
            after = {**(after or {}), "tokens_revoked": effects.tokens_revoked}
        record_change(session, actor, action, at=now, entity_kind=kind, entity_id=entity_id, before=before, after=after)

    async def _end_sessions(self, employee_ids: Sequence[int]) -> None:
        for employee_id in employee_ids:
            try:
                await self.sessions.revoke_all(employee_id)
            except RedisError as exc:  # the database already refuses those sessions (session_is_live)
                log.warning("could not end the login sessions of employee %s (Redis: %s)", employee_id, exc)


class _UniqueWrite:
    """``db.write()``, with a unique constraint lost to a concurrent writer answered as SCIM's 409 uniqueness."""

    def __init__(self, db: Database) -> None:
        self._context = db.write()

    async def __aenter__(self) -> AsyncSession:
        return await self._context.__aenter__()

    async def __aexit__(self, *exc_info: Any) -> bool | None:
        # An insert's conflict surfaces at a flush inside the block (then it arrives here, and the transaction is
        # rolled back by the inner exit) or at the commit (raised by the inner exit).
        try:
            suppressed = await self._context.__aexit__(*exc_info)
        except IntegrityError as exc:
            raise UniquenessException(detail="a concurrent change took this name") from exc
        if isinstance(exc_info[1], IntegrityError):
            raise UniquenessException(detail="a concurrent change took this name") from exc_info[1]
        return suppressed


async def _user(session: AsyncSession, scim_id: str) -> ScimUser:
    user = await session.scalar(select(ScimUser).where(ScimUser.scim_id == scim_id, ScimUser.deleted_at.is_(None)))
    if user is None:
        raise NotFoundException(detail=f"no user {scim_id}")
    return user


async def _group(session: AsyncSession, scim_id: str) -> ScimGroup:
    group = await session.scalar(select(ScimGroup).where(ScimGroup.scim_id == scim_id))
    if group is None:
        raise NotFoundException(detail=f"no group {scim_id}")
    return group


async def _groups_of(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, list[ScimGroup]]:
    found: dict[int, list[ScimGroup]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        rows = await session.execute(
            select(ScimGroupMember.user_id, ScimGroup)
            .join(ScimGroup, ScimGroup.id == ScimGroupMember.group_id)
            .where(ScimGroupMember.user_id.in_(user_ids))
            .order_by(ScimGroup.display_name)
        )
        for user_id, group in rows.tuples():
            found[user_id].append(group)
    return found
