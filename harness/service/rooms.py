"""Sessions and participants held by the service. Plain state, no I/O: the server feeds it events."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

from harness.errors import HarnessError

FIRST_USER_ID = 16778240  # the real service's ids look like this (0x1001000 and up)


@dataclass
class Member:
    user_id: int
    name: str
    role_type: int
    is_host: bool
    is_manager: bool
    join_token: str
    connected: bool = False
    in_failover: bool = False
    audio: str = ""  # '' | 'computer' | 'phone' (the back end knows a phone leg; see telephone.py)
    muted: bool = False  # computer audio muted, as the participant's double last reported it
    # The first participant of the session admitted as its host (role_type 1): the one who may reclaim the role.
    is_original_host: bool = False
    subsession: str = ""  # the subsession (breakout room) this participant's socket last entered; "" = main session
    identity: str = ""  # the token's `user_identity` claim, when it has one
    device: str = ""  # the browser's device id (the socket URL's `ZM-CID`), once its socket is open
    recording_option: int = 0  # the token's `cloud_recording_option` (1 = a recording file per participant)
    removed: bool = False  # the host removed this admission

    def removal_key(self) -> str:
        """What the back end remembers of a participant it removed: its identity, else its device ('' = neither)."""
        if self.identity:
            return f"identity:{self.identity}"
        return f"device:{self.device}" if self.device else ""

    def public(self) -> dict[str, Any]:
        return {
            "userId": self.user_id,
            "displayName": self.name,
            "isHost": self.is_host,
            "isManager": self.is_manager,
            "audio": self.audio,
            "muted": self.muted,
            "bVideoOn": False,
            "sharerOn": False,
            "isInFailover": self.in_failover,
        }


@dataclass
class Room:
    app_key: str
    topic: str
    session_id: str
    passcode: str | None = None
    ended: bool = False
    members: dict[int, Member] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)  # Member.removal_key() of those the host removed
    # What the back end keeps for itself, not session state (a live stream's connection, a broadcast's channel).
    backend: dict[str, Any] = field(default_factory=dict)
    # Shared state of in-session features (recording status, subsessions, whiteboard, …), per feature.
    # A session starts with its participants allowed to unmute themselves (the meeting attribute
    # `bCanUnmute`, which the double keeps beside the camera states; the host may turn it off).
    features: dict[str, dict[str, Any]] = field(default_factory=lambda: {"camera-control": {"audio:canUnmute": True}})

    def host(self) -> Member | None:
        return next((m for m in self.members.values() if m.is_host), None)

    def member_named(self, name: str) -> Member:
        """The one participant with this display name; HarnessError naming who is there otherwise."""
        matches = [m for m in self.members.values() if m.name == name]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise HarnessError(f"{len(matches)} participants are named {name!r} in session {self.topic!r}")
        present = ", ".join(m.name for m in self.members.values()) or "nobody"
        raise HarnessError(f"no participant {name!r} in session {self.topic!r}; participants: {present}")


# Role changes a participant asks for (client.makeHost / makeManager / revokeManager / reclaimHost).
MAKE_HOST = "make-host"
MAKE_MANAGER = "make-manager"
REVOKE_MANAGER = "revoke-manager"
RECLAIM_HOST = "reclaim-host"
ROLE_CHANGES = (MAKE_HOST, MAKE_MANAGER, REVOKE_MANAGER, RECLAIM_HOST)


def change_role(room: Room, actor: Member, action: str, user_id: Any = None) -> list[Member]:
    """Carry out a role change `actor` asked for, as the back end decides it; the members whose records changed,
    in the order to tell them (a demotion before the promotion it makes room for), or [] when it is refused.

    Only the host hands the host role over (the previous host becomes an attendee; a manager made host stops
    being a manager) and makes or revokes managers; only the original host reclaims the role, from whoever
    holds it now.
    """
    if action == RECLAIM_HOST:
        if not actor.is_original_host or actor.is_host:
            return []
        current = room.host()
        actor.is_host, actor.is_manager = True, False
        if current is None:
            return [actor]
        current.is_host = False
        return [current, actor]
    target = room.members.get(user_id) if isinstance(user_id, int) and not isinstance(user_id, bool) else None
    if not actor.is_host or target is None or target is actor:
        return []
    if action == MAKE_HOST:
        actor.is_host = False
        target.is_host, target.is_manager = True, False
        return [actor, target]
    if action == MAKE_MANAGER and not target.is_manager:
        target.is_manager = True
        return [target]
    if action == REVOKE_MANAGER and target.is_manager:
        target.is_manager = False
        return [target]
    return []


SUBSESSIONS = "subsession"  # the feature's name in the room's shared state (the double's registry)
SUBSESSIONS_OPEN = (2, 3)  # SubsessionStatus InProgress, Closing: rooms a participant may be in

SESSION_FULL = 4005  # the 2.5.0 runtime's join failure for a session at capacity
SESSION_FULL_MESSAGE = "meeting is at capacity"


class JoinRefused(Exception):
    def __init__(self, result: int, message: str = "") -> None:
        super().__init__(result, message)
        self.result = result
        self.message = message


class Rooms:
    def __init__(self) -> None:
        self.rooms: dict[tuple[str, str], Room] = {}
        self.by_token: dict[str, tuple[Room, Member]] = {}
        self.ids = itertools.count(FIRST_USER_ID, 1024)

    def admit(
        self,
        app_key: str,
        topic: str,
        name: str,
        role_type: int,
        password: str,
        rejoin: int | None,
        capacity: int | None = None,
    ) -> Member:
        """Admit a verified join request or raise JoinRefused with the server's result code."""
        key = (app_key, topic.lower())
        room = self.rooms.get(key)
        if room is None:
            room = Room(app_key, topic.lower(), secrets.token_hex(8), passcode=password or None)
            self.rooms[key] = room
        if room.ended:
            raise JoinRefused(4004)
        if room.passcode is not None and password != room.passcode:
            raise JoinRefused(3004)
        previous = room.members.get(rejoin) if rejoin else None
        if previous is not None and previous.name == name:
            previous.join_token = secrets.token_urlsafe(16)
            self.by_token[previous.join_token] = (room, previous)
            return previous
        if capacity is not None and len(room.members) >= capacity:
            raise JoinRefused(SESSION_FULL, SESSION_FULL_MESSAGE)
        is_host = role_type == 1 and room.host() is None
        member = Member(
            next(self.ids), name, role_type, is_host, role_type == 1 and not is_host, secrets.token_urlsafe(16)
        )
        member.is_original_host = is_host and not any(m.is_original_host for m in room.members.values())
        room.members[member.user_id] = member
        self.by_token[member.join_token] = (room, member)
        return member

    def member_with_token(self, join_token: str) -> Member | None:
        """The connected participant whose join token this is (media sockets present it again)."""
        for room in self.rooms.values():
            for member in room.members.values():
                if join_token and member.join_token == join_token and member.connected:
                    return member
        return None

    def claim(self, join_token: str) -> tuple[Room, Member] | None:
        return self.by_token.pop(join_token, None)

    def session(self, app_key: str, topic: str | None) -> Room:
        """The session of a key by topic, or its only session when topic is None; HarnessError otherwise."""
        held = self.sessions_of(app_key)
        topics = ", ".join(repr(room.topic) for room in held) or "none"
        if topic is not None:
            room = self.rooms.get((app_key, topic.lower()))
            if room is None:
                raise HarnessError(f"no session {topic!r} for key {app_key}; its sessions: {topics}")
            return room
        if not held:
            raise HarnessError(f"no session for key {app_key} yet: nobody has joined with it")
        if len(held) > 1:
            raise HarnessError(f"key {app_key} holds several sessions ({topics}); name the topic")
        return held[0]

    def sessions_of(self, app_key: str) -> list[Room]:
        return [room for (key, _), room in self.rooms.items() if key == app_key]

    def connected(self, member: Member) -> None:
        member.connected = True
        member.in_failover = False

    def enter(self, room: Room, member: Member, subsession: str) -> bool:
        """Put a participant whose socket names a subsession (`bid`) in it, or in the main session when it names
        none or one that is not open: the subsession feature's `where:<userId>` says where everyone is, as the
        double reads it. True when that changed."""
        state = room.features.get(SUBSESSIONS, {})
        open_rooms = state.get("rooms") if state.get("status") in SUBSESSIONS_OPEN else None
        known = {r.get("subsessionId") for r in open_rooms or [] if isinstance(r, dict)}
        target = subsession if subsession in known else ""
        key = f"where:{member.user_id}"
        changed = member.subsession != target or state.get(key, "") != target
        member.subsession = target
        if changed:
            room.features.setdefault(SUBSESSIONS, {})[key] = target
        return changed

    def lost(self, member: Member) -> None:
        member.connected = False
        member.in_failover = True

    def leave(self, room: Room, member: Member) -> None:
        room.members.pop(member.user_id, None)
        if not room.members and not room.ended:
            self.rooms.pop((room.app_key, room.topic), None)

    def remove(self, room: Room, member: Member) -> None:
        """The host removed this participant: the same person (its identity, else its browser) may not come back
        (3009, on the session socket), even if the room is now empty. Someone else with the same name may."""
        key = member.removal_key()
        if key:
            room.removed.add(key)
        member.removed = True
        room.members.pop(member.user_id, None)

    def refused_on_connect(self, room: Room, member: Member) -> bool:
        """A participant whose socket opens after the host removed them (by identity or device): 3009; the
        admission is dropped."""
        key = member.removal_key()
        if not key or key not in room.removed:
            return False
        room.members.pop(member.user_id, None)
        return True

    def end(self, room: Room) -> None:
        """The session is over for everybody; the room stays so a later join gets 4004."""
        room.ended = True
        room.members.clear()

    def snapshot(self) -> list[dict[str, Any]]:
        return [
            {
                "topic": room.topic,
                "ended": room.ended,
                "participants": [m.public() | {"connected": m.connected} for m in room.members.values()],
            }
            for room in self.rooms.values()
        ]
