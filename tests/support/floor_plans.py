"""Floors with desks and rooms for the floor plan editor's tests, a facilities manager, and tiny plan images."""

import struct
import zlib
from dataclasses import dataclass

from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.people.models import Employee, Role
from smartoffice.places.models import Floor, Space
from tests.factories import Factory


@dataclass
class PlanFloor:
    floor: Floor
    desks: list[Space]
    room: Space
    manager: Employee
    site_id: int


async def plan_floor(factory: Factory, desks: int = 3, *, manager_name: str = "Fasilitas Nusantara") -> PlanFloor:
    """A 40 × 20 m floor with ``desks`` desks (D-1 …) in a row, one room, and its site's facilities manager."""
    site = await factory.site()
    building = await factory.building(site)
    floor = await factory.floor(building)
    made = [await factory.desk(floor, code=f"D-{i + 1}", x=2.0 + 2 * i, y=2.0) for i in range(desks)]
    room = await factory.room(floor, code="R-1")
    manager = await factory.employee(name=manager_name)
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=site.id)
    return PlanFloor(floor, made, room, manager, site.id)


async def spaces_of(db: Database, floor_id: int) -> dict[str, Space]:
    async with db.read() as session:
        return {s.code: s for s in await session.scalars(select(Space).where(Space.floor_id == floor_id))}


async def audit_of(db: Database, action_prefix: str = "") -> list[AuditEntry]:
    async with db.read() as session:
        query = select(AuditEntry).where(AuditEntry.action.startswith(action_prefix)).order_by(AuditEntry.id)
        return list(await session.scalars(query))


def png_bytes(width: int = 4, height: int = 2) -> bytes:
    """A valid, tiny grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PLAIN_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200" width="400" height="200">'
    b'<rect x="0" y="0" width="400" height="200" fill="#f4f1ea" stroke="#333"/>'
    b'<line x1="200" y1="0" x2="200" y2="200" stroke="#999"/></svg>'
)
