"""Shared fixtures: pytester for the plugin tests; a browser world on a plain page for fault tests.

What the fixtures need is imported when they run: pytest loads this file for a `pytest --scenario NAME` run in
this repository too (through testpaths), and such a run needs none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from browser_world import BrowserWorld
    from playwright.sync_api import Playwright

    from harness.faults.shaper import NetworkShaper
    from harness.pool import BrowserPool
    from harness.service.server import SessionService

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def own_timings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pytest runs a test starts keep their durations apart from the user's (harness/timings.py)."""
    monkeypatch.setenv("HARNESS_TIMINGS_FILE", str(tmp_path_factory.mktemp("timings") / "timings.json"))


@pytest.fixture(scope="session")
def service() -> Iterator[SessionService]:
    from harness.service.server import SessionService

    running = SessionService().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def pool(playwright: Playwright) -> Iterator[BrowserPool]:
    from harness.pool import BrowserPool

    browsers = BrowserPool(playwright, None, headless=True)
    yield browsers
    browsers.close()


@pytest.fixture(scope="session")
def shaper() -> Iterator[NetworkShaper]:
    from harness.faults.shaper import NetworkShaper

    paths = NetworkShaper()
    yield paths
    paths.stop()


@pytest.fixture
def world(pool: BrowserPool, service: SessionService, shaper: NetworkShaper) -> Iterator[BrowserWorld]:
    from browser_world import BrowserWorld

    maker = BrowserWorld(pool, service, shaper)
    yield maker
    for participant in maker.opened:
        participant.close()
