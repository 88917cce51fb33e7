"""Small factories with overrides: ``await factory.desk(floor=..., code="X")``. Each commits and returns the row."""

import itertools
from datetime import date, time
from typing import Any, TypeVar

from smartoffice.bookings.models import BookingRule
from smartoffice.db import Base, Database
from smartoffice.people.models import (
    Employee,
    EmploymentType,
    Organisation,
    OrgUnit,
    PositionKind,
    Role,
    RoleAssignment,
)
from smartoffice.places.models import Building, Closure, Floor, Site, Space, SpaceKind, Zone, room_approvers
from smartoffice.policies.models import (
    CaseStatus,
    DisciplineCase,
    Exemption,
    ExemptionStatus,
    PerformanceRating,
    Rating,
    WorkDay,
    WorkMode,
)

M = TypeVar("M", bound=Base)


class Factory:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._seq = itertools.count(1)

    async def _save(self, row: M) -> M:
        async with self.db.write() as session:
            session.add(row)
        return row

    def _n(self) -> int:
        return next(self._seq)

    async def site(self, **overrides: Any) -> Site:
        n = self._n()
        return await self._save(Site(**{"code": f"S{n}", "name": f"Site {n}", **overrides}))

    async def building(self, site: Site | None = None, **overrides: Any) -> Building:
        site = site or await self.site()
        n = self._n()
        values = {
            "site_id": site.id,
            "code": f"B{n}",
            "name": f"Tower {n}",
            "time_zone": "Asia/Makassar",
            "opens_at": time(7, 0),
            "closes_at": time(19, 0),
        }
        return await self._save(Building(**{**values, **overrides}))

    async def floor(self, building: Building | None = None, **overrides: Any) -> Floor:
        building = building or await self.building()
        n = self._n()
        values = {"building_id": building.id, "level": n, "name": f"Floor {n}", "width": 40.0, "height": 20.0}
        return await self._save(Floor(**{**values, **overrides}))

    async def zone(self, floor: Floor | None = None, **overrides: Any) -> Zone:
        floor = floor or await self.floor()
        n = self._n()
        values = {
            "floor_id": floor.id,
            "code": f"Z{n}",
            "name": f"Zone {n}",
            "x": 1.0,
            "y": 1.0,
            "width": 20.0,
            "height": 10.0,
        }
        return await self._save(Zone(**{**values, **overrides}))

    async def desk(self, floor: Floor | None = None, **overrides: Any) -> Space:
        floor = floor or await self.floor()
        n = self._n()
        values = {
            "floor_id": floor.id,
            "kind": SpaceKind.DESK,
            "code": f"D{n}",
            "x": float(n % 20) * 2,
            "y": 2.0,
            "width": 1.6,
            "height": 0.8,
            "rotation": 0.0,
            "amenities": ["monitor"],
            "capacity": 1,
        }
        return await self._save(Space(**{**values, **overrides}))

    async def room(self, floor: Floor | None = None, **overrides: Any) -> Space:
        floor = floor or await self.floor()
        n = self._n()
        values = {
            "floor_id": floor.id,
            "kind": SpaceKind.ROOM,
            "code": f"R{n}",
            "name": f"Room {n}",
            "x": 30.0,
            "y": 10.0,
            "width": 6.0,
            "height": 4.0,
            "rotation": 0.0,
            "amenities": [],
            "capacity": 8,
        }
        return await self._save(Space(**{**values, **overrides}))

    async def organisation(self, **overrides: Any) -> Organisation:
        n = self._n()
        return await self._save(Organisation(**{"code": f"ORG{n}", "name": f"Kementerian {n}", **overrides}))

    async def unit(self, organisation: Organisation | None = None, **overrides: Any) -> OrgUnit:
        organisation = organisation or await self.organisation()
        n = self._n()
        values = {"organisation_id": organisation.id, "code": f"U{n}", "name": f"Direktorat {n}", "level": 2}
        return await self._save(OrgUnit(**{**values, **overrides}))

    async def employee(self, unit: OrgUnit | None = None, **overrides: Any) -> Employee:
        unit = unit or await self.unit()
        n = self._n()
        values = {
            "nip": f"199001012015011{n % 1000:03d}",
            "name": f"Pegawai {n}",
            "email": f"pegawai{n}@example.go.id",
            "org_unit_id": unit.id,
            "position_kind": PositionKind.FUNCTIONAL,
            "position_level": "Ahli Muda",
            "employment_type": EmploymentType.PNS,
            "placed_on": date(2024, 1, 1),
        }
        return await self._save(Employee(**{**values, **overrides}))

    async def role(self, employee: Employee, role: Role, **scope: Any) -> RoleAssignment:
        return await self._save(RoleAssignment(employee_id=employee.id, role=role, **scope))

    async def closure(self, reason: str = "Maintenance", **scope_and_times: Any) -> Closure:
        return await self._save(Closure(reason=reason, **scope_and_times))

    async def booking_rule(self, building: Building, kind: SpaceKind, **overrides: Any) -> BookingRule:
        """The building's own rule row: the global defaults with ``overrides``."""
        values = {
            "max_days_in_advance": 28,
            "min_duration_minutes": 15,
            "max_duration_minutes": 24 * 60,
            "max_active_bookings": 20,
            "cancellation_deadline_minutes": 0,
            "check_in_opens_minutes": 30,
            "check_in_grace_minutes": 30,
            "buffer_minutes": 0,
            "closed_on_holidays": True,
        }
        return await self._save(BookingRule(building_id=building.id, space_kind=kind, **{**values, **overrides}))

    async def approver(self, room: Space, employee: Employee) -> None:
        async with self.db.write() as session:
            await session.execute(room_approvers.insert().values(space_id=room.id, employee_id=employee.id))

    # office-day policies (imported here: the module's import block is left to its other authors)

    async def policy(self, rules: dict[str, Any], **overrides: Any) -> Any:
        """A national :class:`~smartoffice.policies.models.Policy` in force since PermenPANRB 4/2025 took effect,
        stating ``rules`` (the stored JSON document); scope columns and anything else in ``overrides``."""
        from smartoffice.policies.models import Policy, PolicyLevel

        n = self._n()
        values = {
            "code": f"POL{n}",
            "name": f"Kebijakan {n}",
            "level": int(PolicyLevel.NATIONAL),
            "is_overlay": False,
            "legal_basis": "PermenPANRB 4/2025 Pasal 13(1)",
            "set_by": "Menteri PANRB",
            "effective_from": date(2025, 4, 21),
            "rules": rules,
        }
        return await self._save(Policy(**{**values, **overrides}))

    async def anchor_day(self, unit: OrgUnit, weekday: int, **overrides: Any) -> Any:
        """An :class:`~smartoffice.policies.models.AnchorDay` of ``unit`` (0 = Monday), in force since 2025."""
        from smartoffice.policies.models import AnchorDay

        values = {"org_unit_id": unit.id, "weekday": weekday, "effective_from": date(2025, 1, 1)}
        return await self._save(AnchorDay(**{**values, **overrides}))

    async def exemption(self, employee: Employee, starts_on: date, ends_on: date, **overrides: Any) -> Exemption:
        """An APPROVED exemption of 5 remote days a week unless ``overrides`` say otherwise."""
        values = {
            "employee_id": employee.id,
            "remote_days_per_week": 5,
            "reason": "Merawat orang tua",
            "evidence": "Surat keterangan dokter",
            "work_plan": "Laporan harian",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "status": ExemptionStatus.APPROVED,
            "requested_by_id": employee.id,
        }
        return await self._save(Exemption(**{**values, **overrides}))

    async def discipline_case(
        self, employee: Employee, status: CaseStatus = CaseStatus.ACTIVE, **overrides: Any
    ) -> DisciplineCase:
        values = {"employee_id": employee.id, "status": status, "opened_on": date(2025, 1, 1)}
        return await self._save(DisciplineCase(**{**values, **overrides}))

    async def rating(self, employee: Employee, rating: Rating, period: int = 2025) -> PerformanceRating:
        return await self._save(PerformanceRating(employee_id=employee.id, period=period, rating=rating))

    async def work_day(
        self, employee: Employee, day: date, planned: WorkMode | None = None, actual: WorkMode | None = None
    ) -> WorkDay:
        return await self._save(WorkDay(employee_id=employee.id, day=day, planned=planned, actual=actual))
