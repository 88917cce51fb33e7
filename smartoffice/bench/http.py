"""A minimal HTTP/1.1 keep-alive client for driving our own server on loopback.

Why not httpx or aiohttp: on a 2-core machine the load generator shares the CPU with the server it measures, so
every microsecond it spends per request is taken from the server. httpx costs ~10x more CPU per request than this
(its connection pool, ``h11`` parser and request model), aiohttp ~2-3x; ``wrk`` is cheaper still but cannot follow
a booking's id into its cancellation or tell a typed GraphQL conflict from a success. This client writes one
pre-encoded request and reads one response (``Content-Length`` or chunked), nothing else; the benchmark reports
its own CPU time next to the numbers so that the reader can see what it cost.
"""

import asyncio
import contextlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    body: bytes
    retry_after: str | None = None
    """The ``Retry-After`` header, when the answer has one (a typed "busy, retry")."""


class HttpConnection:
    """One keep-alive connection to ``host:port``; not for concurrent use (one per client task)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> HttpResponse:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        head = [f"{method} {path} HTTP/1.1", f"host: {self.host}:{self.port}", f"content-length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        try:
            self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            return await self._read_response(self._reader)
        except BaseException:
            await self.close()  # the stream is in an unknown state: the next request reconnects
            raise

    async def _read_response(self, reader: asyncio.StreamReader) -> HttpResponse:
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split(None, 2)[1])
        length, chunked, close, retry_after = -1, False, False, None
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                chunked = "chunked" in value
            elif name == "connection":
                close = value == "close"
            elif name == "retry-after":
                retry_after = value
        if chunked:
            body = await self._read_chunks(reader)
        elif length >= 0:
            body = await reader.readexactly(length)
        else:
            body, close = await reader.read(), True
        if close:
            await self.close()
        return HttpResponse(status, body, retry_after)

    @staticmethod
    async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
        parts = []
        while size := int((await reader.readline()).split(b";")[0], 16):
            parts.append(await reader.readexactly(size))
            await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b""):  # trailers
            pass
        return b"".join(parts)

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()
