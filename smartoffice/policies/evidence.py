"""The evidence file of an exemption request (a doctor's letter, a decree): what is accepted, and how it is named.

A file people upload is kept in the database (``exemption_evidence``), never on a disk a web server could serve it
from, and only ever sent back as a download. What is accepted is decided by the file's first bytes, never by its
name or the type the browser claims: a renamed ``.exe`` or an HTML page named ``surat.pdf`` is refused. PDF, PNG
and JPEG are what letters and scans come as; anything else (Office files, HTML, SVG, archives) can carry scripts
or macros into the reader's browser or desktop, so it is refused.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from smartoffice.errors import InvalidInput
from smartoffice.policies.errors import PolicyInputCode

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
"""5 MB: a scanned letter of a few pages."""
MAX_FILE_NAME = 100
FIELD = "evidenceFile"

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
"""Magic bytes at the start of the file, the type it is stored and served as, and the extension its name gets."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """An accepted file: its safe name, its type (from its bytes), size and SHA-256, and the bytes."""

    file_name: str
    content_type: str
    content: bytes

    @property
    def size_bytes(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def checked_evidence(file_name: str | None, content: bytes) -> EvidenceFile:
    """The upload as an :class:`EvidenceFile`, or InvalidInput (``evidenceFile``): empty, over 5 MB, or not a PDF,
    PNG or JPEG by its first bytes."""
    if not content:
        raise InvalidInput(FIELD, PolicyInputCode.EVIDENCE_EMPTY)
    if len(content) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(FIELD, PolicyInputCode.EVIDENCE_TOO_LARGE, max_mb=MAX_EVIDENCE_BYTES // 1024 // 1024)
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return EvidenceFile(safe_file_name(file_name, extension), content_type, content)
    raise InvalidInput(FIELD, PolicyInputCode.EVIDENCE_TYPE_NOT_ALLOWED)


def safe_file_name(file_name: str | None, extension: str) -> str:
    """A name safe in a ``Content-Disposition`` header and on any disk: the last path segment, accents folded,
    only ASCII letters, digits, ``.``, ``_`` and ``-``, no leading dot, at most 100 characters, and always the
    extension of the type the bytes are (``laporan.exe`` holding a PDF becomes ``laporan.pdf``)."""
    base = re.split(r"[/\\]", file_name or "")[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = ascii_name.rsplit(".", 1)[0] if "." in ascii_name else ascii_name
    stem = _UNSAFE.sub("_", stem).strip("._-")[: MAX_FILE_NAME - len(extension)]
    return (stem or "bukti") + extension
