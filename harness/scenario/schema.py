"""The JSON Schema of scenario files, generated from the loader's own vocabulary so an editor and the loader agree.

The shipped copy (`schema.json` next to this module) lets an editor validate and complete scenarios, e.g. with the
VS Code YAML extension: `# yaml-language-server: $schema=../harness/scenario/schema.json` at the top of a file.
Regenerate it after changing the loader, the model, the SDK surface or the error catalog:

    .venv/bin/python -m harness.scenario.schema          # add --check to only report whether it is stale

The schema declares draft 2020-12 but uses only keywords draft 7 also knows (the YAML language server validates with
draft 7 rules), and never puts keywords beside `$ref`. The loader stays the judge: it also checks what a schema
cannot say (participant names used by `as:` and `session: {remove: ...}`, media files existing on disk, jitter not
larger than latency).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.catalog import codes as catalog_codes
from harness.scenario import loader, model, step_params
from harness.scenario.sdk_surface import EVENTS, TARGETS
from harness.service.accounts import SWITCHES, account_names

__all__ = ["REGENERATE", "Vocabulary", "build_schema", "render", "schema_path", "vocabulary", "write_schema"]

Schema = dict[str, Any]

REGENERATE = "python -m harness.scenario.schema"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# harness.durations.parse_duration strips the text, then accepts a number and one of its units.
DURATION_PATTERN = r"^\s*\d+(\.\d+)?(ms|s|m|h)\s*$"
SIGNED_DURATION_PATTERN = r"^\s*-?\d+(\.\d+)?(ms|s|m|h)\s*$"
# A close code a peer may send: 1000 (normal) or the application range (RFC 6455 §7.4.2).
WEBSOCKET_CLOSE_CODES: tuple[Schema, ...] = ({"const": 1000}, {"type": "integer", "minimum": 3000, "maximum": 4999})


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words the schema enumerates, read from the loader and the model.

    `supplied` names the constants the loader does not expose (yet), whose values come from the fallbacks here.
    """

    given_keys: tuple[str, ...]
    fault_keys: tuple[str, ...]
    device_states: tuple[str, ...]
    fault_device_states: tuple[str, ...]
    max_device_count: int
    media_file_suffix: Mapping[str, str]
    network_states: tuple[str, ...]
    fault_network_states: tuple[str, ...]
    http_aborts: tuple[str, ...]
    within_actions: tuple[str, ...]
    token_signatures: tuple[str, ...]
    supplied: tuple[str, ...]


def vocabulary() -> Vocabulary:
    supplied: list[str] = []

    def exposed(name: str, fallback: Any) -> Any:
        for module in (model, loader, step_params):
            if hasattr(module, name):
                return getattr(module, name)
        supplied.append(name)
        return fallback

    shared = tuple(key for key in loader.GIVEN_KEYS if key not in loader.GIVEN_ONLY_KEYS)
    return Vocabulary(
        given_keys=tuple(loader.GIVEN_KEYS),
        fault_keys=(*shared, *(key for key in loader.FAULT_ONLY_KEYS if key not in shared)),
        device_states=tuple(model.DEVICE_STATES),
        fault_device_states=tuple(model.FAULT_DEVICE_STATES),
        max_device_count=model.MAX_DEVICE_COUNT,
        media_file_suffix=dict(loader.MEDIA_FILE_SUFFIX),
        network_states=tuple(model.NETWORK_STATES),
        fault_network_states=tuple(model.FAULT_NETWORK_STATES),
        http_aborts=tuple(model.HTTP_ABORTS),
        # The one the loader keeps inline (in its check of `token: {signature}`).
        within_actions=tuple(exposed("WITHIN_ACTIONS", ())),
        token_signatures=tuple(exposed("TOKEN_SIGNATURES", ("valid", "bad", "none"))),
        supplied=tuple(supplied),
    )


def schema_path() -> Path:
    """The shipped schema file (package data of `harness`)."""
    return Path(__file__).with_name("schema.json")


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path | None = None) -> Path:
    """Regenerate the shipped schema (or write it to `path`); returns where it was written."""
    target = path or schema_path()
    target.write_text(render(build_schema()), encoding="utf-8")
    return target


