"""Which bookings a person may see, as one SQL predicate (so lists and node lookups filter in the query).

A booking is visible to the person booked, whoever made it, those who manage the person (direct supervisor, unit
managers over the person's unit subtree, admins: :meth:`Viewer.manages`) and the facilities managers of the
site the booked space is in. This is the read side of ``can_cancel``: whoever may cancel a booking may see it.
"""

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import aliased

from smartoffice.bookings.models import Booking
from smartoffice.people.models import Employee
from smartoffice.people.visibility import Viewer
from smartoffice.places.models import Building, Floor, Space


def visible_bookings(viewer: Viewer) -> ColumnElement[bool]:
    person = aliased(Employee)
    space, floor, building = aliased(Space), aliased(Floor), aliased(Building)
    managed_people = select(person.id).where(viewer.manages(person))
    in_my_sites = (
        select(space.id)
        .join(floor, floor.id == space.floor_id)
        .join(building, building.id == floor.building_id)
        .where(building.site_id.in_(viewer.facilities_sites()))
    )
    return or_(
        Booking.employee_id == viewer.employee_id,
        Booking.booked_by_id == viewer.employee_id,
        viewer.is_admin(),
        Booking.employee_id.in_(managed_people),
        Booking.space_id.in_(in_my_sites),
    )
