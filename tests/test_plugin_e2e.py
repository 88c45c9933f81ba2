"""The plugin end to end, in a subprocess with a real Chromium: what a user sees on the command line.

Most tests read one shared run (`shared`): a pytest process that plays their scenarios one after another, as a
user's run of several files would, so that each test does not pay for a process and a browser of its own. Each
test checks its own scenarios' outcomes and their own section of the report."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_runs import run_pytest

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "harness" / "scenarios"
HEADLINE = ("camera-denied", "no-microphone", "offline-mid-session")

# The shared run's own scenario files: each test's, by name.
CUSTOMER = (
    "summary: Mic blocked.\ncodes: [6010]\ngiven: {permissions: {microphone: denied}}\n"
    "steps:\n  - join: {topic: support, name: carla}\n  - call: stream.startAudio\n"
    "    expect_error: {errorCode: 6010, subCode: 1}\n"
)
APP_REJECTS = (
    "steps:\n  - join: {topic: ui, name: dan}\n  - click: '#mute'\n"
    "  - expect_text: {selector: '#error', contains: '6015'}\n"
)
NEVER_HEARD = (
    "steps:\n  - on_event:\n      name: connection-change\n      match: {state: Reconnecting}\n"
    "      then: {call: stream.startAudio}\n    within: 1s\n  - join: {topic: quiet, name: nina}\n"
)
SETTLES = "steps:\n  - join: {topic: quick, name: quinn}\n  - call: stream.startAudio\n    expect: pending\n"
NOBODY = (
    "steps:\n  - join: {topic: nobody, name: hal}\n"
    "  - call: client.makeHost\n    args: [{$userId: nobody}]\n    within: 1s\n"
)
PREVIEW = "sdk: [double]\ngiven: {devices: {microphone: absent}}\nsteps:\n  - call: ZoomVideo.createLocalAudioTrack\n"
TEST_MIC = "  - call: localAudioTrack.testMicrophone\n    args: [{}]\n"
FILES = {
    "camera-wrong": (CATALOG / "camera-denied.yaml")
    .read_text()
    .replace("name: camera-denied\n", "")
    .replace("errorCode: 6100", "errorCode: 6103"),
    "customer-report": CUSTOMER,
    "strict": APP_REJECTS,
    "allowed": "allow_errors: [{errorCode: 6015}]\n" + APP_REJECTS,
    "never-heard": NEVER_HEARD,
    "settles": SETTLES,
    "unawaited": PREVIEW + TEST_MIC + "  - sleep: 500ms\n",
    "accepted": PREVIEW + TEST_MIC + "  - wait_for_page_error: {name: NotFoundError}\n",
    "never": PREVIEW + "  - wait_for_page_error: {name: NotFoundError}\n    within: 1s\n",
    "value": PREVIEW + "  - call: localAudioTrack.getCurrentVolume\n    expect_value: 1\n",
    "nobody": NOBODY,
}


@dataclass
class SharedRun:
    output: str
    out: Path  # its artifacts
    folder: Path  # where its scenario files are

    def outcome(self, name: str) -> str:
        """PASSED or FAILED: the -v line of scenario `name` on Chromium."""
        found = re.search(rf"::{re.escape(name)}\[chromium\] (PASSED|FAILED|SKIPPED|ERROR)", self.output)
        assert found, f"no outcome for {name} in:\n{self.output[-3000:]}"
        return found.group(1)

    def artifact(self, name: str, file: str) -> Path:
        """`file` in the artifact folder of scenario `name`: it must be there."""
        paths = [path for path in self.out.rglob(file) if path.parent.name.endswith(f"-{name}-chromium")]
        assert paths, f"no {file} for {name} under {self.out}"
        return paths[0]

    def report(self, name: str) -> pytest.LineMatcher:
        """The failure section of scenario `name`: from its header to the next one."""
        report = re.split(r"^={3,} short test summary info", self.output, flags=re.MULTILINE)[0]
        sections = re.split(r"^_{3,} scenario (\S+) \[chromium\b.*_{3,}$", report, flags=re.MULTILINE)
        found = [text for header, text in zip(sections[1::2], sections[2::2], strict=True) if header == name]
        assert found, f"no failure section for {name} in:\n{self.output[-3000:]}"
        return pytest.LineMatcher(found[0].splitlines())


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> SharedRun:
    """The catalog's headline scenarios and the files above, in one pytest process started in a folder of its own;
    the files are in another, outside the repository (so a scenario file from anywhere runs)."""
    folder = tmp_path_factory.mktemp("elsewhere")  # the files, apart from where the run starts
    for name, text in FILES.items():
        (folder / f"{name}.yaml").write_text(f"name: {name}\n{text}", encoding="utf-8")
    out = folder / "out"
    args = [arg for name in HEADLINE for arg in ("--scenario", name)]
    args += [arg for name in FILES for arg in ("--scenario-file", str(folder / f"{name}.yaml"))]
    output = run_pytest(tmp_path_factory.mktemp("run"), "-v", "--scenario-dir", str(CATALOG), "--output", str(out), *args)  # fmt: skip
    return SharedRun(output, out, folder)


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


def test_headline_scenarios_pass(shared: SharedRun) -> None:
    assert [shared.outcome(name) for name in HEADLINE] == ["PASSED"] * 3
    assert "Reconnecting" in shared.artifact("offline-mid-session", "events.jsonl").read_text(), (
        "the run leaves its event log"
    )
    camera = shared.artifact("camera-denied", "events.jsonl").read_text()
    getters = [line for line in camera.splitlines() if '"getMediaStream"' in line]
    assert len(getters) == 1, "the app's own getMediaStream; the steps' way to the stream is not recorded as the app's"


def test_wrong_expectation_fails_naming_both_codes(shared: SharedRun) -> None:
    assert shared.outcome("camera-wrong") == "FAILED"
    shared.report("camera-wrong").fnmatch_lines(
        [
            "*failed at step 2 (call stream.startVideo)*camera-wrong.yaml:11:5*",
            "*expected a rejection with 6103 VIDEO_CAMERA_TAKEN*",
            "*observed: it rejected with 6100 VIDEO_CAMERA_PERMISSION_DENIED*NotAllowedError*",
        ]
    )
    assert shared.artifact("camera-wrong", "screenshot-me.png").stat().st_size, "a failing run leaves a screenshot"


def test_scenario_file_from_outside_the_repo_runs(shared: SharedRun) -> None:
    assert not shared.folder.is_relative_to(REPO)
    assert shared.outcome("customer-report") == "PASSED"


def test_apps_own_rejections_fail_the_scenario_unless_allowed(shared: SharedRun) -> None:
    assert (shared.outcome("strict"), shared.outcome("allowed")) == ("FAILED", "PASSED")
    shared.report("strict").fnmatch_lines(
        [
            "*SDK errors that no step expected*",
            "*stream.muteAudio (called by the app) rejected with 6015 AUDIO_NOT_STARTED*",
        ]
    )


def test_on_event_that_never_comes_fails_saying_so(shared: SharedRun) -> None:
    assert shared.outcome("never-heard") == "FAILED"
    shared.report("never-heard").fnmatch_lines(
        [
            "*failed at step 1 (on_event connection-change: call stream.startAudio)*never-heard.yaml:3:5*",
            "*expected the page to hear connection-change matching {'state': 'Reconnecting'} and call "
            "stream.startAudio from its handler*",
            "*observed connection-change events: [[]{'state': 'Connected'}[]]*",  # [[] is fnmatch for [
        ]
    )


def test_page_errors_and_values_of_the_preview(shared: SharedRun) -> None:
    """An uncaught page error fails the run unless a wait_for_page_error step accepts it; a step that waits
    for one that never comes fails saying what did come; expect_value shows the value observed."""
    outcomes = [shared.outcome(name) for name in ("unawaited", "accepted", "never", "value")]
    assert outcomes == ["FAILED", "PASSED", "FAILED", "FAILED"]
    shared.report("unawaited").fnmatch_lines(["*uncaught page error: NotFoundError: Requested device not found*"])
    shared.report("never").fnmatch_lines(
        [
            "*failed at step 2 (wait_for_page_error NotFoundError)*never.yaml:6:5*",
            "*expected an uncaught page error NotFoundError within 1s*",
            "*observed uncaught page errors: none*",
        ]
    )
    shared.report("value").fnmatch_lines(
        [
            "*failed at step 2 (call localAudioTrack.getCurrentVolume)*",
            "*expected the call to resolve with a value containing 1*",
            "*observed: it resolved with 0*",
        ]
    )


def test_a_call_expected_pending_fails_when_it_settles(shared: SharedRun) -> None:
    assert shared.outcome("settles") == "FAILED"
    shared.report("settles").fnmatch_lines(
        [
            "*failed at step 2 (call stream.startAudio)*settles.yaml:4:5*",
            "*expected stream.startAudio to stay pending*",
            "*observed: it resolved*",
        ]
    )


def test_a_participant_the_page_never_hears_of_is_one_line_and_the_lookups_are_not_the_apps(shared: SharedRun) -> None:
    """The call waits for the page to hear of `nobody`, waking on the page's changes: the harness's own lookups
    (getAllUser) are neither recorded as the app's calls nor changes that wake it again (no spinning)."""
    assert shared.outcome("nobody") == "FAILED"
    shared.report("nobody").fnmatch_lines(
        [
            '*nobody.yaml:4:5: {$userId: "nobody"}: no such participant in the session (there: hal), still unknown after 1s*'
        ]
    )
    events = shared.artifact("nobody", "events.jsonl").read_text()
    lookups = [line for line in events.splitlines() if '"getAllUser"' in line]
    assert len(lookups) <= 2, f"{len(lookups)} getAllUser calls recorded: the app's own are one or two"