def build_schema() -> Schema:
    words = vocabulary()
    return {
        "$schema": DRAFT,
        "title": "Scenario",
        "description": (
            "One scenario of the Zoom Video SDK (Web) harness, language version 1 (SCENARIO-SPEC.md). "
            f"Generated from the loader by `{REGENERATE}`: do not edit."
        ),
        "type": "object",
        "properties": _pick(_top_level(), loader.TOP_LEVEL, "top-level key"),
        "required": ["name", "steps"],
        "additionalProperties": False,
        "$defs": {
            "text": {"type": "string", "minLength": 1},
            "participant_name": {"type": "string", "pattern": loader.NAME_PATTERN.pattern},
            "error_code": {
                "description": "An SDK error code from the error catalog.",
                "enum": sorted(catalog_codes()),
            },
            "error_pattern": _error_pattern(),
            "given": _world(words, words.given_keys, mid_session=False),
            "fault": _world(words, words.fault_keys, mid_session=True),
            "network_conditions": _network_conditions(),
            "http_fault": _http_fault(words),
            "step": _step(words),
            "argument": _argument(),
        },
    }


def _argument() -> Schema:
    """A call argument: a plain value, or a reference the page resolves ($userId, $element, $file, $call)."""
    references = {
        "$userId": {"$userId": _text("A participant's display name.")},
        "$element": {"$element": _text("A CSS selector.")},
        "$file": {
            "$file": {
                "type": "object",
                "properties": {"name": _text(), "size": {"type": "integer", "minimum": 0}, "type": {"type": "string"}},
                "required": ["name", "size"],
                "additionalProperties": False,
            }
        },
        "$call": {"$call": _text("TARGET.getter"), "index": {"type": "integer"}, "field": _text()},
    }
    _pick(references, loader.REFERENCES, "argument reference")
    shapes: list[Schema] = [
        {"type": ["string", "number", "boolean", "null"]},
        {"type": "array", "items": _ref("argument")},
        {
            "type": "object",
            "propertyNames": {"not": {"pattern": "^\\$"}},
            "additionalProperties": _ref("argument"),
        },
    ]
    for name, properties in references.items():
        shapes.append({"type": "object", "properties": properties, "required": [name], "additionalProperties": False})
    return {"anyOf": shapes}


def _pick(table: Mapping[str, Schema], names: Iterable[str], what: str) -> Schema:
    """The schemas of `names` in the loader's order; a name without one is drift this module must catch up with."""
    missing = [name for name in names if name not in table]
    if missing:
        raise LookupError(f"harness/scenario/schema.py does not describe the {what} {missing[0]!r}: add it there")
    return {name: table[name] for name in names}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _text(description: str | None = None) -> Schema:
    schema: Schema = {"type": "string", "minLength": 1}
    if description:
        schema["description"] = description
    return schema


def _duration(description: str, default: str | None = None) -> Schema:
    schema: Schema = {"type": "string", "pattern": DURATION_PATTERN, "description": description}
    if default is not None:
        schema["default"] = default
    return schema


def _choice(choices: Iterable[str], description: str | None = None, default: str | None = None) -> Schema:
    schema: Schema = {"enum": list(choices)}
    if description:
        schema["description"] = description
    if default is not None:
        schema["default"] = default
    return schema


def _mapping(
    properties: Schema, *, required: Iterable[str] = (), nullable: bool = False, description: str | None = None
) -> Schema:
    """A mapping with exactly these keys; `nullable` where the loader reads an empty value as an empty mapping."""
    schema: Schema = {"type": ["object", "null"] if nullable else "object"}
    if description:
        schema["description"] = description
    schema["properties"] = properties
    if required:
        schema["required"] = list(required)
    schema["additionalProperties"] = False
    return schema


def _top_level() -> dict[str, Schema]:
    return {
        "name": {
            "description": "Unique name: lower-case words joined by '-'; `pytest --scenario NAME` runs it.",
            "type": "string",
            "pattern": loader.NAME_PATTERN.pattern,
        },
        "summary": _text("One sentence a support engineer understands."),
        "tags": {"description": "Usable with -m / -k.", "type": "array", "items": _ref("text")},
        "codes": {
            "description": "The SDK error codes this scenario reproduces.",
            "type": "array",
            "items": _ref("error_code"),
        },
        "browsers": {
            "description": "Where the scenario is valid (default: all).",
            "type": "array",
            "items": _choice(model.BROWSERS),
            "default": list(model.BROWSERS),
        },
        "sdk": {
            "description": "Which SDK implementations the scenario is valid for.",
            "type": "array",
            "items": _choice(model.SDKS),
            "default": ["double"],
        },
        "timeout": _duration("Whole-scenario bound of wall time, e.g. 30s.", "30s"),
        "given": _ref("given"),
        "participants": {
            "description": "Who is in the session (default: one participant `me`, role host).",
            "type": "object",
            "minProperties": 1,
            "propertyNames": _ref("participant_name"),
            "additionalProperties": _mapping(
                {
                    "role": _choice(model.ROLES, default="attendee"),
                    "given": _ref("given"),
                },
                nullable=True,
            ),
        },
        "steps": {"type": "array", "minItems": 1, "items": _ref("step")},
        "allow_errors": {
            "description": "SDK errors that may occur without failing the scenario.",
            "type": "array",
            "items": _ref("error_pattern"),
        },
    }


