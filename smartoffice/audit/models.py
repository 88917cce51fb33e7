"""``audit_entries``: one row per change an admin, a manager, an import or an identity provider made.

Rows are only ever inserted: migration 0010 installs triggers that refuse ``UPDATE`` and ``DELETE`` on both
databases, so neither a bug nor a compromised application account can rewrite history through the application's
connection (an operator with DDL rights still can; that is what database backups and PostgreSQL's own logs are for).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_entity", "entity_kind", "entity_id"),
        Index("ix_audit_entries_at_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"), index=True)
    """The person who made the change; ``None`` for the system (an import run from the CLI, a job)."""
    via: Mapped[str] = mapped_column(String(64))
    """Through what: ``page``, ``api``, ``token:<id>``, ``cli``, ``import``, ``scim``, ``job``."""
    action: Mapped[str] = mapped_column(String(64), index=True)
    """What happened, ``<entity>.<verb>``: ``role.grant``, ``policy.create``, ``employee.deactivate``, ..."""
    entity_kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    """The site the change belongs to, so a facilities manager can read their site's entries."""
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="SET NULL"), index=True)
    """The org unit the change belongs to, so a unit manager can read their units' entries."""
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
