"""A floor that looks like one: two zones of desk rows (one row turned), two meeting rooms, a few bookings."""

from dataclasses import dataclass
from datetime import date, time

from smartoffice.bookings.service import BookDeskRequest
from smartoffice.db import Database
from smartoffice.places.models import Floor, Space
from smartoffice.runtime import Runtime
from tests.factories import Factory


@dataclass
class OfficeFloor:
    floor: Floor
    desks: list[Space]

    def desk(self, code: str) -> Space:
        return next(d for d in self.desks if d.code == code)


async def office_floor(factory: Factory, db: Database) -> OfficeFloor:
    site = await factory.site(name="KIPP Nusantara")
    building = await factory.building(site, name="Menara Kemenko 2", code="T2")
    floor = await factory.floor(building, level=3, name="Lantai 3", width=36.0, height=18.0)
    west = await factory.zone(floor, code="Z1", name="Direktorat Tata Ruang", x=1, y=1, width=18, height=10)
    east = await factory.zone(floor, code="Z2", name="Biro Umum", x=20, y=1, width=15, height=10)
    desks = []
    for row, y in enumerate((2.6, 4.0, 7.0, 8.4)):
        for col in range(7):
            desks.append(
                await factory.desk(
                    floor,
                    zone_id=west.id,
                    code=f"T2-3-A{row * 7 + col + 1}",
                    x=2.0 + col * 2.4,
                    y=y,
                    width=1.6,
                    height=0.8,
                    amenities=["monitor", "docking"] if col % 2 else ["monitor"],
                )
            )
    for row in range(3):
        for col in range(4):
            desks.append(
                await factory.desk(
                    floor,
                    zone_id=east.id,
                    code=f"T2-3-B{row * 4 + col + 1}",
                    x=21.5 + col * 3.2,
                    y=3.0 + row * 2.6,
                    width=1.6,
                    height=0.8,
                    rotation=-12.0,
                    amenities=["standing"] if col == 3 else [],
                )
            )
    await factory.room(floor, code="R1", name="Ruang Garuda", x=1, y=12.5, width=8, height=4.5, capacity=12)
    await factory.room(floor, code="R2", name="Ruang Enggang", x=10, y=12.5, width=5.5, height=4.5, capacity=6)
    return OfficeFloor(floor, desks)


async def book_some(runtime: Runtime, factory: Factory, office: OfficeFloor, day: date) -> None:
    """Colleagues take a few desks: some all day, some for the morning."""
    for code in ("T2-3-A2", "T2-3-A3", "T2-3-A10", "T2-3-B2", "T2-3-B7", "T2-3-A20"):
        colleague = await factory.employee()
        await runtime.bookings.book_desk(colleague.id, BookDeskRequest(office.desk(code).id, day))
    for code in ("T2-3-A5", "T2-3-B5", "T2-3-A16"):
        colleague = await factory.employee()
        await runtime.bookings.book_desk(colleague.id, BookDeskRequest(office.desk(code).id, day, time(8), time(12)))