def _error_pattern() -> Schema:
    code = {"anyOf": [_ref("error_code"), {"type": "array", "minItems": 1, "items": _ref("error_code")}]}
    table = {
        "errorCode": {"description": "An SDK error code, or a list meaning any of them.", **code},
        "type": _text(),
        "reason": _text("The exact reason."),
        "reason_contains": _text(),
        "subCode": {"type": "integer"},
        "name": _text("The browser exception's name, for raw errors with no Zoom code (e.g. TypeError)."),
        "message_contains": _text("Text the raw error's message contains."),
    }
    return {
        "description": "An SDK error to match: every given field must match.",
        "type": "object",
        "minProperties": 1,
        "properties": _pick(table, loader.PATTERN_KEYS, "error pattern key"),
        "additionalProperties": False,
    }


def _world(words: Vocabulary, keys: tuple[str, ...], *, mid_session: bool) -> Schema:
    kinds = _world_kinds(words, mid_session=mid_session)
    if mid_session:
        return {
            "description": "Change the world mid-session.",
            "type": "object",
            "minProperties": 1,
            "properties": _pick(kinds, keys, "fault kind"),
            "additionalProperties": False,
        }
    return _mapping(_pick(kinds, keys, "given key"), nullable=True, description="The world before the page loads.")


def _world_kinds(words: Vocabulary, *, mid_session: bool) -> dict[str, Schema]:
    network_states = words.fault_network_states if mid_session else words.network_states
    return {
        "permissions": _mapping(
            {
                **{kind: _choice(model.PERMISSION_STATES) for kind in model.MEDIA_KINDS},
                model.PAN_TILT_ZOOM: _choice(
                    model.PAN_TILT_ZOOM_STATES, "Use and move the camera (a pan/tilt/zoom camera the page may steer)."
                ),
                **(
                    {}
                    if mid_session
                    else {
                        model.SCREEN: _choice(
                            model.SCREEN_PERMISSION_STATES, "What the person answers in the screen picker."
                        )
                    }
                ),
            },
            nullable=True,
            description="Browser permission per device kind.",
        ),
        "devices": _mapping(
            {
                **{kind: _device(words, kind, mid_session=mid_session) for kind in model.MEDIA_KINDS},
                **(
                    {
                        model.SCREEN: _choice(
                            model.FAULT_SCREEN_STATES, "stopped: the person clicks 'Stop sharing' in the browser."
                        )
                    }
                    if mid_session
                    else {}
                ),
            },
            nullable=True,
            description="Media devices of the computer.",
        ),
        "network": {
            "description": "The network state, or conditions applied to HTTP and WebSocket frames.",
            "anyOf": [_choice(network_states, default=None if mid_session else "online"), _ref("network_conditions")],
        },
        "http": {
            "description": "Requests matching url (a glob) get this answer instead of the server's.",
            "anyOf": [_ref("http_fault"), {"type": "array", "minItems": 1, "items": _ref("http_fault")}],
        },
        "assets": _choice(
            model.ASSET_STATES, "The SDK's dependent assets: blocked answers 404.", None if mid_session else "served"
        ),
        "platform": _mapping(
            {name: {"type": "boolean", "default": True} for name in model.PLATFORM_CAPABILITIES},
            nullable=True,
            description="Capabilities removed (false) before the page's scripts run.",
        ),
        "firewall": _mapping(
            {target: _choice(model.FIREWALL_STATES) for target in model.FIREWALL_TARGETS},
            description="What a firewall between the participant and Zoom blocks: media = the media servers.",
        ),
        "system": _mapping(
            _pick(
                {
                    "os": _choice(model.SYSTEM_OSES, "The operating system the browser reports (its user agent)."),
                    "cpu_cores": {
                        "description": "navigator.hardwareConcurrency.",
                        "type": "integer",
                        "minimum": 1,
                        "maximum": model.MAX_CPU_CORES,
                    },
                },
                model.SYSTEM_KEYS,
                "system key",
            ),
            nullable=True,
            description="The computer as the browser reports it.",
        ),
        "account": _choice(tuple(account_names()), "Name of an account profile of the session service."),
        "clock": _choice(model.CLOCK_MODES, "virtual: timers run only when a step advances them.", "real"),
        "websocket": _mapping(
            {
                "url": {**_text("Which sockets (a glob)."), "default": "**"},
                "close": {"description": "Close code: 1000 or 3000-4999.", "anyOf": list(WEBSOCKET_CLOSE_CODES)},
                "reason": _text(),
            },
            required=("close",),
            description="Close open WebSockets with this code.",
        ),
        "session": {
            "description": "The session service acts as the host or back end would: exactly one of these.",
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                "remove": _ref("participant_name"),
                "end": {"const": True},
                "account": {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"enum": list(SWITCHES)},
                    "additionalProperties": {"anyOf": [_SCALAR, {"type": "array", "items": _SCALAR}]},
                },
            },
            "additionalProperties": False,
        },
    }


