"""schema.json is the language: the loader accepts what it describes, an editor (draft 7) agrees, and the lists
other code needs are read from it, so the two cannot disagree."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from real_packages import dist

from harness import ScenarioInputError
from harness.durations import parse_duration
from harness.scenario import schema
from harness.scenario.checks import CHECKS
from harness.scenario.loader import parse_scenario
from harness.scenario.sdk_surface import EVENTS, TARGETS

ROOT = Path(__file__).resolve().parents[1]
CATALOG = sorted((ROOT / "harness" / "scenarios").glob("*.yaml"))
# What the YAML language server applies, whatever `$schema` says: it must give the loader's structural verdicts.
EDITOR = Draft7Validator({key: value for key, value in schema.SCHEMA.items() if key != "$schema"})


def editor_errors(text: str) -> list[str]:
    return [error.message for error in EDITOR.iter_errors(yaml.safe_load(text))]


def loader_error(text: str, path: str = "s.yaml") -> str | None:
    try:
        parse_scenario(text, path)
    except ScenarioInputError as error:
        return str(error)
    return None


def test_schema_is_a_valid_json_schema_for_draft_2020_12_and_draft_7() -> None:
    assert schema.main() == 0


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_catalog_scenarios_are_valid_for_an_editor(path: Path) -> None:
    assert editor_errors(path.read_text(encoding="utf-8")) == []


def test_the_words_other_code_uses_are_read_from_the_schema() -> None:
    step = schema.DEFS["step"]
    assert tuple(branch["required"][0] for branch in step["oneOf"]) == schema.ACTIONS
    assert set(schema.ACTIONS) | set(schema.MODIFIERS) == set(step["properties"])
    assert schema.MODIFIERS == ("as", "expect", "expect_error", "expect_value", "within", "args")
    assert tuple(schema.SCHEMA["properties"]) == schema.TOP_LEVEL
    # `given` names the mid-session keys only to refuse them, and a fault the given-only ones.
    assert "websocket" not in schema.GIVEN_KEYS and "clock" in schema.GIVEN_KEYS
    assert "clock" not in schema.FAULT_KEYS and "session" in schema.FAULT_KEYS
    assert schema.default("timeout") == "30s"


GOOD = {
    "world": "name: x\ngiven:\n  permissions: {camera: prompt-dismissed, microphone: denied-by-system}\n"
    "  devices: {camera: busy, microphone: absent}\n  network: offline\n  assets: blocked\n"
    "  account: default\n  clock: virtual\n  firewall:\nsteps: [open: {}]\n",
    "empty-values": "name: x\ngiven:\n  permissions:\nparticipants:\n  host:\nsteps:\n  - open:\n  - init:\n"
    "  - join:\n  - leave:\n",
    "device-long-form": "name: x\ngiven: {devices: {camera: {state: present, count: 2, clip: bars}, microphone: {count: 4}}}\n"
    "steps:\n  - fault: {devices: {camera: unplugged, microphone: {state: unplugged}, screen: stopped}}\n"
    "  - fault: {devices: {camera: stops, microphone: {state: stops}}}\n",
    "network-conditions": "name: x\ngiven: {network: {latency: 300ms, jitter: 50ms}}\nsteps:\n"
    "  - fault: {network: {latency: 1s}}\n  - fault: {network: blackhole}\n",
    "http": "name: x\ngiven: {http: {url: '**/wc/lsdk*', status: 502, body: oops}}\nsteps:\n"
    "  - fault: {http: [{url: '**/cdn/**', abort: namenotresolved}, {url: '**/wc/lsdk*', restore: true}]}\n",
    "websocket": "name: x\nsteps:\n  - fault: {websocket: {close: 4000}}\n"
    "  - fault: {websocket: {url: '**/ws/**', close: 1000, reason: bye}}\n"
    "  - fault: {websocket: {url: '**/instantsdk/**', close: 4000, at: next-connection}}\n",
    "session": "name: x\nparticipants: {host: {role: host}, guest: {}}\nsteps:\n"
    "  - fault: {session: {remove: guest}}\n  - fault: {session: {account: {video: false, chat_file_allowed_types: [pdf, png]}}}\n"
    "  - fault: {session: {end: true}}\n",
    "steps": "name: x\nparticipants:\n  host: {role: host}\n  guest: {role: attendee, given: {permissions: "
    "{camera: denied}}}\nsteps:\n  - init: {dependent_assets: local}\n"
    "  - join: {topic: t, name: alice, password: '', role: host, token: {exp: -10m, tpc: other, signature: bad}}\n"
    "    within: 10s\n  - call: stream.startVideo\n    as: guest\n    args: [{mute: true}, {$userId: alice}]\n"
    "    expect_error: {errorCode: [5002, 5003], type: T, reason: r, reason_contains: c, subCode: 4}\n"
    "  - call: client.getSessionInfo\n    expect: resolved\n"
    "  - wait_for_event: {name: connection-change, match: {state: Connected}}\n    within: 2s\n"
    "  - wait_for_event: {name: connection-change, match: }\n  - advance_clock: 1.5s\n  - sleep: 200ms\n"
    "  - click: '#start'\n  - fill: {selector: '#name', value: bob}\n"
    "  - expect_text: {selector: '#status', contains: ok}\n"
    "  - together: [{call: stream.startVideo}, {leave: {}, expect: resolved}]\n    within: 2s\n"
    "  - on_event: {name: connection-change, then: {call: stream.startAudio, expect_error: {errorCode: 6002}}}\n"
    "  - leave: {end: true}\n"
    "allow_errors: [{errorCode: 6100}, {name: TypeError}]\ntimeout: 2m\ntags: [a]\ncodes: [6100]\n"
    "browsers: [firefox]\nsdk: [real]\n",
    "references": "name: x\nsteps:\n  - call: chat.sendFile\n    args: [{$file: {name: a.pdf, size: 0, type: application/pdf}}]\n"
    "  - call: subsession.openSubsessions\n    args: [{$call: subsession.getSubsessionList, index: 0, field: id}]\n"
    "  - call: stream.startShareScreen\n    args: [{$element: '#v'}, {nested: [{$userId: me}]}]\n",
}


@pytest.mark.parametrize("text", GOOD.values(), ids=GOOD.keys())
def test_good_files_load_and_an_editor_agrees(text: str) -> None:
    assert loader_error(text) is None
    assert editor_errors(text) == []


# Refused by the schema: the loader's message and an editor's verdict come from the same description.
STRUCTURE = {
    "unknown-top-key": (
        "name: x\nstep: []\nsteps: [open: {}]\n",
        "2:1: unknown key 'step' in the scenario (did you mean 'steps'?)",
    ),
    "two-actions": (
        "name: x\nsteps:\n  - call: stream.startVideo\n    join: {}\n",
        "4:5: step 1 has two actions, 'call' and 'join': put each in its own step",
    ),
    "no-action": ("name: x\nsteps:\n  - expect: resolved\n", "3:5: step 1 has no action; expected one of: open, init,"),
    "unknown-step-key": (
        "name: x\nsteps:\n  - call: stream.startVideo\n    expect_errors: {errorCode: 6100}\n",
        "4:5: unknown step key 'expect_errors' (did you mean 'expect_error'?); actions are: open,",
    ),
    "bad-duration": (
        "name: x\ntimeout: 5 s\nsteps: [open: {}]\n",
        "2:10: timeout: bad duration '5 s': write a number and a unit",
    ),
    "negative-duration": ("name: x\nsteps:\n  - sleep: -5s\n", "3:12: sleep must not be negative, got '-5s'"),
    "duration-not-a-string": (
        "name: x\nsteps:\n  - wait_for_event: {name: connection-change}\n    within: 5\n",
        "4:13: within: bad duration 5: write a number and a unit",
    ),
    "bad-name": ("name: X_Y\nsteps: [open: {}]\n", "1:7: name 'X_Y' must be lower-case words joined by '-'"),
    "empty-steps": ("name: x\nsteps: []\n", "2:8: steps must list at least one step"),
    "missing-name": ("steps: [open: {}]\n", "1:1: missing required key 'name'"),
    "empty-pattern": (
        "name: x\nallow_errors: [{}]\nsteps: [open: {}]\n",
        "2:16: entry of allow_errors must name at least one of: errorCode, type,",
    ),
    "unknown-browser": (
        "name: x\nbrowsers: [chrome]\nsteps: [open: {}]\n",
        "2:12: unknown browser 'chrome' (did you mean 'chromium'?)",
    ),
    "unknown-permission": (
        "name: x\ngiven: {permissions: {camera: allowed}}\nsteps: [open: {}]\n",
        "2:31: unknown permission 'allowed'; expected one of: granted,",
    ),
    "permission-not-a-word": (
        "name: x\ngiven: {permissions: {camera: 5}}\nsteps: [open: {}]\n",
        "2:31: given.permissions.camera must be one of: granted,",
    ),
    "capability-not-boolean": (
        "name: x\ngiven: {platform: {webassembly: nope}}\nsteps: [open: {}]\n",
        "2:33: given.platform.webassembly must be true or false, got 'nope'",
    ),
    "expect-on-fault": (
        "name: x\nsteps:\n  - fault: {network: offline}\n    expect: resolved\n",
        "4:5: expect applies to init, join, call, leave steps, not to 'fault'",
    ),
    "expect-and-expect-error": (
        "name: x\nsteps:\n  - call: stream.startVideo\n    expect: resolved\n    expect_error: {errorCode: 6100}\n",
        "5:5: a step has either expect: resolved or expect_error, not both",
    ),
    "within-on-click": (
        "name: x\nsteps:\n  - click: '#x'\n    within: 1s\n",
        "4:5: within does not apply to 'click' steps",
    ),
    "join-topic-not-string": (
        "name: x\nsteps:\n  - join: {topic: 42}\n",
        "3:19: join.topic must be a string (quote it), got 42",
    ),
    "token-bad-relative-time": (
        "name: x\nsteps:\n  - join: {token: {exp: soon}}\n",
        "3:25: join.token.exp: bad duration 'soon'",
    ),
    "fill-without-value": ("name: x\nsteps:\n  - fill: {selector: '#x'}\n", "3:11: fill needs 'value'"),
    "clock-in-fault": ("name: x\nsteps:\n  - fault: {clock: virtual}\n", "3:13: 'clock' is part of `given` only"),
    "websocket-in-given": (
        "name: x\ngiven: {websocket: {close: 4000}}\nsteps: [open: {}]\n",
        "2:9: 'websocket' happens mid-session",
    ),
    "unplugged-in-given": (
        "name: x\ngiven: {devices: {camera: unplugged}}\nsteps: [open: {}]\n",
        "2:27: a device is unplugged while in use, mid-session",
    ),
    "stops-in-given": (
        "name: x\ngiven: {devices: {microphone: stops}}\nsteps: [open: {}]\n",
        "2:31: a device stops capturing while in use, mid-session",
    ),
    "device-count-in-fault": (
        "name: x\nsteps:\n  - fault: {devices: {camera: {state: present, count: 2}}}\n",
        "3:48: unknown key 'count' in fault.devices.camera",
    ),
    "file-and-clip": (
        "name: x\ngiven: {devices: {camera: {file: a.y4m, clip: bars}}}\nsteps: [open: {}]\n",
        "2:41: the camera plays either a file or a clip, not both",
    ),
    "network-unknown-condition": (
        "name: x\nsteps:\n  - fault: {network: {loss: 5}}\n",
        "3:23: unknown key 'loss' in fault.network",
    ),
    "network-not-a-word": (
        "name: x\nsteps:\n  - fault: {network: 5}\n",
        "3:22: fault.network must be a mapping or one of: online, offline, blackhole; got 5",
    ),
    "http-status-and-abort": (
        "name: x\nsteps:\n  - fault: {http: {url: '**', status: 502, abort: failed}}\n",
        "3:44: an http fault needs exactly one of status, abort or restore",
    ),
    "http-body-without-status": (
        "name: x\nsteps:\n  - fault: {http: {url: '**', abort: failed, body: x}}\n",
        "3:46: body applies only with status",
    ),
    "http-restore-false": (
        "name: x\nsteps:\n  - fault: {http: {url: '**', restore: false}}\n",
        "3:40: restore: true undoes an earlier http fault",
    ),
    "websocket-close-too-high": (
        "name: x\nsteps:\n  - fault: {websocket: {close: 5000}}\n",
        "3:32: a close code sent by a peer is 1000 or 3000-4999, not 5000",
    ),
    "websocket-at-unknown": (
        "name: x\nsteps:\n  - fault: {websocket: {close: 4000, at: later}}\n",
        "3:42: unknown websocket.at 'later'; expected one of: now, next-connection",
    ),
    "session-two-things": (
        "name: x\nparticipants: {a: {}, b: {}}\nsteps:\n  - fault: {session: {remove: b, end: true}}\n",
        "4:22: a session fault does one thing",
    ),
    "unknown-reference": (
        "name: x\nsteps:\n  - call: stream.startVideo\n    args: [{$user: bob}]\n",
        "4:13: unknown reference '$user' (did you mean '$userId'?)",
    ),
    "together-with-a-fault": (
        "name: x\nsteps:\n  - together:\n      - call: stream.startVideo\n      - fault: {network: offline}\n",
        "5:9: together holds only call, leave, wait_for_event and advance_clock steps, not 'fault'",
    ),
    "on-event-then-not-a-call": (
        "name: x\nsteps:\n  - on_event: {name: connection-change, then: {join: {}}}\n",
        "3:47: on_event's 'then' is one call step, not 'join'",
    ),
}


@pytest.mark.parametrize(("text", "message"), STRUCTURE.values(), ids=STRUCTURE.keys())
def test_structural_problems_are_located_by_the_schema_and_an_editor_agrees(text: str, message: str) -> None:
    error = loader_error(text)
    assert error is not None and error.startswith(f"s.yaml:{message}"), error
    assert editor_errors(text), "an editor with the shipped schema accepts what the loader refuses"


# Beyond a schema: the named checks refuse these; the schema (and so an editor) accepts them.
CHECKED = {
    "error code in the catalog": "name: x\ncodes: [6199]\nsteps: [open: {}]\n",
    "SDK method in the typings": "name: x\nsteps:\n  - call: stream.startVidoe\n",
    "SDK event in the typings": "name: x\nsteps:\n  - wait_for_event: {name: conection-change}\n",
    "participant exists": "name: x\nsteps:\n  - join: {}\n    as: bob\n",
    "media file exists": "name: x\ngiven: {devices: {camera: {file: nope.y4m}}}\nsteps: [open: {}]\n",
    "jitter within latency": "name: x\ngiven: {network: {latency: 1ms, jitter: 5ms}}\nsteps: [open: {}]\n",
    "account profile exists": "name: x\ngiven: {account: nope}\nsteps: [open: {}]\n",
    "account switches and values": "name: x\nsteps:\n  - fault: {session: {account: {vidoe: false}}}\n",
    "fault changes something": "name: x\nsteps:\n  - fault: {permissions: {}}\n",
}


@pytest.mark.parametrize("name", [check.name for check in CHECKS])
def test_every_named_check_refuses_what_the_schema_lets_through(name: str) -> None:
    text = CHECKED[name]
    assert editor_errors(text) == [], "the schema refuses this already: the check is not needed for it"
    assert loader_error(text) is not None


@pytest.mark.parametrize(
    "duration", ["250ms", "5s", "2m", "1h", "1.5s", "0s", " 5s ", "-10m", "5", "5 s", "s", "1d", "5S", ".5s", "1.s"]
)
def test_the_duration_pattern_is_parse_duration(duration: str) -> None:
    try:
        parses = parse_duration(duration) >= 0
    except ValueError:
        parses = False
    assert (loader_error(f"name: x\ntimeout: '{duration}'\nsteps: [open: {{}}]\n") is None) == parses


@pytest.fixture
def edited_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A copy of the schema the loader uses for this test; after editing it, drop the validator built from it."""
    edited = copy.deepcopy(schema.SCHEMA)
    monkeypatch.setattr(schema, "SCHEMA", edited)
    monkeypatch.setattr(schema, "DEFS", edited["$defs"])
    schema.validator.cache_clear()
    yield edited
    schema.validator.cache_clear()


