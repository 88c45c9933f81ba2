"""The HTML report (`--html-report PATH`): the code coverage matrices (exception codes, active-media-failed codes)
with each scenario's last result, and per scenario run one sentence saying what was reproduced in which world,
then a timeline of steps, faults, events and errors in the order they happened, one column per participant — a
picture a person reads faster than a log, and attaches to a ticket. One self-contained file, no scripts."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from harness.artifacts import timeline
from harness.catalog import describe
from harness.coverage import CodeCoverage, coverage, load_catalog, media_failed_coverage
from harness.errors import HarnessError
from harness.scenario.loader import load_scenario
from harness.scenario.model import Scenario, World

# Page and real clocks further apart than this make the report show the page's (virtual) time beside the real one.
CLOCKS_DIFFER_MS = 20.0

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}.covered{background:#e7f6e7}.missing{background:#fde8e8}
.unreachable{background:#f1f1f1;color:#666}.passed{color:#1a7f37}.failed{color:#c62828}.skipped{color:#8a6d00}
.t{color:#888;font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}.story{font-size:1.05em}.call{color:#1f4e99}.ok{color:#1a7f37}
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
    known = {s.name: s for folder in scenario_dirs for s in _catalog(folder)}
    for run in runs:
        parts.append(_timeline(run, _scenario_of(run, known)))
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _summary(runs: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.get("outcome", "?")] = counts.get(run.get("outcome", "?"), 0) + 1
    text = ", ".join(f"<span class={html.escape(k)}>{v} {html.escape(k)}</span>" for k, v in sorted(counts.items()))
    return f"<p>{len(runs)} scenario runs: {text or 'none'}</p>"


def _catalog(folder: Path) -> list[Scenario]:
    try:
        return load_catalog(folder)
    except HarnessError:
        return []


def _matrix(scenario_dirs: list[Path], last: dict[str, str]) -> str:
    first: dict[str, Scenario] = {}  # a name in several folders: the first folder's scenario, as runs resolve it
    for folder in scenario_dirs:
        for scenario in _catalog(folder):
            first.setdefault(scenario.name, scenario)
    scenarios = list(first.values())
    return _table("Code coverage", coverage(scenarios), last) + _table(
        "active-media-failed coverage", media_failed_coverage(scenarios), last
    )


def _table(heading: str, rows: list[CodeCoverage], last: dict[str, str]) -> str:
    lines = []
    for row in rows:
        names = " ".join(
            f"<span class={html.escape(last.get(n, ''))}>{html.escape(n)}"
            f"{' (' + html.escape(last[n]) + ')' if n in last else ''}</span>"
            for n in row.scenarios
        )
        lines.append(
            f"<tr class={row.status}><td>{row.code}</td><td>{html.escape(row.constant)}</td>"
            f"<td>{row.status}</td><td>{names or html.escape(row.reason)}</td></tr>"
        )
    head = "<tr><th>code</th><th>constant</th><th>status</th><th>scenarios (last result) / reason</th></tr>"
    return f"<h2>{html.escape(heading)}</h2><table>{head}{''.join(lines)}</table>"


def _scenario_of(run: dict[str, Any], known: dict[str, Scenario]) -> Scenario | None:
    """The run's scenario: from its file (a scenario written elsewhere, e.g. by `harness repro`), else by name."""
    if run.get("file"):
        try:
            return load_scenario(Path(run["file"]))
        except (HarnessError, OSError):
            pass
    return known.get(str(run.get("scenario")))


def _timeline(run: dict[str, Any], scenario: Scenario | None = None) -> str:
    participants = run["participants"]
    records = timeline(run["records"])
    start = float(records[0]["t"]) if records else 0.0
    page_start: dict[str, float] = {}
    for record in records:
        if "vt" in record:
            page_start.setdefault(str(record.get("participant")), float(record["vt"]) - (float(record["t"]) - start))
    virtual = any(
        abs(float(r["vt"]) - page_start[str(r.get("participant"))] - (float(r["t"]) - start)) > CLOCKS_DIFFER_MS
        for r in records
        if "vt" in r
    )
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
        page = ""
        if virtual:
            shown = float(record["vt"]) - page_start[str(record.get("participant"))] if "vt" in record else None
            page = f"<td class=t>{shown:.0f} ms</td>" if shown is not None else "<td class=t>—</td>"
        rows.append(f"<tr><td class=t>{float(record.get('t', start)) - start:.0f} ms</td>{page}{cells}</tr>")
    outcome = run.get("outcome", "?")
    message = f"<pre>{html.escape(run['message'])}</pre>" if run.get("message") else ""
    clocks = "<th>time</th><th>page clock (virtual)</th>" if virtual else "<th>time</th>"
    return (
        f"<h2 id='{html.escape(run['nodeid'])}'>{html.escape(run['variant'])} — "
        f"<span class={html.escape(outcome)}>{html.escape(outcome)}</span></h2>"
        f"<p class=story>{html.escape(story(run, scenario))}</p>"
        f"<p>{html.escape(run['summary'])}</p>{message}"
        f"<table><tr>{clocks}{head}</tr>{''.join(rows)}</table>"
    )


