"""A scenario's tags select it (`-m TAG`), and a tag that is another marker's name (pytest's skip, pytest-timeout's
timeout) neither changes nor breaks the run: it is a keyword only (`-k TAG`). A marker the project declares itself
is a plain word: a tag of that name is a marker as usual."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_timeout")  # whose `timeout` marker is one of the names taken

TAGGED = "name: tagged\nsummary: s\ncodes: []\ntags: [video, smoke, timeout, skip, xfail]\nsteps:\n  - sleep: 1ms\n"
PROJECT = "[pytest]\nmarkers =\n    smoke: the project's own quick checks\n"


def scenarios(pytester: pytest.Pytester) -> None:
    pytester.makeini(PROJECT)
    pytester.makefile(
        ".yaml",
        tagged=TAGGED,
        other=TAGGED.replace("tagged", "other").replace("video, smoke, ", ""),
        plain=TAGGED.replace("tagged", "plain").replace("tags: [video, smoke, timeout, skip, xfail]\n", ""),
    )


def test_tags_are_markers_unless_pytest_or_a_plugin_has_that_name(pytester: pytest.Pytester) -> None:
    scenarios(pytester)
    items, _ = pytester.inline_genitems("-p", "no:cacheprovider", "--scenario-dir", ".")
    [item] = [item for item in items if item.name.startswith("tagged")]
    assert item.get_closest_marker("video") is not None and item.get_closest_marker("smoke") is not None
    for other in ("timeout", "skip", "xfail"):
        assert item.get_closest_marker(other) is None, f"the tag {other} became pytest's or a plugin's marker"
        assert other in item.extra_keyword_matches


@pytest.mark.parametrize(
    ("select", "chosen"),
    [
        (("-m", "video"), ["tagged"]),
        (("-m", "smoke"), ["tagged"]),
        (("-k", "timeout"), ["other", "tagged"]),
        (("-m", "timeout"), []),
    ],
)
def test_tags_select_scenarios(pytester: pytest.Pytester, select: tuple[str, str], chosen: list[str]) -> None:
    scenarios(pytester)
    result = pytester.runpytest("-p", "no:cacheprovider", "--co", "-q", "--scenario-dir", ".", *select)
    found = sorted(line.split("::")[-1] for line in result.outlines if "::" in line)
    assert found == [f"{name}[chromium]" for name in chosen]
