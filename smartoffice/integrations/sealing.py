"""Webhook secrets sealed at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from the secret key.

A webhook secret cannot be stored as a hash (signing a delivery needs it), so it is encrypted instead. The
Fernet key is derived with HKDF-SHA256 from ``SMARTOFFICE_SECRET_KEY``, with an ``info`` string of its own, so
the same secret key never serves two purposes (sessions and CSRF use it differently). A database dump alone no
longer yields the secrets; the database together with the secret key does.

Rotation: set the new ``SMARTOFFICE_SECRET_KEY`` and put the old one in ``SMARTOFFICE_PREVIOUS_SECRET_KEYS``. Every
key is tried when opening (:class:`cryptography.fernet.MultiFernet`), the current one always seals, and
``smartoffice secrets rotate`` re-encrypts every stored secret under the current key; after that the previous
key can be dropped.
"""

import base64
from collections.abc import Sequence
from typing import Self

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from smartoffice.settings import Settings

HKDF_INFO = b"smartoffice/webhook-secrets/v1"


class SecretKeyMissing(RuntimeError):
    """No secret key is configured, so nothing can be sealed or opened."""


class SecretUnreadable(ValueError):
    """A sealed secret that none of the configured keys opens (or that was tampered with)."""


def derive_fernet_key(secret_key: str, info: bytes = HKDF_INFO) -> bytes:
    """The Fernet key (url-safe base64 of 32 bytes) for ``secret_key``: HKDF-SHA256, no salt, ``info`` naming the
    purpose (webhook secrets by default; another purpose passes its own, so the keys differ)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


class SecretBox:
    """Seals under the current secret key; opens with it or any previous one."""

    def __init__(self, secret_key: str, previous_keys: Sequence[str] = (), *, info: bytes = HKDF_INFO) -> None:
        keys = [k for k in (secret_key, *previous_keys) if k]
        self._current = bool(secret_key)
        self._fernet = MultiFernet([Fernet(derive_fernet_key(k, info)) for k in keys]) if keys else None

    @classmethod
    def from_settings(cls, settings: Settings, *, info: bytes = HKDF_INFO) -> Self:
        return cls(settings.secret_key, settings.previous_secret_keys, info=info)

    def seal(self, secret: str) -> str:
        return self._require_current().encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        if self._fernet is None:
            raise SecretKeyMissing("no SMARTOFFICE_SECRET_KEY: webhook secrets cannot be opened")
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretUnreadable(
                "the webhook secret opens with neither SMARTOFFICE_SECRET_KEY nor SMARTOFFICE_PREVIOUS_SECRET_KEYS"
            ) from exc

    def reseal(self, sealed: str) -> str:
        """``sealed`` encrypted again under the current key (whichever key had sealed it)."""
        fernet = self._require_current()
        try:
            return fernet.rotate(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretUnreadable(
                "the webhook secret opens with neither SMARTOFFICE_SECRET_KEY nor SMARTOFFICE_PREVIOUS_SECRET_KEYS"
            ) from exc

    @property
    def can_seal(self) -> bool:
        return self._current

    def _require_current(self) -> MultiFernet:
        if self._fernet is None or not self._current:
            raise SecretKeyMissing("no SMARTOFFICE_SECRET_KEY: webhook secrets cannot be sealed")
        return self._fernet
