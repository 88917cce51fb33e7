"""Reading the audit log: :class:`AuditService`, newest first, filtered, keyset-paginated, within the reader's rights.

Who reads what (decided in the WHERE clause, so a page is always full and a cursor never skips what one may see):
administrators every entry; a facilities manager the entries of the sites they manage (``site_id``); a unit
manager the entries of their units and the units below them (``org_unit_id``); anyone else nothing
(PermissionDenied). Asking by filter for a site or unit one does not manage is a PermissionDenied too, not an
empty page: the refusal says plainly that the reader looked where they may not.

The keyset is ``(at, id)`` descending; a cursor is ``base64("<at ISO>|<id>")``.
"""

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from smartoffice.audit.models import AuditEntry
from smartoffice.db import MAX_PAGE_SIZE, Database, utcnow
from smartoffice.errors import CommonInputCode, CommonPermissionCode, InvalidInput, PermissionDenied
from smartoffice.people import roles
from smartoffice.people.models import Employee, OrgUnit, Role
from smartoffice.places.models import Site


@dataclass(frozen=True, slots=True)
class AuditSearch:
    """Every given criterion must hold (AND); ``None`` means "any"."""

    action: str | None = None
    """An action (``role.grant``), or a prefix ending in a dot (``role.``) for every action on that entity."""
    entity_kind: str | None = None
    entity_id: int | None = None
    actor_id: int | None = None
    since: datetime | None = None
    """Entries at or after this instant."""
    until: datetime | None = None
    """Entries before this instant."""
    site_id: int | None = None
    org_unit_id: int | None = None
    """Entries of this unit or a unit below it."""


@dataclass(frozen=True, slots=True)
class AuditPage:
    """A page of entries, newest first, with the people, sites and units they name (loaded with the page)."""

    entries: Sequence[AuditEntry]
    has_next: bool
    actors: Mapping[int, Employee] = field(default_factory=dict)
    """With their unit and organisation loaded."""
    sites: Mapping[int, Site] = field(default_factory=dict)
    org_units: Mapping[int, OrgUnit] = field(default_factory=dict)
    """With their organisation loaded."""

    @staticmethod
    def cursor(entry: AuditEntry) -> str:
        return base64.urlsafe_b64encode(f"{entry.at.isoformat()}|{entry.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        at, ident = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        instant = datetime.fromisoformat(at)
        if instant.tzinfo is None:
            raise ValueError("naive cursor")
        return instant, int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR) from exc


class AuditService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def search(self, viewer_id: int, search: AuditSearch, first: int = 20, after: str | None = None) -> AuditPage:
        """One page of the entries ``viewer_id`` may read that match ``search``, newest first; ``first`` is capped
        at MAX_PAGE_SIZE. Raises PermissionDenied (see the module docstring) or InvalidInput (a cursor this API
        did not issue, an ``until`` before ``since``)."""
        first = max(1, min(first, MAX_PAGE_SIZE))
        if search.since and search.until and search.until < search.since:
            raise InvalidInput("filter.until", CommonInputCode.END_BEFORE_START)
        async with self.db.read() as session:
            query = select(AuditEntry).where(await _readable(session, viewer_id, search), *_criteria(search))
            if after is not None:
                query = query.where(tuple_(AuditEntry.at, AuditEntry.id) < decode_cursor(after))
            order = (AuditEntry.at.desc(), AuditEntry.id.desc())
            rows = (await session.scalars(query.order_by(*order).limit(first + 1))).all()
            entries = rows[:first]
            return AuditPage(entries, len(rows) > first, *await _named(session, entries))


async def _readable(session: AsyncSession, viewer_id: int, search: AuditSearch) -> ColumnElement[bool]:
    """What the viewer may read, as a WHERE clause; PermissionDenied for a filter outside it or no right at all."""
    if await roles.is_admin(session, viewer_id):
        return AuditEntry.id.is_not(None)
    if search.site_id is not None and not await roles.is_facilities_manager(session, viewer_id, search.site_id):
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)
    if search.org_unit_id is not None and not await roles.manages_unit(session, viewer_id, search.org_unit_id):
        raise PermissionDenied()
    held = await roles.held_roles(session, viewer_id)  # granted and by position; none once the person left
    site_ids = [r.site_id for r in held if r.role == Role.FACILITIES_MANAGER and r.site_id is not None]
    unit_ids = [r.org_unit_id for r in held if r.role == Role.UNIT_MANAGER and r.org_unit_id is not None]
    readable: list[ColumnElement[bool]] = []
    if site_ids:
        readable.append(AuditEntry.site_id.in_(site_ids))
    if unit_ids:
        readable.append(AuditEntry.org_unit_id.in_(_subtree(unit_ids, "audit_readable_units")))
    if not readable:
        raise PermissionDenied()
    return or_(*readable)


def _criteria(search: AuditSearch) -> list[ColumnElement[bool]]:
    criteria: list[ColumnElement[bool]] = []
    if search.action is not None:
        if search.action.endswith("."):
            criteria.append(AuditEntry.action.startswith(search.action, autoescape=True))
        else:
            criteria.append(AuditEntry.action == search.action)
    if search.entity_kind is not None:
        criteria.append(AuditEntry.entity_kind == search.entity_kind)
    if search.entity_id is not None:
        criteria.append(AuditEntry.entity_id == search.entity_id)
    if search.actor_id is not None:
        criteria.append(AuditEntry.actor_id == search.actor_id)
    if search.since is not None:
        criteria.append(AuditEntry.at >= search.since)
    if search.until is not None:
        criteria.append(AuditEntry.at < search.until)
    if search.site_id is not None:
        criteria.append(AuditEntry.site_id == search.site_id)
    if search.org_unit_id is not None:
        criteria.append(AuditEntry.org_unit_id.in_(_subtree([search.org_unit_id], "audit_filter_units")))
    return criteria


def _subtree(unit_ids: Sequence[int], name: str) -> Select[tuple[int]]:
    """The units and every unit below them (a recursive CTE: one query on either database)."""
    child = aliased(OrgUnit)
    tree = select(OrgUnit.id).where(OrgUnit.id.in_(unit_ids)).cte(name, recursive=True)
    tree = tree.union_all(select(child.id).join(tree, child.parent_id == tree.c.id))
    return select(tree.c.id)


async def _named(
    session: AsyncSession, entries: Sequence[AuditEntry]
) -> tuple[dict[int, Employee], dict[int, Site], dict[int, OrgUnit]]:
    """The actors, sites and units the entries name: one query each (none for an empty page)."""
    actor_ids = {e.actor_id for e in entries if e.actor_id is not None}
    site_ids = {e.site_id for e in entries if e.site_id is not None}
    unit_ids = {e.org_unit_id for e in entries if e.org_unit_id is not None}
    actors: dict[int, Employee] = {}
    sites: dict[int, Site] = {}
    units: dict[int, OrgUnit] = {}
    if actor_ids:
        with_unit = joinedload(Employee.org_unit).joinedload(OrgUnit.organisation)
        query = select(Employee).where(Employee.id.in_(actor_ids)).options(with_unit)
        actors = {e.id: e for e in await session.scalars(query)}
    if site_ids:
        sites = {s.id: s for s in await session.scalars(select(Site).where(Site.id.in_(site_ids)))}
    if unit_ids:
        query_units = select(OrgUnit).where(OrgUnit.id.in_(unit_ids)).options(joinedload(OrgUnit.organisation))
        units = {u.id: u for u in await session.scalars(query_units)}
    return actors, sites, units
