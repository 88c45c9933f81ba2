"""What a run's trace holds: lean by default (actions and console), whole when --tracing is given."""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from harness.artifacts import Artifacts
from harness.pool import BrowserPool
from harness.pytest_app import tracing_mode
from harness.service.server import SessionService


class Tracing:
    def __init__(self) -> None:
        self.started: dict[str, Any] | None = None

    def start(self, **options: Any) -> None:
        self.started = options


def config(*args: str, tracing: str = "off") -> Any:
    return SimpleNamespace(invocation_params=SimpleNamespace(args=args), getoption=lambda name: tracing)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ("retain-on-failure", False)),
        (("--tracing", "retain-on-failure"), ("retain-on-failure", True)),
        (("--tracing=on",), ("on", True)),
    ],
)
def test_tracing_mode_is_lean_only_when_not_asked_for(args: tuple[str, ...], expected: tuple[str, bool]) -> None:
    assert tracing_mode(config(*args, tracing=expected[0])) == expected


@pytest.mark.parametrize("detail", [False, True])
def test_the_trace_holds_snapshots_and_screencast_only_with_detail(tmp_path: Path, detail: bool) -> None:
    tracing = Tracing()
    Artifacts(tmp_path, "t", tracing="retain-on-failure", trace_detail=detail).start_trace(
        SimpleNamespace(tracing=tracing)  # type: ignore[arg-type]
    )
    assert tracing.started == {"screenshots": detail, "snapshots": detail}


def test_no_trace_is_started_when_tracing_is_off(tmp_path: Path) -> None:
    tracing = Tracing()
    Artifacts(tmp_path, "t", tracing="off").start_trace(SimpleNamespace(tracing=tracing))  # type: ignore[arg-type]
    assert tracing.started is None


@pytest.mark.parametrize("detail", [False, True])
def test_a_lean_trace_keeps_the_actions_without_their_call_stacks(
    tmp_path: Path, pool: BrowserPool, detail: bool
) -> None:
    """Playwright's client sends every call's Python stack while a context traces; a lean trace turns that off."""
    context = pool.get("chromium", (), light=True).new_context()
    try:
        artifacts = Artifacts(tmp_path, "t", tracing="retain-on-failure", trace_detail=detail)
        artifacts.start_trace(context)
        context.new_page().evaluate("1 + 1")
        assert artifacts.stop_trace(context, "alice", failed=True)
        assert stacks_counted(context) == 0
    finally:
        context.close()
    with zipfile.ZipFile(tmp_path / "t" / "trace-alice.zip") as trace:
        assert "evaluateExpression" in trace.read("trace.trace").decode()
        assert ("trace.stacks" in trace.namelist()) is detail


def stacks_counted(context: Any) -> int:
    """How many traces Playwright's client collects call stacks for (the count a lean trace gives back)."""
    return int(context.tracing._impl_obj._connection._tracing_count)


@pytest.mark.parametrize("detail", [False, True])
def test_a_kept_contexts_trace_runs_on_and_each_participant_gets_its_own_chunk(
    tmp_path: Path, pool: BrowserPool, service: SessionService, detail: bool
) -> None:
    """A lean trace runs on as chunks; a whole one starts afresh (its network recording would run on)."""
    context = pool.get("chromium", (), light=True).new_context()
    fresh = pool.get("chromium", (), light=True).new_context()
    try:
        artifacts = Artifacts(tmp_path, "t", tracing="retain-on-failure", trace_detail=detail)
        artifacts.start_trace(context)
        page = context.new_page()
        page.goto(f"{service.base_url}/pages/blank.html?alice")
        page.evaluate("() => 'alice was here'")
        assert artifacts.stop_trace(context, "alice", failed=False, going_on=True)
        artifacts.start_trace(context, going=True)
        page.evaluate("() => 'bob was here'")
        assert artifacts.stop_trace(context, "bob", failed=True, going_on=True)
        assert stacks_counted(context) == 0
        artifacts.start_trace(fresh, going=True)  # said to be going on, but not tracing: a new trace starts
        fresh.new_page().evaluate("() => 'carol was here'")
        assert artifacts.stop_trace(fresh, "carol", failed=True)
        assert stacks_counted(fresh) == 0
    finally:
        context.close()
        fresh.close()
    folder = tmp_path / "t"
    assert sorted(path.name for path in folder.iterdir()) == ["trace-bob.zip", "trace-carol.zip"]
    with zipfile.ZipFile(folder / "trace-bob.zip") as trace:
        actions = trace.read("trace.trace").decode()
        assert "bob was here" in actions and "alice was here" not in actions
        assert "alice" not in (trace.read("trace.network").decode() if "trace.network" in trace.namelist() else "")
    with zipfile.ZipFile(folder / "trace-carol.zip") as trace:
        assert "carol was here" in trace.read("trace.trace").decode()
