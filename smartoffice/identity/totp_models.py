"""A local account's second factor: a TOTP secret (sealed at rest) and its single-use recovery codes."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, utcnow


class TotpCredential(Base):
    """An authenticator app enrolled for a local account (RFC 6238: SHA-1, 6 digits, 30-second steps)."""

    __tablename__ = "totp_credentials"

    employee_id: Mapped[int] = mapped_column(
        ForeignKey("local_accounts.employee_id", ondelete="CASCADE"), primary_key=True
    )
    secret_sealed: Mapped[str] = mapped_column(String(255))
    """The base32 secret, Fernet-sealed under a key derived from the secret key (its own HKDF purpose)."""
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_step: Mapped[int | None] = mapped_column(Integer)
    """The time step (Unix time // 30) of the last code accepted: a code of this step or an earlier one is refused,
    so a code seen over someone's shoulder cannot be replayed within its window."""


class RecoveryCode(Base):
    """One single-use code for when the authenticator is not at hand. Only its SHA-256 is kept: the code carries 80
    random bits, so there is nothing for a slow hash to protect against."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("local_accounts.employee_id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
