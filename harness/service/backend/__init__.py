"""The back end's decisions on what participants ask of their session, one module per feature.

`REQUESTS` maps each request kind (`recording.start`, `whiteboard.start`, `subsession.open`, …) to the function
that decides it; `decide` runs one. What a participant may write without asking (its own records) is
`owns`: `sharer:<me>` (its screen share), `camera:<me>` (its camera's state), `where:<me>` (the subsession its
socket is in). The socket layer (feature_socket.py) applies decisions and tells the participants.
"""

from __future__ import annotations

import re
from typing import Any

from harness.service.backend import controls, livestream, recording, subsessions, whiteboard
from harness.service.backend.decision import UNKNOWN_KIND, Ask, Decide, Decision, Direct, Publish, Refused
from harness.service.rooms import Member, Room

__all__ = ["REQUESTS", "Ask", "Decision", "Direct", "Publish", "Refused", "decide", "joined", "owns"]

REQUESTS: dict[str, Decide] = {
    **recording.REQUESTS,
    **whiteboard.REQUESTS,
    **subsessions.REQUESTS,
    **controls.REQUESTS,
    **livestream.REQUESTS,
}

OWN_RECORDS = {
    "share": re.compile(r"sharer:(\d+)"),
    "camera-control": re.compile(r"camera:(\d+)"),
    "subsession": re.compile(r"where:(\d+)"),
}


def decide(ask: Ask) -> Decision:
    """The back end's decision on one request; Refused when it does not carry it out."""
    decision = REQUESTS.get(ask.kind)
    if decision is None:
        raise Refused(UNKNOWN_KIND, f"no request {ask.kind!r}")
    return decision(ask)


def joined(room: Room, member: Member) -> dict[str, dict[str, Any]]:
    """The session state the back end changes when this participant connects (a host's recording option)."""
    return recording.host_joined(room, member)


def owns(feature: str, key: str, user_id: int) -> bool:
    """Whether `key` of `feature`'s shared state is the participant's own record, which it writes itself."""
    pattern = OWN_RECORDS.get(feature)
    match = pattern.fullmatch(key) if pattern is not None else None
    return match is not None and int(match.group(1)) == user_id
