"""App mode end to end, in a subprocess with a real Chromium, as a user runs it: the catalog played on the two
fixture apps (built from the registry by fixture_apps.py), on an app served by another server, and the one line
each kind of bad input gets."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fixture_apps import BuildUnavailable, build
from pytest_runs import run_pytest

from harness.paths import web_dir
from harness.service.bundle import build_umd

pytestmark = pytest.mark.browser
CATALOG = Path(__file__).resolve().parents[1] / "harness" / "scenarios"
# An app written like Zoom's web sample takes everything from its URL and signs its JWT in the browser.
SAMPLE_QUERY = "topic={topic}&name={name}&password={password}&role={role}&sdkKey={sdkKey}&sdkSecret={sdkSecret}"
SAMPLE_QUERY += "&webEndpoint={webEndpoint}"
# The drop-in app asks its back end (POST /api/signature) for the JWT: the harness answers that request.
DROPIN = (
    "--app-query",
    "topic={topic}&name={name}&password={password}&role={role}",
    "--app-token-url",
    "**/api/signature",
)
HEADLINE = ("--scenario", "camera-denied", "--scenario", "no-microphone", "--scenario", "offline-mid-session")
SESSIONS = ("--scenario", "removed-by-host", "--scenario", "passcode-wrong", "--scenario", "host-ends-session")
# What the runtime asks over HTTP at the app's endpoint (broadcast streaming, /live/*) is answered there too.
SESSIONS += ("--scenario", "broadcast-already-in-progress")


def fixture_app(name: str) -> Path:
    try:
        return build(name)
    except BuildUnavailable as why:
        pytest.skip(f"the {name} fixture app cannot be built here: {why}")


@pytest.fixture(scope="session")
def sample_app() -> Path:
    return fixture_app("sample-app")


@pytest.fixture(scope="session")
def dropin_app() -> Path:
    return fixture_app("dropin-app")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--scenario-dir", str(CATALOG), "--output", str(pytester.path / "out"), *args,
        timeout=300,
    )  # fmt: skip


def scenario_file(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\n{text}", encoding="utf-8")
    return path


def tiny_app(folder: Path, script: str) -> Path:
    """A build folder whose page loads the double (its UMD form) and runs `script`."""
    folder.mkdir(parents=True)
    (folder / "sdk.js").write_text(build_umd(web_dir() / "double"), encoding="utf-8")
    page = f"<!doctype html><link rel=icon href='data:,'><script src='/sdk.js'></script><script>{script}</script>"
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served_elsewhere(sample_app: Path, tmp_path: Path) -> Iterator[str]:
    """The sample app on a server of its own (as a dev server would serve it), with the double's assets at /lib."""
    root = tmp_path / "site"
    shutil.copytree(sample_app, root)
    shutil.copytree(web_dir() / "double" / "lib", root / "lib")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


CANNOT_MEAN_ANYTHING = ("camera-blocked-shown-in-app", "joined-twice", "token-role-invalid")


