"""Per-request DataLoaders for places: one ``IN (...)`` query per batch, each in its own short session."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.places.models import Building, Floor, Space

M = TypeVar("M", Building, Floor, Space)


class PlacesLoaders:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.building_by_id = DataLoader(self._buildings_by_id)
        self.buildings_by_site_id = DataLoader(self._buildings_by_site_id)
        self.floor_by_id = DataLoader(self._floors_by_id)
        self.floors_by_building_id = DataLoader(self._floors_by_building_id)
        self.space_by_id = DataLoader(self._spaces_by_id)
        self.spaces_by_floor_id = DataLoader(self._spaces_by_floor_id)

    async def _buildings_by_id(self, ids: Sequence[int]) -> list[Building | NotFound]:
        return await self._by_id(Building, ids)

    async def _buildings_by_site_id(self, ids: Sequence[int]) -> list[list[Building]]:
        query = select(Building).where(Building.site_id.in_(ids)).order_by(Building.code)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda b: b.site_id)

    async def _floors_by_id(self, ids: Sequence[int]) -> list[Floor | NotFound]:
        return await self._by_id(Floor, ids)

    async def _floors_by_building_id(self, ids: Sequence[int]) -> list[list[Floor]]:
        query = select(Floor).where(Floor.building_id.in_(ids)).order_by(Floor.level)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda f: f.building_id)

    async def _spaces_by_id(self, ids: Sequence[int]) -> list[Space | NotFound]:
        return await self._by_id(Space, ids)

    async def _spaces_by_floor_id(self, ids: Sequence[int]) -> list[list[Space]]:
        query = select(Space).where(Space.floor_id.in_(ids)).order_by(Space.code)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda s: s.floor_id)

    async def _by_id(self, model: type[M], ids: Sequence[int]) -> list[M | NotFound]:
        """Rows in key order; a missing one is a NotFound that ``load()`` raises for that key alone."""
        async with self.db.read() as session:
            rows = {row.id: row for row in await session.scalars(select(model).where(model.id.in_(ids)))}
        return [rows.get(i) or NotFound(model.__name__, i) for i in ids]


T = TypeVar("T")


def _group(rows: Iterable[T], ids: Sequence[int], key: Callable[[T], int]) -> list[list[T]]:
    groups: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(i, []) for i in ids]
