"""`harness versions`: the versions of @zoom/videosdk the harness holds, and what changed between two.

`diff A B` has three parts: the typings (exception codes, enums, declared functions) and the runtime's reason
strings, both read from the packages' files (`sdk_diff.py`), and the outcome of every scenario that runs on
the real package offline, run on each version side by side with the fields that differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from harness.conformance import Observation, observe
from harness.errors import HarnessError, ScenarioSkip
from harness.runner import RunContext, needs_zoom, zoom_credentials
from harness.scenario.model import Scenario
from harness.sdk_diff import reasons_diff, surface, typings_diff
from harness.sdk_packages import PACKAGE, cache_root, installed, package_dir, pinned, version_of


def version_list() -> list[dict[str, Any]]:
    """The pinned version first (installed or not), then every other cached one."""
    pin = pinned()
    rows = [
        {
            "version": pin.version,
            "pinned": True,
            "path": str(folder) if (folder := package_dir(pin.version)) else None,
            "integrity": pin.integrity,
            "installed": next((item.installed for item in installed() if item.version == pin.version), None),
        }
    ]
    for item in installed():
        if item.version != pin.version:
            rows.append(
                {
                    "version": item.version,
                    "pinned": False,
                    "path": str(item.path),
                    "integrity": item.integrity,
                    "installed": item.installed,
                }
            )
    return rows


def list_text(rows: list[dict[str, Any]]) -> str:
    lines = [f"{PACKAGE} in {cache_root()}"]
    for row in rows:
        state = f"installed {row['installed'] or ''}".strip() if row["path"] else "not installed"
        label = "pinned" if row["pinned"] else "cached"
        lines.append(f"  {row['version']:10} {label:7} {state:31} {row['path'] or '`harness versions install real`'}")
    return "\n".join(lines)


def offline_real_scenarios(scenarios: list[Scenario]) -> list[Scenario]:
    """Scenarios marked for the real package that run here: without Zoom credentials, those out of a session."""
    online = zoom_credentials() is not None
    return [s for s in scenarios if "real" in s.sdk and (online or not needs_zoom(s))]


def diff(
    a: str,
    b: str,
    scenarios: list[Scenario] | None,
    make_context: Callable[[str], RunContext] | None = None,
) -> dict[str, Any]:
    """The report of `versions diff A B` (its JSON form); `scenarios` None leaves the scenario part out."""
    left, right = surface(a), surface(b)
    report: dict[str, Any] = {
        "package": PACKAGE,
        "a": a,
        "b": b,
        "typings": typings_diff(left, right),
        "reasons": reasons_diff(left, right),
        "scenarios": None,
    }
    if scenarios is not None and make_context is not None:
        report["scenarios"] = [compare(scenario, a, b, make_context) for scenario in scenarios]
    return report


def compare(scenario: Scenario, a: str, b: str, make_context: Callable[[str], RunContext]) -> dict[str, Any]:
    left = _observe(scenario, f"real@{a}", make_context)
    right = _observe(scenario, f"real@{b}", make_context)
    return {
        "name": scenario.name,
        "a": left.outcome,
        "b": right.outcome,
        "differences": field_differences(left, right),
    }


def _observe(scenario: Scenario, sdk: str, make_context: Callable[[str], RunContext]) -> Observation:
    try:
        return observe(scenario, make_context(sdk))
    except ScenarioSkip as skip:
        return Observation(sdk, outcome=f"skipped: {skip}")
    except HarnessError as error:
        return Observation(sdk, outcome=f"error: {error}")


def field_differences(a: Observation, b: Observation) -> list[dict[str, Any]]:
    """Each field that differs: where (the outcome, a call, an event), which field, and each version's value."""
    found: list[dict[str, Any]] = []
    if a.outcome != b.outcome:
        found.append({"where": "outcome", "field": "outcome", "a": a.outcome, "b": b.outcome})
    for index in range(max(len(a.calls), len(b.calls))):
        left = a.calls[index] if index < len(a.calls) else None
        right = b.calls[index] if index < len(b.calls) else None
        if left == right:
            continue
        if left is None or right is None or left[:3] != right[:3]:
            found.append({"where": f"call #{index + 1}", "field": "call", "a": _call(left), "b": _call(right)})
            continue
        participant, step, target = left[:3]
        where = f"call #{index + 1} [{participant}] step {step} {target}"
        fields_a, fields_b = {"settled": left[3], **dict(left[4])}, {"settled": right[3], **dict(right[4])}
        for key in dict.fromkeys([*fields_a, *fields_b]):
            if fields_a.get(key) != fields_b.get(key):
                found.append({"where": where, "field": key, "a": fields_a.get(key), "b": fields_b.get(key)})
    for name in sorted({event[1] for event in a.events + b.events}):
        ours = [[e[0], e[2]] for e in a.events if e[1] == name]
        theirs = [[e[0], e[2]] for e in b.events if e[1] == name]
        if ours != theirs:
            found.append({"where": f"event {name}", "field": "payloads", "a": ours, "b": theirs})
    return found