def story(run: dict[str, Any], scenario: Scenario | None) -> str:
    """One sentence: what the run reproduced (code, type, reason), on which browser, in which world."""
    browser = run.get("browser", "?")
    errors = _reproduced(run["records"])
    world = world_words(scenario) if scenario is not None else ""
    where = f" on {browser}" + (f", {world}" if world else "")
    if run.get("outcome") == "passed":
        if errors:
            return f"Reproduced {'; '.join(errors)}{where}."
        return f"Ran {run.get('scenario')}{where}: no SDK error was expected, and none came."
    observed = "; ".join(errors) or "no SDK error from its steps"
    return f"Not reproduced ({run.get('outcome')}){where}: observed {observed}."


def _reproduced(records: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for record in timeline(records):
        error = record.get("error")
        if record.get("kind") == "settle" and record.get("step") and isinstance(error, dict):
            parts = [describe(error["errorCode"]) if "errorCode" in error else str(error.get("name", "an error"))]
            parts += [f"{k} {error[k]!r}" for k in ("type", "reason", "subCode") if error.get(k) is not None]
            found.append(" ".join(parts[:1]) + (f" ({', '.join(parts[1:])})" if parts[1:] else ""))
        elif record.get("kind") == "event" and record.get("name") == "active-media-failed":
            payload = record.get("payload") or {}
            found.append(f"active-media-failed {payload.get('code')} ({payload.get('type')!r})")
    return list(dict.fromkeys(found))


def world_words(scenario: Scenario) -> str:
    """The world the scenario set up, in words: its `given`, then each fault and the step it came at."""
    given = _world(scenario.given, before_load=True)
    for participant in scenario.participants:
        extra = [w for w in _world(participant.given, before_load=True) if w not in given]
        if extra and len(scenario.participants) > 1:
            given.append(f"for {participant.name}: {', '.join(extra)}")
    faults = [f"at step {s.index} {', '.join(_world(s.params))}" for s in scenario.steps if s.action == "fault"]
    parts = [f"with {', '.join(given)}" if given else "in the ordinary world"]
    if faults:
        parts.append("then " + "; ".join(faults))
    return ", ".join(parts)


_STATES = {
    "denied-by-system": "blocked by the operating system",
    "prompt-dismissed": "prompt dismissed",
    "busy": "held by another program",
    "unlisted": "left out of the device list",
    "drops-when-started": "dropping off when started",
}


def _world(world: World, before_load: bool = False) -> list[str]:
    # Granted and present are the ordinary world: said only when a fault brings them back.
    ordinary = ("granted", "present") if before_load else ()
    words = [
        f"{kind} permission {_STATES.get(state, state)}"
        for kind, state in world.permissions.items()
        if state not in ordinary
    ]
    for kind, state in world.devices.items():
        count = world.device_counts.get(kind, 1)
        if count > 1:
            words.append(f"{count} {kind}s" + ("" if state == "present" else f" {_STATES.get(state, state)}"))
        elif state not in ordinary:
            words.append(f"no {kind}" if state == "absent" else f"{kind} {_STATES.get(state, state)}")
    if world.network:
        words.append(
            {"blackhole": "the network silently dropping traffic"}.get(world.network, f"network {world.network}")
        )
    if world.conditions is not None:
        words.append(f"{world.conditions.latency * 1000:.0f} ms latency")
    for fault in world.http:
        answer = (
            f"failing ({fault.abort})" if fault.abort else "restored" if fault.restore else f"answered {fault.status}"
        )
        words.append(f"requests to {fault.url} {answer}")
    if world.websocket is not None:
        words.append(f"WebSockets {world.websocket.url} closed with {world.websocket.code}")
    words += [f"a firewall with the {target} servers {state}" for target, state in world.firewall.items()]
    words += [f"no {key.replace('_', ' ')}" for key, on in world.platform.items() if not on]
    if "os" in world.system:
        words.append(f"a {world.system['os']} computer")
    if "cpu_cores" in world.system:
        words.append(f"{world.system['cpu_cores']} CPU cores")
    if world.assets == "blocked":
        words.append("the SDK's assets blocked")
    if world.account:
        words.append(f"account {world.account!r}")
    if world.session is not None:
        action = world.session
        words.append(
            f"the host removing {action.remove}"
            if action.remove
            else "the host ending the session"
            if action.end
            else "account switches changed"
        )
    return words


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