def test_a_key_added_to_the_schema_is_accepted_by_the_loader(edited_schema: dict[str, Any]) -> None:
    text = "name: x\ngiven: {weather: rain}\nsteps: [open: {}]\n"
    assert loader_error(text) == "s.yaml:2:9: unknown key 'weather' in given"
    edited_schema["$defs"]["given"]["properties"]["weather"] = {"title": "weather", "enum": ["sunny", "rain"]}
    schema.validator.cache_clear()
    assert loader_error(text) is None
    assert loader_error(text.replace("rain", "rian")) == (
        "s.yaml:2:18: unknown weather 'rian' (did you mean 'rain'?); expected one of: sunny, rain"
    )


def test_a_key_removed_from_the_schema_is_refused_with_its_place(edited_schema: dict[str, Any]) -> None:
    text = "name: x\ngiven: {clock: virtual}\nsteps:\n  - sleep: 1s\n"
    assert loader_error(text) is None
    del edited_schema["$defs"]["given"]["properties"]["clock"]
    schema.validator.cache_clear()
    assert loader_error(text) == "s.yaml:2:9: unknown key 'clock' in given"
    step = edited_schema["$defs"]["step"]
    del step["properties"]["sleep"]
    step["oneOf"] = [branch for branch in step["oneOf"] if branch != {"required": ["sleep"]}]
    schema.validator.cache_clear()
    error = loader_error(text.replace("{clock: virtual}", "{}"))
    assert error is not None and error.startswith("s.yaml:4:5: unknown step key 'sleep' (did you mean")


