"""`harness repro`: the scenario it writes for a report, its verdicts, the order of the timeline an agent attaches,
and, in a real browser, reports reproduced end to end."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.artifacts import timeline
from harness.catalog import describe
from harness.errors import HarnessError
from harness.explain import explain
from harness.explain.repro import Expected, customer_os, verdict, write
from harness.explain.scenarios import catalog
from harness.html_report import story
from harness.scenario.loader import load_scenario


def harness(*args: str) -> list[str]:
    return [sys.executable, "-m", "harness.cli", *args]


def test_the_written_scenario_quotes_the_report_and_fits_the_customer(tmp_path: Path) -> None:
    report = "startAudio fails on her laptop:\nNotFoundError: The object can not be found here."
    repro = write(explain(report), "firefox", "windows", tmp_path)
    text = repro.path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Written by `harness repro` for a customer report:\n#   > startAudio fails on her laptop:\n"
    )
    assert "#   > NotFoundError: The object can not be found here." in text
    scenario = load_scenario(repro.path)  # the loader accepts what repro writes
    assert scenario.name == "repro-no-microphone-firefox" and scenario.browsers == ("firefox",)
    assert scenario.given.system == {"os": "windows"} and scenario.given.devices["microphone"] == "absent"
    assert repro.expected == Expected("videosdk", 6010, 2, "what the SDK makes of NotFoundError")


def test_the_customer_browser_picks_the_scenario_valid_there(tmp_path: Path) -> None:
    on_chromium = write(explain("6010 subCode 4"), "chromium", None, tmp_path)
    assert on_chromium.scenario.name == "no-microphone"
    on_firefox = write(explain("startAudio on Firefox: errorCode: 6010, subCode: 2"), "firefox", None, tmp_path)
    assert on_firefox.scenario.name == "no-microphone-firefox"


def test_a_report_naming_no_browser_goes_to_the_browser_that_makes_its_condition(tmp_path: Path) -> None:
    report = "active-media-failed {type: 'audio', code: 104} after a few seconds of audio"
    unnamed = write(explain(report), None, None, tmp_path)
    assert (unnamed.browser, unnamed.scenario.name) == ("firefox", "browser-without-audio-output")
    assert write(explain("6010 subCode 4"), None, None, tmp_path).browser == "chromium"  # the default first
    with pytest.raises(HarnessError, match="no catalog scenario reproduces AudioStreamFailed on chromium yet"):
        write(explain(report), "chromium", None, tmp_path)


def test_the_computer_comes_from_the_option_or_the_report() -> None:
    assert customer_os("error 6100 on my MacBook", None) == "macos"
    assert customer_os("error 6100", None) is None
    assert customer_os("Chrome on Windows 11", "linux") == "linux"
    with pytest.raises(HarnessError, match="unknown --os 'amiga': choose one of windows, macos, linux, android, ios"):
        customer_os("x", "amiga")


def summary(outcome: str, *errors: dict[str, Any], message: str = "") -> dict[str, Any]:
    records = [{"kind": "settle", "status": "rejected", "step": 2, "error": error, "t": 1.0} for error in errors]
    return {"outcome": outcome, "records": records, "message": message}


def test_verdicts() -> None:
    expected = Expected("videosdk", 6010, 2, "")
    ok, line = verdict(
        expected, summary("passed", {"errorCode": 6010, "subCode": 2, "type": "INSUFFICIENT_PRIVILEGES"})
    )
    assert ok and line == "reproduced: 6010 AUDIO_CAPTURE_FAILED subCode 2 (type 'INSUFFICIENT_PRIVILEGES') as reported"
    other = summary("failed", {"errorCode": 6010, "subCode": 4}, message="scenario 'x' failed at step 2\n  more")
    ok, line = verdict(expected, other)
    assert not ok and line.startswith(
        "not reproduced: observed 6010 (subCode 4) instead of 6010 AUDIO_CAPTURE_FAILED subCode 2"
    )
    assert line.endswith("the run failed (scenario 'x' failed at step 2)")
    ok, line = verdict(expected, None)
    assert not ok and "left no record" in line


def test_timeline_puts_a_fault_before_what_it_causes() -> None:
    """Page records carry real time `t` (and the page's virtual `vt`); the harness stamps a fault before acting."""
    page_before = {"kind": "event", "seq": 7, "t": 1000.0, "vt": 5.0, "name": "connection-change"}
    fault = {"kind": "fault", "t": 1000.0, "families": ["network"]}
    rejection = {"kind": "settle", "seq": 8, "t": 1000.0, "vt": 5.0, "status": "rejected"}
    later = {"kind": "settle", "seq": 3, "t": 1200.0, "vt": 5.0, "status": "resolved"}
    assert timeline([later, rejection, page_before, fault]) == [fault, page_before, rejection, later]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("report", "options", "says"),
    [
        # http://support.zencastr.com/en/articles/11003942-error-permission-denied
        (
            'a pop-up that says "NotAllowedError: Permission denied"',
            (),
            "reproduced: 6100 VIDEO_CAMERA_PERMISSION_DENIED",
        ),
        (
            "startAudio fails: NotFoundError: The object can not be found here.",
            ("--browser", "firefox"),
            "reproduced: 6010 AUDIO_CAPTURE_FAILED subCode 2",
        ),
        # https://github.com/ogra1/zoom-snap/issues/43
        (
            "Unable to connect:\nMake sure you are connected to the internet and Connection to Zoom is not blocked by a "
            "firewall or proxy.  Error code: 5003. ",
            ("--os", "windows"),
            "reproduced: 200 SESSION_FETCH_INFO_ERROR (type 'JOIN_MEETING_FAILED', reason 'connection error'), what a "
            "Video SDK web app gets under the condition behind Zoom's app code 5003",
        ),
    ],
)
def test_repro_run_reproduces_end_to_end(report: str, options: tuple[str, ...], says: str, tmp_path: Path) -> None:
    result = subprocess.run(
        harness("repro", report, *options, "--out", str(tmp_path), "--run"), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert says in result.stdout
    assert (tmp_path / "report.html").is_file()


@pytest.mark.browser
def test_offline_mid_session_reproduced_and_its_timeline_in_order(tmp_path: Path) -> None:
    """A virtual-clock run: the network fault comes before the rejection it causes, in run.json and in the report,
    and the report shows the page's (virtual) clock beside the real one."""
    # What a call gets while the SDK reconnects is what the catalog's offline-mid-session asserts: the double
    # answered 5003 'reconnecting' (Zoom's docs), the 2.5.0 runtime answers 5002 'closed'.
    code, reason = (5003, "reconnecting") if 5003 in catalog()["offline-mid-session"].codes else (5002, "closed")
    report = f"{{type: 'IMPROPER_MEETING_STATE', reason: '{reason}', errorCode: {code}}} right after the Wi-Fi dropped"
    result = subprocess.run(
        harness("repro", report, "--out", str(tmp_path), "--run"), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and f"reproduced: {describe(code)}" in result.stdout, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    assert "from offline-mid-session" in result.stdout
    run = json.loads(next((tmp_path / "test-results").glob("*/run.json")).read_text(encoding="utf-8"))
    kinds = [(r["kind"], r.get("status"), r.get("name")) for r in run["records"]]
    fault = kinds.index(("fault", None, None))
    rejected = kinds.index(("settle", "rejected", None))
    reconnecting = next(
        i
        for i, r in enumerate(run["records"])
        if r.get("name") == "connection-change" and r["payload"].get("state") == "Reconnecting"
    )
    assert fault < reconnecting < rejected
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td class=t>.*?</tr>", page)
    fault_row = next(i for i, row in enumerate(rows) if "fault (network) at step 2" in row)
    rejection_row = next(i for i, row in enumerate(rows) if "rejected" in row)
    assert fault_row < rejection_row
    assert "page clock (virtual)" in page
    assert f"Reproduced {describe(code)}" in page and "at step 2 network offline" in page


def test_story_says_what_was_reproduced_in_which_world() -> None:
    scenario = load_scenario(Path(__file__).parents[1] / "harness" / "scenarios" / "camera-denied.yaml")
    run = {
        "outcome": "passed",
        "browser": "chromium",
        "scenario": "camera-denied",
        "records": [
            {"kind": "settle", "status": "rejected", "step": 2, "t": 1.0, "error": {"errorCode": 6100, "type": "X"}}
        ],
    }
    assert story(run, scenario) == (
        "Reproduced 6100 VIDEO_CAMERA_PERMISSION_DENIED (type 'X') on chromium, with camera permission denied."
    )
