"""The pages' words in the visitor's language, Bahasa Indonesia or English, chosen by ``Accept-Language``.

A translated page puts a :class:`Words` for the request in its template context as ``t``: ``t("PAGE_MY_WEEK")``,
``t.long_date(day)``. base.html asks ``t`` for its own few words; the app registers an English ``t`` as a template
global, so pages not translated yet keep speaking English. Every string comes from
:data:`smartoffice.messages.MESSAGES` by code. A code without words (yet), or words whose placeholders the
parameters do not fill, show as the bare code: a message not written yet never breaks a page.
"""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine

from smartoffice.messages import DEFAULT_LANGUAGE, Language, language_from_header, render


@dataclass(frozen=True, slots=True)
class Words:
    language: Language = DEFAULT_LANGUAGE

    def __call__(self, code: str, **params: object) -> str:
        try:
            return render(code, self.language, **params)
        except (KeyError, IndexError, ValueError):
            return code

    def weekday(self, day: date) -> str:
        return self(f"PAGE_WEEKDAY_{day.weekday()}")

    def long_date(self, day: date) -> str:
        """``Wednesday 10 July 2030`` / ``Rabu, 10 Juli 2030``."""
        return self("PAGE_LONG_DATE", weekday=self.weekday(day), day=day.day, month=self._month(day), year=day.year)

    def day_month(self, day: date) -> str:
        """``Wednesday 10 July`` / ``Rabu, 10 Juli``."""
        return self("PAGE_DAY_MONTH", weekday=self.weekday(day), day=day.day, month=self._month(day))

    def week_range(self, monday: date, sunday: date) -> str:
        return self("PAGE_WEEK_RANGE", first=self.day_month(monday), last=self.long_date(sunday))

    def number(self, value: float) -> str:
        """``32.5`` / ``32,5`` (Indonesian writes a decimal comma); whole numbers without decimals."""
        text = f"{value:g}"
        return text.replace(".", ",") if self.language == "id" else text

    @staticmethod
    def hhmm(moment: time) -> str:
        return moment.strftime("%H:%M")

    def _month(self, day: date) -> str:
        return self(f"PAGE_MONTH_{day.month}")


def words_for(request: Request[Any, Any, Any]) -> Words:
    return Words(language_from_header(request.headers.get("accept-language")))


def register_template_globals(engine: JinjaTemplateEngine) -> None:
    """The English ``t`` every template sees unless its page passes one in the visitor's language."""
    engine.engine.globals["t"] = Words()
