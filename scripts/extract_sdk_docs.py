"""Extract from the installed @zoom/videosdk what `harness explain` says about its codes, and write it where the
package reads it:

    harness/catalog/sdk-docs.json      generated, committed

- `exception_codes`: each `ExceptionCode` member of the typings (`dist/types/exception-code.d.ts`) with its doc
  comment (`doc`), the bullet lines of that comment (`reasons`: the documented reasons or sub-reasons), whether
  the typings hide it (`ignored`), and the SDK methods its comment names (`methods`).
- `error_types`: the `ErrorTypes` comment of `dist/types/common.d.ts`, type -> its sentence.
- `active_media_failed`: each `ActiveMediaFailedCode` member (`dist/types/common.d.ts`) with its doc comment, and
  the `{message, type}` payload the runtime (`dist/index.esm.js`) emits with it.

The package is only read here: the pinned version in the per-user package cache (installed on demand). Regenerate
after changing the pinned version (harness/catalog/videosdk-pin.json):

    .venv/bin/python scripts/extract_sdk_docs.py            write the file
    .venv/bin/python scripts/extract_sdk_docs.py --check    exit 1 when the committed file differs from the package's
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "harness" / "catalog" / "sdk-docs.json"

MEMBER = re.compile(r"/\*\*(?P<doc>(?:(?!\*/).)*?)\*/\s*(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<value>\d+)\s*,", re.S)
METHOD = re.compile(
    r"`((?:client|stream|chat|cmd|recording|liveTranscription|liveStream|subsession|whiteboard|"
    r"realTimeMediaStreamsClient|broadcastStreamingClient)\.\w+)`"
)
# The runtime's active-media-failed payloads (the epic that maps media callbacks to the public event).
PAYLOAD = re.compile(r'message:"(?P<message>[^"]*)",type:"(?P<type>\w*)",code:\w+\.(?P<name>\w+)')
HEALTH_CHECK = re.compile(r'\(e="(?P<type>\w+)",t=\w+\.(?P<name>\w+)\)')
HEALTH_CHECK_MESSAGE = re.compile(r'n=\{message:"(?P<message>[^"]*)",type:e,code:t\}')
ASSIGNED = re.compile(r'\(\w=\w+\.(?P<name>\w+),\w="(?P<message>[^"]*)"')
VIDEO_MUTED = re.compile(r'const r="(?P<type>video)",o=\w+\.(?P<name>VideoStreamMuted),i="(?P<message>[^"]*)"')
AUDIO_MUTED_TYPE = re.compile(r'const r="(?P<type>audio)";let\[o,a\]=\[0,""\];i\?\(o=\w+\.MicrophoneMuted')


def fail(message: str) -> None:
    sys.exit(f"extract_sdk_docs: {message}")


def doc_lines(raw: str) -> list[str]:
    """The comment's lines without their `*`; a quoted line (`> ...`) keeps its `>`."""
    lines = []
    for line in raw.splitlines():
        text = line.strip().lstrip("*").strip()
        if text:
            lines.append(text)
    return lines


def unquoted(line: str) -> str:
    return line.lstrip(">").strip()


def members(text: str, enum: str) -> list[tuple[str, int, list[str]]]:
    start = text.find(f"export enum {enum} {{")
    if start < 0:
        fail(f"no `export enum {enum}` in the typings")
    body = text[start : text.find("\n}", start)]
    return [(m["name"], int(m["value"]), doc_lines(m["doc"])) for m in MEMBER.finditer(body)]


def exception_codes(text: str) -> dict[str, Any]:
    result = {}
    for name, value, lines in members(text, "ExceptionCode"):
        prose = [line for line in lines if not line.startswith(("@", "- ", ">"))]
        notes = [unquoted(line) for line in lines if line.startswith(">") and not unquoted(line).startswith("- ")]
        result[str(value)] = {
            "constant": name,
            "doc": " ".join(prose),
            "notes": notes,
            "reasons": [line[2:].strip() for line in map(unquoted, lines) if line.startswith("- ")],
            "ignored": "@ignore" in lines,
            "methods": sorted(set(METHOD.findall(" ".join(lines)))),
        }
    return result


def error_types(text: str) -> dict[str, str]:
    head = text[: text.find("export type ErrorTypes")]
    comment = head[head.rfind("/**") :]
    found = {}
    for line in map(unquoted, doc_lines(comment)):
        match = re.match(r"- ([A-Z_]+): (.+)", line)
        if match:
            found[match[1]] = match[2]
    if not found:
        fail("no ErrorTypes comment in the typings")
    return found


def payloads(runtime: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for match in PAYLOAD.finditer(runtime):
        found[match["name"]] = {"type": match["type"], "message": match["message"]}
    health = HEALTH_CHECK_MESSAGE.search(runtime)
    if health is None:
        fail("the runtime's health-check payload was not found")
    for match in HEALTH_CHECK.finditer(runtime):
        found[match["name"]] = {"type": match["type"], "message": health["message"]}
    for match in re.finditer(r'&&\(e="(?P<type>audio)",t=\w+\.(?P<name>AudioStreamFailed)\)', runtime):
        found[match["name"]] = {"type": match["type"], "message": health["message"]}
    if AUDIO_MUTED_TYPE.search(runtime):
        for match in ASSIGNED.finditer(runtime):
            if match["name"] in ("MicrophoneMuted", "AudioStreamMuted"):
                found[match["name"]] = {"type": "audio", "message": match["message"]}
    muted = VIDEO_MUTED.search(runtime)
    if muted:
        found[muted["name"]] = {"type": muted["type"], "message": muted["message"]}
    return found


def active_media_failed(typings: str, runtime: str) -> dict[str, Any]:
    emitted = payloads(runtime)
    result = {}
    for name, value, lines in members(typings, "ActiveMediaFailedCode"):
        if name not in emitted:
            fail(f"the runtime's payload for ActiveMediaFailedCode.{name} was not found")
        result[str(value)] = {"name": name, "doc": " ".join(map(unquoted, lines)), **emitted[name]}
    return result


def extract(package: Path) -> dict[str, Any]:
    types = package / "dist" / "types"
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    exceptions = (types / "exception-code.d.ts").read_text(encoding="utf-8")
    common = (types / "common.d.ts").read_text(encoding="utf-8")
    runtime = (package / "dist" / "index.esm.js").read_text(encoding="utf-8")
    return {
        "_generated": "GENERATED by `scripts/extract_sdk_docs.py` from the installed @zoom/videosdk: do not edit.",
        "version": version,
        "exception_codes": exception_codes(exceptions),
        "error_types": error_types(common),
        "active_media_failed": active_media_failed(common, runtime),
    }


def main(argv: list[str]) -> int:
    from harness.errors import HarnessError
    from harness.sdk_packages import ensure

    try:
        package = ensure("real")
    except HarnessError as error:
        fail(str(error))
    text = json.dumps(extract(package), indent=1, ensure_ascii=False) + "\n"
    if "--check" in argv:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        if not same:
            print(f"{OUT.relative_to(ROOT)} differs from the installed package: run scripts/extract_sdk_docs.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
