"""The team and the fixed weeks the policy tests share (service and GraphQL): 6-10 and 13-17 July 2026 hold no
holiday."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from smartoffice.people.models import Employee, OrgUnit, PositionKind, Role
from smartoffice.policies.exemptions import ExemptionRequest
from smartoffice.policies.models import Policy
from tests.factories import Factory

WEEK = date(2026, 7, 6)
NEXT_WEEK = WEEK + timedelta(days=7)
MON, TUE, WED, THU, FRI, SAT = (WEEK + timedelta(days=n) for n in range(6))
NATIONAL_RULES: dict[str, Any] = {
    "max_remote_days_per_week": 2,
    "max_unit_remote_percent": 30,
    "eligibility": {"no_discipline_case": True, "min_days_in_post": 180},
}


@dataclass
class Team:
    """A deputy over a directorate: the deputy's head manages both units; the supervisor and three staff sit in
    the directorate (four members: a 30 % cap lets one of them be remote a day)."""

    deputy: OrgUnit
    directorate: OrgUnit
    head: Employee
    supervisor: Employee
    staff: list[Employee]
    stranger: Employee
    admin: Employee
    national: Policy


async def build_team(factory: Factory) -> Team:
    organisation = await factory.organisation(name="Kementerian PPN/Bappenas")
    deputy = await factory.unit(organisation, name="Kedeputian Pendanaan", level=1)
    directorate = await factory.unit(organisation, name="Direktorat Perencanaan", parent_id=deputy.id)
    head = await factory.employee(deputy, name="Kepala Deputi", position_kind=PositionKind.MANAGERIAL)
    await factory.role(head, Role.UNIT_MANAGER, org_unit_id=deputy.id)
    supervisor = await factory.employee(directorate, name="Atasan Langsung")
    staff = [await factory.employee(directorate, supervisor_id=supervisor.id, name=f"Staf {n}") for n in (1, 2, 3)]
    stranger = await factory.employee(name="Orang Lain")
    admin = await factory.employee(name="Admin")
    await factory.role(admin, Role.ADMIN)
    national = await factory.policy(NATIONAL_RULES, name="Batas kerja fleksibel lokasi nasional")
    return Team(deputy, directorate, head, supervisor, staff, stranger, admin, national)


def asking(person: Employee, **overrides: Any) -> ExemptionRequest:
    """An exemption request for ``person`` (five remote days, 14 Dec 2026 to 14 Feb 2027) with ``overrides``."""
    values: dict[str, Any] = {
        "employee_id": person.id,
        "remote_days_per_week": 5,
        "starts_on": date(2026, 12, 14),
        "ends_on": date(2027, 2, 14),
        "reason": "Merawat orang tua yang sakit",
        "evidence": "Surat keterangan dokter RSUD",
        "work_plan": "Laporan harian kepada atasan",
    }
    return ExemptionRequest(**{**values, **overrides})