@pytest.fixture(scope="module")
def on_sample_app(sample_app: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """One run on the sample app that both tests below read: the headline and session scenarios, and three that
    cannot mean anything on an app. Its output, and its HTML report."""
    folder = tmp_path_factory.mktemp("on-sample-app")
    report = folder / "report.html"
    skipped = [arg for name in CANNOT_MEAN_ANYTHING for arg in ("--scenario", name)]
    output = run_pytest(folder, "-v", "-rs", "--scenario-dir", str(CATALOG), "--output", str(folder / "out"),
                        "--app", str(sample_app), "--app-query", SAMPLE_QUERY, *HEADLINE, *SESSIONS, *skipped,
                        "--html-report", str(report))  # fmt: skip
    return output, report


def test_headline_and_session_scenarios_pass_on_the_app_that_signs_in_the_browser(
    on_sample_app: tuple[str, Path],
) -> None:
    output, report = on_sample_app
    names = [name for name in (*HEADLINE, *SESSIONS) if name != "--scenario"]
    pytest.LineMatcher(output.splitlines()).fnmatch_lines_random([f"*::{name}?chromium? PASSED*" for name in names])
    assert len(names) == 7 and "7 passed, 3 skipped" in output
    assert "(called by the app)" in report.read_text(encoding="utf-8"), "the timeline shows the app's own calls"


def test_what_cannot_mean_anything_on_an_app_skips_with_its_reason(on_sample_app: tuple[str, Path]) -> None:
    output, _ = on_sample_app
    pytest.LineMatcher(output.splitlines()).fnmatch_lines_random(
        [
            *(f"*::{name}?chromium? SKIPPED*" for name in CANNOT_MEAN_ANYTHING),
            "*app mode: step 1 (fill) acts on the harness's own sample page, which your app replaces*",
            "*app mode: step 2 joins me again while still in the session*",
            "*app mode: step 1 joins with JWT claims of its own (token: ...), and your app signs its own JWT*",
        ]
    )


def test_headline_passes_on_the_drop_in_app_with_its_token_from_the_harness(
    pytester: pytest.Pytester, dropin_app: Path
) -> None:
    run(pytester, "--app", str(dropin_app), *DROPIN, *HEADLINE).assert_outcomes(passed=3)


def test_an_app_served_by_another_server_works_the_same(pytester: pytest.Pytester, served_elsewhere: str) -> None:
    result = run(pytester, "--app", served_elsewhere, "--app-query", SAMPLE_QUERY, "--scenario", "camera-denied",
                 *SESSIONS)  # fmt: skip
    result.assert_outcomes(passed=5)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("--app", "{tmp}"),
            "ERROR: --app {tmp}: no index.html in this folder (give the app's build output, e.g. dist/)",
        ),
        (
            ("--app", "http://127.0.0.1:9/"),
            "ERROR: --app http://127.0.0.1:9/: no answer (*); is the app's server running?",
        ),
        (
            ("--app", "{tmp}", "--app-query", "t={topik}"),
            "ERROR: --app-query: unknown placeholder {topik} (did you mean {topic}?)*",
        ),
        (("--app-query", "t={topic}"), "ERROR: --app-query needs --app (the app to play the scenarios on)"),
    ],
)
def test_bad_options_are_one_line_before_anything_starts(
    pytester: pytest.Pytester, tmp_path: Path, args: tuple[str, ...], line: str
) -> None:
    if "--app-query" in args and "{tmp}" in args:
        (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    result = run(pytester, *(arg.replace("{tmp}", str(tmp_path)) for arg in args), "--scenario", "camera-denied")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([line.replace("{tmp}", str(tmp_path))])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


JOIN = "timeout: 7s\nsteps:\n  - join: {topic: tiny, name: tina}\n  - call: stream.startAudio\n"


NEVER_JOINS = [
    ("/* loads the SDK, never creates a client */",
     "*tiny.yaml:4:5: your app (--app *) created no Video SDK client before the scenario's 7s timeout ran out: the SDK double loaded, but "
     "nothing called ZoomVideo.createClient(), and window.zmClient is not set (--app-client names where*"),
    ("WebVideoSDK.default.createLocalAudioTrackz(); WebVideoSDK.default.createClient();",  # crashes at load
     "*expected your app to create a Video SDK client\n*observed: the page threw first: TypeError: "
     "WebVideoSDK.default.createLocalAudioTrackz is not a function"),
    ("WebVideoSDK.default.createClient().init('en-US', location.origin + '/lib');",
     "*tiny.yaml:4:5: your app (--app *) created a client but did not call client.join before the scenario's 7s timeout ran out (its calls: "
     "client.init); it must init and join by itself with what its URL gives it (--app-query 'topic={topic}')*"),
]  # fmt: skip


def test_an_app_that_never_creates_a_client_or_never_joins_fails_in_one_line_within_the_timeout(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Three apps, each in its own pytest process, run side by side: each mostly waits out the 7-s timeout."""
    started = []
    for index, (script, _) in enumerate(NEVER_JOINS):
        folder = tmp_path / f"app{index}"
        app = tiny_app(folder / "app", script)
        args = [sys.executable, "-m", "pytest", f"--basetemp={folder / 'tmp'}", "-p", "no:cacheprovider",
                "--scenario-dir", str(CATALOG), "--output", str(folder / "out"), "--app", str(app),
                "--app-query", "topic={topic}", "--scenario-file", str(scenario_file(folder, "tiny", JOIN))]  # fmt: skip
        started.append(
            pytester.popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
        )
    try:
        for process, (_, line) in zip(started, NEVER_JOINS, strict=True):
            output, _ = process.communicate(timeout=300)
            assert process.returncode == pytest.ExitCode.TESTS_FAILED, output[-3000:]
            assert "1 failed" in output and "Traceback" not in output
            pytest.LineMatcher(output.splitlines()).fnmatch_lines(line.split("\n"))
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.communicate()


def test_a_token_url_the_app_never_asks_is_one_line(pytester: pytest.Pytester, sample_app: Path) -> None:
    result = run(pytester, "--app", str(sample_app), "--app-query", SAMPLE_QUERY, "--app-token-url", "**/api/jwt",
                 "--scenario", "camera-denied")  # fmt: skip
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*camera-denied.yaml:10:5: your app joined, but it never requested a URL matching --app-token-url **/api/jwt*"]
    )


# An app that starts its camera by itself once joined, with the JWT the harness minted ({signature}).
SELF_STARTING = """
const query = new URLSearchParams(location.search);
const client = WebVideoSDK.default.createClient();
client.init('en-US', location.origin + '/lib')
  .then(() => client.join(query.get('topic'), query.get('signature'), query.get('name')))
  .then(() => client.getMediaStream().startVideo())
  .catch((error) => console.warn('the app saw', error));
"""
DENIED = (
    "given: {permissions: {camera: denied}}\ntimeout: 30s\nsteps:\n  - join: {topic: own, name: otto}\n  - sleep: 1s\n"
)


def test_the_app_s_own_rejections_pass_only_when_the_scenario_or_the_options_expect_them(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    app = str(tiny_app(tmp_path / "app", SELF_STARTING))
    expected = scenario_file(tmp_path, "own-expected", "codes: [6100]\n" + DENIED)
    unexpected = scenario_file(tmp_path, "own-unexpected", DENIED)
    options = ("--app", app, "--app-query", "topic={topic}&name={name}&signature={signature}")
    result = run(pytester, *options, "--scenario-file", str(expected), "--scenario-file", str(unexpected))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*SDK errors that no step expected and no allow_errors entry covers:*",
            "*[[]me] stream.startVideo (called by the app) rejected with 6100 VIDEO_CAMERA_PERMISSION_DENIED*",
        ]
    )
    allowed = run(pytester, *options, "--app-allow-errors", "6100", "--scenario-file", str(unexpected))
    allowed.assert_outcomes(passed=1)
