"""A reference to a participant ({$userId: gina}) in a wait_for_event's match or a call's arguments: resolved as
the page learns of her, within the step's own wait, and one line naming the reference when it never does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harness.errors import HarnessError
from harness.scenario.loader import parse_scenario
from harness.steps.events import wait_for_event
from harness.steps.sdk import call

SCENARIO = """name: refs
participants:
  host: {role: host}
  gina: {role: attendee}
steps:
  - join: {topic: refs, name: hal}
  - join: {topic: refs, name: gina}
    as: gina
  - wait_for_event: {name: peer-video-state-change, match: {action: Start, userId: {$userId: gina}}}
    within: 2s
  - call: client.makeHost
    args: [{$userId: gina}]
    within: 2s
"""
GINA_UNKNOWN = {"harness-error": '{$userId: "gina"}: no such participant in the session (there: hal)', "pending": True}
NO_GETTER = {"harness-error": "the SDK client has no getNothing()", "pending": False}


class Host:
    """The waiting participant's page: it hears of gina after `learns` round trips (her join still reaching it)."""

    def __init__(self, learns: int | None, unknown: dict[str, Any] = GINA_UNKNOWN) -> None:
        self.learns, self.unknown, self.asked, self.event_cursor = learns, unknown, 0, 0

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        self.asked += 1
        if self.learns is None or self.asked <= self.learns:
            return self.unknown
        return {"action": "Start", "userId": 7}

    def refresh(self) -> None:
        pass

    def events(self) -> list[dict[str, Any]]:
        other = {"name": "peer-video-state-change", "payload": {"action": "Start", "userId": 9}}
        gina = {"name": "peer-video-state-change", "payload": {"action": "Start", "userId": 7}}
        return [other, gina] if self.learns is not None and self.asked > self.learns else [other]


class Run:
    """A poll that asks its probe five times (each time the page changed), then gives up."""

    def page(self, participant: Host) -> None:
        pass

    def poll(self, participant: Host, probe: Callable[[], Any], wait: float) -> Any:
        for _ in range(5):
            if (value := probe()) is not None:
                return value
        return None

    def failure(self, step: Any, expected: str, observed: str) -> AssertionError:
        return AssertionError(f"{expected}; {observed}")


def step() -> Any:
    return parse_scenario(SCENARIO, "refs").steps[2]


def test_a_participant_the_page_hears_of_during_the_wait_is_resolved_then() -> None:
    host = Host(learns=2)
    wait_for_event(Run(), host, step())  # type: ignore[arg-type]
    assert host.event_cursor == 2, "gina's event, not the other participant's"


def test_a_participant_the_page_never_hears_of_is_one_line_naming_the_reference() -> None:
    host = Host(learns=None)
    with pytest.raises(HarnessError, match=r"refs:9:5: \{\$userId: \"gina\"\}: no such .*, still unknown after 2s$"):
        wait_for_event(Run(), host, step())  # type: ignore[arg-type]
    assert host.asked == 5, "asked again each time the page changed, until the wait ran out"


def test_a_reference_the_page_can_never_resolve_fails_at_once() -> None:
    host = Host(learns=None, unknown=NO_GETTER)
    with pytest.raises(HarnessError, match=r"^refs:9:5: the SDK client has no getNothing\(\)$"):
        wait_for_event(Run(), host, step())  # type: ignore[arg-type]
    assert host.asked == 1


class CallingHost(Host):
    """The calling participant's page: it knows gina after `learns` questions; the call starts in the next round trip."""

    def __init__(self, learns: int | None, unknown: dict[str, Any] = GINA_UNKNOWN) -> None:
        super().__init__(learns, unknown)
        self.started: list[Any] = []

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        self.asked += 1
        return True if self.learns is not None and self.asked > self.learns else self.unknown

    def evaluate_draining(self, expression: str, arg: Any = None) -> Any:
        self.started.extend(arg[2])
        return {"status": "resolved", "value": None}


class CallRun(Run):
    def __init__(self) -> None:
        self.call_ids = iter(range(1, 100))
        self.call_steps: dict[int, int] = {}

    def remaining(self) -> float:
        return 10.0


def call_step() -> Any:
    return parse_scenario(SCENARIO, "refs").steps[3]


def test_a_call_naming_a_participant_starts_once_the_page_has_heard_of_her() -> None:
    host = CallingHost(learns=2)
    call(CallRun(), host, call_step())  # type: ignore[arg-type]
    assert host.asked == 3, "asked until the page knew gina"
    assert host.started == [[1, "client.makeHost", [{"$userId": "gina"}]]], "then started, once"


def test_a_call_naming_a_participant_the_page_never_hears_of_is_one_line_and_never_starts() -> None:
    host = CallingHost(learns=None)
    with pytest.raises(HarnessError, match=r"refs:11:5: \{\$userId: \"gina\"\}: no such .*, still unknown after 2s$"):
        call(CallRun(), host, call_step())  # type: ignore[arg-type]
    assert host.started == []


def test_a_call_whose_reference_can_never_resolve_fails_at_once() -> None:
    host = CallingHost(learns=None, unknown=NO_GETTER)
    with pytest.raises(HarnessError, match=r"^refs:11:5: the SDK client has no getNothing\(\)$"):
        call(CallRun(), host, call_step())  # type: ignore[arg-type]
    assert (host.asked, host.started) == (1, [])
