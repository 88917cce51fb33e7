"""The pages' template engine speaks the request's language: Jinja2's i18n extension, with gettext per request.

Templates write text as ``{% trans %}…{% endtrans %}``, ``_("…")`` or ``ngettext("…", "…", n)``; the callables
installed here read the language from the template's context (the ``request`` litestar passes in, whose language
smartoffice.web.language decided, or a ``language`` variable when there is no request) and look the text up in
that language's catalogue (smartoffice.i18n). Trans blocks are trimmed, as ``pybabel extract`` reads them
(``babel.cfg``). Filters format values for the same language::

    {{ day | long_date }}   Rabu, 10 Juli 2030      {{ day | day_month }}   Rabu, 10 Juli
    {{ day | short_date }}  Rab, 10 Jul              {{ moment | clock }}    07.30
    {{ 37.5 | number }}     37,5                     {{ status | label }}    Berisiko (an enum value's label)
    {{ role | role }}       Pimpinan unit, or Pegawai for no role
    {{ text | sentence }}   first letter upper case, the rest untouched (unlike ``capitalize``: *Anda* stays)
"""

import uuid
from collections.abc import Callable
from enum import Enum
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from smartoffice import formats, i18n, labels
from smartoffice.i18n import DEFAULT_LANGUAGE, LANGUAGES, Language, as_language
from smartoffice.web.flash import take_error
from smartoffice.web.forms import IDEMPOTENCY_FIELD
from smartoffice.web.headers import csp_nonce
from smartoffice.web.language import language_of, return_path

LANGUAGE_NAMES: dict[Language, str] = {"id": "Bahasa Indonesia", "en": "English"}
"""Each language by its own name (an autonym, never translated): what the language switch offers."""


def language_in(context: Context) -> Language:
    explicit = as_language(context.get("language"))
    if explicit is not None:
        return explicit
    request = context.get("request")
    return language_of(request) if isinstance(request, Request) else DEFAULT_LANGUAGE


@pass_context
def _gettext(context: Context, message: str) -> str:
    return i18n.translations(language_in(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return i18n.translations(language_in(context)).ngettext(singular, plural, n)


def _in_language(format_value: Callable[[Language, Any], str]) -> Callable[..., str]:
    @pass_context
    def formatted(context: Context, value: Any) -> str:
        return format_value(language_in(context), value)

    return formatted


def _label(language: Language, value: Enum) -> str:
    return labels.label(language, value)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@pass_context
def current_language(context: Context) -> Language:
    return language_in(context)


@pass_context
def language_return_path(context: Context) -> str:
    request = context.get("request")
    return return_path(request) if isinstance(request, Request) else "/"


@pass_context
def response_csp_nonce(context: Context) -> str:
    """The nonce an inline ``<style>`` or ``<script>`` needs under the page's Content-Security-Policy
    (smartoffice.web.headers): ``<style nonce="{{ csp_nonce() }}">``."""
    request = context.get("request")
    return csp_nonce(request.scope) if isinstance(request, Request) else ""  # no response, no policy


@pass_context
def flashed_error(context: Context) -> Any:
    """The error a failed form's redirect carried to this page (smartoffice.web.flash), taken out once."""
    request = context.get("request")
    return take_error(request) if isinstance(request, Request) else None


def idempotency_input() -> Markup:
    """A hidden field with a fresh idempotency key, for a form whose effect must happen once however often it is
    sent (a double click, a resend after a slow network): ``{{ csrf_input | safe }}{{ idempotency_input() }}``.
    The handler reads it with ``smartoffice.web.forms.idempotency_key``."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(IDEMPOTENCY_FIELD, uuid.uuid4().hex)


def register_template_globals(engine: JinjaTemplateEngine) -> None:
    environment = engine.engine
    environment.add_extension("jinja2.ext.i18n")
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        _gettext, _ngettext, newstyle=True
    )
    environment.filters.update(
        long_date=_in_language(formats.long_date),
        day_month=_in_language(formats.day_month),
        short_date=_in_language(formats.short_date),
        weekday=_in_language(formats.weekday),
        clock=_in_language(formats.clock),
        number=_in_language(formats.number),
        label=_in_language(_label),
        role=_in_language(labels.role_label),
        sentence=sentence,
    )
    environment.globals.update(
        current_language=current_language,
        csp_nonce=response_csp_nonce,
        flashed_error=flashed_error,
        idempotency_input=idempotency_input,
        language_return_path=language_return_path,
        languages=[(language, LANGUAGE_NAMES[language]) for language in LANGUAGES],
    )
