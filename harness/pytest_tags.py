"""A scenario's tags as pytest markers, so that `pytest -m video` selects by them.

A tag that is already a marker with a meaning of its own (pytest's `skip`, `xfail`, `parametrize`, ...; another
plugin's, such as pytest-timeout's `timeout`) would change how the run goes, or break it: such a tag is a keyword
only, so `-k timeout` selects by it and `-m` does not."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

OWN = "scenario tag"  # how the tags this module registers are described in `pytest --markers`


def others_markers(config: pytest.Config) -> set[str]:
    """The markers registered by pytest, its plugins or the project's configuration (not by a scenario tag)."""
    names = set()
    for line in config.getini("markers"):
        name, _, description = line.partition(":")
        if description.strip() != OWN:
            names.add(name.split("(")[0].strip())
    return names


def mark_tags(item: pytest.Item, tags: Iterable[str]) -> None:
    registered = item.config.getini("markers")
    taken = others_markers(item.config)
    for tag in tags:
        if tag in taken:
            item.extra_keyword_matches.add(tag)
            continue
        if f"{tag}: {OWN}" not in registered:
            item.config.addinivalue_line("markers", f"{tag}: {OWN}")
        item.add_marker(tag)
