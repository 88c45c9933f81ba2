"""Per-run artifacts: the probe's records, the console, the service's log, screenshots on failure.

Artifact errors are reported (as a warning line in the run's folder and on stderr), never swallowed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

if TYPE_CHECKING:
    from harness.runner import ScenarioRun


def folder_name(test_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", test_id).strip("-")[:120] or "scenario"


class Artifacts:
    def __init__(
        self, root: Path | None, test_id: str, screenshot: str = "only-on-failure", tracing: str = "off"
    ) -> None:
        self.folder = root / folder_name(test_id) if root is not None else None
        self.screenshot = screenshot
        self.tracing = tracing if self.folder is not None else "off"  # on | off | retain-on-failure
        self.problems: list[str] = []

    def start_trace(self, context: BrowserContext) -> None:
        if self.tracing == "off":
            return
        try:
            context.tracing.start(screenshots=True, snapshots=True)
        except PlaywrightError as error:
            self.report(f"could not start the Playwright trace: {str(error).splitlines()[0]}")

    def stop_trace(self, context: BrowserContext, participant: str, failed: bool) -> None:
        """Keep the trace as trace-<participant>.zip (open it with `playwright show-trace`) when asked to."""
        if self.tracing == "off":
            return
        keep = self.folder is not None and (self.tracing == "on" or failed)
        try:
            if keep and self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True)
                context.tracing.stop(path=str(self.folder / f"trace-{participant}.zip"))
            else:
                context.tracing.stop()
        except PlaywrightError as error:
            self.report(f"could not save the trace of {participant}: {str(error).splitlines()[0]}")

    def write_run(self, run: ScenarioRun, failed: bool) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            records = sorted((r for p in run.participants.values() for r in p.records), key=_order)
            _write_lines(self.folder / "events.jsonl", records)
            console = [f"[{p.name}] {line}" for p in run.participants.values() for line in p.console]
            errors = [f"[{p.name}] pageerror: {line}" for p in run.participants.values() for line in p.page_errors]
            (self.folder / "console.txt").write_text("\n".join(console + errors) + "\n", encoding="utf-8")
            _write_lines(self.folder / "service-log.jsonl", run.ctx.service.log_since(run.log_start))
        except OSError as error:
            self.report(f"could not write artifacts to {self.folder}: {error}")
            return
        # A failure always keeps its screenshots (pytest-playwright's --screenshot defaults to "off", which
        # we read as "not for passing runs"); --screenshot on keeps them for every run.
        if failed or self.screenshot == "on":
            for participant in run.participants.values():
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


def _order(record: dict[str, Any]) -> tuple[float, int]:
    return (float(record.get("t", 0)), int(record.get("seq", 0)))


def _write_lines(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(row, default=str) + "\n" for row in rows), encoding="utf-8")
