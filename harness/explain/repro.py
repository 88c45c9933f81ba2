"""`harness repro`: a scenario file for one customer report, adapted from the best-fitting catalog scenario to the
customer's browser and computer, and after a run the verdict: reproduced as reported, or what was observed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.catalog import describe as describe_code
from harness.errors import HarnessError
from harness.explain.answers import Explanation
from harness.explain.matching import Match
from harness.explain.scenarios import CatalogScenario, catalog

OSES = ("windows", "macos", "linux", "android", "ios")
BROWSERS = ("chromium", "firefox")
QUOTED_LINES = 30
_OS_WORDS = (
    ("android", r"\bandroid\b"),
    ("ios", r"\b(?:ios|iphone|ipad)\b"),
    ("windows", r"\bwindows\b|\bwin ?1[01]\b"),
    ("macos", r"\bmac ?os\b|\bmacbook\b|\bos x\b|\bmac\b"),
    ("linux", r"\blinux\b|\bubuntu\b"),
)


@dataclass(frozen=True, slots=True)
class Expected:
    """What the run must show for the report to count as reproduced."""

    space: str  # videosdk (a rejection's errorCode) | active-media-failed (the event's code)
    code: int
    sub_code: int | None
    because: str  # why that is what the report means, when it did not state it: "" when it did


@dataclass(frozen=True, slots=True)
class Repro:
    match: Match
    scenario: CatalogScenario
    browser: str
    os: str | None
    path: Path
    expected: Expected | None


def customer_os(text: str, given: str | None) -> str | None:
    if given is not None:
        if given not in OSES:
            raise HarnessError(f"unknown --os {given!r}: choose one of {', '.join(OSES)}")
        return given
    lowered = text.lower()
    return next((name for name, pattern in _OS_WORDS if re.search(pattern, lowered)), None)


def choose(
    explanation: Explanation, browser: str | None, folder: Path | None = None
) -> tuple[Match, CatalogScenario, str]:
    """The best answer that has a scenario valid on the customer's browser, that scenario, and the browser. A
    report that names no browser takes the first browser (of BROWSERS) that one of the answers has a scenario for."""
    known = catalog(folder)
    for candidate in (browser,) if browser else BROWSERS:
        for match in explanation.matches:
            for name in match.scenarios:
                if known[name].valid_on(candidate):
                    return match, known[name], candidate
    if explanation.matches:
        best = explanation.matches[0]
        raise HarnessError(
            f"no catalog scenario reproduces {best.constant or best.code} on {browser or ' or '.join(BROWSERS)} yet "
            f"(scenarios for it: {', '.join(best.scenarios) or 'none'})"
        )
    raise HarnessError("nothing in the report was recognised: try `harness explain` on it first")


def expectation(match: Match, scenario: CatalogScenario) -> Expected | None:
    if match.space == "videosdk" and match.code is not None:
        return Expected("videosdk", match.code, match.sub_code, "")
    if match.space == "active-media-failed" and match.code is not None:
        return Expected("active-media-failed", match.code, None, "")
    if match.space == "browser" and match.sdk_code is not None:
        return Expected("videosdk", match.sdk_code, match.sdk_sub_code, f"what the SDK makes of {match.constant}")
    if match.space == "zoom-client" and scenario.codes:
        return Expected(
            "videosdk",
            scenario.codes[0],
            None,
            f"what a Video SDK web app gets under the condition behind Zoom's app code {match.code}",
        )
    return None


def write(
    explanation: Explanation, browser: str | None, os_name: str | None, out: Path, folder: Path | None = None
) -> Repro:
    """The scenario adapted to the customer's browser (None: the report named none) and computer, written."""
    match, scenario, browser = choose(explanation, browser, folder)
    raw = adapted(scenario.raw, browser, os_name)
    raw["name"] = f"repro-{scenario.name}"[:80]
    header = comment(explanation.query, match, scenario, browser, os_name)
    body = yaml.safe_dump(raw, sort_keys=False, default_flow_style=None, allow_unicode=True, width=110)
    try:
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{raw['name']}.yaml"
        path.write_text(header + body, encoding="utf-8")
    except OSError as error:
        raise HarnessError(f"cannot write the scenario into {out}: {error.strerror or error}") from None
    return Repro(match, scenario, browser, os_name, path, expectation(match, scenario))


