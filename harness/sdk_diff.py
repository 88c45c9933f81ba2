"""What changed between two versions of @zoom/videosdk, read from their files: the typings (exception codes,
enums, declared functions) and the reason strings written in the runtime.

Each version is read by `sdk_scripts/package_snapshot.mjs` (node): the runtime's enums (its UMD build run in a
node:vm window, as `scripts/extract_enums.mjs` reads them for the double), the enums and functions the typings
declare, and every `reason:"..."` literal of `dist/index.esm.js` with the `type` and `errorCode` written beside
it. That last reading is literal: a reason the runtime assembles from values is not seen.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from typing import Any

from harness.errors import HarnessError
from harness.paths import sdk_scripts_dir
from harness.sdk_packages import ensure

SNAPSHOT_TIMEOUT_S = 120
SIMILAR = 0.5  # two reasons of one error code at least this alike (difflib ratio) are one reason reworded


def surface(version: str) -> dict[str, Any]:
    """The snapshot of one version (installed first when missing)."""
    folder = ensure(f"real@{version}")
    node = shutil.which("node")
    if node is None:
        raise HarnessError("reading a package's typings and runtime needs node (Node.js 18 or later) on PATH")
    script = sdk_scripts_dir() / "package_snapshot.mjs"
    try:
        done = subprocess.run(
            [node, str(script), str(folder)], capture_output=True, text=True, timeout=SNAPSHOT_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise HarnessError(f"reading {folder} took more than {SNAPSHOT_TIMEOUT_S} s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise HarnessError(f"cannot read @zoom/videosdk {version} ({folder}): {last}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def exception_codes(snapshot: dict[str, Any]) -> dict[str, int]:
    """ExceptionCode member -> code, as the runtime defines it (the reverse mapping left out)."""
    members = snapshot["enums"].get("ExceptionCode", {})
    return {name: value for name, value in members.items() if isinstance(value, int) and not name.isdigit()}


def enums(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every enum but ExceptionCode, member -> value: the runtime's values, the names the typings declare
    (a runtime enum that maps both ways keeps only its declared side), and the typings-only enums."""
    declared: dict[str, dict[str, Any]] = snapshot.get("typings_enums", {})
    found: dict[str, dict[str, Any]] = {}
    for name, runtime in snapshot["enums"].items():
        if name == "ExceptionCode":
            continue
        names = declared.get(name) or {key: value for key, value in runtime.items() if not key.isdigit()}
        members = {key: runtime.get(key, names[key]) for key in names}
        extra = {
            key: value
            for key, value in runtime.items()
            if key not in names and not key.isdigit() and not (isinstance(value, str) and runtime.get(value) == key)
        }
        found[name] = members | extra
    for name in snapshot.get("typings_only_enums", []):
        found[name] = dict(declared.get(name, {}))
    return found


def typings_diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {
        "exception_codes": codes_diff(exception_codes(a), exception_codes(b)),
        "enums": enums_diff(enums(a), enums(b)),
        "methods": {
            "added": sorted(set(b["methods"]) - set(a["methods"])),
            "removed": sorted(set(a["methods"]) - set(b["methods"])),
        },
    }


def codes_diff(a: dict[str, int], b: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Added and removed members, members renamed (same code, another name) and renumbered (same name)."""
    gone = {name: code for name, code in a.items() if name not in b}
    new = {name: code for name, code in b.items() if name not in a}
    renamed = []
    for old, code in sorted(gone.items(), key=lambda item: item[1]):
        successor = next((name for name, value in new.items() if value == code and code not in a.values()), None)
        if successor is None:
            successor = next((name for name, value in new.items() if value == code), None)
        if successor is not None:
            renamed.append({"code": code, "from": old, "to": successor})
            del new[successor]
    renamed_names = {item["from"] for item in renamed}
    return {
        "added": [{"name": name, "code": code} for name, code in sorted(new.items(), key=lambda item: item[1])],
        "removed": [
            {"name": name, "code": code}
            for name, code in sorted(gone.items(), key=lambda item: item[1])
            if name not in renamed_names
        ],
        "renamed": renamed,
        "renumbered": [
            {"name": name, "from": a[name], "to": b[name]} for name in sorted(a) if name in b and a[name] != b[name]
        ],
    }


def enums_diff(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> dict[str, Any]:
    changed = {}
    for name in sorted(set(a) & set(b)):
        old, new = a[name], b[name]
        if old == new:
            continue
        changed[name] = {
            "added": {key: new[key] for key in new if key not in old},
            "removed": {key: old[key] for key in old if key not in new},
            "changed": {key: [old[key], new[key]] for key in old if key in new and old[key] != new[key]},
        }
    return {"added": sorted(set(b) - set(a)), "removed": sorted(set(a) - set(b)), "changed": changed}


def reasons(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The runtime's reason strings, each with its type and errorCode (the number, and the member named)."""
    codes = exception_codes(snapshot)
    found = []
    for entry in snapshot["reasons"]:
        code = entry.get("errorCode")
        number = codes.get(code) if isinstance(code, str) else code
        found.append(
            {"reason": entry["reason"], "type": entry.get("type"), "errorCode": number}
            | ({"constant": code} if isinstance(code, str) else {})
        )
    return found


def reasons_diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Reason strings reworded (same error code, a similar sentence), recoded (the same sentence now written
    with another type or code), added and removed."""
    old, new = reasons(a), reasons(b)
    key = _reason_key
    old_keys, new_keys = {key(item) for item in old}, {key(item) for item in new}
    gone = [item for item in old if key(item) not in new_keys]
    came = [item for item in new if key(item) not in old_keys]
    recoded = []
    for text in sorted({item["reason"] for item in gone} & {item["reason"] for item in came}):
        before = [item for item in gone if item["reason"] == text]
        after = [item for item in came if item["reason"] == text]
        recoded.append({"reason": text, "from": [_where(i) for i in before], "to": [_where(i) for i in after]})
        gone = [item for item in gone if item["reason"] != text]
        came = [item for item in came if item["reason"] != text]
    changed = []
    for item in list(gone):
        peers = [other for other in came if other["errorCode"] == item["errorCode"]]
        best = max(peers, key=lambda other: _ratio(item["reason"], other["reason"]), default=None)
        if best is not None and _ratio(item["reason"], best["reason"]) >= SIMILAR:
            changed.append({**_where(item), "from": item["reason"], "to": best["reason"]})
            gone.remove(item)
            came.remove(best)
    return {
        "changed": changed,
        "recoded": recoded,
        "added": sorted(came, key=_order),
        "removed": sorted(gone, key=_order),
    }


def _order(item: dict[str, Any]) -> tuple[int, str]:
    code = item["errorCode"]
    return (code if isinstance(code, int) else 1 << 30, item["reason"])


def _reason_key(item: dict[str, Any]) -> str:
    return json.dumps([item["reason"], item["type"], item["errorCode"]])


def _where(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": item["type"], "errorCode": item["errorCode"]}


def _ratio(left: str, right: str) -> float:
    return difflib.SequenceMatcher(None, left, right).ratio()
