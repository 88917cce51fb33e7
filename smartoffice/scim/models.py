"""SCIM accounts and groups as the identity provider manages them.

A :class:`ScimUser` is an *account*, not a person: it is linked to an :class:`Employee` when one matches (its
enterprise ``employeeNumber`` is the NIP, else one of its emails is the employee's email), and stays unlinked for
someone the people import has not brought yet (:func:`smartoffice.scim.linking.link_pending` links it later).
Case-insensitive uniqueness (RFC 7643 gives ``userName`` and a group's ``displayName`` ``caseExact: false``) is
held by a lower-cased key column with a plain unique constraint: the same on SQLite and PostgreSQL.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime


class ScimUser(Base):
    __tablename__ = "scim_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    """Ours: what audit entries and memberships name."""
    scim_id: Mapped[str] = mapped_column(String(36), unique=True)
    """A UUID, the SCIM ``id`` the provider sees (opaque, never reused)."""
    user_name: Mapped[str] = mapped_column(String(255))
    user_name_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    """``user_name`` lower-cased: unique, and what ``userName eq`` compares; null once deleted (free again)."""
    external_id: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    given_name: Mapped[str | None] = mapped_column(String(255))
    family_name: Mapped[str | None] = mapped_column(String(255))
    formatted_name: Mapped[str | None] = mapped_column(String(255))
    emails: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """As the provider sent them: ``[{"value", "type", "primary"}]``."""
    email: Mapped[str | None] = mapped_column(String(255), index=True)
    """The primary (else the first) email, lower-cased: what ``emails.value`` filters compare."""
    employee_number: Mapped[str | None] = mapped_column(String(64))
    """The enterprise extension's ``employeeNumber``: the NIP, when the provider knows it."""
    active: Mapped[bool | None] = mapped_column(Boolean)
    """False: deprovisioned. Null: the provider removed the attribute (RFC 7643 gives it no default); such an
    account is not deprovisioned, and is answered without ``active``."""
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"), unique=True)
    """The person this account signs in as; null until one matches. One account per person."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set by a DELETE: the provider sees it no more (404), but the row stays, inactive and linked, so that the
    person stays unable to sign in until a new account is provisioned for them (which takes the link over)."""


class ScimGroup(Base):
    __tablename__ = "scim_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    scim_id: Mapped[str] = mapped_column(String(36), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    display_name_key: Mapped[str] = mapped_column(String(255), unique=True)
    """``display_name`` lower-cased: unique whatever the case."""
    external_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScimGroupMember(Base):
    """A user in a group (SCIM groups here hold users only, no nested groups)."""

    __tablename__ = "scim_group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("scim_groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("scim_users.id", ondelete="CASCADE"), primary_key=True, index=True)
    display: Mapped[str | None] = mapped_column(String(255))
    """The member's ``display`` as the provider sent it (answered back as sent); null: the account's name."""
