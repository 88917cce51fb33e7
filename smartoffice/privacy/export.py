"""A person's data as they may download it (UU 27/2022 Pasal 7 and 13: access to and a copy of one's personal data).

:func:`collect` gathers, for one person and nobody else, what the service holds about them: the person record,
their bookings (space and building by name, times in the building's local time with its UTC offset), recurring
series, check-ins, work plans and attendance, exemptions and their decisions, performance ratings and discipline
cases, role grants, app tokens, local account and calendar feed (metadata only: never a secret, a hash or a
session id), live login sessions, the notifications sent to them (in the app and by email) with their
notification settings, and the audit entries about them. Bookings someone made *for others* are the
others' data and are left out. Everything is read in one transaction, so the copy is consistent.

:class:`PersonalData` renders as one JSON document or as a ZIP of one CSV per kind (stdlib ``zipfile``/``csv``),
built in memory: a person holds at most a retention period of bookings and plans (two years by default, a few
thousand rows), well within a request's memory.
"""

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from smartoffice.attendance.models import AttendanceReport
from smartoffice.audit.models import AuditEntry
from smartoffice.bookings.models import Booking, BookingSeries
from smartoffice.identity.models import ApiToken, LocalAccount
from smartoffice.identity.sessions import SessionInfo
from smartoffice.identity.totp_models import RecoveryCode, TotpCredential
from smartoffice.integrations.models import CalendarFeed
from smartoffice.notifications.models import Notification, NotificationPreference, NotificationSchedule
from smartoffice.people.models import Employee, Organisation, OrgUnit, RoleAssignment
from smartoffice.places.models import Building, Floor, Site, Space
from smartoffice.policies.models import DisciplineCase, Exemption, ExemptionEvidence, PerformanceRating, WorkDay

