"""The scenario model: what a validated scenario file means. Knows nothing of pytest or Playwright."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.errors import Location
from harness.scenario.schema import default

# The words of the language are listed in schema.json; the model names only those the fault library acts on.
# `drops-when-started`: a camera that falls off the computer as soon as it streams (a USB camera on a hub
# without enough power resets); it leaves the device list and its track ends. Cameras only.
DROPS_WHEN_STARTED = "drops-when-started"
# A device the system mutes while it stays plugged in and allowed: its capture tracks report `muted` (and fire
# `mute` when it happens mid-session). `frozen`: a camera that stops delivering frames (cameras only);
# `muted-by-system`: a microphone muted in the operating system's settings (microphones only).
FROZEN = "frozen"
MUTED_BY_SYSTEM = "muted-by-system"
SYSTEM_MUTED = (FROZEN, MUTED_BY_SYSTEM)
# The screen picker of getDisplayMedia: `permissions.screen` is what the person answers in it (`given` only);
# mid-session, `devices: {screen: stopped}` is the person clicking "Stop sharing" in the browser's sharing bar, and
# `devices: {screen: frozen}` makes the windows picked from then on deliver no frame.
SCREEN = "screen"
# "Use and move your camera": the page may see and steer a pan/tilt/zoom camera (Chromium's fake camera
# is one; without this permission a page sees a plain webcam). Not granted unless the scenario says so.
PAN_TILT_ZOOM = "camera_pan_tilt_zoom"
# A device's media is a clip the harness generates itself for fake capture (media_files.py): "clip:NAME".
CLIP_PREFIX = "clip:"
BROWSERS: tuple[str, ...] = tuple(default("browsers"))


@dataclass(frozen=True, slots=True)
class NetworkConditions:
    """A slow or unsteady path: every byte both ways waits `latency` give or take `jitter` (seconds)."""

    latency: float = 0.0
    jitter: float = 0.0


@dataclass(frozen=True, slots=True)
class HttpFault:
    """What requests matching `url` (a glob) get instead of the server's answer, or `restore` to undo."""

    url: str
    status: int | None = None
    body: str | None = None
    abort: str | None = None
    restore: bool = False


@dataclass(frozen=True, slots=True)
class WebSocketClose:
    """WebSockets matching `url` are closed with `code` (both ends see it): those open now (`at` "now"), or the
    next one the page opens, as the server's first frame reaches it (`at` "next-connection")."""

    url: str
    code: int
    reason: str = ""
    at: str = "now"


@dataclass(frozen=True, slots=True)
class SessionAction:
    """What the back end does mid-session: the host removes someone, ends the session, or an account
    setting changes."""

    remove: str | None = None
    end: bool = False
    account: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class World:
    """The browser world before the page loads (`given`), or the part a `fault` step changes."""

    permissions: dict[str, str] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)
    device_counts: dict[str, int] = field(default_factory=dict)
    device_files: dict[str, str] = field(default_factory=dict)
    network: str | None = None
    conditions: NetworkConditions | None = None
    http: tuple[HttpFault, ...] = ()
    websocket: WebSocketClose | None = None
    session: SessionAction | None = None
    platform: dict[str, bool] = field(default_factory=dict)
    system: dict[str, Any] = field(default_factory=dict)
    firewall: dict[str, str] = field(default_factory=dict)
    assets: str | None = None
    account: str | None = None
    clock: str | None = None
    page: str | None = None  # how the app's page is served: plain, cross-origin-isolated

    def merged(self, override: World) -> World:
        return World(
            permissions={**self.permissions, **override.permissions},
            devices={**self.devices, **override.devices},
            device_counts={**self.device_counts, **override.device_counts},
            device_files={**self.device_files, **override.device_files},
            network=override.network or self.network,
            conditions=override.conditions or self.conditions,
            http=(*self.http, *override.http),
            platform={**self.platform, **override.platform},
            system={**self.system, **override.system},
            firewall={**self.firewall, **override.firewall},
            assets=override.assets or self.assets,
            account=override.account or self.account,
            clock=override.clock or self.clock,
            page=override.page or self.page,
        )


