"""People mutations: presence sharing (the opt-in of the privacy rules)."""

from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, to_graphql_error
from smartoffice.errors import NotFound
from smartoffice.people import service as people
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
class PeopleMutation:
    @strawberry.mutation(description="Opt in to (or out of) showing your name on your bookings to everyone.")
    async def set_presence_sharing(self, info: Info, input: SetPresenceSharingInput) -> SetPresenceSharingResult:
        viewer = info.context.require_session()
        try:
            async with info.context.runtime.db.write() as session:
                employee = await people.set_presence_sharing(session, viewer, input.share)
        except NotFound as error:
            member = to_graphql_error(error, info.context.language)
            assert isinstance(member, NotFoundError)
            return member
        return SetPresenceSharingSuccess(employee=Employee.from_model(employee))
