"""A network path per participant: a loopback SOCKS5 proxy the participant's browser context sends all
its traffic through, so faults act on bytes in flight as a real network would.

- latency and jitter delay every byte, HTTP and WebSocket frames alike (measured: CDP network throttling
  delays a WebSocket's handshake but not its frames); order is kept, as TCP keeps it;
- a black hole stops delivery both ways and closes nothing; what was sent meanwhile arrives once the
  path comes back (TCP retransmits), so only a heartbeat notices a long one;
- a cut resets every open connection, so both ends see the connection die;
- a firewall refuses connections to blocked ports (the SOCKS "not allowed by ruleset" answer, which the
  browser reports as a failed connection) and resets the ones already open to them.

The proxy runs on its own asyncio loop in a thread (`harness.loop_thread.LoopThread`); the harness's thread
changes a path's state with `NetworkPath` methods, which hand the change to that loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.loop_thread import LoopThread

SOCKS_VERSION = 5
CONNECT = 1
REPLY_OK = 0
REPLY_GENERAL_FAILURE = 1
REPLY_NOT_ALLOWED = 2
REPLY_NETWORK_UNREACHABLE = 3
REPLY_HOST_UNREACHABLE = 4
REPLY_REFUSED = 5
REPLY_COMMAND_UNSUPPORTED = 7
CONNECT_TIMEOUT = 10.0
CHUNK = 65536
CALL_TIMEOUT = 10.0  # a state change or a new listener, handed to the proxy loop
STOP_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Conditions:
    latency: float = 0.0  # seconds, one way
    jitter: float = 0.0  # seconds, +/- around the latency


@dataclass
class _PathState:
    conditions: Conditions = field(default_factory=Conditions)
    blackhole: bool = False
    down: bool = False
    flowing: asyncio.Event = field(default_factory=asyncio.Event)
    transports: set[asyncio.WriteTransport] = field(default_factory=set)
    connections: int = 0
    blocked_ports: set[int] = field(default_factory=set)
    flows: dict[int, set[asyncio.WriteTransport]] = field(default_factory=dict)  # target port -> transports
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def delay(self) -> float:
        spread = self.conditions.jitter
        value = self.conditions.latency + (self.rng.uniform(-spread, spread) if spread else 0.0)
        return max(0.0, value)


class NetworkPath:
    """One participant's network path. `proxy` is what its browser context is given."""

    def __init__(self, shaper: NetworkShaper, state: _PathState, server: asyncio.base_events.Server) -> None:
        self._shaper = shaper
        self._state = state
        self._server = server
        port = server.sockets[0].getsockname()[1]
        self.proxy = {"server": f"socks5://127.0.0.1:{port}", "bypass": "<-loopback>"}

    def set_conditions(self, latency: float, jitter: float) -> None:
        self._shaper.call(lambda: setattr(self._state, "conditions", Conditions(latency, jitter)))

    def set_blackhole(self, on: bool) -> None:
        def change() -> None:
            self._state.blackhole = on
            if on:
                self._state.flowing.clear()
            else:
                self._state.flowing.set()

        self._shaper.call(change)

    def block_ports(self, ports: set[int]) -> None:
        """A firewall: connections to these ports are refused, and the open ones are reset."""

        def change() -> None:
            self._state.blocked_ports = set(ports)
            for port in ports:
                for transport in self._state.flows.pop(port, set()):
                    transport.abort()

        self._shaper.call(change)

    def cut(self, *, stay_down: bool) -> None:
        """Reset every open connection; with `stay_down`, refuse new ones until `restore()`."""

        def change() -> None:
            self._state.down = stay_down
            for transport in list(self._state.transports):
                transport.abort()
            self._state.transports.clear()

        self._shaper.call(change)

    def restore(self) -> None:
        def change() -> None:
            self._state.down = False
            self._state.blackhole = False
            self._state.flowing.set()

        self._shaper.call(change)

    @property
    def connections(self) -> int:
        """How many connections went through this path (a test can see the proxy was used)."""
        return self._state.connections

    def close(self) -> None:
        def change() -> None:
            self._server.close()
            for transport in list(self._state.transports):
                transport.abort()

        self._shaper.call(change)


