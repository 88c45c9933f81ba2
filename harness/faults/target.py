"""One participant as a fault sees it: the browser context and page a fault changes, its network controller,
and what its browser was planned with.

The run's participant (`harness.participant.ParticipantPage`) is one; faults name only this protocol, so
they never import the run layer above them.
"""

from __future__ import annotations

from typing import Protocol

from playwright.sync_api import BrowserContext, CDPSession, Page

from harness.faults.context_plan import ContextPlan
from harness.faults.network import NetworkController


class FaultTarget(Protocol):
    context: BrowserContext
    page: Page | None  # None until the page is opened
    network: NetworkController
    plan: ContextPlan
    permissions: dict[str, str]  # the permissions the person holds now, by kind
    clock_start: float  # where a virtual clock starts (epoch seconds)

    def cdp(self) -> CDPSession:
        """The page's one long-lived DevTools session (Chromium drops its overrides on detach)."""
        ...