def _call(call: tuple[str, int, str, str, tuple[tuple[str, Any], ...]] | None) -> str | None:
    if call is None:
        return None
    participant, step, target, status, fields = call
    details = ", ".join(f"{key}={value!r}" for key, value in fields)
    return f"[{participant}] step {step} {target} {status}" + (f" ({details})" if details else "")


def diff_text(report: dict[str, Any]) -> str:
    a, b = report["a"], report["b"]
    lines = [f"{report['package']} {a} -> {b}", "", "Typings"]
    codes = report["typings"]["exception_codes"]
    lines.append(
        f"  exception codes: {len(codes['added'])} added, {len(codes['removed'])} removed, "
        f"{len(codes['renamed'])} renamed, {len(codes['renumbered'])} renumbered"
    )
    lines += [f"    + {item['code']} {item['name']}" for item in codes["added"]]
    lines += [f"    - {item['code']} {item['name']}" for item in codes["removed"]]
    lines += [f"    ~ {item['code']} {item['from']} -> {item['to']}" for item in codes["renamed"]]
    lines += [f"    ~ {item['name']} {item['from']} -> {item['to']}" for item in codes["renumbered"]]
    enums = report["typings"]["enums"]
    lines.append(
        f"  enums: {len(enums['added'])} added, {len(enums['removed'])} removed, {len(enums['changed'])} changed"
    )
    lines += [f"    + {name}" for name in enums["added"]]
    lines += [f"    - {name}" for name in enums["removed"]]
    for name, change in enums["changed"].items():
        parts = [f"+{key}={value!r}" for key, value in change["added"].items()]
        parts += [f"-{key}" for key in change["removed"]]
        parts += [f"{key}: {old!r} -> {new!r}" for key, (old, new) in change["changed"].items()]
        lines.append(f"    ~ {name}: {', '.join(parts)}")
    methods = report["typings"]["methods"]
    lines.append(f"  declared functions: {len(methods['added'])} added, {len(methods['removed'])} removed")
    lines += [f"    + {name}" for name in methods["added"]]
    lines += [f"    - {name}" for name in methods["removed"]]
    lines += ["", *_reasons_text(report["reasons"]), ""]
    lines += _scenarios_text(report["scenarios"], a, b)
    return "\n".join(lines)


def _reasons_text(reasons: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = [
        f"Runtime reason strings: {len(reasons['changed'])} reworded, {len(reasons['recoded'])} with another "
        f"type or code, {len(reasons['added'])} added, {len(reasons['removed'])} removed"
    ]
    lines += [f"  ~ {_code(item)} {item['from']!r} -> {item['to']!r}" for item in reasons["changed"]]
    for item in reasons["recoded"]:
        before = ", ".join(_code(where) for where in item["from"])
        after = ", ".join(_code(where) for where in item["to"])
        lines.append(f"  ~ {item['reason']!r}: {before} -> {after}")
    lines += [f"  + {_code(item)} {item['reason']!r}" for item in reasons["added"]]
    lines += [f"  - {_code(item)} {item['reason']!r}" for item in reasons["removed"]]
    return lines


def _scenarios_text(rows: list[dict[str, Any]] | None, a: str, b: str) -> list[str]:
    if rows is None:
        return ["Scenarios: not run (--no-scenarios)"]
    differ = [row for row in rows if row["differences"]]
    lines = [f"Scenarios on the real package, offline: {len(rows)} run on both, {len(differ)} differ"]
    width = max([len(row["name"]) for row in rows] + [8])
    lines.append(f"  {'scenario':{width}} {a:10} {b}")
    for row in rows:
        lines.append(f"  {row['name']:{width}} {_short(row['a']):10} {_short(row['b'])}")
        for item in row["differences"]:
            if item["where"] != "outcome":
                lines.append(f"      {item['where']}: {item['field']} {item['a']!r} -> {item['b']!r}")
            elif item["a"] != "passed" or item["b"] != "passed":
                failing = item["a"] if item["a"] != "passed" else item["b"]
                lines.append(f"      outcome: {failing}")
    return lines


def _short(outcome: str) -> str:
    return outcome.split(":")[0]


def _code(item: dict[str, Any]) -> str:
    if item.get("errorCode") is None and item.get("type") is None:
        return "(no code)"
    return f"{item.get('errorCode') or '-'} [{item.get('type') or '-'}]"


def diff_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=1, default=str)


def check_version(value: str) -> str:
    """A plain version (`2.4.5`) or an `--sdk` value (`real@2.4.5`, `real`) -> the version."""
    try:
        return version_of(value if value.startswith("real") else f"real@{value}")
    except HarnessError:
        raise HarnessError(f"{value!r}: expected a version X.Y.Z of {PACKAGE} (or real, real@X.Y.Z)") from None
