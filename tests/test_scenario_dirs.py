"""A project's own scenarios come before the packaged catalog, and a name in both is reported, never hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.paths import scenarios_dir
from harness.scenario.names import collection_paths, find_scenarios, shadowed

CAMERA_DENIED = (scenarios_dir() / "camera-denied.yaml").read_text(encoding="utf-8")


def own(folder: Path, file: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file
    path.write_text(text, encoding="utf-8")
    return path


def test_a_name_in_the_projects_folder_wins_over_the_packaged_one(tmp_path: Path) -> None:
    mine = own(tmp_path / "scenarios", "camera-denied.yaml", CAMERA_DENIED.replace("summary:", "summary: (ours)", 1))
    dirs = [tmp_path / "scenarios", scenarios_dir()]
    assert find_scenarios(["camera-denied", "no-microphone"], dirs) == [mine, scenarios_dir() / "no-microphone.yaml"]
    assert shadowed(dirs) == [("camera-denied", mine, scenarios_dir() / "camera-denied.yaml")]


def test_a_name_held_under_another_file_name_still_wins(tmp_path: Path) -> None:
    mine = own(tmp_path / "scenarios", "our-camera.yaml", CAMERA_DENIED)
    dirs = [tmp_path / "scenarios", scenarios_dir()]
    assert find_scenarios(["camera-denied"], dirs) == [mine]
    assert find_scenarios(["camera-denie?"], dirs) == [mine]
    assert shadowed(dirs) == [("camera-denied", mine, scenarios_dir() / "camera-denied.yaml")]


def test_scenario_dir_comes_before_the_projects_folder(tmp_path: Path) -> None:
    first = own(tmp_path / "given", "camera-denied.yaml", CAMERA_DENIED)
    second = own(tmp_path / "scenarios", "camera-denied.yaml", CAMERA_DENIED)
    dirs = [tmp_path / "given", tmp_path / "scenarios", scenarios_dir()]
    assert find_scenarios(["camera-denied"], dirs) == [first]
    assert shadowed(dirs) == [
        ("camera-denied", first, second),
        ("camera-denied", first, scenarios_dir() / "camera-denied.yaml"),
    ]


def test_nothing_is_reported_when_names_are_distinct(tmp_path: Path) -> None:
    own(tmp_path / "scenarios", "our-case.yaml", CAMERA_DENIED.replace("name: camera-denied", "name: our-case"))
    assert shadowed([tmp_path / "scenarios", scenarios_dir()]) == []
    assert shadowed([scenarios_dir()]) == []


def test_pytest_runs_the_projects_file_and_says_which_it_hides(pytester: pytest.Pytester) -> None:
    mine = own(pytester.path / "scenarios", "camera-denied.yaml", CAMERA_DENIED)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--collect-only", "--scenario", "camera-denied", "--scenario", "no-microphone"
    )
    assert result.ret == 0, result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(
        [f"harness: scenario 'camera-denied': {mine} is used, not {scenarios_dir() / 'camera-denied.yaml'}"]
    )
    result.stdout.fnmatch_lines(
        ["*<Dir scenarios>", "*<ScenarioFile camera-denied.yaml>", "*<ScenarioItem camera-denied*"]
    )
    assert result.stdout.str().count("<ScenarioFile camera-denied.yaml>") == 1


def test_many_files_of_a_plain_folder_are_collected_through_the_folder(tmp_path: Path) -> None:
    catalog = sorted(scenarios_dir().glob("*.yaml"))
    assert collection_paths(catalog) == [scenarios_dir()]
    assert collection_paths(catalog[:1]) == catalog[:1]  # one file: the file itself
    mixed = [own(tmp_path, "a.yaml", CAMERA_DENIED), own(tmp_path, "b.yaml", CAMERA_DENIED)]
    own(tmp_path, "test_theirs.py", "def test_x(): pass\n")  # pytest could collect it: never given as a folder
    assert collection_paths([*mixed, *catalog[:2]]) == [*mixed, scenarios_dir()]


def test_the_catalogs_scenarios_collect_once_each_in_the_order_asked(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--collect-only", "-q", "--scenario", "no-microphone", "--scenario", "camera-*"
    )
    assert result.ret == 0, result.stdout.str() + result.stderr.str()
    ids = [line for line in result.stdout.lines if "::" in line]
    expected = ["no-microphone", *(path.stem for path in sorted(scenarios_dir().glob("camera-*.yaml")))]
    assert [line.split("::")[1].split("[")[0] for line in ids] == expected
