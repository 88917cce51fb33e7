"""Per-request DataLoaders for places: one ``IN (...)`` query per batch, each in its own short session (the
batches are :class:`~smartoffice.places.service.PlaceService`'s)."""

from collections.abc import Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from smartoffice.errors import NotFound
from smartoffice.places.models import Building, Floor, Space, Zone
from smartoffice.places.service import PlaceService

M = TypeVar("M", Building, Floor, Zone, Space)


class PlacesLoaders:
    def __init__(self, places: PlaceService) -> None:
        self.places = places
        self.building_by_id = DataLoader(self._buildings_by_id)
        self.buildings_by_site_id = DataLoader(places.buildings_by_site_id)
        self.floor_by_id = DataLoader(self._floors_by_id)
        self.floors_by_building_id = DataLoader(places.floors_by_building_id)
        self.space_by_id = DataLoader(self._spaces_by_id)
        self.spaces_by_floor_id = DataLoader(places.spaces_by_floor_id)
        self.zone_by_id = DataLoader(self._zones_by_id)
        self.zones_by_floor_id = DataLoader(places.zones_by_floor_id)
        self.spaces_by_zone_id = DataLoader(places.spaces_by_zone_id)

    async def _buildings_by_id(self, ids: Sequence[int]) -> list[Building | NotFound]:
        return await self._by_id(Building, ids)

    async def _floors_by_id(self, ids: Sequence[int]) -> list[Floor | NotFound]:
        return await self._by_id(Floor, ids)

    async def _zones_by_id(self, ids: Sequence[int]) -> list[Zone | NotFound]:
        return await self._by_id(Zone, ids)

    async def _spaces_by_id(self, ids: Sequence[int]) -> list[Space | NotFound]:
        return await self._by_id(Space, ids)

    async def _by_id(self, model: type[M], ids: Sequence[int]) -> list[M | NotFound]:
        """Rows in key order; a missing one is a NotFound that ``load()`` raises for that key alone."""
        rows = await self.places.by_id(model, ids)
        return [rows.get(i) or NotFound(model.__name__, i) for i in ids]
