"""Text people read, in Bahasa Indonesia and English, from one set of gettext catalogues.

The catalogues are ``smartoffice/locale/<language>/LC_MESSAGES/messages.po``, extracted with ``pybabel`` from the
Python code (``gettext``, ``ngettext``, ``N_``) and from ``templates/`` (Jinja2's i18n extension): see
``babel.cfg`` and the README's "Translations" section. The English text is the msgid, so English needs no
translation and a message without one shows in English rather than as a code. Parameters use Python's named
``%(name)s`` placeholders, which ``pybabel`` checks in every translation.

The ``.po`` files are read directly when a language is first used in a process (no compiled ``.mo`` files to
forget to rebuild).
"""

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

Language = Literal["en", "id"]
LANGUAGES: tuple[Language, ...] = ("id", "en")
DEFAULT_LANGUAGE: Language = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is defined; it is translated where it is shown."""
    return message


@cache
def translations(language: Language) -> Translations:
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_file.exists():
        return Translations()
    with po_file.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(language: Language, message: str, **params: object) -> str:
    """``message`` in ``language``, its ``%(name)s`` placeholders filled from ``params``."""
    text = translations(language).gettext(message)
    return text % params if params else text


def ngettext(language: Language, singular: str, plural: str, n: int, **params: object) -> str:
    """The form for ``n`` (``%(num)d`` is ``n``), e.g. ``1 day`` / ``2 days``; Indonesian has one form."""
    text = translations(language).ngettext(singular, plural, n)
    return text % {"num": n, **params}


def language_from_header(accept_language: str | None) -> Language:
    """The first of our languages named in an ``Accept-Language`` header (by q-value), else the default."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((weight, tag.strip().lower().split("-")[0]))
    for _weight, tag in sorted(ranked, key=lambda r: -r[0]):
        if tag in LANGUAGES:
            return "id" if tag == "id" else "en"
    return DEFAULT_LANGUAGE


def as_language(value: str | None) -> Language | None:
    """A language code from a cookie or a saved preference, if it is one of ours."""
    return "id" if value == "id" else "en" if value == "en" else None
