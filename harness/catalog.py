"""The error catalog: one data file, read here and imported by the SDK double."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: int
    constant: str
    category: str
    raised_by: tuple[str, ...]
    unreachable: str | None
    not_reproduced: str | None = None  # reachable by web apps, but not producible here (why)
    # Where the docs and 2.5.0 part ways on this code: {"docs": ..., "runtime": ..., "evidence": ...}.
    runtime: dict[str, str] | None = None


@cache
def codes() -> dict[int, CodeEntry]:
    text = resources.files("harness").joinpath("catalog/exception-codes.json").read_text(encoding="utf-8")
    return {
        row["code"]: CodeEntry(
            code=row["code"],
            constant=row["constant"],
            category=row["category"],
            raised_by=tuple(row["raised_by"]),
            unreachable=row["unreachable"],
            not_reproduced=row.get("not_reproduced"),
            runtime=row.get("runtime"),
        )
        for row in json.loads(text)["codes"]
    }


def describe(code: object) -> str:
    """'6100 VIDEO_CAMERA_PERMISSION_DENIED' for a known code, the bare value otherwise."""
    entry = codes().get(code) if isinstance(code, int) else None
    return f"{code} {entry.constant}" if entry else str(code)
