"""Per-run artifacts: the probe's records, the console, the service's log, screenshots on failure.

Like pytest-playwright's artifacts recorder, this is handed what it keeps (each context as it starts and
stops, and at the end a `RunOutput`); it never reaches into the run. Artifact errors are reported (as a
warning line in the run's folder and on stderr), never swallowed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError


class ParticipantOutput(Protocol):
    """What artifacts keep of one participant (`participant.ParticipantPage` is one)."""

    name: str
    records: list[dict[str, Any]]  # the probe's records: calls, settlements, events, faults
    console: list[str]
    page_errors: list[str]
    page: Page | None


@dataclass(frozen=True, slots=True)
class RunOutput:
    """What a finished run hands its artifacts."""

    participants: Sequence[ParticipantOutput]
    service_log: Sequence[dict[str, Any]]  # the session service's log lines of this run
    failed: bool


def _next_chunk(context: BrowserContext) -> bool:
    """A new chunk of the trace the context's last participant left running; False when none was running."""
    try:
        context.tracing.start_chunk()
    except PlaywrightError:
        return False
    return True


def _without_call_stacks(context: BrowserContext) -> None:
    """A lean trace records no call stacks. While any context traces, Playwright's client sends the Python stack of
    every call to its driver, to be saved as the trace's `trace.stacks` (the viewer's Source tab): over the catalog
    that was a fifth of the harness's and the driver's CPU (measured). Each action keeps its file and line without
    it. Playwright has no option for this, so the trace's own stack counter is given back right after the start,
    as its stop would give it back; on a client without that counter, stacks are recorded as before."""
    tracing = getattr(context.tracing, "_impl_obj", None)
    connection = getattr(tracing, "_connection", None)
    if getattr(tracing, "_is_tracing", None) is True and callable(getattr(connection, "set_is_tracing", None)):
        tracing._is_tracing = False  # type: ignore[union-attr]
        connection.set_is_tracing(False)  # type: ignore[union-attr]


def folder_name(test_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", test_id).strip("-")[:120] or "scenario"


class Artifacts:
    def __init__(
        self,
        root: Path | None,
        test_id: str,
        screenshot: str = "only-on-failure",
        tracing: str = "off",
        trace_detail: bool = True,
    ) -> None:
        self.folder = root / folder_name(test_id) if root is not None else None
        self.screenshot = screenshot
        self.tracing = tracing if self.folder is not None else "off"  # on | off | retain-on-failure
        # With detail, a trace also holds the network, DOM snapshots and a screencast: about a quarter of a
        # run's CPU (measured over the catalog on two cores). Without, the actions and the console.
        self.trace_detail = trace_detail
        self.problems: list[str] = []

    def start_trace(self, context: BrowserContext, *, snapshots: bool = True, going: bool = False) -> None:
        """`snapshots=False` for a page nobody may have interacted with: Playwright takes DOM snapshots through
        its evaluate, which counts as a user gesture in Chromium (measured). `going`: a kept context, whose lean
        trace the last participant left running (`stop_trace(going_on=True)`); this participant's is a new chunk of
        it. A whole trace starts afresh: its network recording would run on from chunk to chunk."""
        if self.tracing == "off":
            return
        try:
            if not (going and not self.trace_detail and _next_chunk(context)):
                context.tracing.start(screenshots=self.trace_detail, snapshots=self.trace_detail and snapshots)
        except PlaywrightError as error:
            self.report(f"could not start the Playwright trace: {str(error).splitlines()[0]}")
            return
        if not self.trace_detail:
            _without_call_stacks(context)

    def stop_trace(self, context: BrowserContext, participant: str, failed: bool, *, going_on: bool = False) -> bool:
        """Keep the trace as trace-<participant>.zip (open it with `playwright show-trace`) when asked to. False
        when the trace could not be stopped (the context may still be tracing). `going_on`: the context may be
        kept for another participant, so only this participant's chunk of a lean trace ends."""
        if self.tracing == "off":
            return True
        kept = self.tracing == "on" or failed
        path = self.folder / f"trace-{participant}.zip" if self.folder is not None and kept else None
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            if going_on and not self.trace_detail:
                context.tracing.stop_chunk(path=path)
            else:
                context.tracing.stop(path=path)
        except PlaywrightError as error:
            self.report(f"could not save the trace of {participant}: {str(error).splitlines()[0]}")
            return False
        return True

    def write_run(self, run: RunOutput) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            records = timeline([r for p in run.participants for r in p.records])
            _write_lines(self.folder / "events.jsonl", records)
            console = [f"[{p.name}] {line}" for p in run.participants for line in p.console]
            errors = [f"[{p.name}] pageerror: {line}" for p in run.participants for line in p.page_errors]
            (self.folder / "console.txt").write_text("\n".join(console + errors) + "\n", encoding="utf-8")
            _write_lines(self.folder / "service-log.jsonl", run.service_log)
        except OSError as error:
            self.report(f"could not write artifacts to {self.folder}: {error}")
            return
        # A failure always keeps its screenshots (pytest-playwright's --screenshot defaults to "off", which
        # we read as "not for passing runs"); --screenshot on keeps them for every run.
        if run.failed or self.screenshot == "on":
            for participant in run.participants:
                if participant.page is None or participant.page.is_closed():
                    continue
                target = self.folder / f"screenshot-{participant.name}.png"
                try:
                    participant.page.screenshot(path=str(target), timeout=5000)
                except PlaywrightError as error:
                    self.report(f"screenshot of {participant.name} failed: {str(error).splitlines()[0]}")

    def write_summary(self, summary: dict[str, Any]) -> None:
        """run.json: the run's steps and records, read back for the HTML report (also under pytest-xdist)."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / "run.json").write_text(json.dumps(summary, default=str), encoding="utf-8")
        except OSError as error:
            self.report(f"could not write {self.folder / 'run.json'}: {error}")

    def report(self, message: str) -> None:
        self.problems.append(message)
        print(f"harness: artifact problem: {message}", file=sys.stderr)


def timeline(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records in the order things happened, page and harness alike.

    Every record's `t` is real time: the probe reads the real clock even when the page runs on a virtual one
    (the page's own clock is `vt`), and the harness stamps a fault before it acts. Ties go to the harness's
    record (a fault comes before what it causes), then to the page's own sequence.
    """
    return sorted(records, key=_order)


def _order(record: dict[str, Any]) -> tuple[float, int, int]:
    from_page = "seq" in record
    return (float(record.get("t", 0)), int(from_page), int(record.get("seq", 0)))


def _write_lines(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(row, default=str) + "\n" for row in rows), encoding="utf-8")
