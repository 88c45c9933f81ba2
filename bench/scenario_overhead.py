"""Benchmark: time to reproduce a scenario versus a bare-Playwright baseline measured in the same run.

    .venv/bin/python bench/scenario_overhead.py [--runs 10]

Baseline: a new context + page, goto a loopback page, one getUserMedia with the camera denied (the least a hand
written Playwright test of "camera denied" must do). Harness: the `camera-denied` scenario end to end (context,
probe, app, SDK init and join through the session service, two SDK calls, checks). Prints medians and the ratio;
the machine is noisy, so compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness.artifacts import Artifacts
from harness.pool import BrowserPool
from harness.runner import RunContext, ScenarioRun, SdkProfile
from harness.scenario.loader import load_scenario
from harness.service.server import SessionService

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    scenario = load_scenario(ROOT / "harness" / "scenarios" / "camera-denied.yaml")
    service = SessionService().start()
    with sync_playwright() as playwright:
        pool = BrowserPool(playwright, None, headless=True)
        browser = pool.get("chromium", ("--use-fake-device-for-media-stream",))
        baseline, harness = [], []
        for _ in range(runs):
            start = time.perf_counter()
            context = browser.new_context(permissions=["microphone"])
            page = context.new_page()
            page.goto(f"{service.base_url}/pages/blank.html")
            page.evaluate("() => navigator.mediaDevices.getUserMedia({video: true}).catch(e => e.name)")
            context.close()
            baseline.append(time.perf_counter() - start)

            start = time.perf_counter()
            ctx = RunContext(pool, service, "chromium", SdkProfile.named("double"), Artifacts(None, "bench"))
            ScenarioRun(scenario, ctx).run()
            harness.append(time.perf_counter() - start)
        pool.close()
    service.stop()
    base, full = statistics.median(baseline), statistics.median(harness)
    print(f"runs: {runs}")
    print(f"bare Playwright baseline (median): {base * 1000:.0f} ms")
    print(f"harness camera-denied (median):    {full * 1000:.0f} ms")
    print(f"ratio harness/baseline:            {full / base:.2f}x")


if __name__ == "__main__":
    main()
