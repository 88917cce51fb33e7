"""What an exemption's evidence file may be: PDF, PNG or JPEG by its first bytes, at most 5 MB, with a safe name."""

import pytest

from smartoffice.errors import InvalidInput
from smartoffice.policies.evidence import MAX_EVIDENCE_BYTES, checked_evidence, safe_file_name

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_name"),
    [
        ("Surat Dokter.pdf", PDF, "application/pdf", "Surat_Dokter.pdf"),
        ("scan.PNG", PNG, "image/png", "scan.png"),
        ("foto.jpeg", JPEG, "image/jpeg", "foto.jpg"),
        ("laporan.exe", PDF, "application/pdf", "laporan.pdf"),  # the bytes decide, the name follows them
    ],
)
def test_pdf_png_and_jpeg_are_accepted_by_their_bytes(
    name: str, content: bytes, content_type: str, stored_name: str
) -> None:
    evidence = checked_evidence(name, content)

    assert (evidence.content_type, evidence.file_name, evidence.size_bytes) == (
        content_type,
        stored_name,
        len(content),
    )
    assert len(evidence.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("surat.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60),  # a Windows program renamed .pdf
        ("surat.pdf", b"<!doctype html><script>alert(document.cookie)</script>"),  # an HTML page renamed
        ("gambar.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("surat.docx", b"PK\x03\x04" + b"\x00" * 30),  # an Office file (macros)
        ("surat.pdf", b" %PDF-1.7"),  # the signature must start the file
    ],
)
def test_anything_else_is_refused_whatever_its_name(name: str, content: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_evidence(name, content)

    assert (refused.value.field, refused.value.code) == ("evidenceFile", "EVIDENCE_TYPE_NOT_ALLOWED")


def test_an_empty_file_and_one_over_5_mb_are_refused() -> None:
    with pytest.raises(InvalidInput) as empty:
        checked_evidence("surat.pdf", b"")
    with pytest.raises(InvalidInput) as large:
        checked_evidence("surat.pdf", PDF + b"\x00" * MAX_EVIDENCE_BYTES)

    assert (empty.value.code, large.value.code) == ("EVIDENCE_EMPTY", "EVIDENCE_TOO_LARGE")
    assert large.value.message == "The evidence file is larger than 5 MB"
    assert checked_evidence("surat.pdf", PDF + b"\x00" * (MAX_EVIDENCE_BYTES - len(PDF))).size_bytes == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\budi\\Surat Keterangan Sakit (1).pdf", "Surat_Keterangan_Sakit_1.pdf"),
        ('a"; filename="evil.html', "a_filename_evil.pdf"),
        ("Ñoño é.pdf", "Nono_e.pdf"),
        ("..pdf", "bukti.pdf"),
        (None, "bukti.pdf"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_file_names_are_made_safe(given: str | None, safe: str) -> None:
    assert safe_file_name(given, ".pdf") == safe
