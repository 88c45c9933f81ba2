"""Permissions through the browser's own permission handling: a granted permission is granted to the
context; a denied one is not, so Chromium answers getUserMedia with its real NotAllowedError.

Mid-session, Chromium's own permission store changes (CDP `Browser.setPermission` for the context):
`permissions.query` reports the new state, its `change` event fires, and live capture ends, as when a
person revokes the camera in the site settings. A dismissed prompt or a system-level denial is only
what the next getUserMedia answers, so those go to the media world script.

`screen` is not a browser permission here: it is what the person answers in the screen picker, set in
`given` (devices.py turns it into the fake picker flag or the media world script's answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.errors import HarnessError

if TYPE_CHECKING:
    from harness.participant import ParticipantPage

BROWSER_PERMISSION = {"camera": "camera", "microphone": "microphone"}
# States Chromium has no switch for; the media world script answers them (see devices.py).
SCRIPTED = ("prompt-dismissed", "denied-by-system")


def granted(permissions: dict[str, str]) -> list[str]:
    """Permissions to grant at context creation; kinds not named default to granted."""
    result = []
    for kind, name in BROWSER_PERMISSION.items():
        if permissions.get(kind, "granted") != "denied":
            result.append(name)
    return result


def change(participant: ParticipantPage, permissions: dict[str, str], origin: str) -> None:
    """Grant or revoke mid-session, one kind at a time, without touching the others."""
    from harness.faults.devices import FAKE_PICKER, update_media_world

    if "screen" in permissions:
        raise HarnessError("the screen picker's answer is set in `given` only (the loader refuses it mid-session)")
    page = participant.page
    if page is None:
        raise HarnessError("permissions can change mid-session only once the page is open")
    # Chromium drops a DevTools permission override when its session detaches: participant.cdp() keeps
    # one session for as long as the page lives.
    session = participant.cdp()
    context_id = session.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    for kind, state in permissions.items():
        setting = "denied" if state == "denied" else "granted"
        session.send(
            "Browser.setPermission",
            {
                "permission": {"name": BROWSER_PERMISSION[kind]},
                "setting": setting,
                "origin": origin,
                "browserContextId": context_id,
            },
        )
    # With the fake screen picker (a screen-sharing world) the browser allows every capture, so the
    # script must answer a revocation as Chromium would have.
    answered = (*SCRIPTED, "denied") if FAKE_PICKER in participant.plan.launch_args else SCRIPTED
    scripted = {kind: {"permission": state if state in answered else None} for kind, state in permissions.items()}
    update_media_world(participant, scripted)
    participant.permissions = {**participant.permissions, **permissions}


def needs_cdp(permissions: dict[str, str]) -> bool:
    return any(state not in SCRIPTED for state in permissions.values())
