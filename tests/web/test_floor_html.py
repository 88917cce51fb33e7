"""The floor page's desks written in Python (``web/floor_html.py``): byte for byte what the templates' Jinja loops
wrote (kept here as the reference), every value escaped."""

from typing import Any

import pytest
from jinja2 import Environment
from markupsafe import Markup, escape

from smartoffice.availability.unavailable import Unavailability, UnavailableReason
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.errors import InvalidInput
from smartoffice.web.floor_html import Words, list_rows, plan_desks
from smartoffice.web.floor_plan import DeskPlan
from smartoffice.web.floor_view import TEAM, UNMATCHED, DeskView
from smartoffice.web.templating import sentence

PLAN_LOOP = """
  {%- for d in desks %}
  {%- set extra = d.attrs ~ ' aria-current="true"' | safe if d.id == selected_id else d.attrs %}
  {%- if d.unavailable %}
  {%- set why = d.reason %}
  <a class="desk desk--unavailable" href="{{ desk_link }}{{ d.id }}#desk-panel" aria-label="{{ desk_label | format(code=d.code, status=labels.unavailable) }}: {{ why }}" data-desk-id="{{ d.id }}" data-status="unavailable" data-reason="{{ d.unavailable.reason.value }}"{{ extra }}><title>{{ why }}</title>{{ d.plan.svg_blocked }}</a>
  {%- elif d.occupants %}
  {%- set names = d.occupants | join(", ") ~ (" (" ~ team_word ~ ")" if d.team else "") %}
  <a class="desk desk--{{ d.status }}" href="{{ desk_link }}{{ d.id }}#desk-panel" aria-label="{{ named_label | format(desk=desk_label | format(code=d.code, status=labels[d.status]), names=names) }}" data-desk-id="{{ d.id }}" data-status="{{ d.status }}"{{ extra }}><title>{{ names }}</title>{{ d.plan.svg_shape }}{{ d.plan_label or d.plan.svg_label }}</a>
  {%- else %}
  <a class="desk desk--{{ d.status }}" href="{{ desk_link }}{{ d.id }}#desk-panel" aria-label="{{ desk_label | format(code=d.code, status=labels[d.status]) }}" data-desk-id="{{ d.id }}" data-status="{{ d.status }}"{{ extra }}>{{ d.plan.svg_shape }}{{ d.plan.svg_mark if d.status == "mine" else d.plan.svg_label }}</a>
  {%- endif %}
  {%- endfor %}"""  # noqa: E501

LIST_LOOP = """
    {%- for d in desks %}
      <tr id="desk-{{ d.id }}" data-status="{{ d.status }}" data-desk-id="{{ d.id }}"{{ d.marks }}{% if not d.matches %} hidden{% endif %}>
        <th scope="row"><a href="{{ desk_link }}{{ d.id }}#desk-panel">{{ d.code }}</a></th>
        {{ d.plan.list_cells }}
        <td><span class="status"><svg class="swatch swatch--{{ d.status }}" viewBox="0 0 1.6 0.8" aria-hidden="true" focusable="false"><rect x="0.05" y="0.05" width="1.5" height="0.7" rx="0.1"/>{% if d.status == "mine" %}<path d="M0.58 0.4 l0.15 0.15 l0.3 -0.3"/>{% elif d.unavailable %}<path d="M0.15 0.15 L1.45 0.65"/>{% endif %}</svg> <span data-live-label>{{ labels[d.status] | sentence }}</span></span>{% if d.unavailable %}<span class="reason small" data-reason="{{ d.unavailable.reason.value }}">{{ d.reason }}</span>{% endif %}{% if d.occupants %}<span class="occupants small">{{ d.occupants | join(", ") }}{% if d.team %} <span class="team-tag">{{ team_word }}</span>{% endif %}</span>{% endif %}</td>
        <td class="action">
          {%- if d.status == "mine" -%}
            <a class="button button--danger button--small" href="/bookings/{{ d.my_booking_id }}/cancel">{{ cancel_label | format(code=d.code) }}</a>
          {%- elif can_book and d.status == "free" -%}
            <button class="button button--small" type="submit" name="desk_id" value="{{ d.id }}">{{ book_label | format(code=d.code) }}</button>
          {%- elif can_book and d.status == "partially_booked" -%}
            <a href="{{ desk_link }}{{ d.id }}#desk-panel">{{ time_label | format(code=d.code) }}</a>
          {%- endif -%}
        </td>
      </tr>
    {%- endfor %}"""  # noqa: E501

