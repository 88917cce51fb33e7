"""Live updates of the floor page: each desk's status for one day, as Server-Sent Events fed by Redis pub/sub.

``GET /floors/{id}/live?date=YYYY-MM-DD`` answers ``text/event-stream``. The first event holds every desk of the
floor; each later one only the desks whose status changed. An event is named ``desks`` and its data is JSON::

    {"day": "2026-12-08",
     "desks": {"12": {"status": "booked", "label": "Desk T2-3-A9, booked", "text": "Booked", "team": false}, ...},
     "counts": {"free": 30, "partially_booked": 0, "booked": 9, "unavailable": 0, "mine": 1},
     "summary": "30 desks are free now."}

The statuses are the floor page's own (``floor_view.build_floor_page``), for the person the visitor acts as, so
their desk is ``mine``; the stream carries nothing the page does not show them: desk codes, status words, the
reasons a desk is unavailable to them, and in a desk's label the names of who booked it only where the page names
them (``DeskView.occupants``, the API's privacy rules). Labels and the summary are in the page's language, ready
for ``static/floor-live.js`` to put on the desks and announce.

Where the changes come from: every booking change is published on the floor's Redis channel after its commit
(:mod:`smartoffice.integrations.events`), by whichever process made it, so a desk booked through any process
reaches every process's streams. The stream also listens on the viewer's own channel (their booking elsewhere can
change what they may book here). A message for the day makes the stream recompute the floor for the viewer and
send the difference; messages that arrive together are taken together. Nothing is replayed: a client that
reconnects gets a fresh first event, which is why the stream may end at any time (after :data:`STREAM_SECONDS`,
when Redis goes away, when the floor cannot be read) and the page's script simply reconnects, backing off.

One Redis connection per open stream, held from the pool (``runtime.REDIS_MAX_CONNECTIONS`` bounds them) and
closed when the visitor leaves: the close is shielded from the cancellation that a disconnect brings, or the
subscription would outlive the page. A comment every :data:`HEARTBEAT_SECONDS` keeps proxies from timing out an
idle stream; ``X-Accel-Buffering: no`` keeps nginx from buffering it.
"""

import asyncio
import copy
import dataclasses
import json
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import anyio
from litestar import Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from redis.exceptions import RedisError

from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.integrations.events import floor_channel, person_channel
from smartoffice.runtime import Runtime, runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.floor_view import STATUSES, build_floor_page
from smartoffice.web.forms import optional_date
from smartoffice.web.language import language_of
from smartoffice.web.templating import sentence

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
"""An idle stream sends a comment this often: proxies close connections silent for longer (nginx: 60 s)."""
STREAM_SECONDS = 600.0
"""A stream ends after this long; the browser reconnects at once, so who the visitor is gets checked again."""
RETRY_MS = 2_000
"""How long a browser waits before reconnecting on its own (the page's script backs off further)."""
CLOSE_SECONDS = 2.0
"""The most a disconnect waits for the Redis subscription to close."""


@dataclass(frozen=True, slots=True)
class FloorState:
    """What the stream tells about a floor on one day, for one viewer."""

    day: date
    desks: dict[int, tuple[str, str, str, bool]]
    """Desk id → (status, the desk's label as the plan words it, the status as the list words it, booked by the
    viewer's team), in the page's language."""
    counts: dict[str, int]
    """Status → how many desks have it."""


async def floor_state(
    runtime: Runtime, floor_id: int, day: date | None, viewer_id: int | None, language: Language
) -> FloorState:
    """The floor's desks as the floor page shows them to ``viewer_id``; raises NotFound for an unknown floor."""
    page = await build_floor_page(runtime, floor_id, day, viewer_id, None, language)
    words = status_words(language)
    desks = {}
    for desk in page.desks:
        label = gettext(language, "Desk %(code)s, %(status)s", code=desk.code, status=words[desk.status])
        if desk.reason:  # as templates/_floor_plan.html words the desk
            label = f"{label}: {desk.reason}"
        elif desk.occupants:
            names = ", ".join(desk.occupants) + (f" ({gettext(language, 'your team')})" if desk.team else "")
            label = gettext(language, "%(desk)s: %(names)s", desk=label, names=names)
        desks[desk.id] = (desk.status, label, sentence(words[desk.status]), desk.team)
    counts = dict.fromkeys(STATUSES, 0)
    for status, *_ in desks.values():
        counts[status] = counts.get(status, 0) + 1
    return FloorState(page.day, desks, counts)


def status_words(language: Language) -> dict[str, str]:
    """The words of templates/_desk_status.html, for labels like the plan's ("Desk T2-3-A9, free")."""
    return {
        "free": gettext(language, "free"),
        "partially_booked": gettext(language, "partly booked"),
        "booked": gettext(language, "booked"),
        "unavailable": gettext(language, "unavailable"),
        "mine": gettext(language, "booked by you"),
    }


