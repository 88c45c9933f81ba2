"""What a step may use of the run it belongs to.

`runner.ScenarioRun` is the one implementation. Steps name only this protocol, so the runner can hold the
table of handlers (`harness.steps.HANDLERS`) without the steps importing the runner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

from playwright.sync_api import Page

from harness.errors import ScenarioFailure
from harness.participant import ParticipantPage
from harness.run_context import RunContext
from harness.scenario.model import Scenario, Step
from harness.service.credentials import Credentials

T = TypeVar("T")
# How long a step waits when it names no `within` (seconds); the scenario's timeout bounds every wait too.
DEFAULT_CALL_WAIT = 15.0
DEFAULT_EVENT_WAIT = 5.0
PAGE_READY_WAIT = 15.0


class Run(Protocol):
    scenario: Scenario
    ctx: RunContext
    credentials: Credentials  # this run's own SDK key and secret on the service
    participants: dict[str, ParticipantPage]
    call_ids: Iterator[int]  # the ids of the harness's own SDK calls
    call_steps: dict[int, int]  # each call id and the step that made it
    reactions: list[tuple[ParticipantPage, Step, int]]  # armed on_event steps and their call ids
    # action -> its step handler (harness.steps.HANDLERS): a step that holds steps (together) runs them through it
    handlers: dict[str, Callable[[Run, ParticipantPage, Step], None]]

    def failure(self, step: Step, expected: str, *observed: str) -> ScenarioFailure:
        """The failure of `step`: what it expected, then what was observed, one line each."""
        ...

    def page(self, participant: ParticipantPage) -> Page:
        """The participant's page (opened before its first step)."""
        ...

    def remaining(self) -> float:
        """Seconds left of the scenario's timeout; a ScenarioFailure once it has run out."""
        ...

    def remaining_ms(self, cap: float) -> float:
        """A Playwright timeout: `cap` seconds, or less when the scenario's timeout is nearer."""
        ...

    def poll(self, participant: ParticipantPage, probe: Callable[[], T | None], wait: float) -> T | None:
        """Call `probe` until it returns a value or `wait` (and the scenario's timeout) runs out."""
        ...


Handler = Callable[[Run, ParticipantPage, Step], None]
