"""The session protocol: one WebSocket per participant (`/instantsdk/{session_id}`), as the double speaks it.

The handshake is Zoom's: the join response first (Connected on the client), then the participant list as a
frame of its own. A failover's rejoin is the same handshake for the same participant (`/wc/lsdk` with
`rejoinUserId`), and so is a move between subsessions: its socket names the room (`bid`, as the runtime's
socket URL does), the service puts the participant there and everyone hears where they are. Afterwards every
frame is a JSON object `{evt, ...}`; `DISPATCH` (at the end of this module) maps each `evt` to its handler. A
handler answers whether the participant left on purpose (`LEFT`: the socket is done) or stays (`STAYS`).
Messages a participant may not send (a non-host's `end`, say) are ignored, as are unknown events and frames that
are not a JSON object. Feature messages and requests to the back end are feature_socket.py's (the back end's
decisions are in backend/). A participant the host removed is refused 3009 by the join response when it comes
back (the same identity, else the same browser: `ZM-CID`).

The back end's own actions (`SessionService.remove / end / set_account`) run here too, on the service's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMessage, WSMsgType, web

from harness.errors import HarnessError
from harness.service import feature_socket, telephone
from harness.service.rooms import ROLE_CHANGES, SUBSESSIONS, JoinRefused, Member, Room, change_role
from harness.service.state import ServiceState

FAILOVER_REMOVAL_SECONDS = 120.0  # a peer in failover is removed "in two (2) minutes" (Zoom's docs)
KICKED = "kicked by host"  # the Closed reasons of the 2.5.0 typings (ClosedReason) and runtime
ENDED = "ended by host"
LEFT, STAYS = True, False
REMOVED, REMOVED_MESSAGE = 3009, "user has been removed"  # the runtime's mapping of the join result 103039


@dataclass(frozen=True, slots=True)
class Peer:
    """One connected participant: its socket, its session and its record there."""

    ws: web.WebSocketResponse
    room: Room
    member: Member


class SessionProtocol:
    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.pending: set[asyncio.Future[Any]] = set()  # background sends, finished or cancelled at shutdown

    async def session_socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        claimed = self.state.rooms.claim(request.query.get("joinToken", ""))
        if claimed is None:
            await ws.send_json({"evt": "join-failed", "errorCode": 4003, "errorMessage": "Invalid parameter"})
            await ws.close()
            return ws
        room, member = claimed
        member.device = request.query.get("ZM-CID", "")[:64]
        refusal = _gone(room, member) or self._removed(room, member)
        if refusal is not None:
            await ws.send_json({"evt": "join-failed", "errorCode": refusal.result, "errorMessage": refusal.message})
            await ws.close()
            return ws
        self.state.rooms.connected(member)
        moved = self.state.rooms.enter(room, member, request.query.get("bid", ""))
        await feature_socket.joined(self, room, member)
        self.state.sockets[member.user_id] = ws
        self.state.record("connected", topic=room.topic, userId=member.user_id, subsession=member.subsession)
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
        # The roster is the whole session's, in a subsession too: the double keeps one participant list for the
        # main session and its rooms (docs/fidelity.md, "Connection and reconnect").
        await ws.send_json({"evt": "roster", "participants": [m.public() for m in room.members.values()]})
        await self._broadcast(room, {"evt": "user-added", "user": member.public()}, exclude=member)
        if moved:
            where = {f"where:{member.user_id}": member.subsession}
            await self._broadcast(
                room,
                {"evt": "feature", "feature": SUBSESSIONS, "state": where, "from": member.public()},
                exclude=member,
            )
        await self._voice_translator_languages(room, member)
        left = await self._serve(Peer(ws, room, member))
        if self.state.sockets.get(member.user_id) is ws:
            del self.state.sockets[member.user_id]
            await self._after_close(room, member, left)
        return ws

    async def _serve(self, peer: Peer) -> bool:
        """Serve one participant's socket until it closes; True when the participant left on purpose."""
        async for message in peer.ws:
            data = _decoded(message)
            evt = data.get("evt") if data is not None else None
            handler = DISPATCH.get(evt) if isinstance(evt, str) else None
            if data is not None and handler is not None and await handler(self, peer, data):
                return LEFT
        return STAYS

    # Message handlers (see DISPATCH).

    async def ping(self, peer: Peer, data: dict[str, Any]) -> bool:
        await peer.ws.send_json({"evt": "pong", "seq": data.get("seq")})
        return STAYS

    async def leave(self, peer: Peer, data: dict[str, Any]) -> bool:
        return LEFT

    async def end_session(self, peer: Peer, data: dict[str, Any]) -> bool:
        """client.leave(true): the host ends the session for everybody."""
        if not peer.member.is_host:
            return STAYS
        await self._end(peer.room, ender=peer.member)
        return LEFT

    async def remove_user(self, peer: Peer, data: dict[str, Any]) -> bool:
        """client.removeUser: the host (or a manager) removes someone else from the session."""
        room, host, user_id = peer.room, peer.member, data.get("userId")
        if not (host.is_host or host.is_manager):
            return STAYS
        target = room.members.get(user_id) if isinstance(user_id, int) else None
        if target is None or target is host:
            return STAYS
        self.state.rooms.remove(room, target)
        self.state.record("removed", topic=room.topic, userId=target.user_id, name=target.name, by=host.user_id)
        await self._close_member(target, KICKED)
        await self._broadcast(room, {"evt": "user-removed", "user": target.public()})
        return STAYS

    async def change_role(self, peer: Peer, data: dict[str, Any]) -> bool:
        """client.makeHost / makeManager / revokeManager / reclaimHost: the roles change in the room and everybody
        hears of each changed record with `user-updated`; a refused change tells nobody anything."""
        room, member, action = peer.room, peer.member, str(data.get("evt"))
        changed = change_role(room, member, action, data.get("userId"))
        self.state.record(
            "role-change", topic=room.topic, action=action, by=member.user_id, changed=[m.user_id for m in changed]
        )
        for target in changed:
            await self._broadcast(room, {"evt": "user-updated", "user": target.public()})
        return STAYS

    async def rename(self, peer: Peer, data: dict[str, Any]) -> bool:
        """client.changeName: yourself, or anyone when you are the host or a manager."""
        room, member, user_id, name = peer.room, peer.member, data.get("userId"), data.get("displayName")
        target = room.members.get(user_id) if isinstance(user_id, int) else None
        allowed = target is member or member.is_host or member.is_manager
        if target is None or not allowed or not isinstance(name, str) or not name:
            return STAYS
        target.name = name
        self.state.record("renamed", topic=room.topic, userId=target.user_id, name=name)
        await self._broadcast(room, {"evt": "user-updated", "user": target.public()})
        return STAYS

    async def dial_out(self, peer: Peer, data: dict[str, Any]) -> bool:
        """stream.inviteByPhone: the call's states come back to the caller (telephone.py); a `callMe` call that is
        answered becomes the caller's session audio, and everybody hears of it."""
        room, member = peer.room, peer.member
        outcome = telephone.dial_out(self.state.accounts.get(room.app_key, {}), member.user_id, data)
        self.state.record(
            "dial-out", topic=room.topic, userId=member.user_id, states=[m["code"] for m in outcome.states]
        )
        for message in outcome.states:
            await peer.ws.send_json(message)
        if outcome.phone_audio:
            member.audio, member.muted = "phone", False
            await self._broadcast(room, {"evt": "user-updated", "user": member.public()})
        return STAYS

    async def computer_audio(self, peer: Peer, data: dict[str, Any]) -> bool:
        """A participant's computer audio as its double reports it (`{evt: 'audio', audio, muted}`).

        The record changes and everyone, the sender included, hears of it with `user-updated`, as the real
        back end does for its participants' audio fields. A phone leg is the back end's own (see dial_out).
        """
        room, member = peer.room, peer.member
        if member.audio == "phone":
            return STAYS
        audio = "computer" if data.get("audio") == "computer" else ""
        muted = bool(data.get("muted")) and audio == "computer"
        if (member.audio, member.muted) == (audio, muted):
            return STAYS
        member.audio, member.muted = audio, muted
        self.state.record("audio", topic=room.topic, userId=member.user_id, audio=audio, muted=muted)
        await self._broadcast(room, {"evt": "user-updated", "user": member.public()})
        return STAYS

    async def hang_up(self, peer: Peer, data: dict[str, Any]) -> bool:
        """stream.hangup on a phone leg: the call ends and the participant has no audio any more."""
        member = peer.member
        if member.audio != "phone":
            return STAYS
        member.audio = ""
        await peer.ws.send_json(telephone.hang_up(member.user_id))
        await self._broadcast(peer.room, {"evt": "user-updated", "user": member.public()})
        return STAYS

    # A socket that closed; the session ending; a participant being told its session is over.

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
            self._in_background(self._broadcast(room, {"evt": "user-removed", "user": member.public()}))

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
            self._in_background(ws.close())

    def _in_background(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def shutdown(self) -> None:
        """Before the loop stops: background sends (a failover's removal, a close frame) would otherwise die
        pending with the loop, and open sockets get a close frame (all at once: each waits for its peer's answer)."""
        for task in list(self.pending):
            task.cancel()
        await asyncio.gather(*self.pending, return_exceptions=True)
        await asyncio.gather(*(ws.close() for ws in list(self.state.sockets.values())), return_exceptions=True)

    # Host and back-end actions (SessionService.remove / end / set_account), run on the service's loop.

    async def remove(self, app_key: str, name: str, topic: str | None) -> None:
        room = self.state.rooms.session(app_key, topic)
        member = room.member_named(name)
        self.state.rooms.remove(room, member)
        self.state.record("removed", topic=room.topic, userId=member.user_id, name=member.name)
        await self._close_member(member, KICKED)
        await self._broadcast(room, {"evt": "user-removed", "user": member.public()})

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
            if {"voice_translator", "voice_translator_languages"} & changes.keys():
                for member in list(room.members.values()):
                    await self._voice_translator_languages(room, member)

    # What feature_socket.py's handlers use (its Hub), and the back end's pushes and refusals on joining.

    async def send_all(self, room: Room, message: dict[str, Any], exclude: Member | None = None) -> None:
        await self._broadcast(room, message, exclude)

    def later(self, work: Coroutine[Any, Any, Any]) -> None:
        self._in_background(work)

    def _removed(self, room: Room, member: Member) -> JoinRefused | None:
        """The host removed this person (by identity, else device): the join response refuses 3009."""
        if not self.state.rooms.refused_on_connect(room, member):
            return None
        self.state.record("join-refused", topic=room.topic, result=REMOVED, userId=member.user_id)
        return JoinRefused(REMOVED, REMOVED_MESSAGE)

    async def _voice_translator_languages(self, room: Room, member: Member) -> None:
        """The back end's voice-translator channel list (the runtime's 8038 `channelList`), pushed after the roster
        and again when the account changes; nothing while the account has no voice translator."""
        settings = self.state.accounts.get(room.app_key, {})
        ws = self.state.sockets.get(member.user_id)
        if not settings.get("voice_translator") or ws is None or ws.closed:
            return
        languages = list(settings.get("voice_translator_languages") or [])
        with contextlib.suppress(ConnectionError):
            await ws.send_json({"evt": "feature", "feature": "voicetranslator", "channels": languages})

    async def _broadcast(self, room: Room, message: dict[str, Any], exclude: Member | None = None) -> None:
        for member in list(room.members.values()):
            ws = self.state.sockets.get(member.user_id)
            if ws is None or member is exclude or ws.closed:
                continue
            try:
                await ws.send_json(message)
            except ConnectionError:
                continue


MessageHandler = Callable[[SessionProtocol, Peer, dict[str, Any]], Awaitable[bool]]

DISPATCH: dict[str, MessageHandler] = {
    "ping": SessionProtocol.ping,
    "leave": SessionProtocol.leave,
    "end": SessionProtocol.end_session,
    "feature": feature_socket.feature,
    "request": feature_socket.request,
    "remove-user": SessionProtocol.remove_user,
    **dict.fromkeys(ROLE_CHANGES, SessionProtocol.change_role),
    "rename": SessionProtocol.rename,
    "dial-out": SessionProtocol.dial_out,
    "audio": SessionProtocol.computer_audio,
    "hang-up": SessionProtocol.hang_up,
}


def _decoded(message: WSMessage) -> dict[str, Any] | None:
    """A text frame's JSON object, or None for anything else (binary frames, bad JSON, other JSON values)."""
    if message.type != WSMsgType.TEXT:
        return None
    try:
        data = json.loads(message.data)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _gone(room: Room, member: Member) -> JoinRefused | None:
    """Why an admitted participant may no longer connect: the session ended or the host removed them meanwhile."""
    if room.ended:
        return JoinRefused(4004, "meeting ended")
    if member.user_id not in room.members:
        if member.removed:
            return JoinRefused(REMOVED, REMOVED_MESSAGE)
        return JoinRefused(4003, "Invalid parameter")
    return None
