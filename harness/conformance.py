"""Conformance: run each scenario valid for both implementations on the double and on the real
@zoom/videosdk, and compare what was observed, field by field.

What is compared, per participant and in order: every step's SDK call (how it settled, and for a
rejection its errorCode, type, reason, subCode, and a raw exception's name and message), and every SDK
event (name and payload, without fields that differ from run to run by nature: ids and timestamps).
Whether the scenario's own expectations held is reported too; a difference anywhere fails.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from harness.errors import ScenarioFailure
from harness.runner import RunContext, ScenarioRun, needs_zoom, zoom_credentials
from harness.scenario.model import Scenario

ERROR_FIELDS = ("errorCode", "type", "reason", "subCode", "name", "message")
# Fields that identify a run rather than describe behaviour.
VOLATILE = frozenset({"userId", "timestamp", "msgid", "id", "t", "vt", "seq", "conID", "senderId", "sessionId"})


@dataclass
class Observation:
    sdk: str
    calls: list[tuple[str, int, str, str, tuple[tuple[str, Any], ...]]] = field(default_factory=list)
    events: list[tuple[str, str, Any]] = field(default_factory=list)
    outcome: str = "passed"


def observe(scenario: Scenario, ctx: RunContext) -> Observation:
    run = ScenarioRun(scenario, ctx)
    seen = Observation(ctx.sdk.name)
    try:
        run.run()
    except ScenarioFailure as failure:
        lines = [line.strip() for line in str(failure).splitlines()]
        seen.outcome = "failed: " + ("; ".join(lines[1:3]) if len(lines) > 1 else lines[0])
    for participant in run.participants.values():
        for record in participant.records:
            if record["kind"] == "settle" and record.get("step"):
                error = record.get("error") or {}
                fields = tuple((key, error[key]) for key in ERROR_FIELDS if isinstance(error, dict) and key in error)
                target = f"{record['target']}.{record['method']}"
                seen.calls.append((participant.name, _step_of(run, record), target, record["status"], fields))
            elif record["kind"] == "event":
                seen.events.append((participant.name, record["name"], _stable(record["payload"])))
    return seen


def _step_of(run: ScenarioRun, record: dict[str, Any]) -> int:
    return int(run.call_steps.get(record["step"], 0))


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in sorted(value.items()) if key not in VOLATILE}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    return value


def differences(double: Observation, real: Observation) -> list[str]:
    """Every way the two observations differ, one line each, in a person's words (each side named by its SDK)."""
    found = []
    a, b = double.sdk, real.sdk
    if double.outcome != real.outcome:
        found.append(f"scenario outcome: {a} {double.outcome!r}, {b} {real.outcome!r}")
    for index in range(max(len(double.calls), len(real.calls))):
        left = double.calls[index] if index < len(double.calls) else None
        right = real.calls[index] if index < len(real.calls) else None
        if left != right:
            found.append(f"call #{index + 1}: {a} {_show_call(left)}; {b} {_show_call(right)}")
    for name in sorted({event[1] for event in double.events + real.events}):
        ours = [e for e in double.events if e[1] == name]
        theirs = [e for e in real.events if e[1] == name]
        if ours != theirs:
            found.append(f"event {name}: {a} {[(e[0], e[2]) for e in ours]}; {b} {[(e[0], e[2]) for e in theirs]}")
    return found


def _show_call(call: tuple[str, int, str, str, tuple[tuple[str, Any], ...]] | None) -> str:
    if call is None:
        return "(no such call)"
    participant, step, target, status, fields = call
    details = ", ".join(f"{key}={value!r}" for key, value in fields)
    return f"[{participant}] step {step} {target} {status}" + (f" ({details})" if details else "")


def shared_scenarios(scenarios: list[Scenario]) -> list[Scenario]:
    """The scenarios valid for both implementations that can run here: without Zoom credentials, only
    those that never need to be in a session (the real SDK would need Zoom's servers for that)."""
    online = zoom_credentials() is not None
    return [s for s in scenarios if {"double", "real"} <= set(s.sdk) and (online or not needs_zoom(s))]


def check(scenario: Scenario, make_context: Any, real_sdk: str = "real") -> list[str]:
    """Run `scenario` on the double and on `real_sdk` (`real`, `real@X.Y.Z`); `make_context(sdk_name)` gives a
    fresh RunContext."""
    double = observe(scenario, make_context("double"))
    real = observe(scenario, make_context(real_sdk))
    return differences(double, real)


@contextlib.contextmanager
def run_contexts(browser: str) -> Iterator[Callable[[str], RunContext]]:
    """A session service and browsers for a series of runs; yields `make_context(sdk_name)`."""
    from playwright.sync_api import sync_playwright

    from harness.artifacts import Artifacts
    from harness.pool import BrowserPool
    from harness.runner import SdkProfile
    from harness.service.server import SessionService

    service = SessionService().start()
    try:
        with sync_playwright() as playwright:
            pool = BrowserPool(playwright, None, headless=True)
            try:
                yield lambda sdk: RunContext(pool, service, browser, SdkProfile.named(sdk), Artifacts(None, "c"))
            finally:
                pool.close()
    finally:
        service.stop()
