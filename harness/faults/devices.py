"""Media devices. Chromium's fake-device flag gives a camera and a microphone; `device-count=N` gives
N cameras, and `device-count=0` is a real "no camera"; the file flags make the fake devices play a
clip. What Chromium has no flag for (no microphone, a busy device, a dismissed prompt, a system-level
denial, a device pulled out mid-call) is produced by a script installed before the page loads that
makes `navigator.mediaDevices` answer with Chromium's exact DOMExceptions (media_world.js)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import HarnessError
from harness.faults import media_files
from harness.faults.permissions import SCRIPTED
from harness.scenario.model import CLIP_PREFIX

if TYPE_CHECKING:
    from harness.participant import ParticipantPage

FAKE_DEVICES = "--use-fake-device-for-media-stream"
VIDEO_FILE = "--use-file-for-fake-video-capture"
AUDIO_FILE = "--use-file-for-fake-audio-capture"


def launch_args(devices: dict[str, str], counts: dict[str, int], files: dict[str, str]) -> list[str]:
    cameras = 0 if devices.get("camera") == "absent" else counts.get("camera", 1)
    args = [FAKE_DEVICES if cameras == 1 else f"{FAKE_DEVICES}=device-count={cameras}"]
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
        return media_files.video_file(folder, pattern=clip)
    return media_files.audio_file(folder, frequency=0.0 if clip == "silence" else 440.0)


def media_world(
    devices: dict[str, str], permissions: dict[str, str], *, scripted_absence: bool = True
) -> dict[str, Any]:
    """Configuration of the media world script: only what the browser cannot do by itself."""
    config: dict[str, Any] = {}
    for kind in ("camera", "microphone"):
        entry: dict[str, str] = {}
        device = devices.get(kind, "present")
        # Chromium's flag already removes the camera; the script removes the microphone and marks busy
        # devices. Firefox removes either by pref (scripted_absence=False).
        if device == "busy" or (device == "absent" and kind == "microphone" and scripted_absence):
            entry["device"] = device
        if permissions.get(kind) in SCRIPTED:
            entry["permission"] = permissions[kind]
        config[kind] = entry
    return config


def change(participant: ParticipantPage, devices: dict[str, str]) -> None:
    """Mid-session: a device becomes busy, is unplugged (its live tracks end), or comes back."""
    update_media_world(participant, {kind: {"device": state} for kind, state in devices.items()})


def update_media_world(participant: ParticipantPage, update: dict[str, dict[str, Any]]) -> None:
    if participant.page is None:
        raise HarnessError("devices and prompts can change only once the page is open")
    participant.page.evaluate(
        "change => { if (!window.__harnessMediaWorld) throw new Error('media world script missing'); "
        "window.__harnessMediaWorld.update(change); }",
        update,
    )
