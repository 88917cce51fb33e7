"""People queries."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.errors import NotFound
from smartoffice.people import service as people
from smartoffice.people.api.types import Employee


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="The person making the request, or null when anonymous.")
    async def viewer(self, info: Info) -> Employee | None:
        if info.context.viewer_id is None:
            return None
        async with info.context.runtime.db.read() as session:
            try:
                return Employee.from_model(await people.get_employee(session, info.context.viewer_id))
            except NotFound:
                return None
