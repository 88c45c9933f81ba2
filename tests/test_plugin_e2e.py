"""The plugin end to end, in a subprocess with a real Chromium: what a user sees on the command line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "harness" / "scenarios"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--scenario-dir",
        str(CATALOG),
        "--output",
        str(pytester.path / "out"),
        *args,
        timeout=240,
    )


def test_headline_scenarios_pass(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        "-v",
        "--scenario",
        "camera-denied",
        "--scenario",
        "no-microphone",
        "--scenario",
        "offline-mid-session",
    )
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "*camera-denied?chromium? PASSED*",
            "*no-microphone?chromium? PASSED*",
            "*offline-mid-session?chromium? PASSED*",
        ]
    )
    events = (pytester.path / "out").rglob("events.jsonl")
    assert any("Reconnecting" in path.read_text() for path in events), "the run leaves its event log"


def test_wrong_expectation_fails_naming_both_codes(pytester: pytest.Pytester, tmp_path: Path) -> None:
    text = (CATALOG / "camera-denied.yaml").read_text().replace("errorCode: 6100", "errorCode: 6103")
    wrong = tmp_path / "elsewhere" / "camera-wrong.yaml"
    wrong.parent.mkdir()
    wrong.write_text(text.replace("name: camera-denied", "name: camera-wrong"))
    result = run(pytester, "--scenario-file", str(wrong))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*failed at step 2 (call stream.startVideo)*camera-wrong.yaml:11:5*",
            "*expected a rejection with 6103 VIDEO_CAMERA_TAKEN*",
            "*observed: it rejected with 6100 VIDEO_CAMERA_PERMISSION_DENIED*NotAllowedError*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    shots = list((pytester.path / "out").rglob("screenshot-me.png"))
    assert shots, "a failing run leaves a screenshot of the page"


def test_scenario_file_from_outside_the_repo_runs(pytester: pytest.Pytester, tmp_path: Path) -> None:
    customer = tmp_path / "customer-report.yaml"
    customer.write_text(
        "name: customer-report\nsummary: Mic blocked.\ncodes: [6010]\n"
        "given: {permissions: {microphone: denied}}\n"
        "steps:\n  - join: {topic: support, name: carla}\n  - call: stream.startAudio\n"
        "    expect_error: {errorCode: 6010, subCode: 1}\n"
    )
    run(pytester, "--scenario-file", str(customer)).assert_outcomes(passed=1)


def test_malformed_scenario_gives_one_located_line(pytester: pytest.Pytester, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nsteps:\n  - call: stream.startVidoe\n")
    result = run(pytester, "--scenario-file", str(bad))
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*bad.yaml:3:11: unknown SDK method 'stream.startVidoe' (did you mean 'stream.startVideo'?)*"]
    )
    assert "Traceback" not in result.stdout.str() and "Traceback" not in result.stderr.str()


def test_unknown_scenario_name_is_a_usage_error_with_closest_names(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--scenario", "camera-denid")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--scenario camera-denid: no scenario with that name*closest: camera-denied*"])


def test_apps_own_rejections_fail_the_scenario_unless_allowed(pytester: pytest.Pytester, tmp_path: Path) -> None:
    body = (
        "steps:\n  - join: {topic: ui, name: dan}\n  - click: '#mute'\n"
        "  - expect_text: {selector: '#error', contains: '6015'}\n"
    )
    strict = tmp_path / "strict.yaml"
    strict.write_text("name: strict\n" + body)
    result = run(pytester, "--scenario-file", str(strict))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*SDK errors that no step expected*",
            "*stream.muteAudio (called by the app) rejected with 6015 AUDIO_NOT_STARTED*",
        ]
    )
    allowed = tmp_path / "allowed.yaml"
    allowed.write_text("name: allowed\nallow_errors: [{errorCode: 6015}]\n" + body)
    run(pytester, "--scenario-file", str(allowed)).assert_outcomes(passed=1)


def test_browser_that_does_not_exist_is_one_clear_error(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--scenario", "camera-denied", "--browser-executable", "/nonexistent/chromium")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*--browser-executable names '/nonexistent/chromium', which is not an executable*"])


LEAKY = """name: a-changes-everything
summary: Changes permissions, routes, network, clock and the session, then ends without undoing anything.
given: {clock: virtual}
participants:
  host: {role: host}
  guest: {role: attendee}