HOSTILE = "<script>alert('x')</script> & \"co\""
WORDS = Words(
    labels={
        "free": Markup("free"),
        "partially_booked": Markup("partly booked"),
        "booked": Markup("booked"),
        "unavailable": Markup("unavailable"),
        "mine": Markup("booked by you"),
    },
    desk_label=Markup("Desk %(code)s, %(status)s"),
    named_label=Markup("%(desk)s: %(names)s"),
    team_word=Markup("your team"),
    cancel_label=Markup('Cancel<span class="visually-hidden"> my booking of desk %(code)s</span>'),
    book_label=Markup('Book<span class="visually-hidden"> desk %(code)s</span>'),
    time_label=Markup('Choose a time<span class="visually-hidden"> for desk %(code)s</span>'),
)
LINK = "/floors/7?date=2026-12-07&desk="


def plan(desk_id: int, code: str) -> DeskPlan:
    svg = Markup('<rect class="desk__shape"/>')
    return DeskPlan(
        id=desk_id,
        code=code,
        short_code=code[-3:],
        zone_id=None,
        zone_name=None,
        amenities=(),
        shape=None,  # type: ignore[arg-type]  # not drawn here: the SVG pieces are
        attrs=Markup(' data-amenities="monitor"'),
        svg_shape=svg,
        svg_label=Markup('<text class="desk__label">A1</text>'),
        svg_mark=Markup('<path class="desk__mark"/>'),
        svg_blocked=Markup('<rect class="desk__blocked"/>'),
        list_cells=Markup("<td>Zona</td><td>monitor</td>"),
        label_room=4.0,
        code_html=escape(code),
    )


def desks() -> list[DeskView]:
    closed = Unavailability(UnavailableReason.CLOSED, InvalidInput("date", BookingInputCode.CLOSED, reason="x"))
    return [
        DeskView(plan(1, "T1-A1"), "free", None),
        DeskView(plan(2, HOSTILE), "partially_booked", None, occupants=(HOSTILE, "Budi"), team=True, marks=TEAM),
        DeskView(plan(3, "T1-A3"), "booked", None, occupants=("Siti",), plan_label=Markup("<text>A3 · S</text>")),
        DeskView(plan(4, "T1-A4"), "unavailable", None, unavailable=closed, reason=HOSTILE, occupants=("Ani",)),
        DeskView(plan(5, "T1-A5"), "mine", 99, matches=False, marks=UNMATCHED, attrs=UNMATCHED),
        DeskView(plan(6, "T1-A6"), "free", None, occupants=(HOSTILE,), team=False),
        DeskView(plan(7, "T1-A7"), "partially_booked", None),
    ]


def jinja(source: str, **context: Any) -> str:
    environment = Environment(autoescape=True)
    environment.filters["sentence"] = sentence
    return environment.from_string(source).render(**context)


@pytest.mark.parametrize("selected_id", [None, 2, 4])
def test_the_plan_desks_are_what_the_jinja_loop_wrote(selected_id: int | None) -> None:
    expected = jinja(
        PLAN_LOOP,
        desks=desks(),
        desk_link=LINK,
        selected_id=selected_id,
        labels=WORDS.labels,
        desk_label=WORDS.desk_label,
        named_label=WORDS.named_label,
        team_word=WORDS.team_word,
    )

    written = plan_desks(desks(), LINK, selected_id, WORDS)

    assert str(written) == expected
    assert "<script>" not in written and "&lt;script&gt;" in written


@pytest.mark.parametrize("can_book", [True, False])
def test_the_list_rows_are_what_the_jinja_loop_wrote(can_book: bool) -> None:
    expected = jinja(
        LIST_LOOP,
        desks=desks(),
        desk_link=LINK,
        can_book=can_book,
        labels=WORDS.labels,
        team_word=WORDS.team_word,
        cancel_label=WORDS.cancel_label,
        book_label=WORDS.book_label,
        time_label=WORDS.time_label,
    )

    written = list_rows(desks(), LINK, can_book, WORDS)

    assert str(written) == expected
    assert "<script>" not in written and "&lt;script&gt;" in written
