"""Webhook signatures: HMAC-SHA256 over ``"{timestamp}." + body``, sent as ``X-SmartOffice-Signature``.

The header reads ``t=1767225600,v1=5257a8...`` (Unix seconds; lowercase hex). A receiver recomputes the HMAC
with its subscription's secret over the timestamp, a dot and the raw request body (bytes as received, before any
JSON parsing), compares in constant time, and rejects timestamps more than five minutes from its own clock, so a
captured request cannot be replayed later. Several ``v1=`` entries may appear while a secret is being rotated;
one match is enough. :func:`verify` is the reference implementation.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-SmartOffice-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: float, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` at a time within ``tolerance`` seconds of ``now``."""
    timestamp: int | None = None
    candidates: list[str] = []
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            candidates.append(value)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
