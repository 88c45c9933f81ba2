"""A scenario's tags select it (`-m TAG`), and a tag that is another marker's name (pytest's skip, pytest-timeout's
timeout) neither changes nor breaks the run: it is a keyword only (`-k TAG`)."""

from __future__ import annotations

import pytest

TAGGED = "name: tagged\nsummary: s\ncodes: []\ntags: [video, timeout, skip, xfail]\nsteps:\n  - sleep: 1ms\n"


def test_tags_are_markers_unless_another_marker_has_that_name(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", tagged=TAGGED)
    items, _ = pytester.inline_genitems("-p", "no:cacheprovider", "--scenario-dir", ".")
    [item] = items
    assert item.get_closest_marker("video") is not None
    for other in ("timeout", "skip", "xfail"):
        assert item.get_closest_marker(other) is None, f"the tag {other} became pytest's or a plugin's marker"
        assert other in item.extra_keyword_matches


@pytest.mark.parametrize(
    ("select", "chosen"),
    [(("-m", "video"), ["tagged"]), (("-k", "timeout"), ["other", "tagged"]), (("-m", "timeout"), [])],
)
def test_tags_select_scenarios(pytester: pytest.Pytester, select: tuple[str, str], chosen: list[str]) -> None:
    pytester.makefile(".yaml", tagged=TAGGED, other=TAGGED.replace("tagged", "other").replace("video, ", ""))
    result = pytester.runpytest("-p", "no:cacheprovider", "--co", "-q", "--scenario-dir", ".", *select)
    names = sorted(line.split("::")[-1] for line in result.outlines if "::" in line)
    assert names == [f"{name}[chromium]" for name in chosen]
