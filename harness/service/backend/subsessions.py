"""Subsessions (breakout rooms), as the back end decides them: the rooms it makes, who opens and closes them,
who is assigned where, voice and message broadcasts to the rooms.

The 2.5.0 runtime asks for room tokens (4211 `batchCreateBOToken`) and reads one room ID per room from the
answer (10 s, else INTERNAL_ERROR); opening (4175/4241), closing (4177/4243), assigning (4179/4245) and moving
(4181) wait for the back end's room status (`controlStatus`, the room list; 10 s, then OPERATION_TIMEOUT). The
closing countdown (`waitSeconds`) and a timer's automatic end are the back end's clock, here the service's.
Invitations reach the invited participants from the back end, on the opener's behalf.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from typing import Any

from harness.service.backend.decision import (
    BAD_REQUEST,
    STATE,
    Ask,
    Decide,
    Decision,
    Direct,
    Publish,
    Refused,
    require_host,
    require_privileged,
    require_switch,
)

FEATURE = "subsession"
NOT_STARTED, IN_PROGRESS, CLOSING, CLOSED = 1, 2, 3, 4  # SubsessionStatus
DEFAULT_WAIT_SECONDS = 60  # openSubsessions' default waitSeconds (the typings)
DEFAULT_MAX_SUBSESSIONS = 50  # "maximum_size = 50; if support big subsessions plan, up to 100"


def _status(ask: Ask) -> int:
    status = ask.state(FEATURE).get("status")
    return status if isinstance(status, int) else NOT_STARTED


def _rooms(ask: Ask) -> list[dict[str, Any]]:
    rooms = ask.state(FEATURE).get("rooms")
    return [dict(room) for room in rooms if isinstance(room, dict)] if isinstance(rooms, list) else []


def _user(ask: Ask, user_id: Any) -> dict[str, Any]:
    member = ask.room.members.get(user_id) if isinstance(user_id, int) else None
    if member is None:
        raise Refused(STATE, f"no participant {user_id!r} in the session")
    return {"userId": member.user_id, "displayName": member.name}


def _room(rooms: list[dict[str, Any]], subsession_id: Any) -> dict[str, Any]:
    room = next((room for room in rooms if room.get("subsessionId") == subsession_id), None)
    if room is None:
        raise Refused(STATE, f"no subsession {subsession_id!r}")
    return room


def _assigned(rooms: list[dict[str, Any]], user_id: int) -> dict[str, Any] | None:
    return next((r for r in rooms if any(u.get("userId") == user_id for u in r.get("userList", []))), None)


def _with(rooms: list[dict[str, Any]], user: dict[str, Any], subsession_id: str) -> list[dict[str, Any]]:
    """The rooms with `user` assigned to `subsession_id` (and to no other room)."""
    moved = []
    for room in rooms:
        users = [u for u in room.get("userList", []) if u.get("userId") != user["userId"]]
        if room.get("subsessionId") == subsession_id:
            users.append(user)
        moved.append({**room, "userList": users})
    return moved


def _call_in(ask: Ask, user_id: int, room: Mapping[str, Any], action: str) -> Direct:
    message = {"action": action, "subsessionId": room["subsessionId"], "subsessionName": room["subsessionName"]}
    return Direct(user_id, FEATURE, message)


def create(ask: Ask) -> Decision:
    """New rooms named `names`, after the ones made earlier and not yet closed; `assign` lists, per new room,
    the participants the automatic pattern put there. The answer carries the new rooms' IDs."""
    require_privileged(ask, "create subsessions")
    require_switch(ask, "subsessions")
    names = ask.arg("names", list)
    if not names or not all(isinstance(name, str) for name in names):
        raise Refused(BAD_REQUEST, "names must be a non-empty list of strings")
    status = _status(ask)
    if status in (IN_PROGRESS, CLOSING):
        raise Refused(STATE, "the subsessions are open")
    kept = [] if status == CLOSED else _rooms(ask)
    limit = ask.settings.get("max_subsessions", DEFAULT_MAX_SUBSESSIONS)
    if len(kept) + len(names) > limit:
        raise Refused(STATE, f"more than {limit} subsessions")
    assign = ask.args.get("assign")
    lists = assign if isinstance(assign, list) and len(assign) == len(names) else [[] for _ in names]
    created = []
    for name, user_ids in zip(names, lists, strict=True):
        users = [_user(ask, user_id) for user_id in user_ids] if isinstance(user_ids, list) else []
        created.append({"subsessionId": str(uuid.uuid4()), "subsessionName": name, "userList": users})
    ids = [room["subsessionId"] for room in created]
    return Decision({FEATURE: {"rooms": kept + created, "status": NOT_STARTED}}, answer={"ids": ids})


