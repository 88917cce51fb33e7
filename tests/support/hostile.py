"""Sending what a well-behaved HTTP client would not: a chunked body straight to the ASGI app, chunk by chunk, and
the fuzzer's hostile values and bodies."""

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from litestar.testing import AsyncTestClient


async def asgi_post_chunks(
    client: AsyncTestClient, path: str, headers: dict[str, str], chunks: list[bytes]
) -> tuple[int, Any, int]:
    """POST ``chunks`` as a body without ``Content-Length`` (as a chunked request reaches the app) to the started
    app of ``client``; the status, the JSON body and how many chunks the app read before it answered.

    litestar's test transport reads a streamed body whole before calling the app, so this calls the app itself, on
    the client's portal as the transport does: the app's lifespan (its database and Redis pools) lives on that event
    loop, and a Redis connection opened on the test's own loop could not be closed at shutdown."""
    read = 0
    status = 0
    body = b""

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= len(chunks):
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver.local"), (b"transfer-encoding", b"chunked")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 80),
        "state": {},
    }
    with client.portal() as portal:
        portal.call(client.app, scope, receive, send)
    return status, json.loads(body), read


def graphql_errors(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Each top-level error's message and ``extensions.code``."""
    return [(e["message"], (e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]


# What the fuzzer (tests/api/test_fuzz_graphql.py) sends that no honest client would.

EDGE_DATES = st.sampled_from(
    [
        "0001-01-01",
        "0001-01-02",
        "9999-12-31",
        "9999-12-30",
        "1970-01-01",  # the API's own range (smartoffice.api.scalars): its ends, and just outside
        "2199-12-31",
        "1969-12-31",
        "2200-01-01",
        "2024-02-29",  # a leap day
        "2000-02-29",  # a leap day by the 400-year rule
        "2100-02-29",  # no leap day: a century
        "2023-02-29",
        "0000-01-01",
        "10000-01-01",
        "-0001-01-01",
        "2024-04-31",
        "2024-13-01",
        "2024-1-1",
        "20240101",
        "2024-W01-1",
    ]
)
"""The ends of Python's calendar (years 1 and 9999) and of the API's, leap-day oddities, dates malformed."""
EDGE_INSTANTS = st.sampled_from(
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59.999999+00:00",
        "9999-12-31T23:59:59-14:00",  # after 9999 in UTC
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:00:00+14:00",
        "2199-12-31T23:59:59Z",
        "2199-12-31T23:59:59-14:00",
        "2024-02-29T12:00:00Z",
        "2023-02-29T12:00:00Z",
        "2016-12-31T23:59:60Z",  # a leap second
        "2024-02-29T24:00:00Z",
        "2038-01-19T03:14:08Z",
    ]
)
EDGE_TIMES = st.sampled_from(["00:00", "23:59:59.999999", "24:00", "23:59:60", "-01:00", "99:99"])
HUGE_NUMBERS = st.one_of(
    st.integers(1_000, 4_300).map(lambda n: "9" * n),  # thousands of digits, still readable by Python
    st.integers(4_301, 6_000).map(lambda n: "9" * n),  # past Python's int-from-string limit
    st.sampled_from(
        ["1e400", "-1e400", "1e-400", "-0", "-0.0", "0e0", "2147483648", "-2147483649", "9007199254740993", "4.9e-324"]
    ),
)
"""Numbers as JSON text (so that 1e400 and 5,000 digits reach the server as sent)."""
NUMBER_STRINGS = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-0", "0x10", "١٢٣", "1_000"])


@dataclass(frozen=True)
class Raw:
    """A JSON value written into the body as this text, unchecked."""

    text: str


def encode_json(value: Any) -> str:
    """JSON text of ``value``, with each :class:`Raw` written as it is."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{encode_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode_json(v) for v in value) + "]"
    return json.dumps(value)


def _nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def _not_utf8(body: bytes, junk: bytes, at: int) -> bytes:
    at = at % (len(body) + 1)
    return body[:at] + junk + body[at:]


def _document(query: str) -> bytes:
    return json.dumps({"query": query}).encode()


TYPENAME = b'{"query": "query($v: [[Int]], $n: Float) { __typename }", "variables": {"v": [[1]], "n": 1.5}}'
NOT_UTF8 = st.binary(min_size=1, max_size=6).filter(lambda b: not _decodes(b))


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


HOSTILE_BODIES = st.one_of(
    st.integers(20, 100_000).map(lambda n: _nested(n).encode()),  # deep JSON
    st.integers(20, 20_000).map(
        lambda n: b'{"query": "{ __typename }", "variables": {"v": ' + _nested(n).encode() + b"}}"
    ),
    st.integers(20, 20_000).map(lambda n: ('{"a":' * n + "1" + "}" * n).encode()),
    st.builds(_not_utf8, st.just(TYPENAME), NOT_UTF8, st.integers(0, len(TYPENAME))),  # invalid UTF-8
    HUGE_NUMBERS.map(lambda n: TYPENAME.replace(b"1.5", n.encode())),  # huge numbers
    HUGE_NUMBERS.map(lambda n: TYPENAME.replace(b"[[1]]", b"[[" + n.encode() + b"]]")),
    NUMBER_STRINGS.map(lambda n: TYPENAME.replace(b"1.5", n.encode())),  # NaN, Infinity: not JSON
    st.integers(2, 3_000).map(lambda n: _document("{" + "viewer { " * n + "id" + " }" * n + "}")),  # deep selections
    st.integers(2, 3_000).map(lambda n: _document("{ nodes(ids: " + _nested(n, '"x"') + ") { id } }")),
    st.integers(2, 3_000).map(lambda n: _document("{ node(id: " + "{a: " * n + "1" + "}" * n + ") { id } }")),
    st.integers(1_000, 6_000).map(lambda n: _document("{ myBookings(first: " + "9" * n + ") { __typename } }")),
    st.integers(100, 60_000).map(lambda n: _document("#" + "x" * n + "\n{ __typename }")),  # comments
    st.integers(100, 5_000).map(lambda n: _document("{" + " __typename" * n + " }")),  # tokens
)
"""Bodies built to break a parser: nesting (JSON, and GraphQL selections, lists and objects), bytes that are not
UTF-8, numbers no int or float holds, and documents long in comments or tokens."""


async def asgi_websocket(client: AsyncTestClient, path: str, texts: list[str]) -> list[dict[str, Any]]:
    """Open a WebSocket on the started app of ``client`` (graphql-transport-ws), send ``texts``, then hang up;
    the messages the app sent (accept, texts, close with its code)."""
    incoming: list[dict[str, Any]] = [{"type": "websocket.connect"}]
    incoming += [{"type": "websocket.receive", "text": text} for text in texts]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "scheme": "ws",
        "query_string": b"",
        "server": ("testserver.local", 80),
        "client": ("127.0.0.1", 50000),
        "subprotocols": ["graphql-transport-ws"],
        "headers": [(b"host", b"testserver.local")],
        "state": {},
    }
    await client.app(scope, receive, send)
    return sent
