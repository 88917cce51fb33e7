"""Who holds which role, as a viewer may see it (``roleAssignments``, ``/admin/roles``).

The listing pages through every role the viewer may see with one keyset over three parts: ``role_assignments``
rows, room approvers, heads by position (:data:`Keyset`). Nothing is capped: a page is at most ``MAX_PAGE_SIZE``
rows and its cursor leads to the next.
"""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.people import roles
from smartoffice.people.models import Employee, Role, RoleAssignment, RoleSource
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.people.visibility import Viewer
from smartoffice.places.models import Building, Floor, Space, Zone, room_approvers


@dataclass(frozen=True, slots=True)
class RoleSearch:
    """Which assignments to list: every given field must match. ``person``: people whose name or email contains the
    text (case-insensitive), or whose NIP it is where the viewer may see that NIP (the admin page's search)."""

    employee_id: int | None = None
    role: GrantableRole | None = None
    person: str | None = None


Keyset = tuple[int, int, int]
"""A row's place in the listing's order: (part, key, tie-break). Parts: 0 the ``role_assignments`` rows by id,
1 room approvers by (room, person), 2 heads of units by position by (unit, person). The keys are unique within a
part (primary keys; a person heads at most their own unit), so the order is total and a cursor keeps its place while
roles are granted or revoked: rows before it are never shown again, rows after it never skipped."""


@dataclass(frozen=True, slots=True)
class RolePage:
    grants: Sequence[RoleGrant]
    keys: Sequence[Keyset]
    has_next: bool

    def cursor(self, index: int) -> str:
        return encode_cursor(self.keys[index])

    @property
    def end_cursor(self) -> str | None:
        return self.cursor(-1) if self.keys else None


CURSOR_TAG = "role"


def encode_cursor(key: Keyset) -> str:
    raw = "|".join((CURSOR_TAG, *map(str, key)))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> Keyset:
    """Raises InvalidInput ``INVALID_CURSOR`` for anything :func:`encode_cursor` did not write."""
    try:
        tag, part, key, tie = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if tag != CURSOR_TAG or int(part) not in range(len(_PARTS)):
            raise ValueError("not a role cursor")
        return int(part), int(key), int(tie)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR) from exc


@dataclass(frozen=True, slots=True)
class _Part:
    """One part of the listing: a query of its rows (the ``key`` and ``tie`` columns first, then what
    :func:`_grant_of` reads), already narrowed to what the viewer may see and the search matches; None when the role
    filter excludes the part. ``tie``: None where ``key`` alone is unique."""

    query: "Select[*tuple[Any, ...]] | None"
    key: Any
    tie: Any

    def after(self, key: int, tie: int) -> Select[*tuple[Any, ...]]:
        assert self.query is not None
        if self.tie is None:
            return self.query.where(self.key > key)
        return self.query.where(or_(self.key > key, and_(self.key == key, self.tie > tie)))

    def up_to(self, key: int, tie: int) -> ColumnElement[bool]:
        if self.tie is None:
            return and_(self.key <= key)
        return or_(self.key < key, and_(self.key == key, self.tie <= tie))


async def list_assignments(
    session: AsyncSession, viewer_id: int, search: RoleSearch, first: int, after: str | None = None
) -> RolePage:
    """One page of the roles ``viewer_id`` may see that match ``search``, in :data:`Keyset` order; ``first`` is
    capped at MAX_PAGE_SIZE. Raises InvalidInput for a cursor this API did not issue."""
    first = max(1, min(first, MAX_PAGE_SIZE))
    start = decode_cursor(after) if after is not None else None
    parts = await _parts(session, viewer_id, search)
    found: list[tuple[Keyset, RoleGrant]] = []
    for number, part in enumerate(parts):
        if part.query is None or (start is not None and number < start[0]):
            continue
        query = part.after(start[1], start[2]) if start is not None and number == start[0] else part.query
        order = [part.key] if part.tie is None else [part.key, part.tie]
        rows = await session.execute(query.order_by(*order).limit(first + 1 - len(found)))
        found.extend(((number, key, tie or 0), _grant_of(number, row)) for key, tie, *row in rows)
        if len(found) > first:
            break
    page = found[:first]
    return RolePage([grant for _, grant in page], [key for key, _ in page], has_next=len(found) > first)


async def count_assignments(
    session: AsyncSession, viewer_id: int, search: RoleSearch, up_to: str | None = None
) -> tuple[int, int]:
    """How many roles :func:`list_assignments` lists in all, and how many of them up to and including the cursor
    ``up_to`` (0 without one). Raises InvalidInput for a cursor this API did not issue."""
    end = decode_cursor(up_to) if up_to is not None else None
    total = before = 0
    for number, part in enumerate(await _parts(session, viewer_id, search)):
        if part.query is None:
            continue
        in_part = await _count(session, part.query)
        total += in_part
        if end is not None and number < end[0]:
            before += in_part
        elif end is not None and number == end[0]:
            before += await _count(session, part.query.where(part.up_to(end[1], end[2])))
    return total, before