def open_rooms(ask: Ask) -> Decision:
    """Open the rooms the back end made, with the participants assigned to them; each is invited (or, with
    isAutoJoinSubsession, sent in) by the back end."""
    require_privileged(ask, "open subsessions")
    given = ask.arg("rooms", list)
    options = ask.args.get("options")
    options = dict(options) if isinstance(options, dict) else {}
    if _status(ask) in (IN_PROGRESS, CLOSING):
        raise Refused(STATE, "the subsessions are open already")
    known = _rooms(ask)
    rooms = []
    for entry in given:
        if not isinstance(entry, dict):
            raise Refused(BAD_REQUEST, "each room must be an object")
        room = _room(known, entry.get("subsessionId"))
        users = entry.get("userList")
        user_list = [_user(ask, user.get("userId")) for user in users if isinstance(user, dict)] if users else []
        name = entry.get("subsessionName") or room["subsessionName"]
        rooms.append({"subsessionId": room["subsessionId"], "subsessionName": name, "userList": user_list})
    state = ask.state(FEATURE)
    opening = int(state.get("opening", 0)) + 1
    action = "join" if options.get("isAutoJoinSubsession") else "invite"
    decision = Decision(
        {
            FEATURE: {
                "rooms": rooms,
                "options": options,
                "status": IN_PROGRESS,
                "openerId": ask.member.user_id,
                "closerId": 0,
                "broadcastVoice": {"status": False, "userId": 0},
                "opening": opening,
            }
        },
        direct=[_call_in(ask, user["userId"], room, action) for room in rooms for user in room["userList"]],
    )
    if options.get("isTimerEnabled") and options.get("isTimerAutoEnabled"):
        decision.later = _ends_on_time(ask, opening, options)
    return decision


def close(ask: Ask) -> Decision:
    """Close the open rooms: Closing now, Closed when the back end's `waitSeconds` countdown ends."""
    require_privileged(ask, "close subsessions")
    if _status(ask) != IN_PROGRESS:
        raise Refused(STATE, "the subsessions are not open")
    opening = ask.state(FEATURE).get("opening", 0)
    decision = Decision({FEATURE: _closing(ask.member.user_id)})
    decision.later = _closes(ask, opening, _options(ask))
    return decision


def _options(ask: Ask) -> dict[str, Any]:
    options = ask.state(FEATURE).get("options")
    return dict(options) if isinstance(options, dict) else {}


def _closing(closer: int) -> dict[str, Any]:
    return {"status": CLOSING, "closerId": closer, "broadcastVoice": {"status": False, "userId": 0}}


def _seconds(options: Mapping[str, Any], name: str, default: float) -> float:
    value = options.get(name, default)
    return max(0.0, float(value)) if isinstance(value, int | float) and not isinstance(value, bool) else default


def _closes(ask: Ask, opening: Any, options: Mapping[str, Any]) -> Any:
    features = ask.room.features

    async def countdown(publish: Publish) -> None:
        await asyncio.sleep(_seconds(options, "waitSeconds", DEFAULT_WAIT_SECONDS))
        state = features.get(FEATURE, {})
        if state.get("status") == CLOSING and state.get("opening", 0) == opening:
            await publish(FEATURE, {"status": CLOSED})

    return countdown


