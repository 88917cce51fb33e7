"""The catalogues: the .pot holds every msgid of the code and the templates, the Indonesian catalogue translates
all of them (none fuzzy, placeholders intact), and what the code looks up by a code or an enum has words."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from smartoffice import labels
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.i18n import LANGUAGES, gettext, language_from_header
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.policies.models import Rating
from smartoffice.policies.wording import explain

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "smartoffice" / "locale"
ENGINE = ROOT / "smartoffice" / "policies" / "engine.py"


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def msgids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def is_translated(message: Message) -> bool:
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)


@pytest.fixture(scope="module")
def indonesian() -> Catalog:
    return read(LOCALE / "id" / "LC_MESSAGES" / "messages.po", "id")


def test_every_indonesian_message_is_translated_and_none_is_fuzzy(indonesian: Catalog) -> None:
    assert len(msgids(indonesian)) > 300, "the catalogue is nearly empty: extraction or the path is broken"
    untranslated = [m.id for m in indonesian if m.id and not is_translated(m)]
    fuzzy = [m.id for m in indonesian if m.id and m.fuzzy]
    assert {"untranslated": untranslated, "fuzzy": fuzzy} == {"untranslated": [], "fuzzy": []}


def test_indonesian_keeps_every_placeholder(indonesian: Catalog) -> None:
    """Babel's checks: a translation has its msgid's ``%(name)s`` placeholders, no more and no fewer."""
    problems = {str(m.id): [str(error) for error in m.check(indonesian)] for m in indonesian if m.id}
    assert {msgid: errors for msgid, errors in problems.items() if errors} == {}


def test_the_template_and_the_catalogues_are_up_to_date_with_the_sources(tmp_path: Path) -> None:
    """What ``pybabel extract`` finds (README, "Translations") is the .pot, and ``pybabel update`` has run since."""
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(fresh), str(ROOT)])
    committed, extracted = msgids(read(LOCALE / "messages.pot")), msgids(read(fresh))
    assert len(extracted) > 300, "extraction found almost nothing: babel.cfg is broken"
    assert {"not in the .pot": extracted - committed, "gone from the code": committed - extracted} == {
        "not in the .pot": set(),
        "gone from the code": set(),
    }
    for language in LANGUAGES:
        assert msgids(read(LOCALE / language / "LC_MESSAGES" / "messages.po", language)) == committed, language


ENGINE_CODES = sorted(set(re.findall(r'"([A-Z][A-Z_]+)"', ENGINE.read_text())) | set(ReasonCode))
SAMPLE_PARAMS = {
    "days": 1,
    "needed": 2,
    "rating": Rating.BUTUH_PERBAIKAN,
    "remote_days": 2,
    "working_days": 5,
    "office_days": 3,
    "shared": 0,
    "day": date(2030, 7, 10),
    "weekday": 2,
    "exemption": 1,
    "because": [],
}


@pytest.mark.parametrize("code", ENGINE_CODES)
def test_every_policy_reason_and_problem_has_words(code: str) -> None:
    """The pages and myWeek say why a day is required and what is wrong with a week, for each code the engine
    names (its ReasonCode values and the problem codes it writes as literals)."""
    assert {"ANCHOR_DAY", "TOO_FEW_OFFICE_DAYS", "REQUIRED_DAY_NOT_PLANNED"} <= set(ENGINE_CODES), "pattern broken"
    params = {**SAMPLE_PARAMS, "allowed": (Rating.BAIK,) if code == ReasonCode.RATING_NOT_ALLOWED else 2}
    english, indonesian = explain("en", code, params), explain("id", code, params)
    assert english != indonesian


def test_a_rating_reads_as_its_label_not_its_code() -> None:
    params = {"rating": Rating.BUTUH_PERBAIKAN, "allowed": (Rating.SANGAT_BAIK, Rating.BAIK)}
    assert explain("id", ReasonCode.RATING_NOT_ALLOWED, params) == (
        "Predikat kinerja terakhir (Butuh Perbaikan) bukan salah satu dari: Sangat Baik, Baik"
    )
    assert explain("en", ReasonCode.RATING_NOT_ALLOWED, {**params, "rating": None}) == (
        "Latest performance rating (none recorded) is not one of: Very good, Good"
    )


def test_counts_take_the_plural_they_need() -> None:
    assert explain("en", ReasonCode.MIN_OFFICE_DAYS, {"office_days": 1}) == "At least 1 office day this week"
    assert explain("en", ReasonCode.MIN_OFFICE_DAYS, {"office_days": 3}) == "At least 3 office days this week"
    assert explain("id", ReasonCode.MIN_OFFICE_DAYS, {"office_days": 1}) == (
        "Paling sedikit 1 hari bekerja di kantor minggu ini"
    )


def test_how_far_ahead_bookings_open_reads_as_a_limit_not_a_deadline() -> None:
    assert gettext("id", BookingInputCode.TOO_FAR_AHEAD.value, days=14) == (
        "Pemesanan hanya dapat dilakukan paling jauh 14 hari sebelumnya"
    )


@pytest.mark.parametrize("enum", list(labels.LABELS), ids=lambda enum: enum.__name__)
def test_every_value_people_read_has_a_label_in_both_languages(enum: type, indonesian: Catalog) -> None:
    for value in enum:  # type: ignore[attr-defined]
        msgid = labels.LABELS[enum][value]
        assert labels.label("en", value) == msgid != value.value, f"{enum.__name__}.{value.name} reads as its code"
        message = indonesian.get(msgid)
        assert message is not None and is_translated(message), msgid


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
