"""Writing an import plan, inside the caller's one write transaction, in bulk statements.

Order: organisations, then units a depth at a time (a parent's id exists before its children are inserted), then
the new people without supervisors, the changed and returning people, then the new people's supervisors (everyone
exists by then); last the leavers: deactivated (``active`` false, ``left_on`` today), their bookings that have
not started cancelled, and with them the recurring series those bookings belonged to (``cancelled_at`` set; the
occurrences that already happened stay as they were), the desks assigned to them unassigned (anyone may book them
again), their app tokens revoked, and their notification emails still waiting to be sent expired (they would
reach a mailbox the person may no longer read, about an office they no longer work in). Each change is audited in
the same transaction (a series as ``booking_series.cancel``, a desk as ``space.unassign``, both with the site they
are in). Login sessions live in Redis and are ended by the service after the commit.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor, entry_values
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingSeries, BookingStatus
from smartoffice.i18n import N_
from smartoffice.identity.models import ApiToken
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.notifications.models import EmailStatus, Notification
from smartoffice.people.imports.plan import Change, ChangeKind, Existing, ImportPlan, Values, building_id
from smartoffice.people.models import Employee, Organisation, OrgUnit
from smartoffice.places.models import Building, Floor, Space

LEFT_REASON = "employee_left"
LEFT_EMAIL_ERROR = "expired: the person left (removed by the staff import)"
"""Why a leaver's pending notification email was never sent (``email_error``, as the email job's expiries say)."""
LEFT_MESSAGE = N_("Cancelled because the person booked no longer works here (removed by the staff import)")
"""The reason a leaver's booking was cancelled: in its CANCELLED event (webhooks, notifications)."""


@dataclass
class Applied:
    leaver_ids: list[int] = field(default_factory=list)
    cancelled: list[Booking] = field(default_factory=list)
    """Bookings cancelled, to project into the availability index once committed."""
    revoked_tokens: int = 0
    cancelled_series: int = 0
    unassigned_desks: int = 0
    expired_emails: int = 0


@dataclass
class _Ids:
    organisations: dict[str, int]
    units: dict[str, int]
    people: dict[str, int]


async def apply_plan(
    session: AsyncSession, plan: ImportPlan, existing: Existing, *, actor: Actor, now: datetime, today: date
) -> Applied:
    """Write ``plan`` (valid, computed from ``existing`` in this transaction). Writes nothing for an empty plan."""
    assert plan.is_valid
    ids = _Ids(
        {code: ident for code, (ident, _name) in existing.organisations.items()},
        {code: ident for code, (ident, _values) in existing.units.items()},
        {nip: ident for nip, (ident, _values, _unit) in existing.people.items()},
    )
    audit = _Audit(session, actor, now)
    await _organisations(session, plan.organisations, ids, audit)
    await _units(session, plan.units, ids, audit)
    await _people(session, plan.people, existing, ids, audit)
    applied = await _leavers(session, plan, audit, now, today)
    await audit.write()
    return applied


ENTITY_KINDS = {"organisation": "Organisation", "org_unit": "OrgUnit", "employee": "Employee"}
"""An action's noun → the entity kind, spelled as the GraphQL type is (as every other writer spells it)."""


class _Audit:
    """The import's audit entries, written in one bulk INSERT at the end of the transaction.

    The rows are :func:`~smartoffice.audit.record.record_change`'s (both build them with ``entry_values``);
    12,000 ORM objects instead would cost a tier-M import about two seconds."""

    def __init__(self, session: AsyncSession, actor: Actor, now: datetime) -> None:
        self.session, self.actor, self.now = session, actor, now
        self.rows: list[Values] = []

    def change(self, noun: str, verb: str, ident: int, change: Change, org_unit_id: int | None) -> None:
        before: dict[str, Any] | None = None
        after = dict(change.values)
        if change.kind != ChangeKind.NEW:
            before = {f.field: f.before for f in change.fields}
            after = {f.field: f.after for f in change.fields}
        if change.kind == ChangeKind.REACTIVATED:
            before = {**(before or {}), "active": False}
            after = {**after, "active": True, "left_on": None}
        self.add(f"{noun}.{verb}", ENTITY_KINDS[noun], ident, before, after, org_unit_id)

    def add(
        self,
        action: str,
        kind: str,
        ident: int,
        before: Values | None,
        after: Values | None,
        org_unit_id: int | None,
        site_id: int | None = None,
    ) -> None:
        self.rows.append(
            entry_values(
                self.actor,
                action,
                at=self.now,
                entity_kind=kind,
                entity_id=ident,
                before=before,
                after=after,
                site_id=site_id,
                org_unit_id=org_unit_id,
            )
        )

    async def write(self) -> None:
        if self.rows:
            await self.session.execute(insert(AuditEntry), self.rows)