def test_the_docs_name_every_key_action_and_given_key() -> None:
    """docs/scenario-language.md describes the language the schema defines: no word of it goes unexplained."""
    doc = (ROOT / "docs" / "scenario-language.md").read_text(encoding="utf-8")
    words = {
        *schema.TOP_LEVEL,
        *schema.ACTIONS,
        *schema.MODIFIERS,
        *schema.GIVEN_KEYS,
        *schema.FAULT_KEYS,
        *schema.properties(schema.DEFS["error_pattern"]),
        "$userId",
        "$element",
        "$file",
        "$call",
    }
    prose = re.sub(r"```.*?```", "", doc, flags=re.S)  # the examples do not count: each word is explained
    code = " ".join(re.findall(r"`([^`]+)`", prose))
    missing = sorted(word for word in words if not re.search(rf"(?<![\w$]){re.escape(word)}(?!\w)", code))
    assert missing == [], f"docs/scenario-language.md does not explain: {', '.join(missing)}"


def test_the_docs_list_every_choice_of_the_world() -> None:
    doc = (ROOT / "docs" / "scenario-language.md").read_text(encoding="utf-8")
    choices: set[str] = set()
    for name in ("permission", "camera_state", "fault_camera_state", "fault_network_state", "assets", "firewall"):
        _collect_enums(schema.DEFS[name], choices)
    _collect_enums(schema.DEFS["http_fault"]["properties"]["abort"], choices)
    _collect_enums(schema.DEFS["given"]["properties"]["platform"], choices)
    missing = sorted(choice for choice in choices if choice not in doc)
    assert missing == [], f"docs/scenario-language.md does not mention: {', '.join(missing)}"


