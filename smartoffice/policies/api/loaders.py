"""Per-request DataLoaders for policies: one ``IN (...)`` query per batch, in its own short session."""

from collections.abc import Sequence

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.policies.models import Policy


class PoliciesLoaders:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.policy_by_id = DataLoader(self._policies_by_id)
        """Every reason, problem and remote share of a week names its policy: one query for all of them."""

    async def _policies_by_id(self, ids: Sequence[int]) -> list[Policy | NotFound]:
        async with self.db.read() as session:
            rows = {row.id: row for row in await session.scalars(select(Policy).where(Policy.id.in_(ids)))}
        return [rows.get(i) or NotFound("Policy", i) for i in ids]
