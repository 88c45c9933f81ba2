"""An explanation as a person reads it (text) or as a program does (JSON: `{"query": ..., "matches": [...]}`)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from harness.explain.answers import FORMS, Explanation, command_for
from harness.explain.matching import Match

MAX_SHOWN = 5
WIDTH = 110


def as_json(explanation: Explanation, scenario_dir: Path | None = None) -> str:
    return json.dumps(
        {
            "query": explanation.query,
            "matches": [record(m, scenario_dir) for m in explanation.matches],
            "understood": explanation.understood(),
        },
        indent=1,
        ensure_ascii=False,
    )


def record(match: Match, scenario_dir: Path | None = None) -> dict[str, Any]:
    return {
        "space": match.space,
        "code": match.code,
        "sub_code": match.sub_code,
        "constant": match.constant,
        "type": match.type,
        "reason": match.reason,
        "meaning": match.meaning,
        "methods": match.methods,
        "conditions": match.conditions,
        "notes": match.notes,
        "sdk_code": match.sdk_code,
        "sdk_sub_code": match.sdk_sub_code,
        "scenarios": match.scenarios,
        "command": command_for(match, scenario_dir),
    }


def title(match: Match) -> str:
    space = {
        "videosdk": "Video SDK",
        "active-media-failed": "active-media-failed event",
        "browser": "browser error",
        "zoom-client": "Zoom app (not the SDK)",
    }[match.space]
    parts = [f"{match.code}" if match.code is not None else "", match.constant or ""]
    if match.sub_code is not None:
        parts.append(f"subCode {match.sub_code}")
    if match.space == "videosdk" and (match.type or match.reason):
        parts.append(f"({', '.join(x for x in (match.type, repr(match.reason) if match.reason else None) if x)})")
    return f"{space}: " + " ".join(p for p in parts if p)


def as_text(explanation: Explanation, scenario_dir: Path | None = None) -> str:
    lines = []
    for rank, match in enumerate(explanation.matches[:MAX_SHOWN], 1):
        lines.append(f"{rank}. {title(match)}")
        lines += field("meaning", [match.meaning])
        lines += field("where", [", ".join(match.methods)] if match.methods else [])
        lines += field("causes", match.conditions, bullets=True)
        lines += field("note", match.notes, bullets=True)
        lines += field("scenarios", [", ".join(match.scenarios)] if match.scenarios else ["none in the catalog yet"])
        run = command_for(match, scenario_dir)
        lines += field("run", [run] if run else [])
        lines.append("")
    hidden = len(explanation.matches) - MAX_SHOWN
    if hidden > 0:
        lines.append(f"({hidden} weaker answer(s) not shown; --format json lists them all)")
    return "\n".join(lines).rstrip()


def field(label: str, values: list[str], *, bullets: bool = False) -> list[str]:
    lines: list[str] = []
    for index, value in enumerate(v for v in values if v):
        head = f"   {label + ':' if index == 0 else '':11}"
        text = f"- {value}" if bullets and len(values) > 1 else value
        wrapped = textwrap.wrap(text, WIDTH - len(head), break_on_hyphens=False, break_long_words=False) or [""]
        lines.append(head + wrapped[0])
        lines += [" " * len(head) + ("  " if bullets and len(values) > 1 else "") + rest for rest in wrapped[1:]]
    return lines


def nothing_found(explanation: Explanation) -> str:
    understood = explanation.understood()
    said = "; ".join(understood) if understood else "no code, type, reason or browser error"
    forms = "\n".join(f"  - {form}" for form in FORMS)
    return f"harness explain: no Video SDK answer for this text (understood: {said}). Forms that work:\n{forms}"