steps:
  - join: {topic: shared-topic, name: hal}
  - join: {topic: shared-topic, name: gus}
    as: guest
  - fault: {permissions: {camera: denied, microphone: prompt-dismissed}}
  - fault: {devices: {camera: unplugged}}
  - fault: {http: {url: "**/wc/lsdk*", status: 502}}
  - fault: {network: {latency: 200ms}}
  - fault: {session: {remove: guest}}
  - fault: {network: offline}
"""

CLEAN = """name: b-expects-a-normal-world
summary: Runs after the first in the same browser and must see none of its changes.
steps:
  - join: {topic: shared-topic, name: gus}
  - call: stream.startVideo
    expect: resolved
  - call: stream.startAudio
    expect: resolved
  - wait_for_event: {name: connection-change, match: {state: Connected}}
"""


def test_nothing_leaks_between_scenarios_sharing_a_browser(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """Same launch flags, so one browser: the second scenario gets fresh contexts, routes, clock and
    network, and a session service that does not remember the first run's removal of 'gus'."""
    (tmp_path / "a.yaml").write_text(LEAKY)
    (tmp_path / "b.yaml").write_text(CLEAN)
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-v",
        "--scenario-file",
        str(tmp_path / "a.yaml"),
        "--scenario-file",
        str(tmp_path / "b.yaml"),
        timeout=240,
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*a-changes-everything*PASSED*", "*b-expects-a-normal-world*PASSED*"])


