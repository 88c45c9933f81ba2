"""What `harness explain` knows, read once from the package's data files.

- the error catalog (`catalog/exception-codes.json`) and what the 2.5.0 typings say of each code and error type
  (`catalog/sdk-docs.json`, generated from the package);
- every rejection the 2.5.0 runtime can make (`catalog/runtime-rejections.json`, generated): reason strings and
  templates, with their code, type and where they are made;
- the active-media-failed codes (`catalog/sdk-docs.json` for names and the runtime's messages,
  `catalog/active-media-failed.yaml` for what makes each and whether a web app can meet it);
- browser errors, Zoom's own apps' codes, and notes on the Video SDK codes customers report most
  (`explain/*.yaml`, written by hand).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from harness.catalog import CodeEntry, codes
from harness.scenario.sdk_surface import TARGETS

SPACES = ("videosdk", "active-media-failed", "browser", "zoom-client")
MIN_TEMPLATE_TEXT = 10  # a template must hold this much literal text to identify a reason on its own
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Rejection:
    """One rejection the runtime makes: its code (None when it carries none), type, reason or reason pattern."""

    code: int | None
    type: str | None
    reason: str | None
    pattern: re.Pattern[str] | None
    made_in: tuple[str, ...]  # the runtime's functions or methods that make it
    guarded: int = 0  # for a method guard (decorator): how many public methods it guards


@dataclass(frozen=True, slots=True)
class MediaFailedCode:
    code: int
    name: str
    doc: str
    type: str
    message: str
    made_by: str
    unreachable: str | None
    not_reproduced: str | None


@dataclass(frozen=True, slots=True)
class BrowserMessage:
    text: str
    browser: str | None
    camera: int | None
    microphone: int | None
    sub_code: int | None
    code: int | None
    condition: str | None
    state: str | None = None  # the world's state that makes it, in the scenario language's words


@dataclass(frozen=True, slots=True)
class BrowserError:
    key: str
    name: str
    meaning: str
    messages: tuple[BrowserMessage, ...]
    conditions: tuple[str, ...]
    scenarios: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClientCode:
    code: int
    name: str
    meaning: str
    causes: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    words: str
    scenarios: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeNotes:
    """Hand-written notes on a Video SDK code: conditions in a customer's words, what the runtime does."""

    conditions: tuple[str, ...] = ()
    runtime: str | None = None
    scenarios: tuple[str, ...] = ()  # where the docs' condition is made, when no scenario asserts the code


@dataclass
class Knowledge:
    catalog: dict[int, CodeEntry]
    docs: dict[int, dict[str, Any]]
    error_types: dict[str, str]
    rejections: list[Rejection]
    media_failed: dict[int, MediaFailedCode]
    browser_errors: list[BrowserError]
    client_codes: dict[int, ClientCode]
    conditions: dict[str, Condition]
    notes: dict[int, CodeNotes]
    guards: dict[str, tuple[str, ...]]  # a method guard of the runtime -> the methods it guards
    reason_notes: dict[str, str]  # a pattern of a code-less reason -> its cause, in a customer's words
    runtime_notes: dict[int, str] = field(default_factory=dict)  # from the catalog, when it carries them

    @property
    def types(self) -> set[str]:
        return set(self.error_types) | {r.type for r in self.rejections if r.type}

    def runtime_note(self, code: int) -> str | None:
        """What the 2.5.0 runtime does with this code, where that differs from the docs."""
        notes = self.notes.get(code)
        return self.runtime_notes.get(code) or (notes.runtime if notes else None)


def _text(package_path: str) -> str:
    return resources.files("harness").joinpath(package_path).read_text(encoding="utf-8")


def _method_names() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for target, methods in TARGETS.items():
        for method in methods:
            found.setdefault(method, []).append(f"{target}.{method}")
    return found


def _rejections(table: dict[str, Any]) -> list[Rejection]:
    guards = {name: len(methods) for name, methods in table.get("decorators", {}).items()}
    found = []
    for row in table["rejections"]:
        pattern = None
        template = row.get("template")
        if template and len(re.sub(r"\{\d+\}", "", template["pattern"]).strip()) >= MIN_TEMPLATE_TEXT:
            pattern = re.compile(template["regex"], re.IGNORECASE)
        made_in = tuple(dict.fromkeys(str(at.get("decorator") or at["in"]) for at in row.get("at", [])))
        guarded = max((guards.get(name, 0) for name in made_in), default=0)
        code = row.get("errorCode")
        found.append(
            Rejection(
                code if isinstance(code, int) and code > 0 else None,
                row.get("type"),
                row.get("reason"),
                pattern,
                made_in,
                guarded,
            )
        )
    return found


