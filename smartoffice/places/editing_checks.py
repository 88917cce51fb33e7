"""The checks and writes of the places editor's changes that run inside its transactions: who may, the rules
that need the database (unique codes, people, zones, units, a floor still holding what is on it), and applying
a desk's or room's fields (``smartoffice/places/editing.py`` owns the transactions)."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor
from smartoffice.bookings.models import Booking
from smartoffice.bookings.place_changes import MAX_REASON_LENGTH
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.places import editing_steps as steps
from smartoffice.places.editing_fields import (
    MAX_NAME,
    Box,
    FloorFields,
    SpaceFields,
    ZoneFields,
    check_box,
    check_code,
    check_hours,
    check_name,
    check_space,
)
from smartoffice.places.errors import PlaceInputCode
from smartoffice.places.models import Floor, Space, SpaceKind, Zone, room_approvers
from smartoffice.places.permissions import require_admin, require_site_manager

BOX_FIELDS = ("x", "y", "width", "height")


def boxed(box: Box | None, changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` with any of ``x``, ``y``, ``width``, ``height`` merged into the current ``box``."""
    result = {name: value for name, value in changes.items() if name not in BOX_FIELDS}
    given = {name: changes[name] for name in BOX_FIELDS if changes.get(name) is not None}
    if given and box is not None:
        result["box"] = replace(box, **given)
    return result


def cancel_reason(reason: str | None, affected: Sequence[Booking]) -> str:
    text = (reason or "").strip()
    if affected and not text:
        raise InvalidInput("reason", PlaceInputCode.PLACE_REASON_REQUIRED, count=len(affected))
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidInput("reason", CommonInputCode.TEXT_TOO_LONG, max=MAX_REASON_LENGTH)
    return text


async def require_admin_actor(session: AsyncSession, actor: Actor) -> None:
    if actor.employee_id is not None:  # no person: the system (the command line)
        await require_admin(session, actor.employee_id)


async def require_manager(session: AsyncSession, actor: Actor, site_id: int) -> None:
    if actor.employee_id is not None:
        await require_site_manager(session, actor.employee_id, site_id)


def live_parent(parent: steps.Place, kind: str) -> None:
    """A new place goes under a live parent only: a retired one is as good as gone."""
    if steps.is_retired(parent):
        raise NotFound(kind, parent.id)


async def extra_before(session: AsyncSession, row: steps.Place) -> dict[str, Any]:
    if isinstance(row, Space) and row.kind == SpaceKind.ROOM:
        return {"approver_ids": list(await steps.approver_ids(session, row.id))}
    return {}


async def checked_zone(session: AsyncSession, fields: ZoneFields, floor: Floor, own_id: int | None) -> ZoneFields:
    code = check_code(fields.code)
    name = check_name(fields.name, MAX_NAME)
    box = fields.box or Box(0.0, 0.0, floor.width, floor.height)
    check_box(box, floor)
    await steps.check_org_unit(session, fields.org_unit_id)
    await steps.check_unique(session, Zone, Zone.floor_id == floor.id, Zone.code, code, own_id)
    return ZoneFields(code, name, fields.org_unit_id, box)


async def checked_space(session: AsyncSession, fields: SpaceFields, floor: Floor, own_id: int | None) -> SpaceFields:
    checked = check_space(fields, floor)
    await steps.check_unique(session, Space, Space.floor_id == floor.id, Space.code, checked.code, own_id)
    await steps.check_zone(session, checked.zone_id, floor.id)
    if checked.assigned_employee_id is not None:
        await steps.check_person(session, checked.assigned_employee_id, "assignedToId")
    for approver in checked.approver_ids:
        await steps.check_person(session, approver, "approverIds")
    if checked.bookable_hours is not None:
        check_hours(checked.bookable_hours, "bookableHours")
    return checked


def apply_space(space: Space, fields: SpaceFields) -> None:
    space.code, space.name, space.zone_id = fields.code, fields.name, fields.zone_id
    space.x, space.y, space.width, space.height = fields.box.x, fields.box.y, fields.box.width, fields.box.height
    space.rotation, space.amenities, space.bookable = fields.rotation, list(fields.amenities), fields.bookable
    space.assigned_employee_id, space.capacity = fields.assigned_employee_id, fields.capacity
    space.requires_approval = fields.requires_approval
    space.bookable_hours = (
        None if fields.bookable_hours is None else check_hours(fields.bookable_hours, "bookableHours")
    )


async def set_approvers(session: AsyncSession, space_id: int, approvers: Sequence[int]) -> None:
    await session.execute(delete(room_approvers).where(room_approvers.c.space_id == space_id))
    if approvers:
        await session.execute(insert(room_approvers), [{"space_id": space_id, "employee_id": a} for a in approvers])


async def check_still_fits(session: AsyncSession, floor: Floor, fields: FloorFields) -> None:
    for model in (Zone, Space):
        outside = await session.scalar(
            select(model.id)
            .where(
                model.floor_id == floor.id,
                model.retired_at.is_(None),
                or_(model.x + model.width > fields.width, model.y + model.height > fields.height),
            )
            .limit(1)
        )
        if outside is not None:
            raise InvalidInput("width", PlaceInputCode.PLACE_FLOOR_TOO_SMALL)
