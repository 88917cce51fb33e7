"""Places files for the places import's tests, and what the database holds afterwards."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.places.models import Building, Floor, Site, Space, Zone

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "places-example.csv"
PEOPLE_EXAMPLE = EXAMPLE.with_name("people-siasn-example.csv")
HEADER = ("Kode Kawasan", "Nama Kawasan", "Kode Gedung", "Nama Gedung", "Zona Waktu", "Lantai", "Zona", "Kode Meja",
          "Jenis", "Kapasitas", "Fasilitas")  # fmt: skip


def desk(**overrides: str) -> dict[str, str]:
    values = {"Kode Kawasan": "IKN", "Nama Kawasan": "IKN", "Kode Gedung": "T1", "Nama Gedung": "Menara 1",
              "Zona Waktu": "Asia/Makassar", "Lantai": "1", "Zona": "Zona A", "Kode Meja": "T1-1-A01",
              "Jenis": "meja", "Kapasitas": "", "Fasilitas": "monitor"}  # fmt: skip
    return {**values, **overrides}


def room(**overrides: str) -> dict[str, str]:
    return desk(**{"Zona": "", "Kode Meja": "T1-1-R1", "Jenis": "ruang rapat", "Kapasitas": "8", **overrides})


def csv_bytes(rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> bytes:
    """A semicolon-separated file as Excel in Indonesia saves it; the header is line 1."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=";", lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@dataclass(frozen=True)
class PlaceCounts:
    sites: int
    buildings: int
    floors: int
    zones: int
    spaces: int
    audit_entries: int


async def place_counts(db: Database) -> PlaceCounts:
    async with db.read() as session:
        values = [
            await session.scalar(select(func.count()).select_from(m)) or 0
            for m in (Site, Building, Floor, Zone, Space, AuditEntry)
        ]
    return PlaceCounts(*values)


async def audit_entries(db: Database) -> list[AuditEntry]:
    async with db.read() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def spaces_by_code(db: Database) -> dict[str, Space]:
    async with db.read() as session:
        return {s.code: s for s in await session.scalars(select(Space))}


async def one(db: Database, model: Any, **where: Any) -> Any:
    async with db.read() as session:
        return await session.scalar(select(model).filter_by(**where))