_SCALAR: Schema = {"type": ["string", "number", "boolean", "null"]}


def _device(words: Vocabulary, kind: str, *, mid_session: bool) -> Schema:
    states = model.device_states(kind, words.fault_device_states if mid_session else words.device_states)
    long_form: Schema = {"state": _choice(states, default="present")}
    if not mid_session:
        long_form["count"] = {"type": "integer", "minimum": 1, "maximum": words.max_device_count}
        suffix = words.media_file_suffix.get(kind)
        media_file = _text(f"A {suffix} file the fake {kind} plays, relative to the scenario file.")
        if suffix:
            media_file["pattern"] = re.escape(suffix) + "$"
        long_form["file"] = media_file
        long_form["clip"] = _choice(model.MEDIA_CLIPS[kind])
    return {"anyOf": [_choice(states), _mapping(long_form)]}


def _network_conditions() -> Schema:
    return {
        "type": "object",
        "minProperties": 1,
        "properties": {
            "latency": _duration("Added delay of every byte both ways, e.g. 300ms."),
            "jitter": _duration("Give or take this much (not more than latency)."),
        },
        "additionalProperties": False,
    }


def _http_fault(words: Vocabulary) -> Schema:
    outcomes = ("status", "abort", "restore")
    return {
        "description": "Exactly one of status, abort or restore.",
        "type": "object",
        "properties": {
            "url": _text('A glob such as "**/wc/lsdk*".'),
            "status": {"type": "integer", "minimum": 100, "maximum": 599},
            "body": _text("The answer's body (with status only)."),
            "abort": _choice(words.http_aborts, "How the request fails, as the browser reports it."),
            "restore": {"const": True, "description": "Undo an earlier http fault for this url."},
        },
        "required": ["url"],
        "additionalProperties": False,
        "oneOf": [{"required": [outcome]} for outcome in outcomes],
        "if": {"required": ["body"]},
        "then": {"required": ["status"]},
    }


def _step(words: Vocabulary) -> Schema:
    rules: list[Schema] = []
    for action in loader.ACTIONS:
        barred = [modifier for modifier in loader.MODIFIERS if not _modifier_applies(words, modifier, action)]
        if barred:
            rules.append({"if": {"required": [action]}, "then": {"properties": dict.fromkeys(barred, False)}})
    rules.append({"not": {"required": ["expect", "expect_error"]}})
    return {
        "description": "Exactly one action, plus modifiers.",
        "type": "object",
        "properties": {
            **_pick(_actions(words), loader.ACTIONS, "step action"),
            **_pick(_modifiers(), loader.MODIFIERS, "step modifier"),
        },
        "additionalProperties": False,
        "oneOf": [{"required": [action]} for action in loader.ACTIONS],
        "allOf": rules,
    }


def _modifier_applies(words: Vocabulary, modifier: str, action: str) -> bool:
    if modifier == "as":
        return True
    if modifier in ("expect", "expect_error"):
        return action in loader.PROMISE_ACTIONS
    if modifier == "within":
        return action in words.within_actions
    if modifier == "args":
        return action == "call"
    raise LookupError(f"harness/scenario/schema.py does not know which steps take the modifier {modifier!r}")


