"""Permissions through the browser's own permission handling: a granted permission is granted to the
context; a denied one is not, so Chromium answers getUserMedia with its real NotAllowedError.

Mid-session, Chromium's own permission store changes (CDP `Browser.setPermission` for the context):
`permissions.query` reports the new state, its `change` event fires, and live capture ends, as when a
person revokes the camera in the site settings. A dismissed prompt or a system-level denial is only
what the next getUserMedia answers, so those go to the media world script.

`screen` is not a browser permission here: it is what the person answers in the screen picker, set in
`given` (devices.py turns it into the fake picker flag or the media world script's answer)."""

from __future__ import annotations

from harness.errors import HarnessError
from harness.faults.media_world import FAKE_PICKER, SCRIPTED, scripted_states, update_media_world
from harness.faults.target import FaultTarget
from harness.scenario.model import PAN_TILT_ZOOM

BROWSER_PERMISSION = {"camera": "camera", "microphone": "microphone"}
# Chromium's permission descriptor per kind, for CDP (pan/tilt/zoom is the camera permission's variant).
DESCRIPTOR: dict[str, dict[str, object]] = {
    "camera": {"name": "camera"},
    "microphone": {"name": "microphone"},
    PAN_TILT_ZOOM: {"name": "camera", "panTiltZoom": True},
}


def granted(permissions: dict[str, str]) -> list[str]:
    """Permissions to grant at context creation; kinds not named default to granted."""
    result = []
    for kind, name in BROWSER_PERMISSION.items():
        if permissions.get(kind, "granted") != "denied":
            result.append(name)
    return result


def change(participant: FaultTarget, permissions: dict[str, str], origin: str) -> None:
    """Grant or revoke mid-session, one kind at a time, without touching the others."""
    if "screen" in permissions:
        raise HarnessError("the screen picker's answer is set in `given` only (the loader refuses it mid-session)")
    page = participant.page
    if page is None:
        raise HarnessError("permissions can change mid-session only once the page is open")
    # Chromium drops a DevTools permission override when its session detaches: participant.cdp() keeps
    # one session for as long as the page lives.
    set_in_browser(participant, permissions, origin)
    permissions = {kind: state for kind, state in permissions.items() if kind != PAN_TILT_ZOOM}
    # With the fake screen picker (a screen-sharing world) the browser allows every capture, so the
    # script must answer a revocation as Chromium would have.
    answered = scripted_states(FAKE_PICKER in participant.plan.launch_args)
    scripted = {kind: {"permission": state if state in answered else None} for kind, state in permissions.items()}
    update_media_world(participant, scripted)
    participant.permissions = {**participant.permissions, **permissions}


def set_in_browser(participant: FaultTarget, permissions: dict[str, str], origin: str) -> None:
    """Chromium's own permission store for this context (CDP), one kind at a time."""
    session = participant.cdp()
    context_id = session.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    for kind, state in permissions.items():
        session.send(
            "Browser.setPermission",
            {
                "permission": DESCRIPTOR[kind],
                "setting": "denied" if state == "denied" else "granted",
                "origin": origin,
                "browserContextId": context_id,
            },
        )


def before_load(participant: FaultTarget, origin: str) -> None:
    """What Playwright's context permissions cannot grant, set before the page loads: pan/tilt/zoom."""
    if participant.permissions.get(PAN_TILT_ZOOM) == "granted":
        set_in_browser(participant, {PAN_TILT_ZOOM: "granted"}, origin)


def needs_cdp(permissions: dict[str, str]) -> bool:
    return any(state not in SCRIPTED for state in permissions.values())
