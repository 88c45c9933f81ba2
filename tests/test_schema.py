"""The shipped JSON Schema of scenarios: generated from the loader, and agreeing with it on good and bad files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.protocols import Validator

from harness import ScenarioInputError
from harness.catalog import codes as catalog_codes
from harness.paths import real_sdk_dir
from harness.scenario import loader, model
from harness.scenario.loader import parse_scenario
from harness.scenario.schema import REGENERATE, build_schema, render, schema_path, vocabulary
from harness.scenario.sdk_surface import TARGETS

CATALOG = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
SCHEMA = build_schema()


def _validators() -> list[Validator]:
    # Draft 7 is what the YAML language server applies, whatever `$schema` says: both must give the same verdicts.
    draft7 = {key: value for key, value in SCHEMA.items() if key != "$schema"}
    return [Draft202012Validator(SCHEMA), Draft7Validator(draft7)]


VALIDATORS = _validators()


def schema_errors(text: str) -> list[str]:
    """Each validator's messages for a scenario text; the validators must agree on whether it is valid."""
    document = yaml.safe_load(text)
    verdicts = [[error.message for error in validator.iter_errors(document)] for validator in VALIDATORS]
    assert bool(verdicts[0]) == bool(verdicts[1]), f"draft 2020-12 and draft 7 disagree: {verdicts}"
    return verdicts[0]


def loader_error(text: str, path: str = "s.yaml") -> str | None:
    try:
        parse_scenario(text, path)
    except ScenarioInputError as error:
        return str(error)
    return None


def test_shipped_schema_is_the_generated_one() -> None:
    path = schema_path()
    shipped = path.read_text(encoding="utf-8") if path.is_file() else ""
    if shipped != render(SCHEMA):
        changed = _changed_parts(json.loads(shipped or "{}"), SCHEMA)
        pytest.fail(f"{path} is stale (changed: {', '.join(changed)}): regenerate it with `.venv/bin/{REGENERATE}`")


