"""The session service's HTTP and WebSocket server (aiohttp), on loopback, in a thread of its own.

It serves the sample app and the double, answers `/wc/lsdk` join requests after verifying the JWT,
holds the session over a WebSocket (heartbeat answers, participant events), and offers a small dev
token endpoint for a person using the app by hand.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from harness.paths import fixtures_dir, real_sdk_dir
from harness.service.bundle import BundleError, build_umd
from harness.service.jwt_rules import verify_token
from harness.service.rooms import JoinRefused, Member, Room, Rooms
from harness.service.tokens import mint_token

FAILOVER_REMOVAL_SECONDS = 120.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Credentials:
    key: str
    secret: str
    account: str = "default"


@dataclass
class ServiceState:
    rooms: Rooms = field(default_factory=Rooms)
    credentials: dict[str, Credentials] = field(default_factory=dict)
    sockets: dict[int, web.WebSocketResponse] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)

    def record(self, event: str, **details: Any) -> None:
        self.log.append({"t": time.time(), "event": event, **details})


class SessionService:
    """Start with `start()`, stop with `stop()`; `base_url` is where the app is served."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.requested_port = port
        self.port = 0
        self.state = ServiceState()
        self.default_credentials = self.new_credentials()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def new_credentials(self, account: str = "default") -> Credentials:
        """A fresh SDK key and secret; sessions are held apart per key, so each run gets its own."""
        creds = Credentials(f"harness-{secrets.token_hex(6)}", secrets.token_urlsafe(32), account)
        self.state.credentials[creds.key] = creds
        return creds

    def start(self) -> SessionService:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._serve())
            except BaseException as error:  # reported to the starting thread below
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.close()

        self._thread = threading.Thread(target=run, name="session-service", daemon=True)
        self._thread.start()
        if not ready.wait(timeout=15):
            raise RuntimeError("the session service did not start within 15s")
        if failure:
            raise RuntimeError(f"the session service could not start: {failure[0]}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._loop = None

    def snapshot(self) -> list[dict[str, Any]]:
        rooms: list[dict[str, Any]] = self._call(lambda: self.state.rooms.snapshot())
        return rooms

    def log_since(self, index: int) -> list[dict[str, Any]]:
        return list(self.state.log[index:])

    def _call(self, fn: Callable[[], Any]) -> Any:
        if self._loop is None:
            return fn()
        future = asyncio.run_coroutine_threadsafe(_as_coroutine(fn), self._loop)
        return future.result(timeout=10)

    async def _serve(self) -> None:
        app = build_app(self.state, self.default_credentials)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def _shutdown(self) -> None:
        for ws in list(self.state.sockets.values()):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()


async def _as_coroutine(fn: Callable[[], Any]) -> Any:
    return fn()


def build_app(state: ServiceState, dev_credentials: Credentials) -> web.Application:
    app = web.Application()
    handlers = _Handlers(state, dev_credentials)
    app.router.add_get("/", handlers.home)
    app.router.add_post("/wc/lsdk", handlers.join_info)
    app.router.add_get("/instantsdk/{session_id}", handlers.session_socket)
    app.router.add_get("/api/token", handlers.dev_token)
    app.router.add_get("/_harness/sessions", handlers.sessions)
    app.router.add_get("/double/videosdk.umd.js", handlers.double_umd)
    app.router.add_static("/app/", fixtures_dir() / "app", append_version=False)
    app.router.add_static("/double/", fixtures_dir() / "double", follow_symlinks=True)
    app.router.add_static("/pages/", fixtures_dir() / "pages")
    real = real_sdk_dir()
    if real is not None:
        app.router.add_static("/sdk/real/", real)
    return app


class _Handlers:
    def __init__(self, state: ServiceState, dev_credentials: Credentials) -> None:
        self.state = state
        self.dev = dev_credentials
        self.pending: set[asyncio.Future[None]] = set()

    async def home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/app/index.html")

    async def double_umd(self, request: web.Request) -> web.StreamResponse:
        try:
            text = build_umd(fixtures_dir() / "double")
        except BundleError as error:
            return web.Response(status=500, text=f"/* {error} */", content_type="application/javascript")
        return web.Response(text=text, content_type="application/javascript", headers={"Cache-Control": "no-store"})

    async def dev_token(self, request: web.Request) -> web.StreamResponse:
        topic = request.query.get("topic", "")
        try:
            role = int(request.query.get("role", "1"))
        except ValueError:
            return web.json_response({"error": "role must be 0 or 1"}, status=400)
        if not topic:
            return web.json_response({"error": "topic is required"}, status=400)
        return web.json_response({"token": mint_token(self.dev.key, self.dev.secret, topic, role)})

    async def sessions(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.state.rooms.snapshot())

    async def join_info(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"status": False, "errorCode": 4003, "errorMessage": "bad request"})
        topic = str(body.get("topic", ""))
        verdict = verify_token(str(body.get("signature", "")), self._secrets(), topic, time.time())
        if not verdict.ok or verdict.claims is None:
            self.state.record("join-refused", topic=topic, result=verdict.result, message=verdict.message)
            return web.json_response({"status": False, "errorCode": verdict.result, "errorMessage": verdict.message})
        claims = verdict.claims
        rejoin = body.get("rejoinUserId")
        try:
            member = self.state.rooms.admit(
                str(claims["app_key"]),
                topic,
                str(body.get("userName", "")),
                int(claims["role_type"]),
                str(body.get("password", "")),
                rejoin if isinstance(rejoin, int) else None,
            )
        except JoinRefused as refused:
            self.state.record("join-refused", topic=topic, result=refused.result)
            return web.json_response({"status": False, "errorCode": refused.result, "errorMessage": refused.message})
        room = self._room_of(member)
        socket_url = f"ws://{request.host}/instantsdk/{room.session_id}"
        self.state.record("join-info", topic=topic, userId=member.user_id, name=member.name)
        return web.json_response(
            {"status": True, "result": {"rwg": socket_url, "joinToken": member.join_token, "userId": member.user_id}}
        )

    async def session_socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        claimed = self.state.rooms.claim(request.query.get("joinToken", ""))
        if claimed is None:
            await ws.send_json({"evt": "join-failed", "errorCode": 4003, "errorMessage": "Invalid parameter"})
            await ws.close()
            return ws
        room, member = claimed
        self.state.rooms.connected(member)
        self.state.sockets[member.user_id] = ws
        self.state.record("connected", topic=room.topic, userId=member.user_id)
        await ws.send_json(
            {
                "evt": "joined",
                "user": member.public(),
                "participants": [m.public() for m in room.members.values()],
                "session": {"topic": room.topic, "sessionId": room.session_id, "password": room.passcode or ""},
            }
        )
        await self._broadcast(room, {"evt": "user-added", "user": member.public()}, exclude=member)
        left = await self._pump(ws, room, member)
        if self.state.sockets.get(member.user_id) is ws:
            del self.state.sockets[member.user_id]
            await self._after_close(room, member, left)
        return ws

    async def _pump(self, ws: web.WebSocketResponse, room: Room, member: Member) -> bool:
        """Serve one participant's socket; True when the participant left on purpose."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                data = json.loads(message.data)
            except json.JSONDecodeError:
                continue
            evt = data.get("evt")
            if evt == "ping":
                await ws.send_json({"evt": "pong", "seq": data.get("seq")})
            elif evt == "leave":
                return True
            elif evt == "end" and member.is_host:
                await self._end(room)
                return True
        return False

    async def _after_close(self, room: Room, member: Member, left: bool) -> None:
        if left:
            self.state.rooms.leave(room, member)
            self.state.record("left", topic=room.topic, userId=member.user_id)
            await self._broadcast(room, {"evt": "user-removed", "user": member.public()})
            return
        # The socket went away without a goodbye: the peer is in failover until it rejoins or times out.
        self.state.rooms.lost(member)
        self.state.record("lost", topic=room.topic, userId=member.user_id)
        await self._broadcast(room, {"evt": "user-updated", "user": member.public()})
        asyncio.get_running_loop().call_later(FAILOVER_REMOVAL_SECONDS, self._expire, room, member)

    def _expire(self, room: Room, member: Member) -> None:
        if member.in_failover and not member.connected:
            self.state.rooms.leave(room, member)
            task = asyncio.ensure_future(self._broadcast(room, {"evt": "user-removed", "user": member.public()}))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)

    async def _end(self, room: Room) -> None:
        self.state.rooms.end(room)
        self.state.record("ended", topic=room.topic)
        await self._broadcast(room, {"evt": "closed", "reason": "ended by host"})

    async def _broadcast(self, room: Room, message: dict[str, Any], exclude: Member | None = None) -> None:
        for member in list(room.members.values()):
            ws = self.state.sockets.get(member.user_id)
            if ws is None or member is exclude or ws.closed:
                continue
            try:
                await ws.send_json(message)
            except ConnectionError:
                continue

    def _room_of(self, member: Member) -> Room:
        return next(room for room in self.state.rooms.rooms.values() if member.user_id in room.members)

    def _secrets(self) -> dict[str, str]:
        return {key: creds.secret for key, creds in self.state.credentials.items()}


def serve_forever(host: str, port: int) -> None:
    """`harness serve`: run until interrupted, printing where to point a browser."""
    service = SessionService(host, port).start()
    print(f"Session service on {service.base_url}")
    print(f"  sample app (SDK double): {service.base_url}/app/index.html")
    if real_sdk_dir() is not None:
        print(f"  sample app (real SDK):   {service.base_url}/app/index.html?sdk=real")
    print("Press Ctrl+C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
