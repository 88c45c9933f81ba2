"""The session service's HTTP and WebSocket server (aiohttp), on loopback, in a thread of its own.

It serves the sample app and the double, answers `/wc/lsdk` join requests after verifying the JWT,
holds the session over a WebSocket (heartbeat answers, participant events), and offers a small dev
token endpoint for a person using the app by hand.

What the real back end decides lives here, never in the double: the harness acts as host or account
owner through `SessionService.remove`, `.end` and `.set_account`, and the double reacts to the messages
those send, as the real SDK reacts to its server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from harness.errors import HarnessError
from harness.paths import fixtures_dir, real_sdk_dir, real_sdk_version
from harness.service import media, telephone
from harness.service.accounts import account_settings, checked_settings
from harness.service.bundle import BundleError, build_umd
from harness.service.jwt_rules import verify_token
from harness.service.rooms import ROLE_CHANGES, JoinRefused, Member, Room, Rooms, change_role
from harness.service.tokens import mint_token

FAILOVER_REMOVAL_SECONDS = 120.0
CONTROL_TIMEOUT_SECONDS = 10.0
KICKED = "kicked by host"  # facts §3.1 ClosedReason
ENDED = "ended by host"
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
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # SDK key -> current account settings
    sockets: dict[int, web.WebSocketResponse] = field(default_factory=dict)
    media_port: int = 0  # the media server's own port (media.py)
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
        self._loop: asyncio.AbstractEventLoop | None = None
        self.default_credentials = self.new_credentials()
        self._handlers = _Handlers(self.state, self.default_credentials)
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def media_port(self) -> int:
        return self.state.media_port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def new_credentials(self, account: str = "default") -> Credentials:
        """A fresh SDK key and secret on the named account profile (accounts.yaml); sessions are held apart
        per key, so each run gets its own. An unknown account name is a HarnessError listing the valid ones."""
        settings = account_settings(account)
        creds = Credentials(f"harness-{secrets.token_hex(6)}", secrets.token_urlsafe(32), account)

        def register() -> None:
            self.state.accounts[creds.key] = settings
            self.state.credentials[creds.key] = creds

        self._call(register)
        return creds

    def remove(self, app_key: str, name: str, topic: str | None = None) -> None:
        """The host removes the participant with this display name: they get Closed 'kicked by host', the others
        `user-removed`, and the name's later joins in that session are refused with 3009. `topic` None means the
        key's only session."""
        self._control(lambda: self._handlers.remove(app_key, name, topic))

    def end(self, app_key: str, topic: str | None = None) -> None:
        """The host ends the session: everybody gets Closed 'ended by host'; later joins are refused with 4004."""
        self._control(lambda: self._handlers.end(app_key, topic))

    def set_account(self, app_key: str, settings: dict[str, Any]) -> None:
        """Change some account switches of this key mid-run; connected participants are told the new settings."""
        changes = checked_settings(settings)
        self._control(lambda: self._handlers.change_account(app_key, changes))

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

    def _control(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run a host/back-end action on the service's loop, from the harness's thread, with a bounded wait."""
        if self._loop is None:
            # Not serving: nobody can be connected, so the action only changes state; run it on a loop of its own.
            _run_detached(work)
            return
        future = asyncio.run_coroutine_threadsafe(_as_awaitable(work), self._loop)
        try:
            future.result(timeout=CONTROL_TIMEOUT_SECONDS)
        except TimeoutError:
            future.cancel()
            raise HarnessError(
                f"the session service did not carry out the action within {CONTROL_TIMEOUT_SECONDS:.0f}s"
            ) from None

    async def _serve(self) -> None:
        app = build_app(self._handlers)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        # The media server on a port of its own, so a firewall can block it alone (media.py).
        await web.TCPSite(self._runner, self.host, 0).start()
        self.state.media_port = int(self._runner.addresses[1][1])

    async def _shutdown(self) -> None:
        # Background sends (a failover's removal, a close frame) would otherwise die pending with the loop.
        for task in list(self._handlers.pending):
            task.cancel()
        await asyncio.gather(*self._handlers.pending, return_exceptions=True)
        for ws in list(self.state.sockets.values()):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()


async def _as_coroutine(fn: Callable[[], Any]) -> Any:
    return fn()


async def _as_awaitable(work: Callable[[], Awaitable[None]]) -> None:
    await work()


def _run_detached(work: Callable[[], Awaitable[None]]) -> None:
    """asyncio.run on a thread of its own: the caller's thread may already own a running loop (Playwright)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(_as_awaitable(work))
        except BaseException as error:  # re-raised in the calling thread below
            failure.append(error)

    thread = threading.Thread(target=run, name="session-service-control", daemon=True)
    thread.start()
    thread.join(timeout=CONTROL_TIMEOUT_SECONDS)
    if thread.is_alive():
        raise HarnessError(f"the session service action did not finish within {CONTROL_TIMEOUT_SECONDS:.0f}s")
    if failure:
        raise failure[0]


def build_app(handlers: _Handlers) -> web.Application:
    app = web.Application()
    app.router.add_get("/", handlers.home)
    app.router.add_post("/wc/lsdk", handlers.join_info)
    app.router.add_get("/instantsdk/{session_id}", handlers.session_socket)
    app.router.add_get("/wc/media/{kind}", handlers.media_socket)
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
        self.pending: set[asyncio.Future[Any]] = set()

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
        app_key = str(claims["app_key"])
        settings = self.state.accounts[app_key]
        rejoin = body.get("rejoinUserId")
        try:
            member = self.state.rooms.admit(
                app_key,
                topic,
                str(body.get("userName", "")),
                int(claims["role_type"]),
                str(body.get("password", "")),
                rejoin if isinstance(rejoin, int) else None,
                capacity=settings["max_participants"],
            )
        except JoinRefused as refused:
            self.state.record("join-refused", topic=topic, result=refused.result)
            return web.json_response({"status": False, "errorCode": refused.result, "errorMessage": refused.message})
        room = self._room_of(member)
        socket_url = f"ws://{request.host}/instantsdk/{room.session_id}"
        media_url = f"ws://{request.url.host}:{self.state.media_port}/wc/media"
        self.state.record("join-info", topic=topic, userId=member.user_id, name=member.name)
        result = {
            "rwg": socket_url,
            "media": media_url,
            "joinToken": member.join_token,
            "userId": member.user_id,
            "accountSettings": settings,
            "isOriginalHost": member.is_original_host,  # the real answer's field (client.isOriginalHost)
        }
        return web.json_response({"status": True, "result": result})

    async def media_socket(self, request: web.Request) -> web.StreamResponse:
        return await media.media_socket(self.state.rooms, self.state.record, request)

    async def session_socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        claimed = self.state.rooms.claim(request.query.get("joinToken", ""))
        if claimed is None:
            await ws.send_json({"evt": "join-failed", "errorCode": 4003, "errorMessage": "Invalid parameter"})
            await ws.close()
            return ws
        room, member = claimed
        refusal = _gone(room, member)
        if refusal is not None:
            await ws.send_json({"evt": "join-failed", "errorCode": refusal.result, "errorMessage": refusal.message})
            await ws.close()
            return ws
        self.state.rooms.connected(member)
        self.state.sockets[member.user_id] = ws
        self.state.record("connected", topic=room.topic, userId=member.user_id)
        # Zoom's join handshake: the join response first (Connected on the client), then the participant list
        # as a frame of its own; the client's join() resolves on that roster, the newcomer's own record in it.
        await ws.send_json(
            {
                "evt": "joined",
                "user": member.public(),
                "session": {"topic": room.topic, "sessionId": room.session_id, "password": room.passcode or ""},
                "accountSettings": self.state.accounts.get(room.app_key, {}),
                "features": room.features,
                "isOriginalHost": member.is_original_host,
            }
        )
        await ws.send_json({"evt": "roster", "participants": [m.public() for m in room.members.values()]})
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
                await self._end(room, ender=member)
                return True
            elif evt == "feature":
                await self._feature(room, member, data)
            elif evt == "remove-user" and (member.is_host or member.is_manager):
                await self._host_removes(room, member, data.get("userId"))
            elif evt in ROLE_CHANGES:
                await self._change_role(room, member, str(evt), data.get("userId"))
            elif evt == "rename":
                await self._rename(room, member, data.get("userId"), data.get("displayName"))
            elif evt == "dial-out":
                await self._dial_out(ws, room, member, data)
            elif evt == "audio" and member.audio != "phone":
                await self._computer_audio(room, member, data)
            elif evt == "hang-up" and member.audio == "phone":
                member.audio = ""
                await ws.send_json(telephone.hang_up(member.user_id))
                await self._broadcast(room, {"evt": "user-updated", "user": member.public()})
        return False

    async def _feature(self, room: Room, member: Member, data: dict[str, Any]) -> None:
        """In-session features (chat, command channel, recording, …) talk through the service.

        `{evt: 'feature', feature, to?, state?, ...}`: `state` (a mapping) is merged into the room's shared
        state of that feature and reaches everyone, the sender included; otherwise the message is relayed
        to `to` (a userId) or, without `to`, to everyone else. Receivers get it with `from` (the sender).
        """
        feature = str(data.get("feature", ""))
        message = {**data, "from": member.public()}
        state = data.get("state")
        if isinstance(state, dict):
            room.features.setdefault(feature, {}).update(state)
            self.state.record("feature-state", topic=room.topic, feature=feature, state=state, userId=member.user_id)
            await self._broadcast(room, message)
            return
        target = data.get("to")
        self.state.record("feature", topic=room.topic, feature=feature, userId=member.user_id, to=target)
        if isinstance(target, int):
            ws = self.state.sockets.get(target)
            if ws is not None and not ws.closed and target in room.members:
                with contextlib.suppress(ConnectionError):
                    await ws.send_json(message)
            return
        await self._broadcast(room, message, exclude=member)

    async def _computer_audio(self, room: Room, member: Member, data: dict[str, Any]) -> None:
        """A participant's computer audio as its double reports it (`{evt: 'audio', audio, muted}`).

        The record changes and everyone, the sender included, hears of it with `user-updated`, as the real
        back end does for its participants' audio fields. A phone leg is the back end's own (see _dial_out).
        """
        audio = "computer" if data.get("audio") == "computer" else ""
        muted = bool(data.get("muted")) and audio == "computer"
        if (member.audio, member.muted) == (audio, muted):
            return
        member.audio, member.muted = audio, muted
        self.state.record("audio", topic=room.topic, userId=member.user_id, audio=audio, muted=muted)
        await self._broadcast(room, {"evt": "user-updated", "user": member.public()})

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
        # Skipped when the host removed the member or ended the session in the meantime.
        if member.in_failover and not member.connected and room.members.get(member.user_id) is member:
            self.state.rooms.leave(room, member)
            task = asyncio.ensure_future(self._broadcast(room, {"evt": "user-removed", "user": member.public()}))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)

    async def _end(self, room: Room, ender: Member | None = None) -> None:
        members = list(room.members.values())
        self.state.rooms.end(room)
        self.state.record("ended", topic=room.topic, by=ender.user_id if ender else "harness")
        for member in members:
            await self._close_member(member, ENDED, close=member is not ender)

    async def _close_member(self, member: Member, reason: str, close: bool = True) -> None:
        """Tell one participant its session is over and let its socket go without a failover."""
        ws = self.state.sockets.pop(member.user_id, None)
        if ws is None or ws.closed:
            return
        try:
            await ws.send_json({"evt": "closed", "reason": reason})
        except ConnectionError:
            return
        if close:
            # In the background: a peer slow to answer the close frame must not hold up the harness.
            task = asyncio.ensure_future(ws.close())
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)

    # Host and back-end actions (SessionService.remove / end / set_account), run on the service's loop.

    async def remove(self, app_key: str, name: str, topic: str | None) -> None:
        room = self.state.rooms.session(app_key, topic)
        member = room.member_named(name)
        self.state.rooms.remove(room, member)
        self.state.record("removed", topic=room.topic, userId=member.user_id, name=member.name)
        await self._close_member(member, KICKED)
        await self._broadcast(room, {"evt": "user-removed", "user": member.public()})

    async def _host_removes(self, room: Room, host: Member, user_id: Any) -> None:
        """The host (or a manager) removes someone from the session with client.removeUser."""
        target = room.members.get(user_id) if isinstance(user_id, int) else None
        if target is None or target is host:
            return
        self.state.rooms.remove(room, target)
        self.state.record("removed", topic=room.topic, userId=target.user_id, name=target.name, by=host.user_id)
        await self._close_member(target, KICKED)
        await self._broadcast(room, {"evt": "user-removed", "user": target.public()})

    async def _change_role(self, room: Room, member: Member, action: str, user_id: Any) -> None:
        """client.makeHost / makeManager / revokeManager / reclaimHost: the roles change in the room and everybody
        hears of each changed record with `user-updated`; a refused change tells nobody anything."""
        changed = change_role(room, member, action, user_id)
        self.state.record(
            "role-change", topic=room.topic, action=action, by=member.user_id, changed=[m.user_id for m in changed]
        )
        for target in changed:
            await self._broadcast(room, {"evt": "user-updated", "user": target.public()})

    async def _dial_out(self, ws: web.WebSocketResponse, room: Room, member: Member, data: dict[str, Any]) -> None:
        outcome = telephone.dial_out(self.state.accounts.get(room.app_key, {}), member.user_id, data)
        self.state.record(
            "dial-out", topic=room.topic, userId=member.user_id, states=[m["code"] for m in outcome.states]
        )
        for message in outcome.states:
            await ws.send_json(message)
        if outcome.phone_audio:
            member.audio, member.muted = "phone", False
            await self._broadcast(room, {"evt": "user-updated", "user": member.public()})

    async def _rename(self, room: Room, member: Member, user_id: Any, name: Any) -> None:
        """client.changeName: yourself, or anyone when you are the host or a manager."""
        target = room.members.get(user_id) if isinstance(user_id, int) else None
        allowed = target is member or member.is_host or member.is_manager
        if target is None or not allowed or not isinstance(name, str) or not name:
            return
        target.name = name
        self.state.record("renamed", topic=room.topic, userId=target.user_id, name=name)
        await self._broadcast(room, {"evt": "user-updated", "user": target.public()})

    async def end(self, app_key: str, topic: str | None) -> None:
        room = self.state.rooms.session(app_key, topic)
        if room.ended:
            raise HarnessError(f"session {room.topic!r} of key {app_key} has already ended")
        await self._end(room)

    async def change_account(self, app_key: str, changes: dict[str, Any]) -> None:
        settings = self.state.accounts.get(app_key)
        if settings is None:
            raise HarnessError(f"no credentials with key {app_key!r}: make them with new_credentials(account)")
        settings.update(changes)
        self.state.record("account-changed", key=app_key, changes=changes)
        message = {"evt": "account-settings", "settings": dict(settings)}
        for room in self.state.rooms.sessions_of(app_key):
            await self._broadcast(room, message)

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


def _gone(room: Room, member: Member) -> JoinRefused | None:
    """Why an admitted participant may no longer connect: the session ended or the host removed them meanwhile."""
    if room.ended:
        return JoinRefused(4004, "meeting ended")
    if member.user_id not in room.members:
        if member.name in room.removed_names:
            return JoinRefused(3009, "user has been removed")
        return JoinRefused(4003, "Invalid parameter")
    return None


def serve_forever(host: str, port: int) -> None:
    """`harness serve`: run until interrupted, printing where to point a browser."""
    service = SessionService(host, port).start()
    print(f"Session service on {service.base_url}")
    print(f"  sample app (SDK double): {service.base_url}/app/index.html")
    if real_sdk_dir() is not None:
        print(f"  sample app (real SDK {real_sdk_version()}): {service.base_url}/app/index.html?sdk=real")
    else:
        print("  (the real SDK is not installed: run `npm ci` in fixtures/ to get ?sdk=real)")
    print("Press Ctrl+C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
