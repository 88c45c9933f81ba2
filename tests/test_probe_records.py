"""How the probe's records reach Python: a step's last round trip into the page brings them along, so the
checkpoint after the step asks the page again only when that round trip did not."""

from __future__ import annotations

from typing import Any

from browser_world import BrowserWorld

from harness.scenario.model import World

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
