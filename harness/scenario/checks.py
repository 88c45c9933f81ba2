"""What the schema cannot say, as a table of named checks: path pattern -> check.

A check runs on every value whose path (from the top of the file) matches one of its patterns, after the schema
has accepted the file, so it may trust the value's shape. Checks run in the order their values appear in the
file; the first problem is the one reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from harness.catalog import codes as catalog_codes
from harness.errors import HarnessError, ScenarioInputError
from harness.scenario.schema import STEP_PATHS
from harness.scenario.sdk_surface import EVENTS, TARGETS
from harness.scenario.tree import Path, Tree
from harness.yaml_nodes import suggest, unknown_choice

# The participant a scenario has when it declares none (the `participants` key's documented default).
DEFAULT_PARTICIPANT = "me"


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may consult: the file's tree (data and places) and the participants' names."""

    tree: Tree
    participants: tuple[str, ...]

    def fail(self, path: Path, problem: str, *, key: bool = False) -> ScenarioInputError:
        return self.tree.fail(path, problem, key=key)


CheckFunction = Callable[[Context, Path, Any], None]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    patterns: tuple[str, ...]
    run: CheckFunction


def known_error_code(ctx: Context, path: Path, value: Any) -> None:
    if isinstance(value, int) and value not in catalog_codes():
        raise ctx.fail(path, f"unknown SDK error code {value}: it is not in the error catalog")


def sdk_method(ctx: Context, path: Path, value: Any) -> None:
    """TARGET.method from the package's typings (`call:`, and the `$call` reference's getter)."""
    target, _, method = value.partition(".")
    if target not in TARGETS or not method:
        raise ctx.fail(
            path,
            f"call {value!r} must be TARGET.method with TARGET one of: {', '.join(TARGETS)}{suggest(target, TARGETS)}",
        )
    if method not in TARGETS[target]:
        close = suggest(method, TARGETS[target]).replace("(did you mean '", f"(did you mean '{target}.")
        raise ctx.fail(path, f"unknown SDK method {value!r}{close}")


def sdk_event(ctx: Context, path: Path, value: Any) -> None:
    if value not in EVENTS:
        raise ctx.fail(
            path, f"unknown SDK event {value!r}{suggest(value, EVENTS)}: the 2.5.0 typings declare no such event"
        )


def participant_exists(ctx: Context, path: Path, value: Any) -> None:
    if value not in ctx.participants:
        names = ctx.participants
        raise ctx.fail(
            path, f"unknown participant {value!r}{suggest(value, names)}; participants are: {', '.join(names)}"
        )


def media_path(scenario_file: str, name: str) -> FilePath:
    """A media file named in a scenario, relative to the scenario's folder."""
    return FilePath(name) if FilePath(name).is_absolute() else FilePath(scenario_file).resolve().parent / name


def media_file_exists(ctx: Context, path: Path, value: Any) -> None:
    file = media_path(ctx.tree.file, value)
    if not file.is_file():
        raise ctx.fail(path, f"no such media file: {file}")


def jitter_within_latency(ctx: Context, path: Path, value: Any) -> None:
    from harness.durations import parse_duration

    if isinstance(value, dict) and "jitter" in value:
        latency = parse_duration(value["latency"]) if "latency" in value else 0.0
        if parse_duration(value["jitter"]) > latency:
            problem = "jitter cannot be larger than latency (a packet cannot arrive before it is sent)"
            raise ctx.fail((*path, "jitter"), problem)


def known_account(ctx: Context, path: Path, value: Any) -> None:
    from harness.service.accounts import account_names  # data of the session service, read as the catalog is

    names = account_names()
    if value not in names:
        raise ctx.fail(path, unknown_choice("account", value, names))


def account_settings(ctx: Context, path: Path, value: Any) -> None:
    from harness.service.accounts import checked_settings

    try:
        checked_settings(ctx.tree.values(path))
    except HarnessError as error:
        raise ctx.fail(path, str(error)) from None


def fault_changes_something(ctx: Context, path: Path, value: Any) -> None:
    if not value or all(part is None or part == {} for part in value.values()):
        raise ctx.fail(path, "fault must change something, e.g. fault: {network: offline}")


# A check's place in the file: `/`-separated keys; `*` one key or index, `**` any number of them, `{step}` any
# place of a step (schema.STEP_PATHS), `{given}` the scenario's or a participant's `given`.
GIVEN_PATHS = ("given", "participants/*/given")
CHECKS: tuple[Check, ...] = (
    Check(
        "error code in the catalog",
        (
            "codes/*",
            "{step}/expect_error/errorCode",
            "{step}/expect_error/errorCode/*",
            "allow_errors/*/errorCode",
            "allow_errors/*/errorCode/*",
        ),
        known_error_code,
    ),
    Check("account profile exists", ("{given}/account",), known_account),
    Check("media file exists", ("{given}/devices/*/file",), media_file_exists),
    Check("jitter within latency", ("{given}/network", "{step}/fault/network"), jitter_within_latency),
    Check("fault changes something", ("{step}/fault",), fault_changes_something),
    Check("participant exists", ("{step}/as", "{step}/fault/session/remove"), participant_exists),
    Check("account switches and values", ("{step}/fault/session/account",), account_settings),
    Check("SDK method in the typings", ("{step}/call", "{step}/args/**/$call", "{step}/*/match/**/$call"), sdk_method),
    Check("SDK event in the typings", ("{step}/wait_for_event/name", "{step}/on_event/name"), sdk_event),
)


def run_checks(tree: Tree, checks: tuple[Check, ...] = CHECKS) -> None:
    """Run every check on the values it matches, in file order; raises the first problem."""
    participants = tuple(tree.data.get("participants") or ()) or (DEFAULT_PARTICIPANT,)
    ctx = Context(tree, participants)
    compiled = [(check, _pattern(check.patterns)) for check in checks]
    for path in tree.nodes:
        joined = SEPARATOR.join(map(str, path))
        for check, pattern in compiled:
            if pattern.fullmatch(joined):
                check.run(ctx, path, tree.data_at(path))


SEPARATOR = "\x1f"  # between the keys of a path when matched (a character no key of a scenario holds)


@cache
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for a check's patterns: `*` one key, `**` any number, `{step}` a step's place."""
    expressions = []
    for pattern in _expanded(patterns):
        parts = pattern.split("/")
        expression = ""
        for index, part in enumerate(parts):
            if part == "**":  # any number of keys, each followed by the separator
                expression += f"(?:[^{SEPARATOR}]+{SEPARATOR})*"
                continue
            expression += f"[^{SEPARATOR}]+" if part == "*" else re.escape(part)
            expression += "" if index == len(parts) - 1 else SEPARATOR
        expressions.append(expression)
    return re.compile("|".join(f"(?:{expression})" for expression in expressions))


def _expanded(patterns: tuple[str, ...]) -> Iterator[str]:
    macros = {"{step}": STEP_PATHS, "{given}": GIVEN_PATHS}
    for pattern in patterns:
        macro = next((name for name in macros if name in pattern), None)
        if macro is None:
            yield pattern
        else:
            yield from _expanded(tuple(pattern.replace(macro, place) for place in macros[macro]))
