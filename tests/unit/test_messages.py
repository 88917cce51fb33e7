"""Every message exists in both languages with the same placeholders; Accept-Language picks one."""

import re
import string
from pathlib import Path

import pytest

from smartoffice.messages import MESSAGES, language_from_header


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_use_the_same_placeholders(code: str) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert set(MESSAGES[code]) == {"en", "id"}
    assert fields(MESSAGES[code]["en"]) == fields(MESSAGES[code]["id"])


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("id", "id"),
        ("id-ID,id;q=0.9,en-US;q=0.8", "id"),
        ("en-US,en;q=0.9,id;q=0.8", "en"),
        ("fr-FR,id;q=0.5", "id"),
        ("fr-FR", "en"),
        ("id;q=bogus, en", "en"),
    ],
)
def test_language_from_header(header: str | None, language: str) -> None:
    assert language_from_header(header) == language


def test_every_code_raised_in_the_code_has_words() -> None:
    """Codes passed to InvalidInput/PermissionDenied anywhere in the package exist in the catalogue."""
    root = Path(__file__).resolve().parents[2] / "smartoffice"
    pattern = re.compile(
        r'(?:InvalidInput\([^,()]+,\s*|PermissionDenied\(|DomainError\(|PolicyRefusal\(\s*|_refusal\(\s*)"([A-Z_]+)"'
    )
    used = {code for path in root.rglob("*.py") for code in pattern.findall(path.read_text())}
    assert used, "the pattern found no codes: it is broken"
    assert used - set(MESSAGES) == set()


def test_every_policy_reason_and_problem_has_words() -> None:
    """myWeek shows why a day is required and what is wrong with a week: every code the engine names (its
    ReasonCode values and the problem codes it writes as literals) exists in the catalogue."""
    engine = Path(__file__).resolve().parents[2] / "smartoffice" / "policies" / "engine.py"
    codes = set(re.findall(r'"([A-Z][A-Z_]+)"', engine.read_text()))
    assert {"ANCHOR_DAY", "TOO_FEW_OFFICE_DAYS", "REQUIRED_DAY_NOT_PLANNED"} <= codes, "the pattern is broken"
    assert codes - set(MESSAGES) == set()