def test_repeat_junit_html_and_trace(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """--repeat runs each scenario N times and says whether any changed outcome; JUnit carries the codes
    expected and observed; the HTML report holds the matrix and a timeline; a failing run keeps its trace."""
    wrong = tmp_path / "camera-wrong.yaml"
    wrong.write_text(
        (CATALOG / "camera-denied.yaml")
        .read_text()
        .replace("name: camera-denied", "name: camera-wrong")
        .replace("errorCode: 6100", "errorCode: 6103")
    )
    junit, report = tmp_path / "junit.xml", tmp_path / "report.html"
    result = run(
        pytester,
        "--scenario",
        "camera-denied",
        "--scenario-file",
        str(wrong),
        "--repeat",
        "2",
        "--junitxml",
        str(junit),
        "--html-report",
        str(report),
    )
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*--repeat: no scenario changed outcome*", "*HTML report written to*"])
    xml = junit.read_text()
    assert 'name="expected_code" value="6100"' in xml and 'name="observed_code" value="6100"' in xml
    page = report.read_text()
    assert "Code coverage" in page and "camera-wrong[chromium]" in page and "VIDEO_CAMERA_PERMISSION_DENIED" in page
    traces = list((pytester.path / "out").rglob("trace-me.zip"))
    assert traces and all("camera-wrong" in str(trace) for trace in traces), "only failing runs keep a trace"
    with zipfile.ZipFile(traces[0]) as trace:
        events = trace.read("trace.trace").decode()
    assert '"type":"console"' in events or '"type":"before"' in events, "the lean trace holds the actions"
    assert "screencast-frame" not in events and "frame-snapshot" not in events, "no screencast or DOM snapshots"


def test_flaky_variants_are_those_whose_outcome_changed() -> None:
    from harness.pytest_results import flaky_variants

    seen = {"a[chromium]": ["passed", "passed"], "b[chromium]": ["passed", "failed", "passed"]}
    assert flaky_variants(seen) == {"b[chromium]": ["passed", "failed", "passed"]}


def test_parallel_workers_give_the_serial_results(pytester: pytest.Pytester) -> None:
    """pytest -n 2: each worker has its own session service, browsers and state; outcomes are the serial ones
    (these catalog scenarios pass run one after another: test_headline_scenarios_pass and the catalog itself)."""
    names = ("camera-denied", "removed-by-host", "offline-mid-session")  # a device, two participants, a clock
    args = [arg for name in names for arg in ("--scenario", name)]
    result = run(pytester, "-rA", *args, "-n", "2")
    lines = [line for line in result.stdout.lines if line.startswith(("PASSED", "FAILED", "SKIPPED", "ERROR"))]
    outcomes = {line.split("::")[-1].split(" ")[0]: line.split(" ")[0] for line in lines}
    assert outcomes == {f"{name}[chromium]": "PASSED" for name in names}
    assert "2 workers" in result.stdout.str(), "the run was spread over two workers"


def test_on_event_that_never_comes_fails_saying_so(pytester: pytest.Pytester, tmp_path: Path) -> None:
    never = tmp_path / "never-heard.yaml"
    never.write_text(
        "name: never-heard\nsteps:\n"
        "  - on_event:\n      name: connection-change\n      match: {state: Reconnecting}\n"
        "      then: {call: stream.startAudio}\n    within: 1s\n"
        "  - join: {topic: quiet, name: nina}\n"
    )
    result = run(pytester, "--scenario-file", str(never))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*failed at step 1 (on_event connection-change: call stream.startAudio)*never-heard.yaml:3:5*",
            "*expected the page to hear connection-change matching {'state': 'Reconnecting'} and call "
            "stream.startAudio from its handler*",
            "*observed connection-change events: [[]{'state': 'Connected'}[]]*",  # [[] is fnmatch for [
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_page_errors_and_values_of_the_preview(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """An uncaught page error fails the run unless a wait_for_page_error step accepts it; a step that waits
    for one that never comes fails saying what did come; expect_value shows the value observed."""
    head = "sdk: [double]\ngiven: {devices: {microphone: absent}}\nsteps:\n  - call: ZoomVideo.createLocalAudioTrack\n"
    test_mic = "  - call: localAudioTrack.testMicrophone\n    args: [{}]\n"
    files = {
        "unawaited": head + test_mic + "  - sleep: 500ms\n",
        "accepted": head + test_mic + "  - wait_for_page_error: {name: NotFoundError}\n",
        "never": head + "  - wait_for_page_error: {name: NotFoundError}\n    within: 1s\n",
        "value": head + "  - call: localAudioTrack.getCurrentVolume\n    expect_value: 1\n",
    }
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(f"name: {name}\n" + text)
    result = run(
        pytester, "-v", *(arg for name in files for arg in ("--scenario-file", str(tmp_path / f"{name}.yaml")))
    )
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "*accepted?chromium? PASSED*",
            "*uncaught page error: NotFoundError: Requested device not found*",
            "*failed at step 2 (wait_for_page_error NotFoundError)*never.yaml:6:5*",
            "*expected an uncaught page error NotFoundError within 1s*",
            "*observed uncaught page errors: none*",
            "*failed at step 2 (call localAudioTrack.getCurrentVolume)*",
            "*expected the call to resolve with a value containing 1*",
            "*observed: it resolved with 0*",
        ]
    )


def test_a_call_expected_pending_fails_when_it_settles(pytester: pytest.Pytester, tmp_path: Path) -> None:
    settles = tmp_path / "settles.yaml"
    settles.write_text(
        "name: settles\nsteps:\n"
        "  - join: {topic: quick, name: quinn}\n"
        "  - call: stream.startAudio\n    expect: pending\n"
    )
    result = run(pytester, "--scenario-file", str(settles))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*failed at step 2 (call stream.startAudio)*settles.yaml:4:5*",
            "*expected stream.startAudio to stay pending*",
            "*observed: it resolved*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
