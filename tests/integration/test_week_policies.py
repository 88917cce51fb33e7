"""``myWeek`` answers the ``policy`` of its reasons and problems from the policies the week was judged by (the engine's
``PolicyView``s, primed into the request's loader) instead of reading them again: the GraphQL ``Policy`` built from a
view must be the one built from its row, field for field."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from smartoffice.policies.api.policy_types import Policy
from smartoffice.policies.api.queries import week_policies
from smartoffice.policies.models import PolicyLevel
from smartoffice.policies.service import PolicyService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.policies import WEEK, build_team

NOW = datetime.combine(date(2026, 7, 3), time(9), ZoneInfo("Asia/Makassar")).astimezone(UTC)


async def test_the_policies_a_week_cites_are_the_policies_as_stored(runtime: Runtime, factory: Factory) -> None:
    # given a week whose numbers cite a unit policy (read through the process's cache)
    team = await build_team(factory)
    await factory.policy(
        {"max_remote_days_per_week": 1, "min_office_days_per_week": 4},
        level=int(PolicyLevel.UNIT),
        org_unit_id=team.directorate.id,
        set_by="Direktur",
        legal_basis="Keputusan Direktur 2/2026",
    )
    service = PolicyService(runtime.db, lambda: NOW, facts=runtime.policies.facts)
    person = team.staff[0]
    await service.my_week(person.id, person.id, WEEK)

    # when
    week = await service.my_week(person.id, person.id, WEEK)

    # then
    cited = {view.id: view for view in week_policies(week)}
    assert cited
    rows = await service.policies_by_id(list(cited))
    assert {i: Policy.from_model(view) for i, view in cited.items()} == {
        i: Policy.from_model(row) for i, row in rows.items()
    }
    assert "Direktur" in {row.set_by for row in rows.values()}
