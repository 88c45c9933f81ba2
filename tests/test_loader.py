"""The scenario loader: valid files load to the model; bad input gives one `file:line:col` message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness import ScenarioInputError, load_scenario, pytest_plugin
from harness.durations import parse_duration
from harness.scenario import names, tree
from harness.scenario.loader import parse_scenario

CATALOG = sorted((Path(__file__).resolve().parents[1] / "harness" / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_catalog_scenarios_load_and_are_named_after_their_file(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert scenario.summary, "every catalog scenario has a summary a support engineer can read"
    observes = any(
        step.action in ("wait_for_event", "expect_text", "wait_for_page_error")
        or step.expect_error
        or step.expect_value
        for step in scenario.steps
    )
    assert scenario.codes or observes, "a catalog scenario lists the codes it reproduces, or observes an event"


def test_headline_scenario_model() -> None:
    scenario = load_scenario(Path(__file__).resolve().parents[1] / "harness" / "scenarios" / "offline-mid-session.yaml")
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


def test_expect_value_keeps_null_apart_from_no_expectation() -> None:
    scenario = parse_scenario(
        "name: x\nsteps:\n  - call: ZoomVideo.createLocalAudioTrack\n  - call: localAudioTrack.testMicrophone\n"
        "    expect_value: null\n  - call: ZoomVideo.getDevices\n    expect_value: [{kind: videoinput}]\n",
        "x.yaml",
    )
    first, second, third = scenario.steps
    assert first.expect_value is None
    assert second.expect_value is not None and second.expect_value.value is None
    assert third.expect_value is not None and third.expect_value.value == [{"kind": "videoinput"}]


def test_wait_for_page_error_takes_a_name_and_or_a_text() -> None:
    scenario = parse_scenario(
        "name: x\nsteps:\n  - wait_for_page_error: {name: NotFoundError}\n    within: 2s\n"
        "  - wait_for_page_error: {message_contains: Failed to fetch}\n",
        "x.yaml",
    )
    named, texted = scenario.steps
    assert named.params == {"name": "NotFoundError", "message_contains": None} and named.within == 2.0
    assert texted.params == {"name": None, "message_contains": "Failed to fetch"}
    assert named.title() == "wait_for_page_error NotFoundError"


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


BAD = Path(__file__).resolve().parent / "bad_scenarios"


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.stem)
def test_golden_bad_input_gives_its_one_located_message(path: Path) -> None:
    """The golden corpus: each malformed file has exactly the message in its `.message` twin."""
    expected = path.with_suffix(".message").read_text(encoding="utf-8").rstrip("\n").replace("{path}", str(path))
    with pytest.raises(ScenarioInputError) as caught:
        load_scenario(path)
    assert str(caught.value) == expected
    assert "\n" not in str(caught.value)


def test_golden_corpus_is_large_enough_and_complete() -> None:
    cases = sorted(BAD.glob("*.yaml"))
    assert len(cases) >= 25
    assert all(case.with_suffix(".message").is_file() for case in cases)


@pytest.mark.parametrize("path", CATALOG[::7], ids=lambda p: p.stem)
def test_libyaml_and_pure_python_yaml_give_the_same_model(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The C parser is only faster: every place a message or a step points at is the same."""
    fast = load_scenario(path)
    monkeypatch.setattr(tree, "FastLoader", yaml.SafeLoader)
    assert load_scenario(path) == fast


def test_yaml_syntax_errors_keep_pyyamls_words_when_libyaml_parses() -> None:
    with pytest.raises(ScenarioInputError, match=r"x\.yaml:2:1: YAML syntax error: found character '\\t'"):
        parse_scenario("name: x\n\tsteps: []\n", "x.yaml")


def test_a_value_that_contains_itself_is_one_located_line() -> None:
    with pytest.raises(ScenarioInputError, match=r"x\.yaml:2:8: args contains itself"):
        parse_scenario("name: x\nsteps: &s\n  - call: stream.startVideo\n    args: *s\n", "x.yaml")


def _catalog_copy(folder: Path) -> Path:
    for name in ("camera-denied", "no-microphone"):
        (folder / f"{name}.yaml").write_text(
            (CATALOG[0].parent / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (folder / "renamed.yaml").write_text("name: not-its-stem\nsteps: [open: {}]\n", encoding="utf-8")
    (folder / "broken.yaml").write_text("name: broken\nsteps: []\n", encoding="utf-8")
    return folder


def test_a_scenario_named_after_its_file_is_found_without_reading_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _catalog_copy(tmp_path)
    read: list[Path] = []
    monkeypatch.setattr(names, "load_scenario", lambda path: read.append(path) or load_scenario(path))
    assert pytest_plugin.resolve_names(["camera-denied"], [folder]) == [folder / "camera-denied.yaml"]
    assert read == [folder / "camera-denied.yaml"]


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("not-its-stem", ["renamed.yaml"]),  # its file is named otherwise: the index finds it
        ("camera-*", ["camera-denied.yaml"]),  # a glob matches names, not files
        ("*-microphone", ["no-microphone.yaml"]),
        ("broken", ["broken.yaml"]),  # a file that does not load is indexed by its stem, so its error shows
    ],
)
def test_globs_and_names_that_differ_from_the_file_fall_back_to_the_index(
    tmp_path: Path, name: str, found: list[str]
) -> None:
    folder = _catalog_copy(tmp_path)
    assert pytest_plugin.resolve_names([name], [folder]) == [folder / file for file in found]


def test_a_file_named_after_a_scenario_it_does_not_hold_is_not_taken_for_it(tmp_path: Path) -> None:
    (tmp_path / "alpha.yaml").write_text("name: beta\nsteps: [open: {}]\n", encoding="utf-8")
    (tmp_path / "gamma.yaml").write_text("name: alpha\nsteps: [open: {}]\n", encoding="utf-8")
    assert pytest_plugin.resolve_names(["alpha"], [tmp_path]) == [tmp_path / "gamma.yaml"]


def test_an_unknown_name_is_a_usage_error_with_the_closest_names(tmp_path: Path) -> None:
    folder = _catalog_copy(tmp_path)
    with pytest.raises(pytest.UsageError, match=r"--scenario camera-denid: no scenario with that name.*camera-denied"):
        pytest_plugin.resolve_names(["camera-denid"], [folder])
