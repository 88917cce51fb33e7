"""People who left: marking someone as gone without the import (its own tests cover that)."""

from sqlalchemy import update

from smartoffice.db import Database
from smartoffice.people.models import Employee


async def mark_left(db: Database, person: Employee) -> None:
    """``Employee.active`` false, and nothing else: their bookings stay as they were."""
    async with db.write() as session:
        await session.execute(update(Employee).where(Employee.id == person.id).values(active=False))