async def _organisations(session: AsyncSession, changes: Sequence[Change], ids: _Ids, audit: _Audit) -> None:
    new = [c for c in changes if c.kind == ChangeKind.NEW]
    if new:
        rows = [{"code": c.key, "name": c.values["name"]} for c in new]
        ids.organisations.update(await _insert(session, Organisation, Organisation.code, rows))
    changed = [c for c in changes if c.kind != ChangeKind.NEW]
    if changed:
        await session.execute(update(Organisation), [{"id": c.id, "name": c.values["name"]} for c in changed])
    for change in changes:
        verb = "create" if change.kind == ChangeKind.NEW else "update"
        audit.change("organisation", verb, ids.organisations[change.key], change, None)


async def _units(session: AsyncSession, changes: Sequence[Change], ids: _Ids, audit: _Audit) -> None:
    def row(change: Change) -> Values:
        values = change.values
        parent = values["parent_code"]
        return {
            "code": change.key,
            "name": values["name"],
            "level": values["level"],
            "parent_id": ids.units[parent] if parent else None,
            "organisation_id": ids.organisations[values["organisation_code"]],
        }

    new = [c for c in changes if c.kind == ChangeKind.NEW]
    while new:  # a depth at a time: parents are inserted (and have ids) before their children
        ready = [c for c in new if c.values["parent_code"] is None or c.values["parent_code"] in ids.units]
        ids.units.update(await _insert(session, OrgUnit, OrgUnit.code, [row(c) for c in ready]))
        new = [c for c in new if c.key not in ids.units]
    changed = [c for c in changes if c.kind != ChangeKind.NEW]
    if changed:
        await session.execute(update(OrgUnit), [{"id": c.id, **row(c)} for c in changed])
    for change in changes:
        unit_id = ids.units[change.key]
        audit.change("org_unit", "create" if change.kind == ChangeKind.NEW else "update", unit_id, change, unit_id)


async def _people(
    session: AsyncSession, changes: Sequence[Change], existing: Existing, ids: _Ids, audit: _Audit
) -> None:
    def row(change: Change) -> Values:
        values = change.values
        return {
            "nip": change.key,
            "name": values["name"],
            "email": values["email"],
            "org_unit_id": ids.units[values["unit_code"]],
            "position_name": values["position_name"],
            "position_kind": values["position_kind"],
            "position_level": values["position_level"],
            "employment_type": values["employment_type"],
            "placed_on": values["placed_on"],
            "home_building_id": building_id(existing, values["building_code"]),
        }

    def supervisor(change: Change) -> int | None:
        nip = change.values["supervisor_nip"]
        return ids.people[nip] if nip else None

    new = [c for c in changes if c.kind == ChangeKind.NEW]
    if new:
        ids.people.update(await _insert(session, Employee, Employee.nip, [row(c) for c in new]))
    others = [c for c in changes if c.kind != ChangeKind.NEW]
    if others:
        rows = [{"id": c.id, **row(c), "supervisor_id": supervisor(c), "active": True, "left_on": None} for c in others]
        await session.execute(update(Employee), rows)
    supervised = [{"id": ids.people[c.key], "supervisor_id": supervisor(c)} for c in new if c.values["supervisor_nip"]]
    if supervised:
        await session.execute(update(Employee), supervised)
    verbs = {ChangeKind.NEW: "create", ChangeKind.CHANGED: "update", ChangeKind.REACTIVATED: "reactivate"}
    for change in changes:
        unit_id = ids.units[change.values["unit_code"]]
        audit.change("employee", verbs[change.kind], ids.people[change.key], change, unit_id)


