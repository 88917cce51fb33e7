"""Dates, times and numbers as people read them in each language, formatted by Babel from CLDR's locale data.

Babel supplies the names (``Rabu``, ``Juli``), the clock (``07.30`` in Indonesian, ``07:30`` in English) and the
decimal sign (``37,5`` / ``37.5``); the few date patterns below choose which parts a page shows. English is
British English (``en_GB``): day before month and a 24-hour clock, as Indonesian writes them.

>>> long_date("id", date(2030, 7, 10)), long_date("en", date(2030, 7, 10))
('Rabu, 10 Juli 2030', 'Wednesday 10 July 2030')
"""

import re
from collections.abc import Mapping
from datetime import date, time
from functools import cache

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from smartoffice.i18n import Language, gettext

BABEL_LOCALES: Mapping[Language, str] = {"id": "id_ID", "en": "en_GB"}

# CLDR date patterns (https://cldr.unicode.org/translation/date-time/date-time-patterns): which parts, in the
# order and with the punctuation each language writes them; Babel fills in the locale's names.
LONG_DATE: Mapping[Language, str] = {"id": "EEEE, d MMMM y", "en": "EEEE d MMMM y"}
DAY_MONTH: Mapping[Language, str] = {"id": "EEEE, d MMMM", "en": "EEEE d MMMM"}
SHORT_DATE: Mapping[Language, str] = {"id": "EEE, d MMM", "en": "EEE d MMM"}


@cache
def babel_locale(language: Language) -> Locale:
    return Locale.parse(BABEL_LOCALES[language])


def long_date(language: Language, day: date) -> str:
    """``Rabu, 10 Juli 2030`` / ``Wednesday 10 July 2030``."""
    return format_date(day, LONG_DATE[language], locale=babel_locale(language))


def day_month(language: Language, day: date) -> str:
    """``Rabu, 10 Juli`` / ``Wednesday 10 July``."""
    return format_date(day, DAY_MONTH[language], locale=babel_locale(language))


def short_date(language: Language, day: date) -> str:
    """``Rab, 10 Jul`` / ``Wed 10 Jul``."""
    return format_date(day, SHORT_DATE[language], locale=babel_locale(language))


def week_range(language: Language, first: date, last: date) -> str:
    """``Senin, 8 Juli s.d. Minggu, 14 Juli 2030`` / ``Monday 8 July to Sunday 14 July 2030``."""
    # Translators: a week, from its first day to its last (e.g. "Monday 8 July to Sunday 14 July 2030").
    text = gettext(language, "%(first)s to %(last)s", first=day_month(language, first), last=long_date(language, last))
    return text


def weekday(language: Language, day: date | int) -> str:
    """The weekday's name: of a date, or of a number counted from Monday (0) as :meth:`date.weekday` does."""
    index = day if isinstance(day, int) else day.weekday()
    return str(babel_locale(language).days["format"]["wide"][index])


def clock(language: Language, moment: time) -> str:
    """``07.30`` / ``07:30``: the time of day on the 24-hour clock, as the language writes it."""
    return format_time(moment, "short", locale=babel_locale(language))


def number(language: Language, value: float) -> str:
    """``37,5`` / ``37.5``, ``1.250`` / ``1,250``: the decimal and grouping signs of the language."""
    return format_decimal(value, locale=babel_locale(language))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HH_MM = re.compile(r"\d{2}:\d{2}")


def localised(language: Language, params: Mapping[str, object]) -> dict[str, object]:
    """A message's parameters with days and times as the language writes them: dates (or ISO dates, as errors
    carry them) become ``Rabu, 10 Juli 2030`` (with the year: a range's bounds may be centuries apart), times
    (or ``HH:MM``) ``07.30``; anything else is left as it is."""
    result: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, str):
            value = _parsed(value)
        if isinstance(value, date):
            value = long_date(language, value)
        elif isinstance(value, time):
            value = clock(language, value)
        result[name] = value
    return result


def _parsed(text: str) -> object:
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if _HH_MM.fullmatch(text):
            return time.fromisoformat(text)
    except ValueError:
        pass
    return text
