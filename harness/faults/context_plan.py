"""What one participant's browser needs before its page loads (`plan.plan_world` makes it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.browsers import PrefValue
from harness.scenario.model import HttpFault, NetworkConditions


@dataclass(frozen=True, slots=True)
class ContextPlan:
    """What one participant's browser needs before its page loads."""

    launch_args: tuple[str, ...]  # Chromium
    permissions: tuple[str, ...]
    firefox_prefs: dict[str, PrefValue] = field(default_factory=dict)  # Firefox
    init_scripts: tuple[str, ...] = ()
    assets_blocked: bool = False
    offline_after_load: bool = False
    virtual_clock: bool = False
    media_config: dict[str, Any] = field(default_factory=dict)
    shaped: bool = False  # traffic runs through a network path of the harness (latency, black holes)
    conditions: NetworkConditions | None = None
    http: tuple[HttpFault, ...] = ()
    system: dict[str, Any] = field(default_factory=dict)  # the computer the browser reports (faults/system.py)
    firewall: dict[str, str] = field(default_factory=dict)  # what a firewall blocks (faults/network.py)
    gesture_free: bool = False  # the harness's calls in the page carry no user activation (faults/platform.py)
    isolated: bool = False  # the app's page is served cross-origin isolated (COOP/COEP: SharedArrayBuffer on)

    @property
    def page_only(self) -> bool:
        """Whether nothing of this plan outlives the page: no route, network path or state, clock, system or
        page setting the context would keep (harness/spares.py)."""
        return not (
            self.assets_blocked
            or self.offline_after_load
            or self.virtual_clock
            or self.shaped
            or self.conditions is not None
            or self.http
            or self.system
            or self.firewall
            or self.gesture_free
            or self.isolated
        )
