"""Per-request DataLoaders for policies: one ``IN (...)`` query per batch, each in the service's own short read
transaction (sibling resolvers run concurrently and must not share a session)."""

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from smartoffice.errors import NotFound
from smartoffice.policies.models import Policy
from smartoffice.policies.service import PolicyService


class PoliciesLoaders:
    def __init__(self, policies: PolicyService) -> None:
        self.policies = policies
        self.policy_by_id = DataLoader(self._policies_by_id)
        """Every reason, problem and remote share of a week names its policy: one query for all of them."""

    async def _policies_by_id(self, ids: Sequence[int]) -> list[Policy | NotFound]:
        rows = await self.policies.policies_by_id(ids)
        return [rows.get(i) or NotFound("Policy", i) for i in ids]
