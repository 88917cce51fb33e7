"""Per-request DataLoaders for policies: one ``IN (...)`` query per batch, each in the service's own short read
transaction (sibling resolvers run concurrently and must not share a session)."""

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from smartoffice.errors import NotFound
from smartoffice.policies.day_rules import PolicyView
from smartoffice.policies.facts import policy_view
from smartoffice.policies.service import PolicyService


class PoliciesLoaders:
    def __init__(self, policies: PolicyService) -> None:
        self.policies = policies
        self.policy_by_id = DataLoader(self._policies_by_id)
        """Every reason, problem and remote share of a week names its policy: one query for all of them (none for
        ``myWeek``, which primes it with the policies its week was judged by)."""

    async def _policies_by_id(self, ids: Sequence[int]) -> list[PolicyView | NotFound]:
        rows = await self.policies.policies_by_id(ids)
        return [policy_view(rows[i]) if i in rows else NotFound("Policy", i) for i in ids]
