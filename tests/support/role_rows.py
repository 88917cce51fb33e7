"""Role rows of every kind the role listing pages through, on top of :func:`tests.support.org_chart.build_org_chart`:
explicit grants (administrator, facilities managers, a unit manager), room approvers of two rooms and more heads of
units by position, so that a small page size crosses every boundary between the listing's parts."""

from smartoffice.people.models import PositionKind, Role
from tests.factories import Factory
from tests.support.org_chart import OrgChart


async def add_role_rows(factory: Factory, org: OrgChart) -> None:
    for n in range(5):
        manager = await factory.employee(org.directorate, name=f"Pengelola {n}")
        await factory.role(manager, Role.FACILITIES_MANAGER, site_id=org.site.id)
    await factory.role(org.lead, Role.UNIT_MANAGER, org_unit_id=org.team.id)
    for person in (org.vice, org.staff[0]):
        await factory.approver(org.room, person)
    await factory.approver(org.sibling_room, org.staff[1])
    for n in range(3):
        unit = await factory.unit(organisation_id=org.deputy.organisation_id, name=f"Biro {n}", parent_id=org.deputy.id)
        await factory.employee(unit, name=f"Kepala Biro {n}", position_kind=PositionKind.MANAGERIAL)


ADDED_ROWS = 5 + 1 + 3 + 3
"""What :func:`add_role_rows` adds to the org chart's own rows (its administrator and three heads by position)."""