class NetworkShaper:
    """Owns the proxy loop (started on first use). `open_path()` gives each participant a listener of its own."""

    def __init__(self) -> None:
        self._loop = LoopThread("network-shaper")

    def call(self, fn: Callable[[], Any]) -> Any:
        self._loop.start()
        return self._loop.call(fn, timeout=CALL_TIMEOUT)

    def open_path(self) -> NetworkPath:
        self._loop.start()

        async def listen() -> tuple[_PathState, asyncio.base_events.Server]:
            state = _PathState()
            state.flowing.set()
            server = await asyncio.start_server(
                lambda r, w: _serve_client(state, r, w), "127.0.0.1", 0, family=socket.AF_INET
            )
            return state, server

        state, server = self._loop.run(listen(), timeout=CALL_TIMEOUT)
        return NetworkPath(self, state, server)

    def stop(self) -> None:
        """Stop the proxy loop; every connection's task is cancelled and awaited first."""
        self._loop.stop(timeout=STOP_TIMEOUT)


async def _serve_client(state: _PathState, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    state.transports.add(writer.transport)
    try:
        target = await asyncio.wait_for(_handshake(reader, writer), CONNECT_TIMEOUT)
        if target is None:
            return
        if state.down:
            await _reply(writer, REPLY_NETWORK_UNREACHABLE)
            return
        if target[1] in state.blocked_ports:
            await _reply(writer, REPLY_NOT_ALLOWED)
            return
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(*target), CONNECT_TIMEOUT)
        except (TimeoutError, OSError) as error:
            refused = isinstance(error, ConnectionRefusedError)
            await _reply(writer, REPLY_REFUSED if refused else REPLY_HOST_UNREACHABLE)
            return
        state.transports.add(up_writer.transport)
        flow = state.flows.setdefault(target[1], set())
        flow.update((up_writer.transport, writer.transport))
        state.connections += 1
        await _reply(writer, REPLY_OK)
        await asyncio.gather(_relay(state, reader, up_writer), _relay(state, up_reader, writer))
        state.transports.discard(up_writer.transport)
        flow.difference_update((up_writer.transport, writer.transport))
    except (TimeoutError, OSError, asyncio.IncompleteReadError):
        pass
    finally:
        state.transports.discard(writer.transport)
        writer.transport.abort() if state.down else writer.close()


async def _handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> tuple[str, int] | None:
    version, methods = await reader.readexactly(2)
    await reader.readexactly(methods)
    if version != SOCKS_VERSION:
        return None
    writer.write(bytes([SOCKS_VERSION, 0]))  # no authentication
    _, command, _, address_type = await reader.readexactly(4)
    if address_type == 1:
        host = socket.inet_ntop(socket.AF_INET, await reader.readexactly(4))
    elif address_type == 3:
        (length,) = await reader.readexactly(1)
        host = (await reader.readexactly(length)).decode("idna")
    elif address_type == 4:
        host = socket.inet_ntop(socket.AF_INET6, await reader.readexactly(16))
    else:
        await _reply(writer, REPLY_GENERAL_FAILURE)
        return None
    (port,) = struct.unpack("!H", await reader.readexactly(2))
    if command != CONNECT:
        await _reply(writer, REPLY_COMMAND_UNSUPPORTED)
        return None
    return host, port


async def _reply(writer: asyncio.StreamWriter, code: int) -> None:
    writer.write(bytes([SOCKS_VERSION, code, 0, 1, 0, 0, 0, 0, 0, 0]))
    with contextlib.suppress(OSError):
        await writer.drain()


async def _relay(state: _PathState, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy one direction, each chunk delivered no earlier than its due time and never out of order."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def receive() -> None:
        last_due = 0.0
        while True:
            data = await source.read(CHUNK)
            last_due = max(last_due, loop.time() + state.delay())
            await queue.put((last_due, data))
            if not data:
                return

    async def deliver() -> None:
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            await state.flowing.wait()
            if not data:
                with contextlib.suppress(OSError):
                    sink.write_eof()
                return
            sink.write(data)
            await sink.drain()

    receiving = asyncio.ensure_future(receive())
    try:
        await deliver()
    except OSError:
        pass
    finally:
        receiving.cancel()
        with contextlib.suppress(asyncio.CancelledError, OSError):
            await receiving