def event_of(state: FloorState, shown: FloorState | None, language: Language) -> ServerSentEventMessage | None:
    """The event telling what changed since ``shown`` (everything when nothing was shown yet); None if nothing."""
    before = shown.desks if shown is not None else {}
    changed = {desk_id: state_ for desk_id, state_ in state.desks.items() if before.get(desk_id) != state_}
    if shown is not None and not changed:
        return None
    free = state.counts.get("free", 0)
    data = {
        "day": state.day.isoformat(),
        "desks": {
            str(desk_id): {"status": status, "label": label, "text": text, "team": team}
            for desk_id, (status, label, text, team) in changed.items()
        },
        "counts": state.counts,
        "summary": ngettext(language, "%(num)d desk is free now.", "%(num)d desks are free now.", free),
    }
    return ServerSentEventMessage(
        data=json.dumps(data, separators=(",", ":"), ensure_ascii=False),
        event="desks",
        retry=RETRY_MS if shown is None else None,
    )


def concerns(message: dict[str, Any], day: date) -> bool:
    """A pub/sub message from :mod:`smartoffice.integrations.events` is about ``day`` (or cannot be read)."""
    try:
        payload = json.loads(message["data"])
        return day.isoformat() in payload["dates"]
    except (ValueError, TypeError, KeyError):
        return True  # a message we cannot read: look again rather than miss a change


@get("/floors/{floor_id:int}/live", name="floor-live")
async def floor_live(
    request: Request[Any, Any, Any],
    floor_id: FromPath[int],
    day: Annotated[str | None, QueryParameter(name="date")] = None,
) -> ServerSentEvent:
    """The floor's desk statuses on a day, live (see the module's docstring). 404 for an unknown floor, 422 for a
    malformed date, before the stream starts."""
    chosen = optional_date(day)  # FormError → the pages' 422
    if not is_storable_id(floor_id):
        raise NotFound("Floor", floor_id)
    runtime = runtime_of(request)
    await runtime.layouts.get(floor_id)  # NotFound → 404, while an answer can still say so
    viewer = await current_viewer(request)
    stream = live_events(runtime, floor_id, chosen, viewer.id if viewer else None, language_of(request))
    return ServerSentEvent(stream)  # with Cache-Control: no-cache and X-Accel-Buffering: no


def reading_sql(runtime: Runtime) -> Runtime:
    """``runtime`` with occupancy read from SQL, never from the availability index.

    A booking's event is published as its transaction commits, and only then does the booking service project the
    change into the index (``bookings/service.py``): a stream that looked at the index on hearing the event could
    see the floor as it was and, no further event coming, show it so until the next change.
    """
    availability = copy.copy(runtime.availability)  # shares the index, breaker and database; reads SQL
    availability.read_index = False
    return dataclasses.replace(runtime, availability=availability)


async def live_events(
    runtime: Runtime, floor_id: int, day: date | None, viewer_id: int | None, language: Language
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """The stream's events until it ends; always lets go of its Redis subscription."""
    runtime = reading_sql(runtime)
    pubsub = runtime.redis.pubsub(ignore_subscribe_messages=True)
    channels = [floor_channel(floor_id)] + ([person_channel(viewer_id)] if viewer_id is not None else [])
    clock = asyncio.get_running_loop().time
    ends_at = clock() + STREAM_SECONDS
    try:
        try:
            await pubsub.subscribe(*channels)  # before the first look: a change in between is not lost
        except (RedisError, OSError):
            log.warning("floor %s: no live updates, Redis is unavailable", floor_id, exc_info=True)
            return
        shown: FloorState | None = None
        look = True
        last_sent = clock()
        while True:
            if look:
                try:
                    state = await floor_state(
                        runtime, floor_id, day if shown is None else shown.day, viewer_id, language
                    )
                except Exception:  # the floor went, the database is busy...: end; the page reconnects later
                    log.warning("floor %s: live updates end, the floor could not be read", floor_id, exc_info=True)
                    return
                event = event_of(state, shown, language)
                shown = state
                if event is not None:
                    yield event
                    last_sent = clock()
            now = clock()
            if now >= ends_at:
                return
            if now - last_sent >= HEARTBEAT_SECONDS:
                yield ServerSentEventMessage(comment="still here", data=None)
                last_sent = now
            wait = max(0.0, min(last_sent + HEARTBEAT_SECONDS, ends_at) - now)
            try:
                messages = await _next_messages(pubsub, wait)
            except (RedisError, OSError):
                log.warning("floor %s: live updates end, Redis went away", floor_id, exc_info=True)
                return
            assert shown is not None
            look = any(concerns(message, shown.day) for message in messages)
    finally:
        with anyio.move_on_after(CLOSE_SECONDS, shield=True):
            await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated


async def _next_messages(pubsub: Any, wait: float) -> list[dict[str, Any]]:
    """The messages published within ``wait`` seconds (none if none): the first, and any that came with it."""
    first = await pubsub.get_message(timeout=wait)
    if first is None:
        return []
    messages = [first]
    while (more := await pubsub.get_message(timeout=0.0)) is not None:
        messages.append(more)
    return [m for m in messages if m.get("type") == "message"]
