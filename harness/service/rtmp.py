"""The back end's outgoing live stream: an RTMP connection to the address the host gave, and the world it reaches.

`startLiveStream(streamUrl, …)` makes the real back end connect to the streaming platform; whether that works is
the network's answer, not the SDK's. `attempt` does what the back end's first step does: a TCP connection to the
URL's host and port (`rtmp:` 1935, `rtmps:` 443 over TLS) and the RTMP handshake (C0+C1, then S0+S1+S2 from the
server, then C2), each bounded. Anything that is not an RTMP URL is not attempted.

Scenarios make the back end's network without the internet: names under the reserved `.test` top-level domain
(RFC 6761, never resolvable for real) are the service's own stand-ins, started with it on loopback:
`streaming.test` answers the handshake, `refused.test` refuses the connection, `silent.test` accepts it and never
answers. Other names resolve as usual, so an offline machine fails them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CONNECT_SECONDS = 5.0
HANDSHAKE_SECONDS = 5.0
HANDSHAKE_SIZE = 1536  # C1, S1, S2 and C2 are 1536 bytes each; C0 and S0 one byte (the RTMP version, 3)
VERSION = b"\x03"
DEFAULT_PORTS = {"rtmp": 1935, "rtmps": 443}
STREAMING, REFUSED, SILENT = "streaming.test", "refused.test", "silent.test"


@dataclass(frozen=True, slots=True)
class Target:
    host: str
    port: int
    tls: bool


def target(url: str) -> Target | None:
    """Where an RTMP URL points, or None when it is no RTMP URL (a web page's address, say)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return Target(parts.hostname, port or DEFAULT_PORTS[parts.scheme], parts.scheme == "rtmps")


@dataclass(frozen=True, slots=True)
class Stream:
    """An open connection to a streaming platform."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    async def ended(self) -> None:
        """Returns when the platform closes the connection (or it fails)."""
        with contextlib.suppress(OSError):
            while await self.reader.read(65536):
                pass

    def close(self) -> None:
        self.writer.close()


async def attempt(url: str, world: Mapping[str, tuple[str, int]]) -> Stream | None:
    """Connect to the URL and complete the RTMP handshake; the open connection, or None when that fails for any
    reason (no RTMP URL, a name that does not resolve, a refused or silent port, a peer that speaks no RTMP)."""
    where = target(url)
    if where is None:
        return None
    host, port, tls = where.host, where.port, where.tls
    if host.lower() in world:  # the world's stand-ins speak plain RTMP on loopback
        (host, port), tls = world[host.lower()], False
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ssl.create_default_context() if tls else None),
            CONNECT_SECONDS,
        )
    except (OSError, TimeoutError, ssl.SSLError):
        return None
    try:
        await _handshake(reader, writer)
    except (OSError, EOFError, TimeoutError, asyncio.IncompleteReadError, ssl.SSLError):
        writer.close()
        return None
    return Stream(reader, writer)


async def _handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    c1 = int(time.time()).to_bytes(4, "big") + bytes(4) + os.urandom(HANDSHAKE_SIZE - 8)
    writer.write(VERSION + c1)
    await writer.drain()
    answer = await asyncio.wait_for(reader.readexactly(1 + 2 * HANDSHAKE_SIZE), HANDSHAKE_SECONDS)
    if answer[:1] != VERSION:
        raise ConnectionError("not an RTMP server")
    writer.write(answer[1 : 1 + HANDSHAKE_SIZE])  # C2 echoes S1
    await writer.drain()


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class StandIns:
    """The back end's world on loopback: an RTMP server, a silent one and a refused port (see the module doc)."""

    servers: list[asyncio.Server] = field(default_factory=list)
    world: dict[str, tuple[str, int]] = field(default_factory=dict)
    peers: set[asyncio.StreamWriter] = field(default_factory=set)  # connections the stand-ins hold open

    async def start(self, host: str = "127.0.0.1") -> dict[str, tuple[str, int]]:
        for name, serve in ((STREAMING, _rtmp_server), (SILENT, _silent_server)):
            server = await asyncio.start_server(self._held(serve), host, 0)
            self.servers.append(server)
            self.world[name] = (host, int(server.sockets[0].getsockname()[1]))
        self.world[REFUSED] = (host, _closed_port(host))
        return self.world

    def _held(self, serve: Handler) -> Handler:
        async def held(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.peers.add(writer)
            try:
                await serve(reader, writer)
            finally:
                self.peers.discard(writer)

        return held

    async def drop(self) -> None:
        """Every connection the stand-ins hold ends (the streaming platform goes away)."""
        for writer in list(self.peers):
            writer.close()

    async def stop(self) -> None:
        for server in self.servers:
            server.close()
        await self.drop()
        await asyncio.gather(*(server.wait_closed() for server in self.servers), return_exceptions=True)
        self.servers.clear()


def _closed_port(host: str) -> int:
    """A loopback port nobody listens on: bound, read, closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


async def _rtmp_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers the handshake, then takes whatever is streamed until the peer goes."""
    try:
        hello = await reader.readexactly(1 + HANDSHAKE_SIZE)
        s1 = int(time.time()).to_bytes(4, "big") + bytes(4) + os.urandom(HANDSHAKE_SIZE - 8)
        writer.write(VERSION + s1 + hello[1:])  # S2 echoes C1
        await writer.drain()
        await reader.readexactly(HANDSHAKE_SIZE)  # C2
        while await reader.read(65536):
            pass
    except (OSError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def _silent_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accepts the connection and never answers."""
    try:
        while await reader.read(65536):
            pass
    except OSError:
        pass
    finally:
        writer.close()
