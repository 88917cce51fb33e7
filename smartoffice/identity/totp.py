"""Time-based one-time passwords (RFC 6238) with pyotp: secrets, codes, the enrolment QR code, recovery codes.

Codes are the authenticator apps' common setting: HMAC-SHA1, 6 digits, 30-second steps; a code of the step
before or after the server's is accepted too (a phone's clock a little off, a code typed as it turns over).
:func:`matching_step` says *which* step matched, so the caller can refuse any step not newer than the last one
accepted (a replay). Secrets are sealed at rest with :class:`~smartoffice.integrations.sealing.SecretBox`
under their own HKDF purpose, so the key that seals them opens no webhook secret and the other way round.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno

from smartoffice.integrations.sealing import SecretBox
from smartoffice.settings import Settings

ISSUER = "SmartOffice Nusantara"
STEP_SECONDS = 30
DIGITS = 6
VALID_WINDOW = 1
"""Steps either side of the server's own that still count."""
HKDF_INFO = b"smartoffice/totp-secrets/v1"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
"""A recovery code is 16 letters of this alphabet (80 random bits), shown in four groups."""


def secret_box(settings: Settings) -> SecretBox:
    return SecretBox.from_settings(settings, info=HKDF_INFO)


def new_secret() -> str:
    """A fresh base32 secret of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account_name: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account_name, issuer_name=ISSUER
    )


def qr_svg(uri: str, title: str) -> str:
    """The URI as an inline SVG QR code (no external image, so it shows under the pages' CSP)."""
    return str(segno.make(uri, error="m", micro=False).svg_inline(scale=5, border=4, title=title, dark="#111"))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def step_at(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(step * STEP_SECONDS)


def normalise(raw: str) -> str:
    """What was typed, without spaces and dashes, lower case (a recovery code is typed any which way)."""
    return "".join(c for c in raw if c not in " -\t").lower()[:64]


def is_code_shaped(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is, within :data:`VALID_WINDOW` of ``now``; else ``None``."""
    if not is_code_shaped(code):
        return None
    current = step_at(now)
    found = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):  # compare all: no early exit to time
        if hmac.compare_digest(code_at_step(secret, step), code):
            found = step
    return found


def new_recovery_codes() -> list[str]:
    """:data:`RECOVERY_CODE_COUNT` fresh codes, as shown to the person (``abcd-efgh-ijkl-mnop``)."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        letters = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(letters[i : i + 4] for i in range(0, 16, 4)))
    return codes


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def is_recovery_shaped(code: str) -> bool:
    return len(code) == 16 and all(c in RECOVERY_ALPHABET for c in code)


def random_flow_id() -> str:
    return secrets.token_urlsafe(32)
