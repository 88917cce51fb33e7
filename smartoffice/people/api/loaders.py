"""Per-request DataLoaders for people: one ``IN (...)`` query per batch, each in its own short session.

The NIP loader asks SQL for the NIP only where the viewer may see it (:mod:`smartoffice.people.visibility`): a
NIP the viewer may not see never leaves the database.
"""

from collections.abc import Sequence

from sqlalchemy import case, null, select
from sqlalchemy.orm import joinedload
from strawberry.dataloader import DataLoader

from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.visibility import Viewer


class PeopleLoaders:
    def __init__(self, db: Database, viewer_id: int | None) -> None:
        self.db = db
        self.viewer_id = viewer_id
        self.employee_by_id = DataLoader(self._employees_by_id)
        self.org_unit_by_id = DataLoader(self._org_units_by_id)
        self.nip_by_employee_id = DataLoader(self._nips_by_employee_id)

    async def _employees_by_id(self, ids: Sequence[int]) -> list[Employee | NotFound]:
        """With their unit and organisation (what ``Employee.from_model`` needs), in the same query."""
        query = (
            select(Employee)
            .where(Employee.id.in_(ids))
            .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        )
        async with self.db.read() as session:
            rows = {e.id: e for e in await session.scalars(query)}
        return [rows.get(i) or NotFound("Employee", i) for i in ids]

    async def _org_units_by_id(self, ids: Sequence[int]) -> list[OrgUnit | NotFound]:
        query = select(OrgUnit).where(OrgUnit.id.in_(ids)).options(joinedload(OrgUnit.organisation))
        async with self.db.read() as session:
            rows = {u.id: u for u in await session.scalars(query)}
        return [rows.get(i) or NotFound("OrgUnit", i) for i in ids]

    async def _nips_by_employee_id(self, ids: Sequence[int]) -> list[str | None]:
        """The NIP of each person where the viewer may see it, else None."""
        if self.viewer_id is None:
            return [None for _ in ids]
        visible = Viewer(self.viewer_id).may_see_nip(Employee)
        query = select(Employee.id, case((visible, Employee.nip), else_=null())).where(Employee.id.in_(ids))
        async with self.db.read() as session:
            nips: dict[int, str | None] = {ident: nip for ident, nip in (await session.execute(query)).all()}
        return [nips.get(i) for i in ids]