def _collect_enums(node: Any, into: set[str]) -> None:
    if isinstance(node, dict):
        into.update(str(value) for value in node.get("enum", ()))
        into.update(key for key in node.get("properties", {}) if isinstance(node["properties"][key], dict))
        for value in node.values():
            _collect_enums(value, into)
    elif isinstance(node, list):
        for value in node:
            _collect_enums(value, into)


TYPINGS = {
    "client": "videoclient.d.ts",
    "stream": "media.d.ts",
    "chat": "chat.d.ts",
    "cmd": "command.d.ts",
    "transcription": "live-transcription.d.ts",
    "livestream": "live-stream.d.ts",
    "subsession": "subsession.d.ts",
    "rtms": "real-time-media-streams.d.ts",
    "broadcast": "broadcast-streaming.d.ts",
    "voicetranslator": "voice-translator.d.ts",
    "incominglivestream": "incoming-live-stream.d.ts",
    "ZoomVideo": "zoomvideo.d.ts",
}
# preview.d.ts declares the objects the namespace hands out as interfaces (methods and function-typed members).
PREVIEW_INTERFACES = {
    "localVideoTrack": "LocalVideoTrack",
    "localAudioTrack": "LocalAudioTrack",
    "microphoneTest": "TestMicrophoneReturn",
    "speakerTest": "TestSpeakerReturn",
}


