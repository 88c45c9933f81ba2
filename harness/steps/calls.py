"""The harness's own SDK calls, shared by the step families that make them: start them in the page through
the probe's wrappers, wait for their settlement, and check it against the step's expectation."""

from __future__ import annotations

import time
from typing import Any

from harness.durations import format_duration
from harness.errors import HarnessError
from harness.expectations import near_misses, show_outcome, subset_match
from harness.participant import ParticipantPage
from harness.scenario.model import ErrorPattern, Step
from harness.steps.references import await_participants
from harness.steps.run import DEFAULT_CALL_WAIT, Run

SETTLE_WAIT = 1.0  # seconds one wait in the page lasts at most; then the harness checks its deadlines and asks again


START = "calls => calls.forEach(([id, path, args]) => window.__harness.start(id, path, args))"


def sdk_call(run: Run, participant: ParticipantPage, step: Step, path: str, args: list[Any]) -> dict[str, Any]:
    """One call, started and waited for in the same round trip into the page (then waited for again if need be)."""
    [call_id] = new_ids(run, step, 1)
    wait = step.within or DEFAULT_CALL_WAIT
    end = time.monotonic() + wait
    await_participants(run, participant, step, args, wait, end)
    return call_outcome(run, participant, step, path, call_id, wait, end, start=[path, args])


def new_ids(run: Run, step: Step, count: int) -> list[int]:
    ids = [next(run.call_ids) for _ in range(count)]
    for call_id in ids:
        run.call_steps[call_id] = step.index
    return ids


def start_calls(run: Run, participant: ParticipantPage, step: Step, calls: list[tuple[str, list[Any]]]) -> list[int]:
    """Start SDK calls, in order, in one task of the page (once it knows every participant they name); their ids
    for call_outcome."""
    wait = step.within or DEFAULT_CALL_WAIT
    await_participants(run, participant, step, [args for _, args in calls], wait, time.monotonic() + wait)
    ids = new_ids(run, step, len(calls))
    run.page(participant)
    participant.evaluate(START, [[call_id, path, args] for call_id, (path, args) in zip(ids, calls, strict=True)])
    return ids


def call_outcome(
    run: Run,
    participant: ParticipantPage,
    step: Step,
    path: str,
    call_id: int,
    wait: float,
    end: float,
    start: list[Any] | None = None,
) -> dict[str, Any]:
    """A started call's settlement, waited for until `end` (monotonic); `wait` is the bound it names. With
    `start` ([path, args]), the call is started by the first wait's round trip."""
    outcome = settled(run, participant, call_id, max(0.0, end - time.monotonic()), start)
    if outcome is None:
        raise run.failure(step, f"{path} neither resolved nor rejected within {format_duration(wait)}")
    if outcome["status"] == "harness-error":
        raise HarnessError(f"{step.location}: {outcome['message']}")
    return dict(outcome)


def settled(
    run: Run, participant: ParticipantPage, call_id: int, wait: float, start: list[Any] | None = None
) -> dict[str, Any] | None:
    """A started call's outcome as soon as the page has it (the page waits for it: one round trip, not a
    poll), or None once `wait` (or the scenario's timeout) ran out. The probe's new records come along. With
    `start` ([path, args]), the first round trip starts the call first."""
    run.page(participant)  # opened before its first step
    end = time.monotonic() + min(wait, run.remaining())
    while True:
        ms = round(max(0.0, min(end - time.monotonic(), SETTLE_WAIT)) * 1000)
        result: dict[str, Any] | None = participant.evaluate_draining(
            f"([id, ms, calls]) => {{ ({START})(calls); return window.__harness.settled(id, ms); }}",
            [call_id, ms, [] if start is None else [[call_id, *start]]],
        )
        start = None
        if result is not None:
            return result
        if time.monotonic() >= end:
            return None
        run.remaining()  # ends the run once the scenario's timeout ran out


def check_pending(run: Run, participant: ParticipantPage, step: Step, path: str, call_id: int, end: float) -> None:
    """`expect: pending`: the started call has neither resolved nor rejected by `end` (monotonic)."""
    outcome = settled(run, participant, call_id, max(0.0, end - time.monotonic()))
    if outcome is not None:
        raise run.failure(step, f"expected {path} to stay pending", f"observed: it {show_outcome(outcome)}")


def check_outcome(run: Run, step: Step, outcome: dict[str, Any]) -> None:
    status = outcome["status"]
    pattern = step.expect_error
    if pattern is None:
        if status != "resolved":
            raise run.failure(step, "expected the call to resolve", f"observed: it {show_outcome(outcome)}")
        check_value(run, step, outcome)
        return
    if status == "resolved":
        raise run.failure(
            step,
            f"expected a rejection with {pattern.describe()}",
            f"observed: it {show_outcome(outcome)}",
            *near_miss_lines(run, pattern),
        )
    if not pattern.matches(outcome.get("error") or {}):
        raise run.failure(
            step,
            f"expected a rejection with {pattern.describe()}",
            f"observed: it {show_outcome(outcome)}",
            *near_miss_lines(run, pattern),
        )


def check_value(run: Run, step: Step, outcome: dict[str, Any]) -> None:
    """`expect_value`: the value the call resolved (or returned) with contains the one expected."""
    expected = step.expect_value
    if expected is None or subset_match(expected.value, outcome.get("value")):
        return
    raise run.failure(
        step,
        f"expected the call to resolve with a value containing {expected.value!r}",
        f"observed: it {show_outcome(outcome)}",
    )


def near_miss_lines(run: Run, pattern: ErrorPattern) -> list[str]:
    errors = [record for p in run.participants.values() for record in p.sdk_errors()]
    lines = near_misses(pattern, errors)
    return [f"near miss: {line}" for line in lines]
