"""How the probe's records reach Python: a step's last round trip into the page brings them along, so the
checkpoint after the step asks the page again only when that round trip did not."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

from browser_world import BrowserWorld

from harness.scenario.model import World
from harness.steps.calls import sdk_call

STUB = """() => { window.__harness = { records: [{kind: 'event', name: 'first'}],
                                      drain() { return this.records.splice(0, this.records.length); } }; }"""


def test_a_draining_round_trip_brings_the_records_and_saves_the_checkpoint_its_drain(world: BrowserWorld) -> None:
    page, participant = world.page(World())
    page.evaluate(STUB)
    asked: list[str] = []
    evaluate = participant.evaluate

    def counted(expression: str, arg: Any = None) -> Any:
        asked.append(expression)
        return evaluate(expression, arg)

    participant.evaluate = counted  # type: ignore[method-assign]
    assert participant.evaluate_draining("x => Promise.resolve(x + 1)", 1) == 2
    assert [(r["name"], r["participant"]) for r in participant.records] == [("first", "me")]
    participant.refresh()
    assert len(asked) == 1  # the records came along: the checkpoint asks nothing

    page.evaluate("() => window.__harness.records.push({kind: 'event', name: 'second'})")
    participant.evaluate("() => 0")
    participant.refresh()
    assert len(asked) == 3  # a plain round trip brought nothing: the checkpoint drains
    assert [r["name"] for r in participant.events()] == ["first", "second"]


class OneCall:
    """A participant whose page answers the first wait with `answers[0]`, the next with `answers[1]`..."""

    def __init__(self, *answers: Any) -> None:
        self.answers, self.asked, self.drained = list(answers), [], False

    def evaluate_draining(self, expression: str, arg: Any = None) -> Any:
        self.asked.append(arg)
        return self.answers.pop(0)


class Run:
    def __init__(self) -> None:
        self.call_ids = itertools.count(1)
        self.call_steps: dict[int, int] = {}

    def page(self, participant: Any) -> None:
        participant.drained = False

    def remaining(self) -> float:
        return 30.0


def test_a_call_is_started_by_the_round_trip_that_waits_for_it_and_never_started_again() -> None:
    step = SimpleNamespace(within=None, index=3)
    resolved = {"status": "resolved", "value": None}
    at_once = OneCall(resolved)
    assert sdk_call(Run(), at_once, step, "stream.startVideo", [])["status"] == "resolved"  # type: ignore[arg-type]
    [(call_id, _, started)] = at_once.asked
    assert started == [[call_id, "stream.startVideo", []]]
    later = OneCall(None, resolved)  # still pending after the first wait: the second only waits
    sdk_call(Run(), later, step, "stream.startAudio", [])  # type: ignore[arg-type]
    assert [len(started) for _, _, started in later.asked] == [1, 0]
