"""The HTML report (`--html-report PATH`): the code coverage matrix with each scenario's last result, and
per scenario run a timeline of steps, faults, events and errors, one column per participant — a picture a
person reads faster than a log. One self-contained file, no scripts."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from harness.catalog import describe
from harness.coverage import coverage, load_catalog

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}.covered{background:#e7f6e7}.missing{background:#fde8e8}
.unreachable{background:#f1f1f1;color:#666}.passed{color:#1a7f37}.failed{color:#c62828}.skipped{color:#8a6d00}
.t{color:#888;font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}.call{color:#1f4e99}.ok{color:#1a7f37}
.err{color:#c62828;font-weight:600}.event{color:#6a3d9a}.fault{color:#b35900;font-weight:600}
pre{background:#fafafa;border:1px solid #eee;padding:.5em;white-space:pre-wrap}
"""


def write_report(path: Path, runs: list[dict[str, Any]], scenario_dirs: list[Path]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    last = {run["scenario"]: run.get("outcome", "?") for run in runs}
    parts = ["<!doctype html><meta charset=utf-8><title>Zoom Video SDK scenarios</title>", f"<style>{STYLE}</style>"]
    parts.append("<h1>Zoom Video SDK error scenarios</h1>")
    parts.append(_summary(runs))
    parts.append(_matrix(scenario_dirs, last))
    for run in runs:
        parts.append(_timeline(run))
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _summary(runs: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.get("outcome", "?")] = counts.get(run.get("outcome", "?"), 0) + 1
    text = ", ".join(f"<span class={html.escape(k)}>{v} {html.escape(k)}</span>" for k, v in sorted(counts.items()))
    return f"<p>{len(runs)} scenario runs: {text or 'none'}</p>"


def _matrix(scenario_dirs: list[Path], last: dict[str, str]) -> str:
    rows = []
    scenarios = [s for folder in scenario_dirs for s in load_catalog(folder)] if scenario_dirs else []
    for row in coverage(scenarios):
        names = " ".join(
            f"<span class={html.escape(last.get(n, ''))}>{html.escape(n)}"
            f"{' (' + html.escape(last[n]) + ')' if n in last else ''}</span>"
            for n in row.scenarios
        )
        rows.append(
            f"<tr class={row.status}><td>{row.code}</td><td>{html.escape(row.constant)}</td>"
            f"<td>{row.status}</td><td>{names or html.escape(row.reason)}</td></tr>"
        )
    head = "<tr><th>code</th><th>constant</th><th>status</th><th>scenarios (last result) / reason</th></tr>"
    return f"<h2>Code coverage</h2><table>{head}{''.join(rows)}</table>"


def _timeline(run: dict[str, Any]) -> str:
    participants = run["participants"]
    records = run["records"]
    start = float(records[0]["t"]) if records else 0.0
    steps = {step["index"]: step for step in run["steps"]}
    head = "".join(f"<th>{html.escape(p)}</th>" for p in participants)
    rows = []
    app = bool(run.get("app"))  # app mode: the app's own calls are part of the story, shown as they happen
    for record in records:
        cell = _cell(record, steps, app)
        if cell is None:
            continue
        column = participants.index(record["participant"]) if record.get("participant") in participants else 0
        cells = "".join(f"<td>{cell if i == column else ''}</td>" for i in range(len(participants)))
        rows.append(f"<tr><td class=t>{float(record.get('t', start)) - start:.0f} ms</td>{cells}</tr>")
    outcome = run.get("outcome", "?")
    message = f"<pre>{html.escape(run['message'])}</pre>" if run.get("message") else ""
    return (
        f"<h2 id='{html.escape(run['nodeid'])}'>{html.escape(run['variant'])} — "
        f"<span class={html.escape(outcome)}>{html.escape(outcome)}</span></h2>"
        f"<p>{html.escape(run['summary'])}</p>{message}"
        f"<table><tr><th>time</th>{head}</tr>{''.join(rows)}</table>"
    )


def _cell(record: dict[str, Any], steps: dict[int, dict[str, Any]], app: bool = False) -> str | None:
    kind = record.get("kind")
    by_app = "" if record.get("step") else " (called by the app)"
    if kind == "call":
        if by_app and not app:
            return None  # the sample app's own calls show only when they fail
        return f"<span class=call>→ {html.escape(record['target'])}.{html.escape(record['method'])}{by_app}</span>"
    if kind == "settle":
        if record.get("status") == "resolved":
            if by_app and not app:
                return None
            name = f"{html.escape(record['target'])}.{html.escape(record['method'])}"
            return f"<span class=ok>✓ {name} resolved{by_app}</span>"
        error = record.get("error") or {}
        code = describe(error.get("errorCode")) if isinstance(error, dict) and "errorCode" in error else "no code"
        detail = {
            k: error.get(k)
            for k in ("type", "reason", "subCode", "name", "message")
            if isinstance(error, dict) and error.get(k) is not None
        }
        return (
            f"<span class=err>✗ {html.escape(record['target'])}.{html.escape(record['method'])} "
            f"{html.escape(record['status'])}{by_app}: {html.escape(code)} {html.escape(json.dumps(detail))}</span>"
        )
    if kind == "event":
        payload = json.dumps(record.get("payload"))
        payload = payload if len(payload) <= 160 else payload[:157] + "…"
        return f"<span class=event>◆ {html.escape(record['name'])} {html.escape(payload)}</span>"
    if kind == "fault":
        families = html.escape(", ".join(record.get("families", [])))
        step = steps.get(record.get("step", 0), {})
        return f"<span class=fault>⚡ fault ({families}) at step {step.get('index', '?')}</span>"
    return None
