"""The floor page's per-desk markup: the plan's desk links and the desk list's rows, written in Python.

A floor has hundreds of desks, and these two loops were two thirds of the page's CPU as Jinja (an interpolation
costs an escape and a lookup each; a 147-desk floor has ~3,500 of them). Here each desk is one f-string over
values escaped once; what does not change with the day (the desk's SVG, its list cells) is already escaped in
``floor_plan.DeskPlan``. The output is byte for byte what ``templates/_floor_plan.html`` and
``templates/_desk_list.html`` wrote with their loops (the words stay in the templates, looked up once per page in
the request's language, and come in as :class:`Words`). Every dynamic value goes through :func:`escape` or is
``Markup`` built from escaped parts, but for a desk's status, one of our own words (``floor_view.STATUSES``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from smartoffice.web.templating import sentence

if TYPE_CHECKING:
    from smartoffice.web.floor_view import DeskView

ARIA_CURRENT = Markup(' aria-current="true"')
NOTHING = Markup()
CODE = Markup("\x00")
"""Where a desk's code goes in its label (a character no translation holds)."""
SWATCH_MINE = '<path d="M0.58 0.4 l0.15 0.15 l0.3 -0.3"/>'
SWATCH_UNAVAILABLE = '<path d="M0.15 0.15 L1.45 0.65"/>'


@dataclass(frozen=True, slots=True)
class Words:
    """The words the desks are written with, in the page's language (the templates look them up: ``_()``)."""

    labels: Mapping[str, Markup]
    """Each status in words, lower case (``_desk_status.html``)."""
    desk_label: Markup = NOTHING
    """``Desk %(code)s, %(status)s``."""
    named_label: Markup = NOTHING
    """``%(desk)s: %(names)s``."""
    team_word: Markup = NOTHING
    cancel_label: Markup = NOTHING
    book_label: Markup = NOTHING
    time_label: Markup = NOTHING


def plan_desks(desks: Sequence["DeskView"], desk_link: str, selected_id: int | None, words: Words) -> Markup:
    """The plan's desk links, as ``_floor_plan.html``'s loop wrote them (each on its own line)."""
    link = escape(desk_link)
    # "Desk %(code)s, %(status)s" per status, with a marker where the code goes: ``Markup %`` per desk was half
    # of this loop's cost. The code is escaped as ``%`` would escape it.
    labels = {status: str(words.desk_label % {"code": CODE, "status": label}) for status, label in words.labels.items()}
    parts: list[str] = []
    append = parts.append
    for desk in desks:
        plan = desk.plan
        desk_id, code = plan.id, plan.code_html
        extra = desk.attrs + ARIA_CURRENT if desk_id == selected_id else desk.attrs
        unavailable = desk.unavailable
        if unavailable:
            why = escape(desk.reason)
            label = labels["unavailable"].replace(CODE, code)
            append(
                f'\n  <a class="desk desk--unavailable" href="{link}{desk_id}#desk-panel" aria-label="{label}: {why}"'
                f' data-desk-id="{desk_id}" data-status="unavailable" data-reason="{escape(unavailable.reason.value)}"'
                f"{extra}><title>{why}</title>{plan.svg_blocked}</a>"
            )
        elif desk.occupants:
            names = escape(", ".join(desk.occupants))
            if desk.team:
                names = names + Markup(" (") + words.team_word + Markup(")")
            status = desk.status
            desk_words = Markup(labels[desk.status].replace(CODE, code))
            label = words.named_label % {"desk": desk_words, "names": names}
            append(
                f'\n  <a class="desk desk--{status}" href="{link}{desk_id}#desk-panel" aria-label="{label}"'
                f' data-desk-id="{desk_id}" data-status="{status}"{extra}><title>{names}</title>'
                f"{plan.svg_shape}{desk.plan_label or plan.svg_label}</a>"
            )
        else:
            status = desk.status
            label = labels[desk.status].replace(CODE, code)
            mark = plan.svg_mark if desk.status == "mine" else plan.svg_label
            append(
                f'\n  <a class="desk desk--{status}" href="{link}{desk_id}#desk-panel" aria-label="{label}"'
                f' data-desk-id="{desk_id}" data-status="{status}"{extra}>{plan.svg_shape}{mark}</a>'
            )
    return Markup("".join(parts))


def list_rows(desks: Sequence["DeskView"], desk_link: str, can_book: bool, words: Words) -> Markup:
    """The desk list's rows, as ``_desk_list.html``'s loop wrote them."""
    link = escape(desk_link)
    statuses = {status: sentence(label) for status, label in words.labels.items()}
    parts: list[str] = []
    append = parts.append
    for desk in desks:
        unavailable = desk.unavailable
        status = desk.status
        desk_id, code = desk.plan.id, desk.plan.code_html
        hidden = "" if desk.matches else " hidden"
        swatch = SWATCH_MINE if desk.status == "mine" else SWATCH_UNAVAILABLE if unavailable else ""
        reason = (
            f'<span class="reason small" data-reason="{escape(unavailable.reason.value)}">{escape(desk.reason)}</span>'
            if unavailable
            else ""
        )
        occupants = ""
        if desk.occupants:
            team = f' <span class="team-tag">{words.team_word}</span>' if desk.team else ""
            occupants = f'<span class="occupants small">{escape(", ".join(desk.occupants))}{team}</span>'
        if desk.status == "mine":
            action = (
                f'<a class="button button--danger button--small" href="/bookings/{escape(desk.my_booking_id)}/cancel">'
                f"{words.cancel_label % {'code': code}}</a>"
            )
        elif can_book and desk.status == "free":
            action = (
                f'<button class="button button--small" type="submit" name="desk_id" value="{desk_id}">'
                f"{words.book_label % {'code': code}}</button>"
            )
        elif can_book and desk.status == "partially_booked":
            action = f'<a href="{link}{desk_id}#desk-panel">{words.time_label % {"code": code}}</a>'
        else:
            action = ""
        append(
            f'\n      <tr id="desk-{desk_id}" data-status="{status}" data-desk-id="{desk_id}"'
            f"{desk.marks}{hidden}>"
            f'\n        <th scope="row"><a href="{link}{desk_id}#desk-panel">{code}</a></th>'
            f"\n        {desk.plan.list_cells}"
            f'\n        <td><span class="status"><svg class="swatch swatch--{status}" viewBox="0 0 1.6 0.8"'
            f' aria-hidden="true" focusable="false"><rect x="0.05" y="0.05" width="1.5" height="0.7" rx="0.1"/>'
            f"{swatch}</svg> <span data-live-label>{statuses[desk.status]}</span></span>{reason}{occupants}</td>"
            f'\n        <td class="action">{action}</td>'
            "\n      </tr>"
        )
    return Markup("".join(parts))