@pytest.mark.parametrize("target", sorted(TYPINGS))
def test_call_steps_may_name_every_method_the_typings_declare(target: str) -> None:
    """`call:` names and the probe's wrapped methods cover the package's whole public surface."""
    typings = dist() / "types" / TYPINGS[target]
    declared = set(re.findall(r"^\s+function (\w+)\b", typings.read_text(encoding="utf-8"), re.M)) - {"on", "off"}
    assert declared, f"no functions read from {typings}"
    assert sorted(declared - set(TARGETS[target])) == []


@pytest.mark.parametrize("target", sorted(PREVIEW_INTERFACES))
def test_call_steps_may_name_every_method_of_the_preview_objects(target: str) -> None:
    """The local tracks and the testers' handles: exactly the members preview.d.ts declares on them."""
    typings = (dist() / "types" / "preview.d.ts").read_text(encoding="utf-8")
    body = re.search(rf"interface {PREVIEW_INTERFACES[target]} \{{(.*?)\n\}}", typings, re.S)
    assert body, f"no interface {PREVIEW_INTERFACES[target]} in preview.d.ts"
    declared = re.findall(r"^ {2}(\w+)(?:\(|: \()", body.group(1), re.M)
    assert len(declared) >= 2
    assert sorted(declared) == sorted(TARGETS[target])


def test_every_event_a_scenario_may_name_is_declared_by_the_typings() -> None:
    typings = dist() / "types" / "videoclient.d.ts"
    declared = set(re.findall(r"event: '([a-z-]+)'", typings.read_text(encoding="utf-8")))
    assert declared, f"no events read from {typings}"
    assert sorted(set(EVENTS) - declared) == []
