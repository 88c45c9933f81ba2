"""The whiteboard, as the back end decides it: who presents, who may take over, who sets the permissions.

The 2.5.0 runtime asks for a whiteboard (28673 new/open) and waits 15 s for the server's Start action naming
its dcsId; a stop (28674) waits for the Closed status or the presenter's Stop; a permission change (28677) waits
for the new permissions (10 s; other values → INTERNAL_ERROR). What the back end checks mirrors the runtime's own
client checks (docs/fidelity.md, "The back end in the session service"): the account's whiteboard, the host's
permissions (LockShare, HostGrab/AnyoneGrab, HostOnly/AllParticipants) and no screen share running.
"""

from __future__ import annotations

from typing import Any

from harness.service.backend.decision import (
    BAD_REQUEST,
    NOT_ALLOWED,
    STATE,
    Ask,
    Decide,
    Decision,
    Refused,
    require_privileged,
    require_switch,
)

FEATURE = "whiteboard"
SHARE = "share"
# WhiteboardSharePermissionCode and WhiteboardInitiatePermissionCode (the typings' values).
LOCK_SHARE, HOST_GRAB, LOCK_SHARE_SECURITY, ANYONE_GRAB = 0, 1, 2, 3
HOST_ONLY, INTERNAL_USERS, ALL_PARTICIPANTS = 0, 1, 2
SHARE_PERMISSIONS = (LOCK_SHARE, HOST_GRAB, LOCK_SHARE_SECURITY, ANYONE_GRAB)
INITIATE_PERMISSIONS = (HOST_ONLY, INTERNAL_USERS, ALL_PARTICIPANTS)
# What a session starts with: only the host or a manager starts one, and they may take it over.
DEFAULTS = {"sharePermission": HOST_GRAB, "initiatePermission": HOST_ONLY}


def _presenter(ask: Ask) -> int:
    presenter = ask.state(FEATURE).get("presenterId") or 0
    return presenter if isinstance(presenter, int) and presenter in ask.room.members else 0


def _permission(ask: Ask, name: str) -> Any:
    return ask.state(FEATURE).get(name, DEFAULTS[name])


def _screen_shared(ask: Ask) -> bool:
    records = ask.state(SHARE)
    return any(key.startswith("sharer:") and record for key, record in records.items())


def start(ask: Ask) -> Decision:
    require_switch(ask, "whiteboard")
    me, presenter = ask.member.user_id, _presenter(ask)
    share, initiate = _permission(ask, "sharePermission"), _permission(ask, "initiatePermission")
    if presenter == me:
        raise Refused(STATE, "already presenting a whiteboard")
    if not ask.privileged:
        if share == LOCK_SHARE:
            raise Refused(NOT_ALLOWED, "sharing is locked: only the host or a manager starts a whiteboard")
        if presenter and share == HOST_GRAB:
            raise Refused(NOT_ALLOWED, "only the host or a manager may take the whiteboard over")
        if initiate == HOST_ONLY:
            raise Refused(NOT_ALLOWED, "only the host or a manager may start a whiteboard")
    if _screen_shared(ask):
        raise Refused(STATE, "a screen share is running")
    export_disabled = ask.args.get("exportDisabled") is True
    return Decision({FEATURE: {"presenterId": me, "exportDisabled": export_disabled}})


def stop(ask: Ask) -> Decision:
    presenter = _presenter(ask)
    if not presenter:
        raise Refused(STATE, "no whiteboard is presented")
    if presenter != ask.member.user_id:
        require_privileged(ask, "stop another participant's whiteboard")
    return Decision({FEATURE: {"presenterId": 0, "exportDisabled": False}})


def permission(ask: Ask) -> Decision:
    require_privileged(ask, "change the whiteboard permissions")
    changes: dict[str, Any] = {}
    for name, values in (("sharePermission", SHARE_PERMISSIONS), ("initiatePermission", INITIATE_PERMISSIONS)):
        if name not in ask.args:
            continue
        value = ask.args[name]
        if isinstance(value, bool) or value not in values:
            raise Refused(BAD_REQUEST, f"{name} must be one of {list(values)}")
        changes[name] = value
    if not changes:
        raise Refused(BAD_REQUEST, "nothing to change")
    return Decision({FEATURE: changes})


REQUESTS: dict[str, Decide] = {
    "whiteboard.start": start,
    "whiteboard.stop": stop,
    "whiteboard.permission": permission,
}
