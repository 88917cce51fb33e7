"""People mutations: presence sharing (the opt-in of the privacy rules), and granting and revoking roles
(``people/api/roles.py``)."""

from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError
from smartoffice.people.api.roles import RolesMutation
from smartoffice.people.api.types import Employee


@strawberry.input(description="Whether colleagues outside your unit may see your name on the space you booked.")
class SetPresenceSharingInput:
    share: bool = strawberry.field(
        description="True: anyone who may see the floor sees your name on your booked desk or room (tokens only "
        "with people:read:names). False (the default for everyone): only your unit, your managers and admins."
    )


@strawberry.type(description="Your presence sharing is set.")
class SetPresenceSharingSuccess:
    employee: Employee


SetPresenceSharingResult = Annotated[
    SetPresenceSharingSuccess | NotFoundError, strawberry.union("SetPresenceSharingResult")
]


@strawberry.type
class PeopleMutation(RolesMutation):
    @strawberry.mutation(description="Opt in to (or out of) showing your name on your bookings to everyone.")
    async def set_presence_sharing(self, info: Info, input: SetPresenceSharingInput) -> SetPresenceSharingResult:
        viewer = info.context.require_session()
        employee = await info.context.runtime.people.set_presence_sharing(viewer, input.share)
        return SetPresenceSharingSuccess(employee=Employee.from_model(employee))
