"""Conformance of the double with the real @zoom/videosdk, on every scenario valid for both."""

from __future__ import annotations

from pathlib import Path

import pytest
from real_packages import package

from harness.artifacts import Artifacts
from harness.conformance import Observation, check, differences, shared_scenarios
from harness.coverage import load_catalog
from harness.faults.shaper import NetworkShaper
from harness.pool import BrowserPool
from harness.runner import RunContext, SdkProfile
from harness.scenario.model import Scenario
from harness.service.server import SessionService

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_scenarios(load_catalog(ROOT / "harness" / "scenarios"))


def test_differences_are_found_field_by_field() -> None:
    double = Observation("double", calls=[("me", 2, "client.join", "rejected", (("errorCode", 200),))])
    real = Observation("real", calls=[("me", 2, "client.join", "rejected", (("errorCode", 5013),))])
    real.events.append(("me", "connection-change", {"state": "Fail"}))
    found = differences(double, real)
    assert len(found) == 2
    assert "errorCode=200" in found[0] and "errorCode=5013" in found[0]
    assert found[1].startswith("event connection-change")
    assert differences(double, double) == []


def test_there_are_shared_scenarios() -> None:
    assert len(SHARED) >= 10


def test_differences_name_each_side_by_its_sdk() -> None:
    older = Observation("real@2.4.5", outcome="failed: expected errorCode 6100")
    found = differences(Observation("double"), older)
    assert found == ["scenario outcome: double 'passed', real@2.4.5 'failed: expected errorCode 6100'"]


@pytest.mark.browser
@pytest.mark.parametrize("scenario", SHARED, ids=lambda s: s.name)
def test_double_and_real_package_observe_the_same(
    scenario: Scenario, pool: BrowserPool, service: SessionService, shaper: NetworkShaper
) -> None:
    package("real")

    def context(sdk: str) -> RunContext:
        return RunContext(
            pool, service, "chromium", SdkProfile.named(sdk), Artifacts(None, "conformance"), shaper=shaper
        )

    assert check(scenario, context) == []
