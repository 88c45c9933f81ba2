"""The scenario catalog as `explain` needs it: which codes, reasons, sub-codes and active-media-failed codes each
scenario asserts, and on which browsers it is valid. Read straight from the YAML (the full loader validates every
file and would cost a second per call); `harness check` and the test suite keep the files valid."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from harness.paths import scenarios_dir, user_cache

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BROWSERS = ("chromium", "firefox")


# Words of a report that point at scenarios with these tags.
TAG_WORDS = {
    "network": re.compile(r"network|offline|wi-?fi|reconnect|disconnect|connection (?:drop|lost)|internet", re.I),
    "reconnect": re.compile(r"reconnect|failover|dropped|came back", re.I),
    "join": re.compile(r"\bjoin", re.I),
    # Aspects of a scenario's world rather than tags of its file (see _aspects).
    "offline": re.compile(r"wi-?fi|offline|internet|airplane|router|unplugged the (?:cable|network)", re.I),
    "blackhole": re.compile(r"froze|frozen|hang|hung|no traffic|firewall|vpn|proxy", re.I),
    "not-recovered": re.compile(
        r"never (?:came back|recover|reconnect)|gave up|failed to reconnect|did(?:n't| not) reconnect", re.I
    ),
}
# The aspects a scenario has that a report may not mention; among scenarios that fit a report equally well, the
# one with fewest unmentioned aspects (the plainest) comes first.
ASPECTS = ("offline", "blackhole", "not-recovered", "camera", "microphone", "screen", "call-order")


def report_tags(text: str) -> tuple[str, ...]:
    return tuple(tag for tag, words in TAG_WORDS.items() if words.search(text))


@dataclass(frozen=True, slots=True)
class CatalogScenario:
    name: str
    path: Path
    summary: str
    codes: tuple[int, ...]
    browsers: tuple[str, ...]
    errors: tuple[dict[str, Any], ...]  # every expect_error pattern of its steps
    media_failed: tuple[int, ...]  # active-media-failed codes it waits for
    raw: dict[str, Any] = field(compare=False, repr=False)

    def asserts(self, code: int) -> bool:
        return code in self.codes or any(code in _codes_of(error) for error in self.errors)

    def valid_on(self, browser: str | None) -> bool:
        return browser not in BROWSERS or browser in self.browsers


def _codes_of(error: dict[str, Any]) -> list[int]:
    value = error.get("errorCode")
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int)]


def _step_parts(step: dict[str, Any]) -> list[dict[str, Any]]:
    """A step and the steps inside it (`together` lists, `on_event`'s `then`)."""
    parts = [step]
    for inner in step.get("together") or []:
        if isinstance(inner, dict):
            parts.append(inner)
    then = (step.get("on_event") or {}).get("then") if isinstance(step.get("on_event"), dict) else None
    if isinstance(then, dict):
        parts.append(then)
    return parts


def _scenario(path: Path, raw: dict[str, Any]) -> CatalogScenario:
    errors: list[dict[str, Any]] = []
    media: list[int] = []
    for step in raw.get("steps") or []:
        if not isinstance(step, dict):
            continue
        for part in _step_parts(step):
            if isinstance(part.get("expect_error"), dict):
                errors.append(part["expect_error"])
            wait = part.get("wait_for_event")
            if isinstance(wait, dict) and wait.get("name") == "active-media-failed":
                code = (wait.get("match") or {}).get("code")
                if isinstance(code, int):
                    media.append(code)
    errors += [e for e in raw.get("allow_errors") or [] if isinstance(e, dict)]
    return CatalogScenario(
        name=str(raw.get("name", path.stem)),
        path=path,
        summary=" ".join(str(raw.get("summary", "")).split()),
        codes=tuple(c for c in raw.get("codes") or [] if isinstance(c, int)),
        browsers=tuple(raw.get("browsers") or BROWSERS),
        errors=tuple(errors),
        media_failed=tuple(media),
        raw=raw,
    )


@cache
def catalog(folder: Path | None = None) -> dict[str, CatalogScenario]:
    """name -> scenario, for every readable scenario file of the folder (default: the package's catalog)."""
    found = {}
    for path, raw in _read_all(folder or scenarios_dir()):
        if isinstance(raw, dict) and "name" in raw:
            scenario = _scenario(path, raw)
            found[scenario.name] = scenario
    return found


def _read_all(folder: Path) -> list[tuple[Path, Any]]:
    """Every file's YAML data; kept in a cache file keyed by the files' names, sizes and times, because parsing
    the whole catalog takes most of an answer's time."""
    paths = sorted(folder.glob("*.yaml"))
    try:
        stamp = hashlib.sha256(
            repr([(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in paths]).encode()
        ).hexdigest()
    except OSError:
        stamp = ""
    cache_file = user_cache() / f"catalog-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]}.json"
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if stamp and cached.get("stamp") == stamp:
            return [(folder / name, raw) for name, raw in cached["files"]]
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    files = []
    for path in paths:
        try:
            files.append((path, yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)))
        except (OSError, yaml.YAMLError):
            continue  # an invalid file is `harness check`'s to report
    if stamp:
        with contextlib.suppress(OSError, TypeError, ValueError):  # no cache: only slower
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            data = {"stamp": stamp, "files": [(p.name, raw) for p, raw in files]}
            cache_file.write_text(json.dumps(data, default=str), encoding="utf-8")
    return files


@dataclass(frozen=True, slots=True)
class Fit:
    """What makes a scenario fit a report better: the same reason, sub-code, browser, device, type."""

    code: int | None = None
    sub_code: int | None = None
    reason: str | None = None
    type: str | None = None
    browser: str | None = None
    device: str | None = None
    state: str | None = None  # a permission or device state the report points at (denied-by-system, busy, ...)
    tags: tuple[str, ...] = ()  # scenario tags the report's words point at (network, join, ...)


DEVICE_WORDS = {
    "camera": ("camera", "video"),
    "microphone": ("microphone", "audio", "mic"),
    "screen": ("share", "screen"),
}


def fit_score(scenario: CatalogScenario, fit: Fit) -> int:
    score = 0
    same_code = [e for e in scenario.errors if fit.code is not None and fit.code in _codes_of(e)] or list(
        scenario.errors
    )
    if fit.code is not None and fit.code in scenario.codes:
        score += 1
    if fit.reason and any(str(e.get("reason", "")).lower() == fit.reason.lower() for e in same_code):
        score += 3
    if fit.type and any(e.get("type") == fit.type for e in same_code):
        score += 1
    if fit.sub_code is not None:
        subs = {e.get("subCode") for e in same_code if "subCode" in e}
        score += 4 if fit.sub_code in subs else -3 if subs else 0
    if fit.browser in BROWSERS:
        if scenario.browsers == (fit.browser,):
            score += 2
        elif fit.browser not in scenario.browsers:
            score -= 4
    if fit.state and fit.state in _world_states(scenario.raw):
        score += 3
    tags = set(scenario.raw.get("tags") or []) | _aspects(scenario)
    score += 2 * sum(1 for tag in fit.tags if tag in tags)
    if fit.device:
        words = DEVICE_WORDS.get(fit.device, ())
        if any(word in scenario.name or word in scenario.summary.lower() for word in words):
            score += 1
    return score


def _aspects(scenario: CatalogScenario) -> set[str]:
    """What a scenario's world has beyond its tags: the kind of network fault it makes, a rejoin that fails, the
    device its name is about."""
    found = {tag for tag in scenario.raw.get("tags") or [] if tag in ASPECTS}
    for step in scenario.raw.get("steps") or []:
        fault = step.get("fault") if isinstance(step, dict) else None
        network = fault.get("network") if isinstance(fault, dict) else None
        if network in ("offline", "blackhole"):
            found.add(network)
    if "not-recovered" in scenario.name:
        found.add("not-recovered")
    for device, words in DEVICE_WORDS.items():
        if any(word in scenario.name.split("-") for word in words):
            found.add(device)
    return found


def _unmentioned(scenario: CatalogScenario, fit: Fit) -> int:
    return sum(1 for aspect in _aspects(scenario) if aspect not in fit.tags and aspect != fit.device)


def _world_states(raw: dict[str, Any]) -> set[str]:
    """The permission and device states a scenario's `given` sets up."""
    given = raw.get("given")
    if not isinstance(given, dict):
        return set()
    states = set()
    for key in ("permissions", "devices"):
        for value in (given.get(key) or {}).values():
            states.add(str(value.get("state") if isinstance(value, dict) else value))
    return states


def ranked(names: list[str], fit: Fit, folder: Path | None = None) -> list[str]:
    """The scenarios by fit, best first; among equals, in the order given; unknown names dropped."""
    known = catalog(folder)
    present = [name for name in dict.fromkeys(names) if name in known]
    return sorted(
        present,
        key=lambda name: (-fit_score(known[name], fit), _unmentioned(known[name], fit), _off_default(known[name], fit)),
    )


def _off_default(scenario: CatalogScenario, fit: Fit) -> int:
    """1 for a scenario the default browser (the first of BROWSERS) does not run, when the report names none."""
    return int(fit.browser not in BROWSERS and BROWSERS[0] not in scenario.browsers)


COMMAND_SCENARIOS = 3


def command(names: list[str], folder: Path | None = None) -> str | None:
    """The pytest line that runs the best-fitting ones (on each browser one of them is valid for only)."""
    if not names:
        return None
    known = catalog(folder)
    names = names[:COMMAND_SCENARIOS]
    browsers = {b for name in names if name in known for b in known[name].browsers}
    args = ["pytest", *(arg for name in names for arg in ("--scenario", name))]
    if browsers == {"firefox"}:
        args += ["--browser", "firefox"]
    elif "firefox" in browsers and any(known[n].browsers == ("firefox",) for n in names if n in known):
        args += ["--browser", "chromium", "--browser", "firefox"]
    return shlex.join(args)
