"""What a pytest run of scenarios leaves behind it: `last-results.json` for `harness coverage`, the runs'
timelines for the HTML report, and the variants whose outcome changed between `--repeat` runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def run_summaries(output: Path, since: float) -> list[dict[str, Any]]:
    """The timelines this session's runs left in their artifact folders (workers' too, under pytest-xdist)."""
    found = []
    for path in sorted(output.glob("*/run.json")):
        try:
            if path.stat().st_mtime >= since:
                found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return found


def write_last_results(output: Path, reports: dict[str, tuple[str, str]]) -> None:
    """`<output>/last-results.json`: scenario name -> outcome of its latest run, for `harness coverage`."""
    if not reports:
        return
    latest: dict[str, str] = {}
    for nodeid, (outcome, _) in reports.items():
        name = nodeid.split("::")[-1].split("[")[0]
        latest[name] = outcome if latest.get(name) in (None, "passed", "skipped") else latest[name]
    try:
        output.mkdir(parents=True, exist_ok=True)
        (output / "last-results.json").write_text(json.dumps(latest, indent=1, sort_keys=True), encoding="utf-8")
    except OSError as error:
        print(f"harness: artifact problem: could not write {output / 'last-results.json'}: {error}", file=sys.stderr)


def flaky_variants(outcomes: dict[str, list[str]]) -> dict[str, list[str]]:
    """The scenario variants (scenario, browser, SDK) whose outcome changed between --repeat runs."""
    return {variant: seen for variant, seen in outcomes.items() if len(set(seen)) > 1}


def repeat_lines(outcomes: dict[str, list[str]], repeat: int) -> list[str]:
    """The --repeat section: that no scenario changed outcome, or each one that did."""
    flaky = flaky_variants(outcomes)
    if not flaky:
        total = sum(len(seen) for seen in outcomes.values())
        return [f"--repeat: no scenario changed outcome ({len(outcomes)} scenarios, {total} runs, up to {repeat} each)"]
    return [
        f"FLAKY {variant}: {', '.join(f'{seen.count(o)} {o}' for o in sorted(set(seen)))}"
        for variant, seen in sorted(flaky.items())
    ]
