"""Whether a person works on a cuti bersama day: the policies in force for them that day say so.

Cuti bersama (collective leave) close an office only for those who are off: staff whose policies state
``works_on_collective_leave`` (public-service units) work that day and take their leave elsewhere, so the booking
checks and the floor's availability let them book a desk (:func:`~smartoffice.bookings.checks.holiday_closure`).
A public holiday is closed for everyone. Runs inside the caller's transaction; a handful of queries, asked only on
a cuti bersama in a building whose rule closes on holidays.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.policies.person_day import day_rules_of


async def works_on_collective_leave(session: AsyncSession, employee_id: int, day: date) -> bool:
    """Whether the policies in force for ``employee_id`` on ``day`` (the engine's ``rules_on``) make cuti bersama a
    working day for them (as :func:`~smartoffice.policies.engine.is_working_day` counts it in their week)."""
    today = await day_rules_of(session, employee_id, day)
    return today is not None and bool(today.rules.rules.works_on_collective_leave)