def _ends_on_time(ask: Ask, opening: int, options: Mapping[str, Any]) -> Any:
    """isTimerAutoEnabled: when the timer runs out the back end closes the rooms itself."""
    features, opener = ask.room.features, ask.member.user_id
    then_close = _closes(ask, opening, options)

    async def timer(publish: Publish) -> None:
        await asyncio.sleep(_seconds(options, "timerDuration", 1800))
        state = features.get(FEATURE, {})
        if state.get("status") == IN_PROGRESS and state.get("opening", 0) == opening:
            await publish(FEATURE, _closing(opener))
            await then_close(publish)

    return timer


def _placing(ask: Ask, doing: str) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """The checks of putting a participant in a room, in order (privilege, open, the room, the participant):
    the rooms, the room and the participant."""
    require_privileged(ask, doing)
    if _status(ask) != IN_PROGRESS:
        raise Refused(STATE, "the subsessions are not open")
    rooms = _rooms(ask)
    room = _room(rooms, ask.args.get("subsessionId"))
    return rooms, room, _user(ask, ask.args.get("userId"))


def assign(ask: Ask) -> Decision:
    rooms, room, user = _placing(ask, "assign participants")
    if _assigned(rooms, user["userId"]) is not None:
        raise Refused(STATE, "the participant is assigned already")
    action = "join" if _options(ask).get("isAutoJoinSubsession") else "invite"
    changes = {"rooms": _with(rooms, user, room["subsessionId"])}
    return Decision({FEATURE: changes}, direct=[_call_in(ask, user["userId"], room, action)])


def move(ask: Ask) -> Decision:
    rooms, room, user = _placing(ask, "move participants")
    changes = {"rooms": _with(rooms, user, room["subsessionId"])}
    return Decision({FEATURE: changes}, direct=[_call_in(ask, user["userId"], room, "move")])


def back(ask: Ask) -> Decision:
    """Bring an assigned participant back to the main session (or, without isAutoMoveBackToMainSession, ask)."""
    require_privileged(ask, "bring participants back")
    if _status(ask) not in (IN_PROGRESS, CLOSING):
        raise Refused(STATE, "the subsessions are not open")
    user = _user(ask, ask.args.get("userId"))
    if _assigned(_rooms(ask), user["userId"]) is None:
        raise Refused(STATE, "the participant is in no subsession")
    me = ask.member
    if _options(ask).get("isAutoMoveBackToMainSession"):
        message: dict[str, Any] = {"action": "back"}
    else:
        message = {"action": "invite-back", "inviterId": me.user_id, "inviterGuid": "", "inviterName": me.name}
    return Decision(direct=[Direct(user["userId"], FEATURE, message)])


def broadcast_voice(ask: Ask) -> Decision:
    require_host(ask, "broadcast voice")
    require_switch(ask, "subsession_broadcast")
    require_switch(ask, "subsession_broadcast_voice")
    on = ask.arg("on", bool)
    if on and ask.state(FEATURE).get(f"where:{ask.member.user_id}"):
        raise Refused(STATE, "voice is broadcast from the main session only")
    return Decision({FEATURE: {"broadcastVoice": {"status": on, "userId": ask.member.user_id if on else 0}}})


def broadcast(ask: Ask) -> Decision:
    """A message to every subsession: everyone else gets it from the back end."""
    require_privileged(ask, "broadcast to subsessions")
    require_switch(ask, "subsession_broadcast")
    text = ask.arg("message", str)
    if not text:
        raise Refused(BAD_REQUEST, "the message is empty")
    message = {"action": "broadcast", "message": text, "senderName": ask.member.name}
    others = [m.user_id for m in ask.room.members.values() if m is not ask.member]
    return Decision(direct=[Direct(user_id, FEATURE, message) for user_id in others])


REQUESTS: dict[str, Decide] = {
    "subsession.create": create,
    "subsession.open": open_rooms,
    "subsession.close": close,
    "subsession.assign": assign,
    "subsession.move": move,
    "subsession.back": back,
    "subsession.broadcast-voice": broadcast_voice,
    "subsession.broadcast": broadcast,
}
