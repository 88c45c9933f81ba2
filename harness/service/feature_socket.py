"""The session socket's feature messages: what a participant writes itself, and what it asks the back end.

- `{evt: 'request', id, kind, feature, ...args}`: a change of the session only the back end makes (recording,
  whiteboard, subsessions, privileges, the live stream, …). `backend.decide` accepts or refuses it. Accepted:
  the changed shared state goes to everyone, the asker included (`{evt: 'feature', feature, state, from}`), then
  the answer to the asker alone (`{evt: 'feature', feature, answer: {id, kind, ok: true, ...}}`), then the direct
  messages the back end sends on the asker's behalf (invitations), then the back end's later work runs in the
  background. Refused: only the answer (`ok: false, refused, message`); nothing changes, nobody else hears of it.
- `{evt: 'feature', feature, state}`: a participant's write of its own records (`backend.owns`), merged and
  handed to everyone; any other key is dropped (and recorded as `feature-refused`). A share record follows the
  share privilege: a new share from an attendee is dropped while only the host may share (or, under HostGrab,
  while someone else shares), and only the host or a manager shares to subsessions.
- `{evt: 'feature', feature, to?, ...}` without state: a direct message relayed to `to` (a userId) or to everyone
  else, with `from`; the ones only the host or a manager may send (`PRIVILEGED_DIRECT`) are dropped from others.
"""

from __future__ import annotations

import contextlib
from collections.abc import Coroutine, Mapping
from typing import Any, Protocol

from aiohttp import web

from harness.service import backend
from harness.service.rooms import Member, Room
from harness.service.state import ServiceState

STAYS = False  # the participant stays (protocol.py's STAYS)
SHARE_ONLY_HOST, SHARE_HOST_GRAB = 1, 0  # SharePrivilege's numbers (the double's share/common.js)
# Direct actions only the host or a manager sends (others' are dropped), by feature.
PRIVILEGED_DIRECT = {
    "subsession": {"join", "invite", "move", "back", "invite-back", "broadcast", "help-response"},
    "camera-control": {"audio:mute", "audio:ask-unmute"},
}
ENVELOPE = ("evt", "id", "kind", "feature")


class Hub(Protocol):
    """What these handlers need of the session socket (protocol.SessionProtocol)."""

    state: ServiceState

    async def send_all(self, room: Room, message: dict[str, Any], exclude: Member | None = None) -> None: ...

    def later(self, work: Coroutine[Any, Any, Any]) -> None: ...


class PeerLike(Protocol):
    @property
    def ws(self) -> web.WebSocketResponse: ...
    @property
    def room(self) -> Room: ...
    @property
    def member(self) -> Member: ...


async def request(hub: Hub, peer: PeerLike, data: dict[str, Any]) -> bool:
    room, member = peer.room, peer.member
    kind, feature = str(data.get("kind", "")), str(data.get("feature") or str(data.get("kind", "")).split(".")[0])
    answer: dict[str, Any] = {"id": data.get("id"), "kind": kind}
    args = {key: value for key, value in data.items() if key not in ENVELOPE}
    settings = hub.state.accounts.get(room.app_key, {})
    try:
        decision = backend.decide(backend.Ask(room, member, settings, kind, args, hub.state.world))
    except backend.Refused as refused:
        hub.state.record("request-refused", topic=room.topic, userId=member.user_id, kind=kind, refused=refused.why)
        refusal = {"ok": False, "refused": refused.why, "message": refused.message}
        await _send(peer.ws, _answer(feature, {**answer, **refusal}))
        return STAYS
    hub.state.record("request", topic=room.topic, userId=member.user_id, kind=kind, changes=decision.changes)
    author = member.public()
    publish = _publisher(hub, room, author)
    for name, changes in decision.changes.items():
        await publish(name, changes)
    await _send(peer.ws, _answer(feature, {**answer, "ok": True, **decision.answer}))
    for direct in decision.direct:
        message = {"evt": "feature", "feature": direct.feature, **direct.message, "from": author}
        await _send_to(hub, room, direct.to, message)
    if decision.later is not None:
        hub.later(decision.later(publish))
    return STAYS


async def joined(hub: Hub, room: Room, member: Member) -> None:
    """Before the join response: what the back end changes when this participant connects, in the room's state
    (which the join response carries) and told to everyone else."""
    for name, changes in backend.joined(room, member).items():
        if all(room.features.get(name, {}).get(key) == value for key, value in changes.items()):
            continue
        room.features.setdefault(name, {}).update(changes)
        await hub.send_all(room, {"evt": "feature", "feature": name, "state": changes, "from": member.public()}, member)


def _publisher(hub: Hub, room: Room, author: dict[str, Any]) -> backend.Publish:
    async def publish(feature: str, changes: dict[str, Any]) -> None:
        room.features.setdefault(feature, {}).update(changes)
        await hub.send_all(room, {"evt": "feature", "feature": feature, "state": changes, "from": author})

    return publish


def _answer(feature: str, answer: dict[str, Any]) -> dict[str, Any]:
    return {"evt": "feature", "feature": feature, "answer": answer}


async def feature(hub: Hub, peer: PeerLike, data: dict[str, Any]) -> bool:
    room, member = peer.room, peer.member
    name = str(data.get("feature", ""))
    message = {**data, "from": member.public()}
    state = data.get("state")
    if isinstance(state, dict):
        accepted = {key: value for key, value in state.items() if _may_write(room, member, name, key, value)}
        if len(accepted) < len(state):
            refused = sorted(set(state) - set(accepted))
            hub.state.record("feature-refused", topic=room.topic, feature=name, keys=refused, userId=member.user_id)
        if not accepted:
            return STAYS
        room.features.setdefault(name, {}).update(accepted)
        hub.state.record("feature-state", topic=room.topic, feature=name, state=accepted, userId=member.user_id)
        await hub.send_all(room, {**message, "state": accepted})
        return STAYS
    target = data.get("to")
    if data.get("action") in PRIVILEGED_DIRECT.get(name, ()) and not (member.is_host or member.is_manager):
        action = data.get("action")
        hub.state.record("feature-refused", topic=room.topic, feature=name, action=action, userId=member.user_id)
        return STAYS
    hub.state.record("feature", topic=room.topic, feature=name, userId=member.user_id, to=target)
    if isinstance(target, int):
        await _send_to(hub, room, target, message)
        return STAYS
    await hub.send_all(room, message, exclude=member)
    return STAYS


def _may_write(room: Room, member: Member, feature: str, key: str, value: Any) -> bool:
    if not backend.owns(feature, key, member.user_id):
        return False
    if feature != "share" or not isinstance(value, Mapping) or member.is_host or member.is_manager:
        return True
    if value.get("broadcast") is True:
        return False
    records = room.features.get("share", {})
    if records.get(key):
        return True  # a change of a share already running
    privilege = records.get("privilege", SHARE_HOST_GRAB)
    others = any(k.startswith("sharer:") and k != key and record for k, record in records.items())
    return privilege != SHARE_ONLY_HOST and not (privilege == SHARE_HOST_GRAB and others)


async def _send_to(hub: Hub, room: Room, user_id: int, message: dict[str, Any]) -> None:
    ws = hub.state.sockets.get(user_id)
    if ws is not None and user_id in room.members:
        await _send(ws, message)


async def _send(ws: web.WebSocketResponse, message: dict[str, Any]) -> None:
    if ws.closed:
        return
    with contextlib.suppress(ConnectionError):
        await ws.send_json(message)