def _runtime_notes(raw: dict[str, Any]) -> dict[int, str]:
    """A per-code note on the runtime's behaviour, if the catalog carries one (`runtime_note` or `runtime`)."""
    notes = {}
    for row in raw["codes"]:
        note = row.get("runtime_note", row.get("runtime"))
        if isinstance(note, dict):
            note = note.get("summary") or note.get("text") or "; ".join(f"{k}: {v}" for k, v in note.items())
        if note:
            notes[int(row["code"])] = str(note)
    return notes


def _media_failed(docs: dict[str, Any]) -> dict[int, MediaFailedCode]:
    judged = yaml.load(_text("catalog/active-media-failed.yaml"), Loader=_LOADER)["codes"]
    found = {}
    for key, entry in docs["active_media_failed"].items():
        code = int(key)
        ours = judged.get(code, {})
        found[code] = MediaFailedCode(
            code,
            entry["name"],
            entry["doc"],
            entry["type"],
            entry["message"],
            str(ours.get("made_by", "")),
            ours.get("unreachable"),
            ours.get("not_reproduced"),
        )
    return found


def _browser_errors(raw: dict[str, Any]) -> list[BrowserError]:
    errors = []
    for key, entry in raw["errors"].items():
        messages = tuple(
            BrowserMessage(
                str(m["text"]),
                m.get("browser"),
                m.get("camera"),
                m.get("microphone"),
                m.get("sub_code"),
                m.get("code"),
                m.get("condition"),
                m.get("state"),
            )
            for m in entry["messages"]
        )
        errors.append(
            BrowserError(
                key,
                entry["name"],
                " ".join(str(entry["meaning"]).split()),
                messages,
                tuple(entry["conditions"]),
                tuple(entry["scenarios"]),
            )
        )
    return errors


@cache
def knowledge() -> Knowledge:
    docs = json.loads(_text("catalog/sdk-docs.json"))
    catalog_raw = json.loads(_text("catalog/exception-codes.json"))
    clients = yaml.load(_text("explain/zoom-client.yaml"), Loader=_LOADER)
    browsers = yaml.load(_text("explain/browser-errors.yaml"), Loader=_LOADER)
    videosdk = yaml.load(_text("explain/videosdk.yaml"), Loader=_LOADER)
    rejections_table = json.loads(_text("catalog/runtime-rejections.json"))
    return Knowledge(
        catalog=codes(),
        docs={int(code): entry for code, entry in docs["exception_codes"].items()},
        error_types=dict(docs["error_types"]),
        rejections=_rejections(rejections_table),
        media_failed=_media_failed(docs),
        browser_errors=_browser_errors(browsers),
        client_codes={
            int(code): ClientCode(
                int(code),
                entry["name"],
                " ".join(str(entry["meaning"]).split()),
                tuple(entry["causes"]),
                tuple(str(w) for w in entry["words"]),
            )
            for code, entry in clients["codes"].items()
        },
        conditions={
            key: Condition(key, " ".join(str(entry["words"]).split()), tuple(entry["scenarios"]))
            for key, entry in clients["conditions"].items()
        },
        notes={
            int(code): CodeNotes(
                tuple(" ".join(str(c).split()) for c in entry.get("conditions", [])),
                " ".join(str(entry["runtime"]).split()) if entry.get("runtime") else None,
                tuple(entry.get("scenarios", [])),
            )
            for code, entry in videosdk["codes"].items()
        },
        guards={name: tuple(methods) for name, methods in rejections_table.get("decorators", {}).items()},
        reason_notes={
            str(pattern): " ".join(str(words).split()) for pattern, words in (videosdk.get("reasons") or {}).items()
        },
        runtime_notes=_runtime_notes(catalog_raw),
    )


@cache
def public_methods(internal: str) -> tuple[str, ...]:
    """`startVideo` -> ('stream.startVideo',): the public methods of the typings with that name."""
    return tuple(_method_names().get(internal, ()))