def _changed_parts(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    parts = []
    for section in ("properties", "$defs"):
        before, after = old.get(section, {}), new.get(section, {})
        parts += [f"{section}.{key}" for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    return parts or ["layout"]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    Draft7Validator.check_schema({key: value for key, value in SCHEMA.items() if key != "$schema"})


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_catalog_scenarios_are_valid(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


GOOD = {
    "v1-world": "name: x\ngiven:\n  permissions: {camera: prompt-dismissed, microphone: denied-by-system}\n"
    "  devices: {camera: busy, microphone: absent}\n  network: offline\n  assets: blocked\n"
    "  account: default\n  clock: virtual\nsteps: [open: {}]\n",
    "empty-values": "name: x\ngiven:\n  permissions:\nparticipants:\n  host:\nsteps:\n  - open:\n  - init:\n"
    "  - join:\n  - leave:\n",
    "platform": "name: x\ngiven:\n  platform: {"
    + ", ".join(f"{name}: false" for name in model.PLATFORM_CAPABILITIES)
    + "}\nsteps: [open: {}]\n",
    "device-long-form": "name: x\ngiven: {devices: {camera: {state: present, count: 2}, microphone: {count: 4}}}\n"
    "steps:\n  - fault: {devices: {camera: unplugged, microphone: {state: unplugged}}}\n",
    "network-conditions": "name: x\ngiven: {network: {latency: 300ms, jitter: 50ms}}\nsteps:\n"
    "  - fault: {network: {latency: 1s}}\n  - fault: {network: blackhole}\n",
    "http": "name: x\ngiven: {http: {url: '**/wc/lsdk*', status: 502, body: oops}}\nsteps:\n"
    "  - fault: {http: [{url: '**/cdn/**', abort: namenotresolved}, {url: '**/wc/lsdk*', restore: true}]}\n",
    "websocket": "name: x\nsteps:\n  - fault: {websocket: {close: 4000}}\n"
    "  - fault: {websocket: {url: '**/ws/**', close: 1000, reason: bye}}\n",
    "session": "name: x\nparticipants: {host: {role: host}, guest: {}}\nsteps:\n"
    "  - fault: {session: {remove: guest}}\n  - fault: {session: {account: {video: false, chat_file_allowed_types: [pdf, png]}}}\n"
    "  - fault: {session: {end: true}}\n",
    "steps": "name: x\nparticipants:\n  host: {role: host}\n  guest: {role: attendee, given: {permissions: "
    "{camera: denied}}}\nsteps:\n  - init: {dependent_assets: local}\n"
    "  - join: {topic: t, name: alice, password: '', role: host, token: {exp: -10m, tpc: other, signature: bad}}\n"
    "    within: 10s\n  - call: stream.startVideo\n    as: guest\n    args: [{mute: true}]\n"
    "    expect_error: {errorCode: [5002, 5003], type: T, reason: r, reason_contains: c, subCode: 4}\n"
    "  - call: client.getSessionInfo\n    expect: resolved\n"
    "  - wait_for_event: {name: connection-change, match: {state: Connected}}\n    within: 2s\n"
    "  - wait_for_event: {name: connection-change, match: }\n  - advance_clock: 1.5s\n  - sleep: 200ms\n"
    "  - click: '#start'\n  - fill: {selector: '#name', value: bob}\n"
    "  - expect_text: {selector: '#status', contains: ok}\n  - leave: {end: true}\n"
    "allow_errors: [{errorCode: 6100}]\ntimeout: 2m\ntags: [a]\ncodes: [6100]\nbrowsers: [firefox]\nsdk: [real]\n",
}


@pytest.mark.parametrize("text", GOOD.values(), ids=GOOD.keys())
def test_good_files_pass_both(text: str) -> None:
    assert loader_error(text) is None
    assert schema_errors(text) == []


def test_device_file_passes_both(tmp_path: Path) -> None:
    (tmp_path / "clip.y4m").write_bytes(b"")
    text = "name: x\ngiven: {devices: {camera: {file: clip.y4m}}}\nsteps: [open: {}]\n"
    assert loader_error(text, str(tmp_path / "s.yaml")) is None
    assert schema_errors(text) == []


BAD = {
    "unknown-top-key": "name: x\nstep: []\nsteps: [open: {}]\n",
    "two-actions": "name: x\nsteps:\n  - call: stream.startVideo\n    join: {}\n",
    "two-actions-with-a-modifier": "name: x\nsteps:\n  - call: stream.startVideo\n    fault: {network: offline}\n"
    "    args: []\n",
    "no-action": "name: x\nsteps:\n  - expect: resolved\n",
    "unknown-step-key": "name: x\nsteps:\n  - call: stream.startVideo\n    expect_errors: {errorCode: 6100}\n",
    "bad-duration": "name: x\ntimeout: 5 s\nsteps: [open: {}]\n",
    "bad-duration-unit": "name: x\nsteps:\n  - advance_clock: 1d\n",
    "negative-duration": "name: x\nsteps:\n  - sleep: -5s\n",
    "duration-not-a-string": "name: x\nsteps:\n  - wait_for_event: {name: connection-change}\n    within: 5\n",
    "unknown-call-method": "name: x\nsteps:\n  - call: stream.startVidoe\n",
    "unknown-call-target": "name: x\nsteps:\n  - call: camera.start\n",
    "bad-name": "name: X_Y\nsteps: [open: {}]\n",
    "empty-steps": "name: x\nsteps: []\n",
    "missing-name": "steps: [open: {}]\n",
    "unknown-code": "name: x\ncodes: [6199]\nsteps: [open: {}]\n",
    "unknown-expected-code": "name: x\nsteps:\n  - call: stream.startVideo\n    expect_error: {errorCode: [6100, 6199]}\n",
    "empty-pattern": "name: x\nallow_errors: [{}]\nsteps: [open: {}]\n",
    "unknown-browser": "name: x\nbrowsers: [chrome]\nsteps: [open: {}]\n",
    "unknown-given-key": "name: x\ngiven: {netwrok: offline}\nsteps: [open: {}]\n",
    "unknown-permission": "name: x\ngiven: {permissions: {camera: allowed}}\nsteps: [open: {}]\n",
    "unknown-media-kind": "name: x\ngiven: {devices: {webcam: absent}}\nsteps: [open: {}]\n",
    "unknown-capability": "name: x\ngiven: {platform: {webgl: false}}\nsteps: [open: {}]\n",
    "capability-not-boolean": "name: x\ngiven: {platform: {webassembly: nope}}\nsteps: [open: {}]\n",
    "expect-on-fault": "name: x\nsteps:\n  - fault: {network: offline}\n    expect: resolved\n",
    "expect-rejected": "name: x\nsteps:\n  - call: stream.startVideo\n    expect: rejected\n",
    "expect-and-expect-error": "name: x\nsteps:\n  - call: stream.startVideo\n    expect: resolved\n"
    "    expect_error: {errorCode: 6100}\n",
    "args-on-join": "name: x\nsteps:\n  - join: {}\n    args: []\n",
    "within-on-click": "name: x\nsteps:\n  - click: '#x'\n    within: 1s\n",
    "join-unknown-key": "name: x\nsteps:\n  - join: {topic: t, user: bob}\n",
    "join-topic-not-string": "name: x\nsteps:\n  - join: {topic: 42}\n",
    "token-bad-signature": "name: x\nsteps:\n  - join: {token: {signature: forged}}\n",
    "token-bad-relative-time": "name: x\nsteps:\n  - join: {token: {exp: soon}}\n",
    "wait-without-name": "name: x\nsteps:\n  - wait_for_event: {match: {state: Connected}}\n",
    "fill-without-value": "name: x\nsteps:\n  - fill: {selector: '#x'}\n",
    "empty-fault": "name: x\nsteps:\n  - fault: {}\n",
    "clock-in-fault": "name: x\nsteps:\n  - fault: {clock: virtual}\n",
    "websocket-in-given": "name: x\ngiven: {websocket: {close: 4000}}\nsteps: [open: {}]\n",
    "blackhole-in-given": "name: x\ngiven: {network: blackhole}\nsteps: [open: {}]\n",
    "unplugged-in-given": "name: x\ngiven: {devices: {camera: unplugged}}\nsteps: [open: {}]\n",
    "device-count-too-high": "name: x\ngiven: {devices: {camera: {state: present, count: 5}}}\nsteps: [open: {}]\n",
    "device-count-in-fault": "name: x\nsteps:\n  - fault: {devices: {camera: {state: present, count: 2}}}\n",
    "device-file-wrong-kind": "name: x\ngiven: {devices: {microphone: {file: clip.y4m}}}\nsteps: [open: {}]\n",
    "network-bad-latency": "name: x\nsteps:\n  - fault: {network: {latency: fast}}\n",
    "network-unknown-condition": "name: x\nsteps:\n  - fault: {network: {loss: 5}}\n",
    "http-without-url": "name: x\nsteps:\n  - fault: {http: {status: 502}}\n",
    "http-status-and-abort": "name: x\nsteps:\n  - fault: {http: {url: '**', status: 502, abort: failed}}\n",
    "http-no-outcome": "name: x\nsteps:\n  - fault: {http: {url: '**'}}\n",
    "http-bad-status": "name: x\nsteps:\n  - fault: {http: {url: '**', status: 99}}\n",
    "http-unknown-abort": "name: x\nsteps:\n  - fault: {http: {url: '**', abort: dnsfailed}}\n",
    "http-body-without-status": "name: x\nsteps:\n  - fault: {http: {url: '**', abort: failed, body: x}}\n",
    "http-restore-false": "name: x\nsteps:\n  - fault: {http: {url: '**', restore: false}}\n",
    "http-empty-list": "name: x\nsteps:\n  - fault: {http: []}\n",
    "websocket-without-close": "name: x\nsteps:\n  - fault: {websocket: {url: '**'}}\n",
    "websocket-reserved-close": "name: x\nsteps:\n  - fault: {websocket: {close: 1006}}\n",
    "websocket-close-too-high": "name: x\nsteps:\n  - fault: {websocket: {close: 5000}}\n",
    "session-two-things": "name: x\nparticipants: {a: {}, b: {}}\nsteps:\n  - fault: {session: {remove: b, end: true}}\n",
    "session-end-false": "name: x\nsteps:\n  - fault: {session: {end: false}}\n",
    "session-empty-account": "name: x\nsteps:\n  - fault: {session: {account: {}}}\n",
}


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_bad_files_fail_both(text: str) -> None:
    assert loader_error(text) is not None, "the loader accepts this: move it to GOOD or fix the loader"
    assert schema_errors(text), "the schema accepts a file the loader rejects"


@pytest.mark.parametrize(
    "duration", ["250ms", "5s", "2m", "1h", "1.5s", "0s", " 5s ", "-10m", "5", "5 s", "s", "1d", "5S", ".5s", "1.s"]
)
def test_durations_agree_with_the_loader(duration: str) -> None:
    text = f"name: x\ntimeout: '{duration}'\nsteps: [open: {{}}]\n"
    assert (loader_error(text) is None) == (schema_errors(text) == []), loader_error(text)


def _step_schema() -> dict[str, Any]:
    step: dict[str, Any] = SCHEMA["$defs"]["step"]
    return step


def test_steps_name_the_loaders_actions_and_modifiers() -> None:
    step = _step_schema()
    assert list(step["properties"]) == [*loader.ACTIONS, *loader.MODIFIERS]
    assert [branch["required"] for branch in step["oneOf"]] == [[action] for action in loader.ACTIONS]
    mappings = {action: step["properties"][action] for action in loader.ACTION_KEYS}
    assert {action: tuple(schema["properties"]) for action, schema in mappings.items()} == loader.ACTION_KEYS
    assert list(SCHEMA["$defs"]["error_pattern"]["properties"]) == list(loader.PATTERN_KEYS)


def test_top_level_given_and_fault_keys_are_the_loaders() -> None:
    defs = SCHEMA["$defs"]
    assert list(SCHEMA["properties"]) == list(loader.TOP_LEVEL)
    assert list(defs["given"]["properties"]) == list(loader.GIVEN_KEYS)
    shared = [key for key in loader.GIVEN_KEYS if key not in loader.GIVEN_ONLY_KEYS]
    assert list(defs["fault"]["properties"]) == [*shared, *loader.FAULT_ONLY_KEYS]
    assert list(defs["given"]["properties"]["platform"]["properties"]) == list(model.PLATFORM_CAPABILITIES)


def test_call_paths_and_codes_are_the_documented_ones() -> None:
    paths = {f"{target}.{method}" for target, methods in TARGETS.items() for method in methods}
    assert set(_step_schema()["properties"]["call"]["enum"]) == paths
    assert set(SCHEMA["$defs"]["error_code"]["enum"]) == set(catalog_codes())


def test_extension_words_come_from_the_loader() -> None:
    # Only v1 words the loader keeps inline may still be supplied by schema.py; the rest must not drift.
    assert set(vocabulary().supplied) <= {"WITHIN_ACTIONS", "TOKEN_SIGNATURES"}
    assert SCHEMA["$defs"]["http_fault"]["properties"]["abort"]["enum"] == list(model.HTTP_ABORTS)


BAD_CORPUS = sorted((Path(__file__).resolve().parent / "bad_scenarios").glob("*.yaml"))
# What no JSON Schema can say: the YAML parser's own duplicate keys, names cross-referenced within the file,
# relations between two values, and files on disk. The loader alone reports these.
BEYOND_A_SCHEMA = ("duplicate key", "unknown participant", "jitter cannot be larger", "no such media file")


@pytest.mark.parametrize("path", BAD_CORPUS, ids=lambda p: p.stem)
def test_golden_bad_files_fail_the_schema_too(path: Path) -> None:
    message = path.with_suffix(".message").read_text(encoding="utf-8")
    if any(reason in message for reason in BEYOND_A_SCHEMA):
        pytest.skip(f"beyond a schema: {message.strip()}")
    try:
        errors = schema_errors(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return  # the editor reports YAML syntax errors itself
    assert errors, f"the schema accepts a file the loader rejects with: {message.strip()}"


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
}


@pytest.mark.skipif(real_sdk_dir() is None, reason="the real @zoom/videosdk package (its typings) is not installed")
@pytest.mark.parametrize("target", sorted(TYPINGS))
def test_call_steps_may_name_every_method_the_typings_declare(target: str) -> None:
    """`call:` names and the probe's wrapped methods cover the package's whole public surface."""
    typings = (real_sdk_dir() or Path()) / "types" / TYPINGS[target]
    declared = set(re.findall(r"^\s+function (\w+)\b", typings.read_text(encoding="utf-8"), re.M)) - {"on", "off"}
    assert declared, f"no functions read from {typings}"
    assert sorted(declared - set(TARGETS[target])) == []
