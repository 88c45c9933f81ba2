"""The scenario model: what a validated scenario file means. Knows nothing of pytest or Playwright."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.errors import Location

PERMISSION_STATES = ("granted", "denied", "prompt-dismissed", "denied-by-system")
DEVICE_STATES = ("present", "absent", "busy")
MEDIA_KINDS = ("camera", "microphone")
NETWORK_STATES = ("online", "offline")
PLATFORM_CAPABILITIES = ("webassembly", "media_devices")
CLOCK_MODES = ("real", "virtual")
ASSET_STATES = ("served", "blocked")
BROWSERS = ("chromium", "firefox")
SDKS = ("double", "real")
ROLES = ("host", "manager", "attendee")


@dataclass(frozen=True, slots=True)
class World:
    """The browser world before the page loads (`given`), or the part a `fault` step changes."""

    permissions: dict[str, str] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)
    network: str | None = None
    platform: dict[str, bool] = field(default_factory=dict)
    assets: str | None = None
    account: str | None = None
    clock: str | None = None

    def merged(self, override: World) -> World:
        return World(
            permissions={**self.permissions, **override.permissions},
            devices={**self.devices, **override.devices},
            network=override.network or self.network,
            platform={**self.platform, **override.platform},
            assets=override.assets or self.assets,
            account=override.account or self.account,
            clock=override.clock or self.clock,
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

    def matches(self, error: dict[str, Any]) -> bool:
        if self.error_codes is not None and error.get("errorCode") not in self.error_codes:
            return False
        if self.type is not None and error.get("type") != self.type:
            return False
        if self.reason is not None and error.get("reason") != self.reason:
            return False
        if self.reason_contains is not None and self.reason_contains not in str(error.get("reason", "")):
            return False
        return self.sub_code is None or error.get("subCode") == self.sub_code

    def describe(self) -> str:
        parts = []
        if self.error_codes is not None:
            from harness.catalog import describe

            parts.append(" or ".join(describe(code) for code in self.error_codes))
        for label, value in (("type", self.type), ("reason", self.reason), ("subCode", self.sub_code)):
            if value is not None:
                parts.append(f"{label} {value!r}")
        if self.reason_contains is not None:
            parts.append(f"reason containing {self.reason_contains!r}")
        return ", ".join(parts) or "any error"


@dataclass(frozen=True, slots=True)
class Step:
    index: int  # 1-based position in `steps`
    action: str
    params: Any
    location: Location
    participant: str
    expect_resolved: bool = False
    expect_error: ErrorPattern | None = None
    within: float | None = None
    args: tuple[Any, ...] = ()

    def title(self) -> str:
        if self.action == "call":
            return f"call {self.params}"
        if self.action in ("wait_for_event",):
            return f"wait_for_event {self.params['name']}"
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
    sdk: tuple[str, ...] = ("double",)
    timeout: float = 30.0
    given: World = field(default_factory=World)
    allow_errors: tuple[ErrorPattern, ...] = ()

    def participant(self, name: str) -> Participant:
        return next(p for p in self.participants if p.name == name)
