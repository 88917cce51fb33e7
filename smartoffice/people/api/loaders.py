"""Per-request DataLoaders for people: one ``IN (...)`` query per batch, each in its own short session.

The batches are :class:`~smartoffice.people.service.PeopleService`'s. The NIP loader asks SQL for the NIP only
where the viewer may see it (:mod:`smartoffice.people.visibility`): a NIP the viewer may not see never leaves the
database.
"""

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from smartoffice.errors import NotFound
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.service import PeopleService


class PeopleLoaders:
    def __init__(self, people: PeopleService, viewer_id: int | None) -> None:
        self.people = people
        self.viewer_id = viewer_id
        self.employee_by_id = DataLoader(self._employees_by_id)
        self.org_unit_by_id = DataLoader(self._org_units_by_id)
        self.nip_by_employee_id = DataLoader(self._nips_by_employee_id)

    async def _employees_by_id(self, ids: Sequence[int]) -> list[Employee | NotFound]:
        """With their unit and organisation (what ``Employee.from_model`` needs), in the same query."""
        rows = await self.people.employees_by_id(ids)
        return [rows.get(i) or NotFound("Employee", i) for i in ids]

    async def _org_units_by_id(self, ids: Sequence[int]) -> list[OrgUnit | NotFound]:
        rows = await self.people.org_units_by_id(ids)
        return [rows.get(i) or NotFound("OrgUnit", i) for i in ids]

    async def _nips_by_employee_id(self, ids: Sequence[int]) -> list[str | None]:
        """The NIP of each person where the viewer may see it, else None."""
        if self.viewer_id is None:
            return [None for _ in ids]
        nips = await self.people.nips_by_employee_id(self.viewer_id, ids)
        return [nips.get(i) for i in ids]
