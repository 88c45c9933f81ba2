"""With -n the longest scenarios start first: durations measured here are kept per user, unknown ones estimated."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import timings


def test_recorded_durations_are_merged_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "timings.json"
    timings.record({"a[chromium]": 1.25}, path)
    timings.record({"b[chromium]": 3.0}, path)
    assert timings.load(path) == {"a[chromium]": 1.25, "b[chromium]": 3.0}


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"a": "slow", "b": -1}'])
def test_a_broken_file_is_no_history(tmp_path: Path, content: str) -> None:
    path = tmp_path / "timings.json"
    path.write_text(content, encoding="utf-8")
    assert timings.load(path) == {}


def test_longest_first_known_before_estimated_and_ties_keep_their_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_TIMINGS_FILE", str(tmp_path / "timings.json"))
    timings.record({"slow": 9.0, "quick": 0.5})
    items = ["quick", "new-a", "slow", "new-b"]
    assert timings.longest_first(items, key=str, estimate=lambda item: 2.0) == ["slow", "new-a", "new-b", "quick"]


def test_grouped_items_stay_together_and_the_longest_group_goes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_TIMINGS_FILE", str(tmp_path / "timings.json"))
    timings.record({"a.1": 1.0, "a.2": 1.0, "a.3": 1.0, "b.1": 2.5, "c.1": 0.5})
    items = ["a.1", "b.1", "a.2", "c.1", "a.3"]
    ordered = timings.longest_first(items, key=str, estimate=lambda item: 0.0, group=lambda item: item.split(".")[0])
    assert ordered == ["a.1", "a.2", "a.3", "b.1", "c.1"]  # a: 3.0 in all, in its own order


@pytest.mark.browser
def test_under_n_the_longest_known_scenario_runs_first(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -n the files' order; with -n the order of the durations file, and the run updates the file."""
    monkeypatch.setenv("HARNESS_TIMINGS_FILE", str(tmp_path / "timings.json"))
    for name in ("aa", "bb", "cc"):
        pytester.makefile(".yaml", **{name: f"name: {name}\nsummary: s\ncodes: []\nsteps:\n  - sleep: 1ms\n"})
    args = ("-p", "no:cacheprovider", "-v", "--scenario-dir", ".")
    timings.record({"bb[chromium]": 50.0, "cc[chromium]": 20.0, "aa[chromium]": 0.1})
    plain = pytester.runpytest_subprocess(*args, timeout=240)
    timings.record({"bb[chromium]": 50.0, "cc[chromium]": 20.0, "aa[chromium]": 0.1})
    ordered = pytester.runpytest_subprocess(*args, "-n", "1", timeout=240)
    assert [line.split("::")[-1].split()[0] for line in plain.outlines if "PASSED" in line] == [
        "aa[chromium]", "bb[chromium]", "cc[chromium]"
    ]  # fmt: skip
    assert [line.split("::")[-1].split()[0] for line in ordered.outlines if "PASSED" in line] == [
        "bb[chromium]", "cc[chromium]", "aa[chromium]"
    ]  # fmt: skip
    assert timings.load()["bb[chromium]"] != 50.0  # measured again
