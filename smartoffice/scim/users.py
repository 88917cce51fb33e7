"""SCIM Users inside a write transaction: what a resource writes into an account row, and the effects of the
change on the person (link, deprovision, roles). The transaction and the audit entry are the service's."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scim2_models import EnterpriseUser, InvalidValueException, Resource, UniquenessException
from sqlalchemy import delete as sa_delete
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor
from smartoffice.scim import accounts
from smartoffice.scim.models import ScimGroupMember, ScimUser

MAX_TEXT = 255


@dataclass
class Effects:
    """What a write did to people, for the audit entry and for what runs after the commit."""

    deprovisioned: list[int] = field(default_factory=list)
    """Employees whose account was deactivated or deleted: their login sessions end after the commit."""
    tokens_revoked: int = 0


def _text(value: Any, attribute: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise InvalidValueException(detail=f"{attribute} is longer than {MAX_TEXT} characters")
    return text or None


def user_values(user: ScimUser) -> dict[str, Any]:
    """What an audit entry records of an account."""
    return {
        "scim_id": user.scim_id,
        "user_name": user.user_name,
        "external_id": user.external_id,
        "email": user.email,
        "employee_number": user.employee_number,
        "active": user.active,
        "employee_id": user.employee_id,
    }


def _fields(resource: Resource[Any]) -> dict[str, Any]:
    user_name = _text(getattr(resource, "user_name", None), "userName")
    if user_name is None:
        raise InvalidValueException(detail="userName is required")
    name = getattr(resource, "name", None)
    emails = [
        {"value": _text(e.value, "emails.value"), "type": e.type, "primary": e.primary}
        for e in getattr(resource, "emails", None) or []
        if e.value
    ]
    emails = [{k: v for k, v in e.items() if v is not None} for e in emails]
    primary = next((e["value"] for e in emails if e.get("primary")), emails[0]["value"] if emails else None)
    extension = resource[EnterpriseUser] if EnterpriseUser in (resource.get_extension_models() or {}).values() else None
    active = getattr(resource, "active", None)
    return {
        "user_name": user_name,
        "user_name_key": user_name.lower(),
        "external_id": _text(resource.external_id, "externalId"),
        "display_name": _text(getattr(resource, "display_name", None), "displayName"),
        "given_name": _text(name.given_name, "name.givenName") if name else None,
        "family_name": _text(name.family_name, "name.familyName") if name else None,
        "formatted_name": _text(name.formatted, "name.formatted") if name else None,
        "emails": emails,
        "email": primary.lower() if primary else None,
        "employee_number": _text(extension.employee_number, "employeeNumber") if extension else None,
        "active": None if active is None else bool(active),
    }


async def _check_unique(session: AsyncSession, user_name_key: str, own_id: int | None) -> None:
    query = select(ScimUser.id).where(ScimUser.user_name_key == user_name_key)  # deleted ones hold no key
    if own_id is not None:
        query = query.where(ScimUser.id != own_id)
    if await session.scalar(query) is not None:
        raise UniquenessException(detail="another user has this userName")


async def _link(session: AsyncSession, user: ScimUser, actor: Actor) -> int | None:
    """Link (or keep linked) the account to the person it names; returns the employee it leaves, if relinked."""
    emails = [str(e.get("value") or "") for e in user.emails]
    found = await accounts.matching_employee(session, user.employee_number, emails)
    if found is None or found == user.employee_id:
        return None  # an account stays with its person when its identifiers stop naming anyone
    holder = await accounts.holder_of(session, found)
    if holder is not None and holder.id != user.id:
        raise UniquenessException(detail=f"the person this user names is already provisioned as {holder.scim_id}")
    left, user.employee_id = user.employee_id, found
    await session.flush()
    if left is not None:
        await accounts.unlink_roles(session, left, actor)
    return left


async def create(
    session: AsyncSession, resource: Resource[Any], actor: Actor, now: datetime
) -> tuple[ScimUser, Effects]:
    values = _fields(resource)
    await _check_unique(session, values["user_name_key"], None)
    if values["active"] is None:
        values["active"] = True  # a new account is active unless the provider says otherwise
    user = ScimUser(scim_id=str(uuid.uuid4()), created_at=now, updated_at=now, **values)
    session.add(user)
    await session.flush()
    await _link(session, user, actor)
    effects = Effects()
    if not user.active and user.employee_id is not None:
        await _deprovision(session, user.employee_id, now, effects)
    await accounts.sync_roles(session, [user], actor)
    return user, effects


async def update(
    session: AsyncSession, user: ScimUser, resource: Resource[Any], actor: Actor, now: datetime
) -> Effects:
    """Write ``resource`` over the account (a PUT, or the result of a PATCH)."""
    values = _fields(resource)
    await _check_unique(session, values["user_name_key"], user.id)
    was_active = user.active is not False
    for key, value in values.items():
        setattr(user, key, value)
    user.updated_at = now
    await session.flush()
    await _link(session, user, actor)
    effects = Effects()
    if was_active and user.active is False and user.employee_id is not None:
        await _deprovision(session, user.employee_id, now, effects)
    await accounts.sync_roles(session, [user], actor)
    return effects


async def delete(session: AsyncSession, user: ScimUser, actor: Actor, now: datetime) -> Effects:
    """Gone for the provider (404 from now on, its userName free again); kept, inactive, for the person's sake
    (see :attr:`ScimUser.deleted_at`). Its group memberships go."""
    effects = Effects()
    was_active = user.active is not False
    user.active, user.deleted_at, user.user_name_key, user.updated_at = False, now, None, now
    await session.execute(sa_delete(ScimGroupMember).where(ScimGroupMember.user_id == user.id))
    await session.flush()
    if user.employee_id is not None:
        if was_active:
            await _deprovision(session, user.employee_id, now, effects)
        await accounts.unlink_roles(session, user.employee_id, actor)
    return effects


async def _deprovision(session: AsyncSession, employee_id: int, now: datetime, effects: Effects) -> None:
    effects.tokens_revoked += await accounts.revoke_tokens(session, employee_id, now)
    effects.deprovisioned.append(employee_id)
