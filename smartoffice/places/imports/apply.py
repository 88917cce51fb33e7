"""Writing a places plan inside the caller's one write transaction, in bulk statements, parents first (sites,
buildings, floors, zones, spaces: each level's new ids exist before the next is inserted). Every change is audited
in the same transaction, with the site it is in (so the site's facilities managers read it), as the GraphQL types
name the entities (``Site``, ``Building``, ``Floor``, ``Zone``, ``Desk``/``MeetingRoom``).

These are ORM ``insert``/``update`` statements on places tables, so ``places.layout`` notices them and the
runtime's after-commit hook bumps the floor layout version (the service bumps it too, for the command line).
"""

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor, entry_values
from smartoffice.places.imports.plan import ChangeKind, Existing, Key, PlaceChange, PlacesPlan, Values
from smartoffice.places.models import Building, Floor, Site, Space, Zone
from smartoffice.places.service import SPACE_TYPE_NAMES


class _Writer:
    def __init__(self, session: AsyncSession, existing: Existing, actor: Actor, now: datetime) -> None:
        self.session, self.actor, self.now = session, actor, now
        self.ids: dict[str, dict[Key, int]] = {
            "sites": {k: i for k, (i, _v) in existing.sites.items()},
            "buildings": {k: i for k, (i, _v) in existing.buildings.items()},
            "floors": {k: i for k, (i, _v) in existing.floors.items()},
            "zones": {k: i for k, (i, _v) in existing.zones.items()},
        }
        self.audit: list[Values] = []

    def site_of(self, key: Key) -> int:
        return self.ids["sites"][key[:1]]

    async def write(
        self, label: str, model: Any, changes: Sequence[PlaceChange], row: Any, returning: tuple[Any, ...]
    ) -> dict[Key, int]:
        """Insert the new, update the changed; the new ids by key (``returning``: the columns that rebuild it)."""
        new = [c for c in changes if c.kind == ChangeKind.NEW]
        created: dict[Key, int] = {}
        if new:
            result = await self.session.execute(insert(model).returning(model.id, *returning), [row(c) for c in new])
            by_columns = {tuple(r[1:]): r[0] for r in result.all()}
            created = {c.key: by_columns[tuple(row(c)[col.key] for col in returning)] for c in new}
        changed = [c for c in changes if c.kind == ChangeKind.CHANGED]
        if changed:
            await self.session.execute(update(model), [{"id": c.id, **row(c)} for c in changed])
        self.ids.setdefault(label, {}).update(created)
        return created

    def record(self, entity_kind: str, ident: int, change: PlaceChange) -> None:
        verb = "create" if change.kind == ChangeKind.NEW else "update"
        before = None if change.kind == ChangeKind.NEW else {f.field: _plain(f.before) for f in change.fields}
        after = {f.field: _plain(f.after) for f in change.fields}
        if change.kind == ChangeKind.NEW:
            after = {name: _plain(value) for name, value in change.values.items()}
        action = f"{'space' if entity_kind in SPACE_TYPE_NAMES.values() else entity_kind.lower()}.{verb}"
        self.audit.append(
            entry_values(
                self.actor, action, at=self.now, entity_kind=entity_kind, entity_id=ident, before=before, after=after,
                site_id=self.site_of(change.key),
            )
        )  # fmt: skip


async def apply_plan(
    session: AsyncSession, plan: PlacesPlan, existing: Existing, *, actor: Actor, now: datetime
) -> None:
    """Write ``plan`` (valid, computed from ``existing`` in this transaction)."""
    assert plan.is_valid
    w = _Writer(session, existing, actor, now)
    await w.write("sites", Site, plan.sites, lambda c: {"code": c.key[0], "name": c.values["name"]}, (Site.code,))

    def building(c: PlaceChange) -> Values:
        return {"site_id": w.site_of(c.key), "code": c.key[1], **c.values}

    await w.write("buildings", Building, plan.buildings, building, (Building.site_id, Building.code))

    def floor(c: PlaceChange) -> Values:
        return {"building_id": w.ids["buildings"][c.key[:2]], "level": c.key[2], **c.values}

    await w.write("floors", Floor, plan.floors, floor, (Floor.building_id, Floor.level))

    def zone(c: PlaceChange) -> Values:
        return {"floor_id": w.ids["floors"][c.key[:3]], "code": c.key[3], **c.values}

    await w.write("zones", Zone, plan.zones, zone, (Zone.floor_id, Zone.code))

    def space(c: PlaceChange) -> Values:
        values = {n: v for n, v in c.values.items() if n != "zone_code"}
        zone_code = c.values["zone_code"]
        zone_id = w.ids["zones"][(*c.key[:3], zone_code)] if zone_code is not None else None
        return {"floor_id": w.ids["floors"][c.key[:3]], "code": c.key[3], "zone_id": zone_id, **values}

    await w.write("spaces", Space, plan.spaces, space, (Space.floor_id, Space.code))
    for label, kind in (("sites", "Site"), ("buildings", "Building"), ("floors", "Floor"), ("zones", "Zone")):
        for change in getattr(plan, label):
            w.record(kind, w.ids[label][change.key], change)
    for change in plan.spaces:
        w.record(
            SPACE_TYPE_NAMES[change.values["kind"]],
            w.ids["spaces"][change.key] if change.id is None else change.id,
            change,
        )
    if w.audit:
        await session.execute(insert(AuditEntry), w.audit)


def _plain(value: Any) -> Any:
    """A building's opening hours as ``HH:MM`` (the audit snapshot writes dates and instants, not times of day)."""
    return f"{value:%H:%M}" if isinstance(value, time) else value
