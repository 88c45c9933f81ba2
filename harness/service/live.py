"""What the runtime asks the back end over HTTP rather than the session socket: broadcast streaming (`/live/*`)
and the incoming RTMP stream (`/rtmp/*`), answered as Zoom's web back end answers them.

Every request names its participant with the `utk` header (the double sends its join token) and is answered
`{status, errorCode, errorMessage, result}`; the 2.5.0 runtime takes anything but `status && errorCode === 0`
(the `/rtmp/*` POSTs: `result === true`), or a request that fails, as INTERNAL_ERROR (2). These requests cross
the participant's own network, so an `http` fault on them is the same failure as the runtime's.

- `POST /live/createAndStartStream` (host, `broadcast_streaming`, none running): the back end mints the channel
  ID and keeps it; everyone else hears of the start on the socket (the runtime's 7995 indication carries a start
  only); the starter learns it by polling `getStreamState`.
- `POST /live/stopStream` `{channelId}`: only the running broadcast's channel stops it; a stale one is refused.
- `POST /live/getStreamState` `{channelId}`: `{state}` of that channel (BroadcastStreamingStatus).
- `POST /rtmp/bindStreamKeyForSDK | unBindStreamKeyForSDK | sendLiveForSDK | stopSendingForSDK` `{streamKeyId}`
  and `GET /rtmp/getRTMPIngestionForSDK`: the stream key bound to the session, and whether streaming software is
  pushing to it. Nothing pushes RTMP into the service, so a bound key is never connected.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from harness.service.rooms import Member, Room
from harness.service.state import ServiceState

BROADCAST = "broadcast"
INGEST = "incominglivestream"
IN_PROGRESS, CLOSED = 2, 4  # BroadcastStreamingStatus
# The errorCode the back end answers with when it refuses (the runtime only logs them: inferred numbers).
NOT_HOST, ACCOUNT_OFF, RUNNING, NO_CHANNEL, BAD_REQUEST = 3001, 3002, 3003, 3004, 3005


class Sockets(Protocol):
    async def send_all(self, room: Room, message: dict[str, Any], exclude: Member | None = None) -> None: ...


@dataclass
class Broadcast:
    channel_id: str
    status: int = IN_PROGRESS


@dataclass
class Ingest:
    stream_key: str
    connected: bool = False  # streaming software pushing RTMP to the key (nothing can, here)
    pushing: bool = False  # the pushed stream shown in the session


class _Refused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_routes(app: web.Application, state: ServiceState, sockets: Sockets) -> None:
    routes = _Live(state, sockets)
    for path, answer in (
        ("/live/createAndStartStream", routes.start_broadcast),
        ("/live/stopStream", routes.stop_broadcast),
        ("/live/getStreamState", routes.broadcast_state),
        ("/rtmp/bindStreamKeyForSDK", routes.bind),
        ("/rtmp/unBindStreamKeyForSDK", routes.unbind),
        ("/rtmp/sendLiveForSDK", routes.send_live),
        ("/rtmp/stopSendingForSDK", routes.stop_sending),
    ):
        app.router.add_post(path, routes.answering(path, answer))
    app.router.add_get("/rtmp/getRTMPIngestionForSDK", routes.answering("/rtmp/getRTMPIngestionForSDK", routes.ingest))


Answer = Callable[[Room, Member, dict[str, Any]], Awaitable[Any]]


class _Live:
    def __init__(self, state: ServiceState, sockets: Sockets) -> None:
        self.state = state
        self.sockets = sockets

    def answering(self, path: str, answer: Answer) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            member = self.state.rooms.member_with_token(request.headers.get("utk", ""))
            room = self._room_of(member)
            body = await _body(request)
            try:
                if member is None or room is None:
                    raise _Refused(BAD_REQUEST, "unknown user token")
                result = await answer(room, member, body)
            except _Refused as refused:
                self.state.record("http-refused", path=path, errorCode=refused.code)
                return web.json_response(
                    {"status": False, "errorCode": refused.code, "errorMessage": refused.message, "result": False}
                )
            self.state.record("http", path=path, topic=room.topic, userId=member.user_id)
            return web.json_response({"status": True, "errorCode": 0, "errorMessage": "", "result": result})

        return handle

    def _room_of(self, member: Member | None) -> Room | None:
        if member is None:
            return None
        return next((r for r in self.state.rooms.rooms.values() if r.members.get(member.user_id) is member), None)

    def _settings(self, room: Room) -> dict[str, Any]:
        return self.state.accounts.get(room.app_key, {})

    # Broadcast streaming.

    async def start_broadcast(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        _host(member)
        if not self._settings(room).get("broadcast_streaming"):
            raise _Refused(ACCOUNT_OFF, "broadcast streaming is off for the account")
        running = room.backend.get(BROADCAST)
        if isinstance(running, Broadcast) and running.status == IN_PROGRESS:
            raise _Refused(RUNNING, "a broadcast is running")
        broadcast = Broadcast(uuid.uuid4().hex)
        room.backend[BROADCAST] = broadcast
        changes = {"status": IN_PROGRESS}
        room.features.setdefault(BROADCAST, {}).update(changes)
        message = {"evt": "feature", "feature": BROADCAST, "state": changes, "from": member.public()}
        await self.sockets.send_all(room, message, exclude=member)
        return {"channelId": broadcast.channel_id}

    async def stop_broadcast(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        _host(member)
        broadcast = _channel(room, body)
        if broadcast.status != IN_PROGRESS:
            raise _Refused(NO_CHANNEL, "the broadcast is not running")
        broadcast.status = CLOSED
        room.features.setdefault(BROADCAST, {}).update({"status": CLOSED})  # for those who join later
        return True

    async def broadcast_state(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        return {"state": _channel(room, body).status}

    # The incoming RTMP stream.

    async def bind(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        _host(member)
        key = _stream_key(body)
        bound = room.backend.get(INGEST)
        if isinstance(bound, Ingest) and bound.stream_key != key and bound.connected:
            raise _Refused(RUNNING, "another stream is connected")
        room.backend[INGEST] = Ingest(key)
        return True

    async def unbind(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        _host(member)
        bound = _bound(room, _stream_key(body))
        if bound.connected:
            raise _Refused(RUNNING, "the stream is connected")
        del room.backend[INGEST]
        return True

    async def send_live(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        return _push(room, member, body, True)

    async def stop_sending(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        return _push(room, member, body, False)

    async def ingest(self, room: Room, member: Member, body: dict[str, Any]) -> Any:
        bound = room.backend.get(INGEST)
        infos = []
        if isinstance(bound, Ingest):
            infos.append(
                {"rtmpConnect": int(bound.connected), "pushStatus": int(bound.pushing), "streamKeyId": bound.stream_key}
            )
        return {"rtmpMeetingInfos": infos}


def _host(member: Member) -> None:
    if not member.is_host:
        raise _Refused(NOT_HOST, "only the host may do this")


def _channel(room: Room, body: dict[str, Any]) -> Broadcast:
    broadcast = room.backend.get(BROADCAST)
    if not isinstance(broadcast, Broadcast) or body.get("channelId") != broadcast.channel_id:
        raise _Refused(NO_CHANNEL, "channel not found")
    return broadcast


def _stream_key(body: dict[str, Any]) -> str:
    key = body.get("streamKeyId")
    if not isinstance(key, str) or not key:
        raise _Refused(BAD_REQUEST, "streamKeyId is required")
    return key


def _bound(room: Room, key: str) -> Ingest:
    bound = room.backend.get(INGEST)
    if not isinstance(bound, Ingest) or bound.stream_key != key:
        raise _Refused(NO_CHANNEL, "the stream key is not bound to this session")
    return bound


def _push(room: Room, member: Member, body: dict[str, Any], pushing: bool) -> bool:
    _host(member)
    bound = _bound(room, _stream_key(body))
    if not bound.connected:
        raise _Refused(NO_CHANNEL, "no stream is connected")
    bound.pushing = pushing
    return True


async def _body(request: web.Request) -> dict[str, Any]:
    if request.method != "POST":
        return dict(request.query)
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}