async def _leavers(session: AsyncSession, plan: ImportPlan, audit: _Audit, now: datetime, today: date) -> Applied:
    applied = Applied(leaver_ids=[leaver.id for leaver in plan.leavers])
    if not plan.leavers:
        return applied
    rows = [{"id": ident, "active": False, "left_on": today} for ident in applied.leaver_ids]
    await session.execute(update(Employee), rows)
    for leaver in plan.leavers:
        before, after = {"active": True, "left_on": None}, {"active": False, "left_on": today}
        audit.add("employee.deactivate", "Employee", leaver.id, before, after, leaver.org_unit_id)
    applied.cancelled = await cancel_future_bookings(session, applied.leaver_ids, now)
    units = {leaver.id: leaver.org_unit_id for leaver in plan.leavers}
    applied.cancelled_series = await _cancel_series(session, applied.cancelled, units, audit, now)
    applied.unassigned_desks = await _unassign_desks(session, units, audit)
    revoked = await session.execute(
        update(ApiToken)
        .where(ApiToken.owner_id.in_(applied.leaver_ids), ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    applied.revoked_tokens = revoked.rowcount  # type: ignore[attr-defined]
    applied.expired_emails = await expire_pending_emails(session, applied.leaver_ids)
    return applied


async def expire_pending_emails(session: AsyncSession, employee_ids: Sequence[int]) -> int:
    """Expire these people's notification emails not yet sent. (One a sender process is sending at this very
    moment may still go out; its outcome is then not recorded: the email job records only rows still pending.)
    In-app notifications stay as they are."""
    expired = await session.execute(
        update(Notification)
        .where(Notification.recipient_id.in_(employee_ids), Notification.email_status == EmailStatus.PENDING)
        .values(email_status=EmailStatus.EXPIRED, email_error=LEFT_EMAIL_ERROR)
        .execution_options(synchronize_session=False)
    )
    return expired.rowcount  # type: ignore[attr-defined,no-any-return]


async def cancel_future_bookings(session: AsyncSession, employee_ids: Sequence[int], now: datetime) -> list[Booking]:
    """Cancel the active bookings of these people that have not started by ``now`` (those that have are kept:
    they are history); each gets a CANCELLED event that says why."""
    statement = (
        update(Booking)
        .where(Booking.employee_id.in_(employee_ids), Booking.status.in_(ACTIVE_STATUSES), Booking.start_at > now)
        .values(status=BookingStatus.CANCELLED, cancelled_at=now, version=Booking.version + 1)
        .returning(Booking)
        .execution_options(synchronize_session=False)
    )
    cancelled = list((await session.scalars(statement)).all())
    for event in await events.record(session, EventKind.CANCELLED, cancelled):
        event.payload = {**event.payload, "reason": {"code": LEFT_REASON, "message": LEFT_MESSAGE}}
    return cancelled


async def _cancel_series(
    session: AsyncSession, cancelled: Sequence[Booking], units: dict[int, int], audit: _Audit, now: datetime
) -> int:
    """End the leavers' own recurring series whose coming occurrences were just cancelled."""
    series_ids = sorted({b.series_id for b in cancelled if b.series_id is not None})
    if not series_ids:
        return 0
    query = (
        select(BookingSeries.id, BookingSeries.employee_id, Building.site_id)
        .join(Space, Space.id == BookingSeries.space_id)
        .join(Floor, Floor.id == Space.floor_id)
        .join(Building, Building.id == Floor.building_id)
        .where(
            BookingSeries.id.in_(series_ids),
            BookingSeries.employee_id.in_(list(units)),
            BookingSeries.cancelled_at.is_(None),
        )
        .order_by(BookingSeries.id)
    )
    ending = (await session.execute(query)).all()
    if not ending:
        return 0
    await session.execute(
        update(BookingSeries)
        .where(BookingSeries.id.in_([row.id for row in ending]))
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    for row in ending:
        before, after = {"cancelled_at": None}, {"cancelled_at": now, "reason": LEFT_REASON}
        audit.add("booking_series.cancel", "BookingSeries", row.id, before, after, units[row.employee_id], row.site_id)
    return len(ending)


async def _unassign_desks(session: AsyncSession, units: dict[int, int], audit: _Audit) -> int:
    """Desks assigned to the leavers become desks anyone may book. (An ORM update of ``spaces``: the floor layout
    cache notices it and reloads after the commit, see :mod:`smartoffice.places.layout`.)"""
    query = (
        select(Space.id, Space.assigned_employee_id, Building.site_id)
        .join(Floor, Floor.id == Space.floor_id)
        .join(Building, Building.id == Floor.building_id)
        .where(Space.assigned_employee_id.in_(list(units)))
        .order_by(Space.id)
    )
    desks = (await session.execute(query)).all()
    if not desks:
        return 0
    await session.execute(
        update(Space)
        .where(Space.id.in_([row.id for row in desks]))
        .values(assigned_employee_id=None)
        .execution_options(synchronize_session=False)
    )
    for row in desks:
        before, after = {"assigned_employee_id": row.assigned_employee_id}, {"assigned_employee_id": None}
        audit.add("space.unassign", "Desk", row.id, before, after, units.get(row.assigned_employee_id), row.site_id)
    return len(desks)


async def _insert(session: AsyncSession, model: Any, key: Any, rows: list[Values]) -> dict[str, int]:
    """Insert ``rows`` in bulk (batched multi-row INSERTs); the new ids by ``key`` (code or NIP)."""
    if not rows:
        return {}
    result = await session.execute(insert(model).returning(key, model.id), rows)
    return {k: ident for k, ident in result.all()}
