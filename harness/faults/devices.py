"""Media devices. Chromium's fake-device flag gives a camera and a microphone; `device-count=N` gives
N cameras, and `device-count=0` is a real "no camera"; the file flags make the fake devices play a
clip. What Chromium has no flag for (no microphone, a busy device, a dismissed prompt, a system-level
denial, a device pulled out mid-call, a capture that stops mid-call, a device the system mutes) is produced
by a script installed before the page loads that makes `navigator.mediaDevices` answer with Chromium's exact
DOMExceptions (media_world.js).

The screen picker (getDisplayMedia): headless Chromium shows none, so the call waits forever unless a
flag answers it. `--use-fake-ui-for-media-stream` picks Chromium's fake screen ("screen:-3:0", a
1280x720 monitor) for a person who shares; it also accepts every camera and microphone prompt, so in that
browser a camera or microphone denial is answered by the media world script, with the exception Chromium
gives without the flag. A person who cancels the picker, or an operating system that refuses screen
recording, is the script's answer too (`--use-fake-ui-for-media-stream=deny` gives the same
NotAllowedError, but for the camera and microphone as well). "Stop sharing" mid-session ends the shared
tracks, as the browser's sharing bar does."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from harness.faults.media_files import audio_file, video_file
from harness.faults.media_world import FAKE_PICKER, scripted_states, update_media_world
from harness.faults.target import FaultTarget
from harness.scenario.model import CLIP_PREFIX, DROPS_WHEN_STARTED, FROZEN, SCREEN, SYSTEM_MUTED, World

FAKE_DEVICES = "--use-fake-device-for-media-stream"
VIDEO_FILE = "--use-file-for-fake-video-capture"
AUDIO_FILE = "--use-file-for-fake-audio-capture"


def shares_screen(permissions: dict[str, str] | None) -> bool:
    """Whether the person picks a screen when asked: Chromium then runs with the fake picker."""
    return permissions is not None and permissions.get(SCREEN) == "granted"


def launch_args(
    devices: dict[str, str],
    counts: dict[str, int],
    files: dict[str, str],
    permissions: dict[str, str] | None = None,
) -> list[str]:
    cameras = 0 if devices.get("camera") == "absent" else counts.get("camera", 1)
    args = [FAKE_DEVICES if cameras == 1 else f"{FAKE_DEVICES}=device-count={cameras}"]
    if shares_screen(permissions):
        args.append(FAKE_PICKER)
    if "camera" in files:
        args.append(f"{VIDEO_FILE}={media_path('camera', files['camera'])}")
    if "microphone" in files:
        args.append(f"{AUDIO_FILE}={media_path('microphone', files['microphone'])}")
    return args


def media_path(kind: str, source: str) -> Path:
    """A scenario's own file as it is; a named clip generated (once) into the harness's media cache."""
    if not source.startswith(CLIP_PREFIX):
        return Path(source)
    clip = source.removeprefix(CLIP_PREFIX)
    folder = Path(tempfile.gettempdir()) / "zoom-videosdk-harness-media"
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "camera":
        return video_file(folder, pattern=clip)
    return audio_file(folder, frequency=0.0 if clip == "silence" else 440.0)


def relayed_kinds(given: World, faults: Iterable[World]) -> tuple[str, ...]:
    """The devices whose tracks the media world relays, so that they can stop delivering frames: a camera
    that is frozen in the `given` world or in any of the participant's faults."""
    worlds = (given, *faults)
    return ("camera",) if any(world.devices.get("camera") == FROZEN for world in worlds) else ()


def media_world(
    devices: dict[str, str],
    permissions: dict[str, str],
    *,
    scripted_absence: bool = True,
    relayed: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Configuration of the media world script: only what the browser cannot do by itself."""
    config: dict[str, Any] = {}
    # The fake picker allows every capture, so a denial must come from the script in that browser.
    scripted = scripted_states(shares_screen(permissions))
    for kind in ("camera", "microphone"):
        entry: dict[str, str | bool] = {}
        device = devices.get(kind, "present")
        # Chromium's flag already removes the camera; the script removes the microphone and marks busy
        # devices. Firefox removes either by pref (scripted_absence=False).
        scripted_device = device in ("busy", "unlisted", DROPS_WHEN_STARTED, *SYSTEM_MUTED)
        if scripted_device or (device == "absent" and kind == "microphone" and scripted_absence):
            entry["device"] = device
        if permissions.get(kind) in scripted:
            entry["permission"] = permissions[kind]
        if kind in relayed:
            entry["relay"] = True
        config[kind] = entry
    # A granted screen is the fake picker's real answer; the script answers only a refusal.
    screen = permissions.get(SCREEN)
    config[SCREEN] = {"permission": screen} if screen and screen != "granted" else {}
    return config


def change(participant: FaultTarget, devices: dict[str, str]) -> None:
    """Mid-session: a device becomes busy, is unplugged (its live tracks end and it leaves the list), stops (its
    live tracks end, it stays listed and captures again), is muted by the system (its live tracks turn muted and
    fire `mute`; `present` again unmutes them; a frozen camera's relayed tracks also stop delivering frames), or
    comes back; a shared screen is stopped from the browser's
    sharing bar (its tracks end), or freezes (windows picked from then on deliver no frame)."""
    update_media_world(participant, {kind: {"device": state} for kind, state in devices.items()})
