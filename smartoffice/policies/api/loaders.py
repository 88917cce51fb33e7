"""Per-request DataLoaders for policies: one ``IN (...)`` query per batch, each in the service's own short read
transaction (sibling resolvers run concurrently and must not share a session)."""

from collections.abc import Sequence
from datetime import date

from strawberry.dataloader import DataLoader

from smartoffice.errors import NotFound
from smartoffice.policies.models import Policy
from smartoffice.policies.remote_locations import Location
from smartoffice.policies.service import PolicyService


class PoliciesLoaders:
    def __init__(self, policies: PolicyService) -> None:
        self.policies = policies
        self.policy_by_id = DataLoader(self._policies_by_id)
        """Every reason, problem and remote share of a week names its policy: one query for all of them."""
        self.location_by_day = DataLoader(self._locations_by_day)
        """Where each remote day of a week is worked, by (employee id, date): one query for the week."""

    async def _policies_by_id(self, ids: Sequence[int]) -> list[Policy | NotFound]:
        rows = await self.policies.policies_by_id(ids)
        return [rows.get(i) or NotFound("Policy", i) for i in ids]

    async def _locations_by_day(self, keys: Sequence[tuple[int, date]]) -> list[Location | None]:
        found = await self.policies.locations_of_days(keys)
        return [found.get(key) for key in keys]
