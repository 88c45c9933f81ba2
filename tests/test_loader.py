"""The scenario loader: valid files load to the model; bad input gives one `file:line:col` message."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import ScenarioInputError, load_scenario
from harness.durations import parse_duration
from harness.scenario.loader import parse_scenario

CATALOG = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_catalog_scenarios_load_and_are_named_after_their_file(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert scenario.summary, "every catalog scenario has a summary a support engineer can read"
    assert scenario.codes, "every catalog scenario lists the codes it reproduces"


def test_headline_scenario_model() -> None:
    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "offline-mid-session.yaml")
    assert scenario.given.clock == "virtual"
    assert [step.action for step in scenario.steps][:3] == ["join", "fault", "wait_for_event"]
    call = scenario.steps[3]
    assert call.expect_error is not None and call.expect_error.error_codes == (5003,)
    assert call.expect_error.matches({"errorCode": 5003, "type": "IMPROPER_MEETING_STATE", "reason": "reconnecting"})
    assert not call.expect_error.matches({"errorCode": 5002, "type": "IMPROPER_MEETING_STATE", "reason": "closed"})
    assert [p.name for p in scenario.participants] == ["me"]


def test_error_code_lists_are_alternatives() -> None:
    scenario = parse_scenario(
        "name: x\nsteps:\n  - call: stream.startVideo\n    expect_error: {errorCode: [5002, 5003]}\n", "x.yaml"
    )
    pattern = scenario.steps[0].expect_error
    assert pattern is not None
    assert pattern.matches({"errorCode": 5002}) and pattern.matches({"errorCode": 5003})
    assert not pattern.matches({"errorCode": 6100})


def test_participants_merge_their_given_over_the_scenario_given() -> None:
    scenario = parse_scenario(
        "name: x\ngiven: {permissions: {camera: granted}, clock: virtual}\n"
        "participants:\n  host: {role: host}\n  guest: {role: attendee, given: {permissions: {camera: denied}}}\n"
        "steps:\n  - join: {}\n    as: guest\n",
        "x.yaml",
    )
    guest = scenario.participant("guest")
    assert guest.given.permissions == {"camera": "denied"} and guest.given.clock == "virtual"
    assert scenario.steps[0].participant == "guest"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "s.yaml:1:1: the file is empty: a scenario is a mapping with 'name' and 'steps'"),
        ("- a\n", "s.yaml:1:1: a scenario must be a mapping with 'name' and 'steps' at the top level"),
        ("name: x\nsteps: [ {call: x\n", "s.yaml:3:1: YAML syntax error: expected ',' or '}', but got '<stream end>'"),
        ("name: x\n", "s.yaml:1:1: missing required key 'steps'"),
        ("name: x\nstep: []\n", "s.yaml:2:1: unknown key 'step' in the scenario (did you mean 'steps'?)"),
        (
            "name: X_Y\nsteps: [open: {}]\n",
            "s.yaml:1:7: name 'X_Y' must be lower-case words joined by '-' (letters and digits)",
        ),
        ("name: x\nname: y\nsteps: [open: {}]\n", "s.yaml:2:1: duplicate key 'name' in the scenario (first at line 1)"),
        ("name: x\nsteps: []\n", "s.yaml:2:8: steps must list at least one step"),
        ("name: x\nsteps: {}\n", "s.yaml:2:8: steps must be a list, got a mapping"),
        (
            "name: x\ntimeout: 5 s\nsteps: [open: {}]\n",
            "s.yaml:2:10: timeout: bad duration '5 s': write a number and a unit, e.g. 250ms, 5s, 2m",
        ),
        (
            "name: x\ncodes: [6199]\nsteps: [open: {}]\n",
            "s.yaml:2:9: unknown SDK error code 6199: it is not in the error catalog",
        ),
        ("name: x\ncodes: [abc]\nsteps: [open: {}]\n", "s.yaml:2:9: each entry of codes must be an integer, got 'abc'"),
        (
            "name: x\nbrowsers: [chrome]\nsteps: [open: {}]\n",
            "s.yaml:2:12: unknown entry of browsers 'chrome' (did you mean 'chromium'?); expected one of: chromium, firefox",
        ),
        (
            "name: x\ngiven: {permissions: {camera: allowed}}\nsteps: [open: {}]\n",
            "s.yaml:2:31: unknown permission 'allowed'; expected one of: granted, denied, prompt-dismissed, denied-by-system",
        ),
        (
            "name: x\ngiven: {devices: {webcam: absent}}\nsteps: [open: {}]\n",
            "s.yaml:2:19: unknown key 'webcam' in device states",
        ),
        (
            "name: x\ngiven: {netwrok: offline}\nsteps: [open: {}]\n",
            "s.yaml:2:9: unknown key 'netwrok' in given (did you mean 'network'?)",
        ),
        (
            "name: x\ngiven: {platform: {webassembly: nope}}\nsteps: [open: {}]\n",
            "s.yaml:2:33: platform.webassembly must be true or false, got 'nope'",
        ),
        (
            "name: x\nsteps:\n  - call: stream.startVidoe\n",
            "s.yaml:3:11: unknown SDK method 'stream.startVidoe' (did you mean 'stream.startVideo'?)",
        ),
        (
            "name: x\nsteps:\n  - call: camera.start\n",
            "s.yaml:3:11: call 'camera.start' must be TARGET.method with TARGET one of: client, stream, chat, cmd, "
            "recording, transcription, livestream, subsession, whiteboard, rtms",
        ),
        (
            "name: x\nsteps:\n  - call: stream.startVideo\n    join: {}\n",
            "s.yaml:4:5: step 1 has two actions, 'call' and 'join': put each in its own step",
        ),
        (
            "name: x\nsteps:\n  - expect: resolved\n",
            "s.yaml:3:5: step 1 has no action; expected one of: open, init, join, call, click, fill, fault, "
            "wait_for_event, advance_clock, sleep, expect_text, leave",
        ),
        (
            "name: x\nsteps:\n  - call: stream.startVideo\n    as: bob\n",
            "s.yaml:4:9: unknown participant 'bob'; participants are: me",
        ),
        (
            "name: x\nsteps:\n  - call: stream.startVideo\n    expect_error: {errorcode: 6100}\n",
            "s.yaml:4:20: unknown key 'errorcode' in expect_error (did you mean 'errorCode'?)",
        ),
        (
            "name: x\nsteps:\n  - call: stream.startVideo\n    expect: rejected\n",
            "s.yaml:4:13: unknown expect 'rejected'; expected one of: resolved",
        ),
        (
            "name: x\nsteps:\n  - fault: {network: offline}\n    expect: resolved\n",
            "s.yaml:4:5: expect applies to init, join, call, leave steps, not to 'fault'",
        ),
        (
            "name: x\nsteps:\n  - advance_clock: soon\n",
            "s.yaml:3:20: advance_clock: bad duration 'soon': write a number and a unit, e.g. 250ms, 5s, 2m",
        ),
        (
            "name: x\nsteps:\n  - wait_for_event: {match: {state: Connected}}\n",
            "s.yaml:3:21: wait_for_event needs the event's name, e.g. {name: connection-change}",
        ),
        ("name: x\nsteps:\n  - join: {topic: 42}\n", "s.yaml:3:19: join.topic must be a string (quote it), got 42"),
        (
            "name: x\nsteps:\n  - fault: {}\n",
            "s.yaml:3:12: fault must change something, e.g. fault: {network: offline}",
        ),
        (
            "name: x\nsteps:\n  - open: {}\n---\nname: y\n",
            "s.yaml:5:1: one scenario per file: remove the second YAML document",
        ),
    ],
)
def test_bad_input_gives_one_located_message(text: str, message: str) -> None:
    with pytest.raises(ScenarioInputError) as caught:
        parse_scenario(text, "s.yaml")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_missing_file_is_reported_at_the_path(tmp_path: Path) -> None:
    with pytest.raises(ScenarioInputError, match=r"nope\.yaml:1:1: no such scenario file"):
        load_scenario(tmp_path / "nope.yaml")


@pytest.mark.parametrize(("text", "seconds"), [("250ms", 0.25), ("5s", 5.0), ("2m", 120.0), ("-10m", -600.0)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["5", "5 s", "s", "1d", ""])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="bad duration"):
        parse_duration(text)