async def _count(session: AsyncSession, query: Select[*tuple[Any, ...]]) -> int:
    return int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)


async def _parts(session: AsyncSession, viewer_id: int, search: RoleSearch) -> tuple[_Part, _Part, _Part]:
    """The listing's parts in order (see :data:`Keyset`), each narrowed to what the viewer may see: administrators
    everything; others their own roles, those within the units they manage (heads by position of those units; room
    approvers of rooms in those units' zones) and those of the sites they are facilities manager of."""
    viewer = Viewer(viewer_id, label="grants_viewer")
    admin = await roles.is_admin(session, viewer_id)
    return (
        _granted_part(viewer, admin, search),
        _room_approver_part(viewer, admin, search),
        _head_part(viewer, admin, search),
    )


_PARTS = range(3)
_ROLE_PARTS = (
    {GrantableRole.ADMIN, GrantableRole.FACILITIES_MANAGER, GrantableRole.UNIT_MANAGER},
    {GrantableRole.ROOM_APPROVER},
    {GrantableRole.UNIT_MANAGER},
)
"""The roles each part lists."""


def _wanted(part: int, search: RoleSearch) -> bool:
    return search.role is None or search.role in _ROLE_PARTS[part]


def _person(column: Any, search: RoleSearch, viewer: Viewer) -> list[ColumnElement[bool]]:
    """The search's person conditions on ``column`` (an employee id)."""
    conditions: list[ColumnElement[bool]] = []
    if search.employee_id is not None:
        conditions.append(column == search.employee_id)
    text = (search.person or "").strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matching = select(Employee.id).where(
            or_(
                Employee.name.ilike(pattern, escape="\\"),
                Employee.email.ilike(pattern, escape="\\"),
                and_(Employee.nip == text, viewer.may_see_nip(Employee)),
            )
        )
        conditions.append(column.in_(matching))
    return conditions


def _granted_part(viewer: Viewer, admin: bool, search: RoleSearch) -> _Part:
    row = RoleAssignment
    query = select(row.id, literal(0), row.employee_id, row.org_unit_id, row.site_id, row.role, row.source)
    query = query.where(*_person(row.employee_id, search, viewer))
    if search.role is not None:
        query = query.where(row.role == Role(search.role))
    if not admin:
        query = query.where(
            or_(
                row.employee_id == viewer.employee_id,
                row.org_unit_id.in_(viewer.managed_units()),
                row.site_id.in_(viewer.facilities_sites()),
            )
        )
    return _Part(query if _wanted(0, search) else None, row.id, None)


def _room_approver_part(viewer: Viewer, admin: bool, search: RoleSearch) -> _Part:
    approver = room_approvers.c
    query = select(approver.space_id, approver.employee_id, approver.employee_id, approver.space_id).where(
        *_person(approver.employee_id, search, viewer)
    )
    if not admin:
        query = (
            query.join(Space, Space.id == approver.space_id)
            .join(Floor, Floor.id == Space.floor_id)
            .join(Building, Building.id == Floor.building_id)
            .outerjoin(Zone, Zone.id == Space.zone_id)
            .where(
                or_(
                    approver.employee_id == viewer.employee_id,
                    Building.site_id.in_(viewer.facilities_sites()),
                    Zone.org_unit_id.in_(viewer.managed_units()),
                )
            )
        )
    return _Part(query if _wanted(1, search) else None, approver.space_id, approver.employee_id)


def _head_part(viewer: Viewer, admin: bool, search: RoleSearch) -> _Part:
    heads = roles.heads_by_position().subquery()
    query = select(heads.c.org_unit_id, heads.c.id, heads.c.id, heads.c.org_unit_id).where(
        *_person(heads.c.id, search, viewer)
    )
    if not admin:
        query = query.where(or_(heads.c.id == viewer.employee_id, heads.c.org_unit_id.in_(viewer.managed_units())))
    return _Part(query if _wanted(2, search) else None, heads.c.org_unit_id, heads.c.id)


def _grant_of(part: int, row: Sequence[Any]) -> RoleGrant:
    if part == 0:
        employee_id, unit_id, site_id, role, source = row
        scope = unit_id if role == Role.UNIT_MANAGER else site_id
        return RoleGrant(employee_id, GrantableRole(role), scope, source=RoleSource(source))
    employee_id, scope = row
    if part == 1:
        return RoleGrant(int(employee_id), GrantableRole.ROOM_APPROVER, int(scope))
    return RoleGrant(int(employee_id), GrantableRole.UNIT_MANAGER, int(scope), derived=True)