def _modifiers() -> dict[str, Schema]:
    return {
        "as": _ref("participant_name"),
        "expect": _choice(("resolved",), "The call's promise resolves."),
        "expect_error": _ref("error_pattern"),
        "within": _duration("Bound of the wait, e.g. 5s."),
        "args": {"description": "The call's arguments.", "type": "array", "items": _ref("argument")},
    }


def _actions(words: Vocabulary) -> dict[str, Schema]:
    def mapping_action(action: str, params: Mapping[str, Schema], description: str, **kw: Any) -> Schema:
        keys = loader.ACTION_KEYS[action]
        return _mapping(_pick(params, keys, f"{action} key"), description=description, **kw)

    join_params = {
        "topic": {"type": "string"},
        "name": {"type": "string"},
        "password": {"type": "string"},
        "role": _choice(model.ROLES),
        "token": _token(words),
    }
    return {
        "open": mapping_action("open", {}, "Load the app page.", nullable=True),
        "init": mapping_action(
            "init", {key: _text() for key in loader.ACTION_KEYS["init"]}, "client.init(...)", nullable=True
        ),
        "join": mapping_action("join", join_params, "Mint a JWT and client.join(...).", nullable=True),
        "call": {
            "description": "An SDK method: TARGET.method.",
            "enum": [f"{target}.{method}" for target, methods in TARGETS.items() for method in methods],
        },
        "click": _text("A CSS selector of the app's UI to click."),
        "fill": mapping_action(
            "fill", {"selector": _text(), "value": _text()}, "Type into a field.", required=("selector", "value")
        ),
        "fault": _ref("fault"),
        "wait_for_event": mapping_action(
            "wait_for_event",
            {
                "name": _choice(EVENTS, "The SDK event, e.g. connection-change."),
                "match": {"type": ["object", "string", "number", "boolean", "null"]},
            },
            "Wait for an SDK event whose payload contains match.",
            required=("name",),
        ),
        "on_event": mapping_action(
            "on_event",
            {
                "name": _choice(EVENTS, "The SDK event, e.g. connection-change."),
                "match": {"type": ["object", "string", "number", "boolean", "null"]},
                "then": {
                    "description": "The call the page makes inside the event's handler, with its expect or "
                    "expect_error (checked once every step has run).",
                    "allOf": [_ref("step"), {"required": ["call"]}, {"properties": {"as": False, "within": False}}],
                },
            },
            "When the page hears this event, it makes the call from the handler, as an app's listener does.",
            required=("name", "then"),
        ),
        "advance_clock": _duration("With clock: virtual, run timers forward."),
        "sleep": _duration("A real wait (prefer events and the virtual clock)."),
        "expect_text": mapping_action(
            "expect_text",
            {"selector": _text(), "contains": _text()},
            "The app shows this to the user.",
            required=("selector", "contains"),
        ),
        "leave": mapping_action("leave", {"end": {"type": "boolean"}}, "client.leave()", nullable=True),
        "together": {
            "description": "Calls started in one moment, none waiting for another (a double click); "
            "each is checked against its own expect or expect_error.",
            "type": "array",
            "minItems": 2,
            "items": {
                "allOf": [
                    _ref("step"),
                    {"oneOf": [{"required": [action]} for action in loader.TOGETHER_ACTIONS]},
                    {"properties": {"as": False, "within": False}},
                ]
            },
        },
    }


def _token(words: Vocabulary) -> Schema:
    """Claim overrides: any claim may be set, so this mapping is open; iat/exp also take relative durations."""
    relative = {"if": {"type": "string"}, "then": {"pattern": SIGNED_DURATION_PATTERN}}
    return {
        "description": "Claim overrides, e.g. {exp: -10m}, {tpc: other}, {signature: bad}.",
        "type": ["object", "null"],
        "properties": {
            "signature": _choice(words.token_signatures),
            "iat": relative,
            "exp": relative,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE, description="Regenerate the shipped scenario JSON Schema.")
    parser.add_argument("--check", action="store_true", help="only report whether the shipped schema is current")
    options = parser.parse_args(argv)
    path = schema_path()
    if options.check:
        current = path.is_file() and path.read_text(encoding="utf-8") == render(build_schema())
        print(f"{path}: {'current' if current else f'stale: run {REGENERATE}'}")
        return 0 if current else 1
    print(f"wrote {write_schema()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
