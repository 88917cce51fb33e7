"""Exports of personal data: a person's own download, and an administrator answering a data subject's request.

The service owns its transaction (read for one's own copy; write for a request answered for someone else, whose
audit entry ``personal_data.export`` commits with the read it records, so an export without its record cannot
happen). Login sessions come from Redis first; Redis unreachable, the copy says so by listing none.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from redis.exceptions import RedisError
from sqlalchemy import func, or_, select

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.identity.sessions import SessionInfo, SessionStore
from smartoffice.people.models import Employee
from smartoffice.privacy.export import PersonalData, collect

log = logging.getLogger(__name__)


class PersonalDataService:
    def __init__(self, db: Database, sessions: SessionStore | None, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.sessions = sessions
        self.clock = clock

    async def my_data(self, employee_id: int) -> PersonalData:
        """The person's own copy (who is asking was settled by the caller: they are signed in as this person)."""
        login_sessions = await self._login_sessions(employee_id)
        async with self.db.read() as session:
            if await session.get(Employee, employee_id) is None:
                raise NotFound("Employee", employee_id)
            return await collect(session, employee_id, self.clock(), login_sessions)

    async def export_for_request(self, actor: Actor, who: str, file_format: str) -> PersonalData:
        """The data of the person whose NIP or email is ``who`` (raises NotFound), audited as
        ``personal_data.export`` by ``actor`` with the format, in the transaction that reads it."""
        async with self.db.read() as session:
            employee_id = await session.scalar(
                select(Employee.id).where(
                    or_(Employee.nip == who.strip(), func.lower(Employee.email) == who.strip().lower())
                )
            )
        if employee_id is None:
            raise NotFound("Employee", who)
        login_sessions = await self._login_sessions(employee_id)
        now = self.clock()
        async with self.db.write() as session:
            employee = await session.get(Employee, employee_id)
            if employee is None:
                raise NotFound("Employee", who)
            data = await collect(session, employee_id, now, login_sessions)
            record_change(
                session,
                actor,
                "personal_data.export",
                at=now,
                entity_kind="Employee",
                entity_id=employee_id,
                after={"format": file_format},
                org_unit_id=employee.org_unit_id,
            )
        return data

    async def _login_sessions(self, employee_id: int) -> list[SessionInfo]:
        if self.sessions is None:
            return []
        try:
            return await self.sessions.sessions_of(employee_id)
        except RedisError as exc:
            log.warning("login sessions left out of a personal data export (Redis: %s)", exc)
            return []