def adapted(raw: dict[str, Any], browser: str, os_name: str | None) -> dict[str, Any]:
    """The catalog scenario on the customer's browser and computer."""
    result: dict[str, Any] = json.loads(json.dumps(raw))  # a deep copy of plain YAML data
    result["browsers"] = [browser]
    if os_name is not None:
        given = dict(result.get("given") or {})
        given["system"] = {**dict(given.get("system") or {}), "os": os_name}
        result["given"] = given
        ordered = {
            k: result[k] for k in ("name", "summary", "tags", "codes", "browsers", "sdk", "timeout") if k in result
        }
        result = ordered | {"given": given} | {k: v for k, v in result.items() if k not in ordered and k != "given"}
    return result


def comment(report: str, match: Match, scenario: CatalogScenario, browser: str, os_name: str | None) -> str:
    lines = [line.rstrip() for line in report.strip().splitlines()]
    quoted = [f"#   > {printable(line)[:200]}" for line in lines[:QUOTED_LINES]]
    if len(lines) > QUOTED_LINES:
        quoted.append(f"#   > … ({len(lines) - QUOTED_LINES} more lines)")
    what = f"{match.space} {match.code if match.code is not None else match.constant}"
    return "\n".join(
        [
            "# Written by `harness repro` for a customer report:",
            *quoted,
            f"# Best answer: {what}; adapted from the catalog scenario `{scenario.name}` to "
            f"{browser}{' on ' + os_name if os_name else ''}.",
            "",
        ]
    )


def printable(line: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in line)


def observed(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """What the run saw: each step's rejection and each active-media-failed event."""
    seen = []
    for record in summary.get("records", []):
        error = record.get("error")
        if record.get("kind") == "settle" and record.get("status") in ("rejected", "threw") and isinstance(error, dict):
            seen.append({"space": "videosdk", **error})
        elif record.get("kind") == "event" and record.get("name") == "active-media-failed":
            payload = record.get("payload")
            if isinstance(payload, dict):
                seen.append({"space": "active-media-failed", **payload})
    return seen


def verdict(expected: Expected | None, summary: dict[str, Any] | None) -> tuple[bool, str]:
    """Whether the run reproduced the report, and one line saying so, or saying what it observed."""
    if summary is None:
        return False, "not reproduced: the run left no record (see the pytest output above)"
    seen = observed(summary)
    outcome = str(summary.get("outcome", "?"))
    if expected is not None:
        key = "errorCode" if expected.space == "videosdk" else "code"
        for item in seen:
            same_sub = expected.sub_code is None or item.get("subCode") == expected.sub_code
            if item["space"] == expected.space and item.get(key) == expected.code and same_sub:
                line = f"reproduced: {name(expected)} {details(item)}"
                line += f", {expected.because}" if expected.because else " as reported"
                return outcome == "passed", line if outcome == "passed" else f"{line}, but the run {ended(outcome)}"
    keys = ("type", "reason", "subCode", "message", "name")
    shown = "; ".join(f"{item.get('errorCode', item.get('code'))} {details(item, keys)}" for item in seen)
    message = str(summary.get("message") or "").strip().splitlines()
    tail = f" ({message[0]})" if outcome != "passed" and message else ""
    wanted = f" instead of {name(expected)}" if expected is not None else ""
    return False, f"not reproduced: observed {shown or 'no SDK error'}{wanted}; the run {ended(outcome)}{tail}"


def ended(outcome: str) -> str:
    return {"error": "stopped with an error", "skipped": "was skipped"}.get(outcome, outcome)


def name(expected: Expected) -> str:
    if expected.space == "active-media-failed":
        return f"active-media-failed {expected.code}"
    sub = f" subCode {expected.sub_code}" if expected.sub_code is not None else ""
    return f"{describe_code(expected.code)}{sub}"


def details(item: dict[str, Any], keys: tuple[str, ...] = ("type", "reason", "message", "name")) -> str:
    fields = [f"{k} {item[k]!r}" for k in keys if item.get(k) is not None]
    return f"({', '.join(fields)})" if fields else ""
