"""The directorate the "where" week-page tests share (pages and Chromium): Siti under a national cap of two remote
days a week and her agency's policy on where remote days may be worked (her registered home and the agency's
offices: no designated places)."""

from dataclasses import dataclass

from smartoffice.people.models import Employee, OrgUnit, PositionKind, Role
from smartoffice.policies.models import PolicyLevel
from tests.factories import Factory

HOME_REF = "ALAMAT-IKN-0042"
BALIKPAPAN = "Kantor Regional Balikpapan"
WHERE_POLICY = "Lokasi kerja fleksibel Bappenas"


@dataclass
class Directorate:
    unit: OrgUnit
    manager: Employee
    siti: Employee


async def where_directorate(factory: Factory) -> Directorate:
    organisation = await factory.organisation(code="BAPPENAS", name="Kementerian PPN/Bappenas")
    unit = await factory.unit(organisation, code="DIR-MAKRO", name="Direktorat Perencanaan Makro")
    floor = await factory.floor(await factory.building(name="Menara Kemenko 1"), level=3, name="Lantai 3")
    await factory.zone(floor, code="B3", name="Zona B3", org_unit_id=unit.id)
    manager = await factory.employee(unit, name="Budi Santoso", position_kind=PositionKind.MANAGERIAL)
    await factory.role(manager, Role.UNIT_MANAGER, org_unit_id=unit.id)
    siti = await factory.employee(unit, name="Siti Rahmawati", supervisor_id=manager.id, home_address_ref=HOME_REF)
    await factory.policy({"max_remote_days_per_week": 2}, name="Fleksibilitas lokasi kerja ASN")
    await factory.policy(
        {"allowed_location_kinds": ["registered_home", "agency_office"]},
        name=WHERE_POLICY,
        legal_basis="Keputusan Menteri PPN 5/2025",
        level=int(PolicyLevel.AGENCY),
        organisation_id=organisation.id,
    )
    return Directorate(unit, manager, siti)