FORMAT_VERSION = 1
KINDS = (
    "bookings",
    "booking_series",
    "check_ins",
    "work_plans",
    "attendance",
    "exemptions",
    "performance_ratings",
    "discipline_cases",
    "role_grants",
    "app_tokens",
    "local_account",
    "calendar_feed",
    "login_sessions",
    "notifications",
    "notification_preferences",
    "notification_schedule",
    "audit_entries",
)
"""The lists of the JSON document, in order, and the CSV files of the ZIP (``<kind>.csv``, plus ``person.csv``)."""

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PersonalData:
    employee_id: int
    exported_at: datetime
    person: Row
    kinds: dict[str, list[Row]]

    def as_document(self) -> dict[str, Any]:
        return {
            "format": "smartoffice-personal-data",
            "version": FORMAT_VERSION,
            "exported_at": self.exported_at.isoformat(),
            "person": self.person,
            **{kind: self.kinds[kind] for kind in KINDS},
        }

    def as_json(self) -> bytes:
        return json.dumps(self.as_document(), ensure_ascii=False, indent=2, default=_plain).encode()

    def as_csv_zip(self) -> bytes:
        """One CSV per kind (a header row even when empty); nested values as JSON text."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("person.csv", _csv([self.person]))
            for kind in KINDS:
                archive.writestr(f"{kind}.csv", _csv(self.kinds[kind]))
        return buffer.getvalue()

    def file_name(self, extension: str) -> str:
        return f"smartoffice-my-data-{self.exported_at.date().isoformat()}.{extension}"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON: {type(value).__name__}")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    if isinstance(value, datetime | date | Enum):
        return _plain(value)
    return value


def _csv(rows: Sequence[Row]) -> str:
    out = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


async def collect(
    session: AsyncSession, employee_id: int, now: datetime, login_sessions: Sequence[SessionInfo] = ()
) -> PersonalData:
    """Everything held about the person ``employee_id`` (who must exist)."""
    person = await _person(session, employee_id)
    bookings = await _bookings(session, employee_id)
    series = await _series(session, employee_id)
    work_days = list(
        (await session.scalars(select(WorkDay).where(WorkDay.employee_id == employee_id).order_by(WorkDay.day))).all()
    )
    reports = {
        r.day: r
        for r in await session.scalars(select(AttendanceReport).where(AttendanceReport.employee_id == employee_id))
    }
    exemptions = await _exemptions(session, employee_id)
    ratings = list(
        (
            await session.scalars(
                select(PerformanceRating)
                .where(PerformanceRating.employee_id == employee_id)
                .order_by(PerformanceRating.period)
            )
        ).all()
    )
    cases = list(
        (
            await session.scalars(
                select(DisciplineCase).where(DisciplineCase.employee_id == employee_id).order_by(DisciplineCase.id)
            )
        ).all()
    )
    tokens = list(
        (await session.scalars(select(ApiToken).where(ApiToken.owner_id == employee_id).order_by(ApiToken.id))).all()
    )
    about = {
        "Employee": {employee_id},
        "LocalAccount": {employee_id},
        "ApiToken": {t.id for t in tokens},
        "Exemption": {e["id"] for e in exemptions},
        "BookingSeries": {s["id"] for s in series},
        "PerformanceRating": {r.id for r in ratings},
        "DisciplineCase": {c.id for c in cases},
    }
    return PersonalData(
        employee_id=employee_id,
        exported_at=now,
        person=person,
        kinds={
            "bookings": bookings,
            "booking_series": series,
            "check_ins": [
                {"booking_id": b["id"], "checked_in_at": b["checked_in_at"], "checked_out_at": b["checked_out_at"]}
                for b in bookings
                if b["checked_in_at"] is not None
            ],
            "work_plans": [
                {
                    "day": w.day.isoformat(),
                    "mode": w.planned.value,
                    "location_kind": w.location_kind.value if w.location_kind else None,
                    "location_detail": w.location_detail,
                    "updated_at": w.updated_at.isoformat(),
                }
                for w in work_days
                if w.planned is not None
            ],
            "attendance": [
                {
                    "day": w.day.isoformat(),
                    "mode": w.actual.value,
                    "check_in_time": _iso(reports[w.day].check_in_time) if w.day in reports else None,
                    "source": reports[w.day].source if w.day in reports else None,
                    "updated_at": w.updated_at.isoformat(),
                }
                for w in work_days
                if w.actual is not None
            ],
            "exemptions": exemptions,
            "performance_ratings": [{"id": r.id, "period": r.period, "rating": r.rating.value} for r in ratings],
            "discipline_cases": [
                {"id": c.id, "status": c.status.value, "opened_on": _iso(c.opened_on), "closed_on": _iso(c.closed_on)}
                for c in cases
            ],
            "role_grants": await _role_grants(session, employee_id),
            "app_tokens": [_token(t) for t in tokens],
            "local_account": await _local_account(session, employee_id),
            "calendar_feed": await _calendar_feed(session, employee_id),
            "login_sessions": [
                {
                    "created_at": s.created_at.isoformat(),
                    "last_seen_at": _iso(s.last_seen_at),
                    "client_address": s.client_address,
                    "user_agent": s.user_agent,
                }
                for s in login_sessions
            ],
            "notifications": await _notifications(session, employee_id),
            "notification_preferences": await _notification_preferences(session, employee_id),
            "notification_schedule": await _notification_schedule(session, employee_id),
            "audit_entries": await _audit_entries(session, about),
        },
    )


def _iso(value: date | datetime | time | None) -> str | None:
    return value.isoformat() if value is not None else None


async def _names(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    rows = await session.execute(select(Employee.id, Employee.name).where(Employee.id.in_(wanted)))
    return {employee_id: name for employee_id, name in rows}


async def _person(session: AsyncSession, employee_id: int) -> Row:
    supervisor = aliased(Employee)
    row = (
        await session.execute(
            select(Employee, OrgUnit.name, Organisation.name, supervisor.name, Building.name)
            .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
            .join(Organisation, OrgUnit.organisation_id == Organisation.id)
            .outerjoin(supervisor, Employee.supervisor_id == supervisor.id)
            .outerjoin(Building, Employee.home_building_id == Building.id)
            .where(Employee.id == employee_id)
        )
    ).one()
    employee, unit, organisation, supervisor_name, home_building = row
    return {
        "id": employee.id,
        "nip": employee.nip,
        "name": employee.name,
        "email": employee.email,
        "organisation": organisation,
        "org_unit": unit,
        "position_name": employee.position_name,
        "position_kind": employee.position_kind.value,
        "position_level": employee.position_level,
        "employment_type": employee.employment_type.value,
        "supervisor": supervisor_name,
        "placed_on": employee.placed_on.isoformat(),
        "home_building": home_building,
        "share_presence": employee.share_presence,
        "language": employee.language,
        "active": employee.active,
        "left_on": _iso(employee.left_on),
        "home_address_ref": employee.home_address_ref,
    }


async def _bookings(session: AsyncSession, employee_id: int) -> list[Row]:
    rows = (
        await session.execute(
            select(Booking, Space.code, Space.name, Floor.name, Building.name, Building.time_zone)
            .join(Space, Booking.space_id == Space.id)
            .join(Floor, Space.floor_id == Floor.id)
            .join(Building, Floor.building_id == Building.id)
            .where(Booking.employee_id == employee_id)
            .order_by(Booking.start_at, Booking.id)
        )
    ).all()
    involved: set[int | None] = set()
    for row in rows:
        involved.update((row[0].booked_by_id, row[0].decided_by_id))
    names = await _names(session, involved)
    result = []
    for booking, space_code, space_name, floor, building, zone in rows:
        local = ZoneInfo(zone)

        def at(value: datetime | None, local: ZoneInfo = local) -> str | None:
            return value.astimezone(local).isoformat() if value is not None else None

        result.append(
            {
                "id": booking.id,
                "space_kind": booking.space_kind.value,
                "space_code": space_code,
                "space_name": space_name,
                "floor": floor,
                "building": building,
                "time_zone": zone,
                "start_at": at(booking.start_at),
                "end_at": at(booking.end_at),
                "status": booking.status.value,
                "title": booking.title,
                "attendee_count": booking.attendee_count,
                "note": booking.note,
                "series_id": booking.series_id,
                "booked_by": names.get(booking.booked_by_id),
                "created_at": at(booking.created_at),
                "cancelled_at": at(booking.cancelled_at),
                "checked_in_at": at(booking.checked_in_at),
                "checked_out_at": at(booking.checked_out_at),
                "released_at": at(booking.released_at),
                "decided_by": names.get(booking.decided_by_id) if booking.decided_by_id else None,
                "decided_at": at(booking.decided_at),
            }
        )
    return result


async def _series(session: AsyncSession, employee_id: int) -> list[Row]:
    rows = (
        await session.execute(
            select(BookingSeries, Space.code, Building.name)
            .join(Space, BookingSeries.space_id == Space.id)
            .join(Floor, Space.floor_id == Floor.id)
            .join(Building, Floor.building_id == Building.id)
            .where(BookingSeries.employee_id == employee_id)
            .order_by(BookingSeries.id)
        )
    ).all()
    return [
        {
            "id": s.id,
            "space_code": code,
            "building": building,
            "rrule": s.rrule,
            "starts_on": s.starts_on.isoformat(),
            "start_time": s.start_time.isoformat(),
            "end_time": s.end_time.isoformat(),
            "time_zone": s.time_zone,
            "title": s.title,
            "attendee_count": s.attendee_count,
            "created_at": s.created_at.isoformat(),
            "cancelled_at": _iso(s.cancelled_at),
        }
        for s, code, building in rows
    ]


async def _exemptions(session: AsyncSession, employee_id: int) -> list[Row]:
    rows = list(
        (
            await session.scalars(select(Exemption).where(Exemption.employee_id == employee_id).order_by(Exemption.id))
        ).all()
    )
    involved: set[int | None] = (
        {e.decided_by_id for e in rows} | {e.requested_by_id for e in rows} | {e.recommended_by_id for e in rows}
    )
    names = await _names(session, involved)
    files = {
        f.exemption_id: f
        for f in await session.scalars(
            select(ExemptionEvidence).where(ExemptionEvidence.exemption_id.in_([e.id for e in rows]))
        )
    }
    return [
        {
            "id": e.id,
            "remote_days_per_week": e.remote_days_per_week,
            "reason": e.reason,
            "evidence": e.evidence,
            "work_plan": e.work_plan,
            "starts_on": e.starts_on.isoformat(),
            "ends_on": e.ends_on.isoformat(),
            "status": e.status.value,
            "requested_by": names.get(e.requested_by_id),
            "created_at": e.created_at.isoformat(),
            "decided_by": names.get(e.decided_by_id) if e.decided_by_id else None,
            "decided_at": _iso(e.decided_at),
            "decision_note": e.decision_note,
            "overrides_discipline": e.overrides_discipline,
            "recommended_by": names.get(e.recommended_by_id) if e.recommended_by_id else None,
            "recommended_at": _iso(e.recommended_at),
            "recommendation": e.recommendation,
            "recommendation_note": e.recommendation_note,
            "withdrawn_at": _iso(e.withdrawn_at),
            # the file's description; its bytes are downloaded from the exemption's page
            "evidence_file": _evidence_file(files.get(e.id)),
        }
        for e in rows
    ]


def _evidence_file(evidence: ExemptionEvidence | None) -> Row | None:
    if evidence is None:
        return None
    return {
        "file_name": evidence.file_name,
        "content_type": evidence.content_type,
        "size_bytes": evidence.size_bytes,
        "sha256": evidence.sha256,
        "uploaded_at": _iso(evidence.uploaded_at),
    }


async def _role_grants(session: AsyncSession, employee_id: int) -> list[Row]:
    rows = await session.execute(
        select(RoleAssignment.role, OrgUnit.name, Site.name)
        .outerjoin(OrgUnit, RoleAssignment.org_unit_id == OrgUnit.id)
        .outerjoin(Site, RoleAssignment.site_id == Site.id)
        .where(RoleAssignment.employee_id == employee_id)
        .order_by(RoleAssignment.id)
    )
    return [{"role": role.value, "org_unit": unit, "site": site} for role, unit, site in rows]


def _token(token: ApiToken) -> Row:
    """What an app token is, never what proves it (its secret is not stored; its hash is not shown)."""
    return {
        "id": token.id,
        "name": token.name,
        "scopes": list(token.scopes),
        "created_at": token.created_at.isoformat(),
        "expires_at": _iso(token.expires_at),
        "last_used_at": _iso(token.last_used_at),
        "revoked_at": _iso(token.revoked_at),
    }


async def _local_account(session: AsyncSession, employee_id: int) -> list[Row]:
    account = await session.get(LocalAccount, employee_id)
    if account is None:
        return []
    two_step = await session.scalar(select(TotpCredential.enabled_at).where(TotpCredential.employee_id == employee_id))
    codes_left = await session.scalar(
        select(func.count()).where(RecoveryCode.employee_id == employee_id, RecoveryCode.used_at.is_(None))
    )
    return [
        {
            "has_password": account.password_hash is not None,
            "password_changed_at": account.password_changed_at.isoformat(),
            "invitation_pending": account.invitation_hash is not None,
            "invitation_expires_at": _iso(account.invitation_expires_at),
            "disabled_at": _iso(account.disabled_at),
            "two_step_sign_in_since": _iso(two_step),
            "recovery_codes_left": int(codes_left or 0),
        }
    ]


async def _calendar_feed(session: AsyncSession, employee_id: int) -> list[Row]:
    feed = await session.scalar(select(CalendarFeed).where(CalendarFeed.employee_id == employee_id))
    if feed is None:
        return []
    return [{"created_at": feed.created_at.isoformat(), "last_used_at": _iso(feed.last_used_at)}]


async def _audit_entries(session: AsyncSession, about: dict[str, set[int]]) -> list[Row]:
    """Entries whose subject is the person or one of their records (by the entity index)."""
    kinds = [
        and_(AuditEntry.entity_kind == kind, AuditEntry.entity_id.in_(sorted(ids)))
        for kind, ids in about.items()
        if ids
    ]
    entries = list(
        (await session.scalars(select(AuditEntry).where(or_(*kinds)).order_by(AuditEntry.at, AuditEntry.id))).all()
    )
    names = await _names(session, {e.actor_id for e in entries})
    return [
        {
            "at": e.at.isoformat(),
            "action": e.action,
            "by": names.get(e.actor_id) if e.actor_id is not None else None,
            "via": e.via,
            "entity_kind": e.entity_kind,
            "entity_id": e.entity_id,
            "before": e.before,
            "after": e.after,
        }
        for e in entries
    ]


async def _notifications(session: AsyncSession, employee_id: int) -> list[Row]:
    """What was sent to the person: the facts it was worded from (``data``, as the kind's text reads them), who
    caused it, whether it was read, and what became of its email (the address it went to, never the message)."""
    rows = list(
        (
            await session.scalars(
                select(Notification).where(Notification.recipient_id == employee_id).order_by(Notification.id)
            )
        ).all()
    )
    names = await _names(session, {n.actor_id for n in rows})
    return [
        {
            "id": n.id,
            "kind": n.kind.value,
            "data": n.data,
            "caused_by": names.get(n.actor_id) if n.actor_id is not None else None,
            "created_at": n.created_at.isoformat(),
            "expires_at": _iso(n.expires_at),
            "in_app": n.in_app,
            "read_at": _iso(n.read_at),
            "email_status": n.email_status.value if n.email_status is not None else None,
            "email_to": n.email_to,
            "email_attempts": n.email_attempts,
            "email_sent_at": _iso(n.email_sent_at),
            "email_error": n.email_error,
        }
        for n in rows
    ]


async def _notification_preferences(session: AsyncSession, employee_id: int) -> list[Row]:
    rows = await session.scalars(
        select(NotificationPreference)
        .where(NotificationPreference.employee_id == employee_id)
        .order_by(NotificationPreference.kind)
    )
    return [
        {"kind": p.kind.value, "email": p.email, "in_app": p.in_app, "updated_at": p.updated_at.isoformat()}
        for p in rows
    ]


async def _notification_schedule(session: AsyncSession, employee_id: int) -> list[Row]:
    schedule = await session.get(NotificationSchedule, employee_id)
    if schedule is None:
        return []
    return [
        {
            "quiet_from": _iso(schedule.quiet_from),
            "quiet_until": _iso(schedule.quiet_until),
            "daily_digest": schedule.daily_digest,
            "digest_at": schedule.digest_at.isoformat(),
            "updated_at": schedule.updated_at.isoformat(),
        }
    ]
