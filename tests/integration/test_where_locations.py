"""Where a remote day is worked (issue 14, point 8): the location kind of a HOME or ANYWHERE plan, and a policy that
restricts the kinds, on a real database through :class:`~smartoffice.policies.service.PolicyService`.

The team is the policy tests' (tests.support.policies); weeks are judged as of the Friday before.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from smartoffice.errors import InvalidInput, PolicyRefusal
from smartoffice.people.models import Employee
from smartoffice.policies.models import LocationKind, PolicyLevel, WorkMode
from smartoffice.policies.service import PolicyService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.policies import MON, NEXT_WEEK, TUE, WED, Team, build_team

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 7, 3)
HOME_REF = "ALAMAT-2026-0042"
BALIKPAPAN = "Kantor Regional Balikpapan"


@pytest.fixture
async def team(factory: Factory, runtime: Runtime) -> Team:
    team = await build_team(factory)
    async with runtime.db.write() as session:
        await session.execute(update(Employee).where(Employee.id == team.staff[0].id).values(home_address_ref=HOME_REF))
    return team


@pytest.fixture
def policies(runtime: Runtime) -> PolicyService:
    now = datetime.combine(TODAY, time(9), WITA).astimezone(UTC)
    return PolicyService(runtime.db, lambda: now)


async def test_a_home_day_is_worked_at_the_registered_home(policies: PolicyService, team: Team) -> None:
    person = team.staff[0]

    row = await policies.set_work_plan(person.id, person.id, MON, WorkMode.HOME)

    assert row is not None
    assert (row.planned, row.location_kind, row.location_detail) == (
        WorkMode.HOME,
        LocationKind.REGISTERED_HOME,
        HOME_REF,
    )
    # a person without a home reference on file may give it
    other = team.staff[1]
    given = await policies.set_work_plan(other.id, other.id, TUE, WorkMode.HOME, location_detail=" RT 04 / RW 02 ")
    assert given is not None and (given.location_kind, given.location_detail) == (
        LocationKind.REGISTERED_HOME,
        "RT 04 / RW 02",
    )


async def test_an_anywhere_day_names_another_office_or_a_designated_place(policies: PolicyService, team: Team) -> None:
    person = team.staff[0]

    row = await policies.set_work_plan(
        person.id,
        person.id,
        MON,
        WorkMode.ANYWHERE,
        location_kind=LocationKind.AGENCY_OFFICE,
        location_detail=BALIKPAPAN,
    )

    assert row is not None
    assert (row.location_kind, row.location_detail) == (LocationKind.AGENCY_OFFICE, BALIKPAPAN)

    # and an office plan on the same day forgets where the remote day was
    office = await policies.set_work_plan(person.id, person.id, MON, WorkMode.OFFICE)
    assert office is not None and (office.location_kind, office.location_detail) == (None, None)


@pytest.mark.parametrize(
    ("mode", "kind", "detail", "field", "code"),
    [
        (WorkMode.ANYWHERE, None, BALIKPAPAN, "locationKind", "ANYWHERE_NEEDS_A_PLACE"),
        (WorkMode.ANYWHERE, LocationKind.REGISTERED_HOME, None, "locationKind", "ANYWHERE_NEEDS_A_PLACE"),
        (WorkMode.ANYWHERE, LocationKind.DESIGNATED_PLACE, "  ", "locationDetail", "LOCATION_DETAIL_NEEDED"),
        (WorkMode.ANYWHERE, LocationKind.DESIGNATED_PLACE, "x" * 201, "locationDetail", "LOCATION_DETAIL_TOO_LONG"),
        (WorkMode.HOME, LocationKind.AGENCY_OFFICE, BALIKPAPAN, "locationKind", "HOME_IS_THE_REGISTERED_HOME"),
        (WorkMode.OFFICE, LocationKind.AGENCY_OFFICE, None, "locationKind", "LOCATION_ONLY_FOR_REMOTE"),
        (WorkMode.LEAVE, None, "Yogyakarta", "locationDetail", "LOCATION_ONLY_FOR_REMOTE"),
        (WorkMode.DUTY_TRAVEL, LocationKind.DESIGNATED_PLACE, None, "locationKind", "LOCATION_ONLY_FOR_REMOTE"),
        (None, LocationKind.REGISTERED_HOME, None, "locationKind", "LOCATION_ONLY_FOR_REMOTE"),
    ],
)
async def test_a_location_that_does_not_fit_the_plan_is_invalid_and_changes_nothing(
    policies: PolicyService,
    team: Team,
    mode: WorkMode | None,
    kind: LocationKind | None,
    detail: str | None,
    field: str,
    code: str,
) -> None:
    person = team.staff[0]
    with pytest.raises(InvalidInput) as refused:
        await policies.set_work_plan(person.id, person.id, MON, mode, location_kind=kind, location_detail=detail)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert refused.value.message_in("id") != refused.value.message_in("en")  # worded in both languages
    assert (await policies.my_week(person.id, person.id, MON)).plan.days[0].planned is None


async def test_a_policy_restricting_the_kinds_refuses_the_others_naming_itself(
    policies: PolicyService, team: Team, factory: Factory
) -> None:
    # given the agency allows only the registered home and its own offices (no designated places), and the
    # directorate only its offices on Wednesdays' week (a stricter unit policy, from Wednesday on)
    agency = await factory.policy(
        {"allowed_location_kinds": ["registered_home", "agency_office"]},
        name="Lokasi kerja fleksibel Bappenas",
        legal_basis="Keputusan Menteri PPN 5/2025",
        level=int(PolicyLevel.AGENCY),
        organisation_id=team.deputy.organisation_id,
    )
    unit = await factory.policy(
        {"allowed_location_kinds": ["agency_office"]},
        name="Lokasi kerja Direktorat Perencanaan",
        legal_basis="Keputusan Direktur 2/2026",
        level=int(PolicyLevel.UNIT),
        org_unit_id=team.directorate.id,
        effective_from=WED,
    )
    person = team.staff[0]

    # a designated place is refused under the agency's policy, with its name and basis, and nothing is planned
    with pytest.raises(PolicyRefusal) as refused:
        await policies.set_work_plan(
            person.id,
            person.id,
            MON,
            WorkMode.ANYWHERE,
            location_kind=LocationKind.DESIGNATED_PLACE,
            location_detail="Coworking",
        )
    assert refused.value.code == "LOCATION_KIND_NOT_ALLOWED"
    assert (refused.value.policy, refused.value.legal_basis) == (agency.name, agency.legal_basis)
    assert "Monday 6 July 2026" in refused.value.message
    assert "Senin, 6 Juli 2026" in refused.value.message_in("id")
    assert (await policies.my_week(person.id, person.id, MON)).plan.days[0].planned is None

    # another office of the agency, and home on Monday, are allowed
    await policies.set_work_plan(
        person.id,
        person.id,
        MON,
        WorkMode.ANYWHERE,
        location_kind=LocationKind.AGENCY_OFFICE,
        location_detail=BALIKPAPAN,
    )
    assert (await policies.set_work_plan(person.id, person.id, TUE, WorkMode.HOME)) is not None

    # from Wednesday the unit allows only its offices: home is refused, citing the unit's policy (the stricter)
    with pytest.raises(PolicyRefusal) as home:
        await policies.set_work_plan(person.id, person.id, NEXT_WEEK + timedelta(days=2), WorkMode.HOME)
    assert (home.value.policy, home.value.legal_basis) == (unit.name, unit.legal_basis)
