"""People queries (and the role queries of ``people/api/roles.py``)."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.people.api.roles import RolesQuery
from smartoffice.people.api.types import Employee


@strawberry.type
class PeopleQuery(RolesQuery):
    @strawberry.field(description="The person making the request, or null when anonymous.")
    async def viewer(self, info: Info) -> Employee | None:
        if info.context.viewer_id is None:
            return None
        employee = await info.context.runtime.people.find_employee(info.context.viewer_id)
        return Employee.from_model(employee) if employee else None
