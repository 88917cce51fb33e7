"""Every ORM model, imported in one place so that ``Base.metadata`` is complete (Alembic, tests)."""

from smartoffice.bookings.models import Booking
from smartoffice.db import Base
from smartoffice.people.models import Employee, Organisation, OrgUnit
from smartoffice.places.models import Building, Floor, Site, Space, Zone

__all__ = [
    "Base",
    "Booking",
    "Building",
    "Employee",
    "Floor",
    "OrgUnit",
    "Organisation",
    "Site",
    "Space",
    "Zone",
]