@dataclass(frozen=True, slots=True)
class ErrorPattern:
    """What an expected (or allowed) SDK error must match; unset fields match anything."""

    location: Location
    error_codes: tuple[int, ...] | None = None
    type: str | None = None
    reason: str | None = None
    reason_contains: str | None = None
    sub_code: int | None = None
    name: str | None = None  # the browser exception's name, for raw errors that carry no Zoom code
    message_contains: str | None = None

    def matches(self, error: dict[str, Any]) -> bool:
        if self.error_codes is not None and error.get("errorCode") not in self.error_codes:
            return False
        if self.type is not None and error.get("type") != self.type:
            return False
        if self.reason is not None and error.get("reason") != self.reason:
            return False
        if self.reason_contains is not None and self.reason_contains not in str(error.get("reason", "")):
            return False
        if self.name is not None and error.get("name") != self.name:
            return False
        if self.message_contains is not None and self.message_contains not in str(error.get("message", "")):
            return False
        return self.sub_code is None or error.get("subCode") == self.sub_code

    def describe(self) -> str:
        parts = []
        if self.error_codes is not None:
            from harness.catalog import describe

            parts.append(" or ".join(describe(code) for code in self.error_codes))
        shown = (("type", self.type), ("reason", self.reason), ("subCode", self.sub_code), ("name", self.name))
        for label, value in shown:
            if value is not None:
                parts.append(f"{label} {value!r}")
        if self.reason_contains is not None:
            parts.append(f"reason containing {self.reason_contains!r}")
        if self.message_contains is not None:
            parts.append(f"message containing {self.message_contains!r}")
        return ", ".join(parts) or "any error"


@dataclass(frozen=True, slots=True)
class ExpectedValue:
    """What a call's value must contain (`expect_value`); a class of its own because null is a value to expect."""

    value: Any


@dataclass(frozen=True, slots=True)
class Step:
    index: int  # 1-based position in `steps`
    action: str
    params: Any
    location: Location
    participant: str
    expect_resolved: bool = False
    expect_pending: bool = False  # `expect: pending`: the call has not settled when the step ends
    expect_error: ErrorPattern | None = None
    within: float | None = None
    args: tuple[Any, ...] = ()
    expect_value: ExpectedValue | None = None

    def calls(self) -> tuple[Step, ...]:
        """The steps whose outcome is checked: this one, the steps of a `together` group, an on_event's call."""
        if self.action == "together":
            return tuple(self.params)
        if self.action == "on_event":
            return (self.params["then"],)
        return (self,)

    def title(self) -> str:
        if self.action == "together":
            return "together: " + ", ".join(step.title() for step in self.params)
        if self.action == "on_event":
            return f"on_event {self.params['name']}: {self.params['then'].title()}"
        if self.action == "call":
            return f"call {self.params}"
        if self.action in ("wait_for_event",):
            return f"wait_for_event {self.params['name']}"
        if self.action == "wait_for_page_error":
            return f"wait_for_page_error {self.params['name'] or self.params['message_contains']}"
        return self.action


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    role: str
    given: World


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    path: str
    location: Location
    steps: tuple[Step, ...]
    participants: tuple[Participant, ...]
    summary: str = ""
    tags: tuple[str, ...] = ()
    codes: tuple[int, ...] = ()
    browsers: tuple[str, ...] = BROWSERS
    sdk: tuple[str, ...] = tuple(default("sdk"))
    timeout: float = 30.0
    given: World = field(default_factory=World)
    allow_errors: tuple[ErrorPattern, ...] = ()

    def participant(self, name: str) -> Participant:
        return next(p for p in self.participants if p.name == name)
