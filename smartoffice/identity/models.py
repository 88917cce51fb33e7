"""App tokens and local accounts. Login sessions are not here: they live in Redis (see ``sessions``)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, utcnow


class ApiToken(Base):
    """An app's credential. Only the SHA-256 of the secret is kept: the secret itself is shown once, at issue."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    """The public part after ``so_``: finds the row without scanning hashes, and names the token in logs."""
    secret_hash: Mapped[str] = mapped_column(String(64))
    """Hex SHA-256 of the whole token string."""
    name: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    """The employee the app acts as; the scopes narrow what it may do of what this person may."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    """The admin who issued it; null when issued from the command line."""
    scopes: Mapped[list[str]] = mapped_column(JSON)
    cost_budget: Mapped[int | None] = mapped_column(Integer)
    """Per-document GraphQL cost budget; null: the server's default."""
    rate_limit: Mapped[int | None] = mapped_column(Integer)
    """Requests per rate window; null: the server's default."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class LocalAccount(Base):
    """A password for an employee, for the demo and for installations without an identity provider."""

    __tablename__ = "local_accounts"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """Argon2id in PHC string format (salt and parameters included); null until the person accepts an invitation
    (a new account, or one reset by an administrator)."""
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    """Also when the password was revoked (a reset): login sessions created before it no longer count."""
    invitation_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    """Hex SHA-256 of the pending invitation's token (the link's last part, shown once); null: none pending."""
    invitation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set by ``smartoffice accounts disable``: no sign-in of any kind, and every login session ends."""
