"""A scenario's tags as pytest markers, so that `pytest -m video` selects by them.

A tag that is already a marker with a meaning of its own, one that pytest or a plugin registered (pytest's
`skip`, `xfail`, `parametrize`, ...; pytest-timeout's `timeout`), would change how the run goes, or break it: such
a tag is a keyword only, so `-k timeout` selects by it and `-m` does not. Markers the project declares itself (in
its pytest configuration, say for `--strict-markers`) are plain words: a tag of that name is a marker as usual."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

OWN = "scenario tag"  # how the tags this module registers are described in `pytest --markers`
DECLARED = pytest.StashKey[frozenset[str]]()
TAKEN = pytest.StashKey[frozenset[str]]()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Before pytest's and the plugins' own configuration registers their markers: the project's own lines."""
    config.stash[DECLARED] = frozenset(line.strip() for line in config.getini("markers"))


def names(lines: Iterable[str]) -> set[str]:
    """The marker names of `markers` lines ("name: text", "name(args): text")."""
    return {line.partition(":")[0].split("(")[0].strip() for line in lines}


def taken_names(config: pytest.Config) -> frozenset[str]:
    """The markers pytest and its plugins registered: all but the project's own and the tags'."""
    if TAKEN not in config.stash:
        own = config.stash.get(DECLARED, frozenset())
        lines = [line.strip() for line in config.getini("markers")]
        registered = [line for line in lines if line not in own and line.partition(":")[2].strip() != OWN]
        config.stash[TAKEN] = frozenset(names(registered) - {""})
    return config.stash[TAKEN]


def mark_tags(item: pytest.Item, tags: Iterable[str]) -> None:
    taken = taken_names(item.config)
    for tag in tags:
        if tag in taken:
            item.extra_keyword_matches.add(tag)
            continue
        if f"{tag}: {OWN}" not in item.config.getini("markers"):
            item.config.addinivalue_line("markers", f"{tag}: {OWN}")
        item.add_marker(tag)
