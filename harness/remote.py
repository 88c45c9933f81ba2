"""Browsers served elsewhere (`--connect WS_ENDPOINT`, from `playwright launch-server` or `run-server`).

A remote browser was launched with the server's own flags or prefs, not the scenario's. Before a scenario
uses it, the harness checks by behaviour that the remote browser has the media devices the scenario's
world needs (how many cameras, which clip); when it does not, the run skips and says which launch setting
the server lacks, instead of passing on the wrong world. The session service and the sample app stay on
this machine: the connection exposes this machine's loopback to the remote browser (`expose_network`).
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, Error, Playwright

from harness.errors import BrowserNotFound, ScenarioSkip
from harness.faults.devices import AUDIO_FILE, FAKE_DEVICES, VIDEO_FILE
from harness.faults.firefox import MISSING_DEVICE_PREF

EXPOSE = "<loopback>"
CAMERAS = """() => navigator.mediaDevices.enumerateDevices()
    .then(list => list.filter(d => d.kind === 'videoinput').map(d => d.label))"""


@dataclass(frozen=True, slots=True)
class DeviceNeeds:
    cameras: int
    video_file: str | None
    flags: tuple[str, ...]

    @classmethod
    def of(cls, args: tuple[str, ...]) -> DeviceNeeds:
        cameras = 1
        video_file = None
        for arg in args:
            if arg.startswith(f"{FAKE_DEVICES}=device-count="):
                cameras = int(arg.rsplit("=", 1)[1])
            elif arg.startswith(f"{VIDEO_FILE}="):
                video_file, cameras = arg.split("=", 1)[1], 1
        flags = tuple(arg for arg in args if arg.startswith((FAKE_DEVICES, VIDEO_FILE, AUDIO_FILE)))
        return cls(cameras, video_file, flags)

    @classmethod
    def of_firefox(cls, prefs: tuple[tuple[str, object], ...]) -> DeviceNeeds:
        settings = dict(prefs)
        absent = MISSING_DEVICE_PREF["camera"] in settings
        flags = tuple(f"{name}={value}" for name, value in prefs if name.startswith(("media.", "permissions.")))
        return cls(0 if absent else 1, None, flags)


def connect(playwright: Playwright, browser: str, endpoint: str) -> Browser:
    try:
        return (
            playwright.chromium.connect(endpoint, expose_network=EXPOSE, timeout=30_000)
            if browser == "chromium"
            else playwright.firefox.connect(endpoint, expose_network=EXPOSE, timeout=30_000)
        )
    except Error as error:
        text = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise BrowserNotFound(f"could not connect to the remote {browser} at {endpoint}: {text}") from None


def check_devices(remote: Browser, endpoint: str, needs: DeviceNeeds, probe_url: str, browser: str) -> None:
    """Skip the run unless the remote browser offers the cameras (and clip) the world needs."""
    # Firefox has no context-level camera permission (measured); its prefs decide.
    context = remote.new_context(permissions=["camera", "microphone"] if browser == "chromium" else [])
    try:
        page = context.new_page()
        page.goto(probe_url, timeout=15_000)
        labels: list[str] = page.evaluate(CAMERAS)
    finally:
        context.close()
    problem = None
    if len(labels) != needs.cameras:
        problem = f"it offers {len(labels)} camera(s), the scenario's world needs {needs.cameras}"
    elif needs.video_file is not None and needs.video_file not in labels:
        problem = f"its camera does not play {needs.video_file}"
    if problem:
        wanted = " ".join(needs.flags) or (FAKE_DEVICES if browser == "chromium" else "the harness's Firefox prefs")
        raise ScenarioSkip(
            f"the remote browser at {endpoint} was not launched for this world ({problem}); "
            f"launch the server with: {wanted}"
        )
