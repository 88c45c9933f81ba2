"""The speed benchmark: every figure is a ratio against a bare-Playwright baseline measured in the same run.

    .venv/bin/python bench/speed.py [--runs 5] [--no-catalog]

- cold: one whole process, `pytest --scenario camera-denied`, against `bench/bare_camera_denied.py`, a bare
  Playwright script doing the same work (the session service, Chromium with the camera not granted, the double,
  init, join, startVideo rejected with 6100, startAudio), each started fresh, alternated, medians compared;
- warm: in one process with the browser up, the `camera-denied` scenario end to end (the harness's context,
  probe, page, checks, artifacts with their defaults) against that same bare work in a fresh context;
- catalog: `pytest -n 2 --scenario '*'`, scenarios per second, and the ten slowest scenarios (JUnit times);
- floor: what bare Playwright needs for the catalog's participants on this machine: as many fresh contexts, each
  with the same page, init, join and leave and nothing else (`bare_camera_denied.py --granted`), split
  over two processes run at once, as `-n 2` splits the scenarios; and the same with one kept context and page
  per process, tidied between participants as the harness tidies the contexts it keeps (`--kept`). The harness
  gives most participants a kept context (harness/spares.py) and some a fresh one, so its floor lies between
  the two; the catalog's ratios to them are the harness's whole cost, faults and checks included.

Prints the figures and writes them to `bench/results/<UTC time>.json`. The machine is noisy: compare ratios.
Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))


def timed(command: list[str], timeout: float = 600) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def cold(runs: int) -> dict[str, Any]:
    harness_cmd = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "--scenario", "camera-denied"]
    bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_camera_denied.py")]
    harness, bare = [], []
    for _ in range(runs):
        bare.append(timed(bare_cmd))
        harness.append(timed(harness_cmd))
    return _pair(harness, bare)


def warm(runs: int) -> dict[str, Any]:
    from bare_camera_denied import once
    from playwright.sync_api import sync_playwright

    from harness.artifacts import Artifacts
    from harness.pool import BrowserPool
    from harness.runner import RunContext, ScenarioRun, SdkProfile
    from harness.scenario.loader import load_scenario
    from harness.service.server import SessionService

    scenario = load_scenario(ROOT / "harness" / "scenarios" / "camera-denied.yaml")
    service = SessionService().start()
    harness, bare = [], []
    with tempfile.TemporaryDirectory() as out, sync_playwright() as playwright:
        pool = BrowserPool(playwright, None, headless=True, probe_url=f"{service.base_url}/pages/blank.html")
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or None, args=["--use-fake-device-for-media-stream"]
        )
        for attempt in range(runs + 1):  # the first of each warms up
            start = time.perf_counter()
            once(browser, service.base_url)
            took = time.perf_counter() - start
            if attempt:
                bare.append(took)
            start = time.perf_counter()
            context = RunContext(
                pool,
                service,
                "chromium",
                SdkProfile.named("double"),
                Artifacts(Path(out), "bench", tracing="retain-on-failure", trace_detail=False),  # as the plugin
            )
            run = ScenarioRun(scenario, context)
            run.run()
            took = time.perf_counter() - start
            if attempt:
                harness.append(took)
        browser.close()
        pool.close()
    service.stop()
    return _pair(harness, bare)


def catalog() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        junit = Path(out) / "junit.xml"
        command = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "-n", "2", "--scenario", "*"]
        elapsed = timed([*command, "--junitxml", str(junit), "--output", str(Path(out) / "artifacts")], 1800)
        cases = [
            (case.get("name", ""), float(case.get("time", 0)))
            for case in ET.parse(junit).getroot().iter("testcase")
            if case.find("skipped") is None
        ]
    slowest = sorted(cases, key=lambda case: -case[1])[:10]
    return {
        "scenarios": len(cases),
        "seconds": round(elapsed, 2),
        "per_second": round(len(cases) / elapsed, 3),
        "slowest": [{"scenario": name, "seconds": round(seconds, 2)} for name, seconds in slowest],
    }


def floor(catalog_s: float) -> dict[str, Any]:
    from harness.paths import scenarios_dir
    from harness.scenario.loader import load_scenario, scenario_files

    scenarios = [load_scenario(path) for path in scenario_files([scenarios_dir()])]
    participants = sum(len(scenario.participants) for scenario in scenarios if "chromium" in scenario.browsers)
    found: dict[str, Any] = {"participants": participants}
    for name, extra in (("fresh", []), ("kept", ["--kept"])):
        bare = [sys.executable, str(ROOT / "bench" / "bare_camera_denied.py"), "--granted", *extra, "--runs"]
        start = time.perf_counter()
        halves = [subprocess.Popen([*bare, str(n)], cwd=ROOT, stdout=subprocess.DEVNULL) for n in _split(participants)]
        if any(half.wait(timeout=1800) != 0 for half in halves):
            raise SystemExit(f"bench/bare_camera_denied.py --granted {' '.join(extra)} failed")
        elapsed = time.perf_counter() - start
        found[name] = {"seconds": round(elapsed, 2), "catalog_ratio": round(catalog_s / elapsed, 2)}
    return found


def _split(total: int) -> list[int]:
    return [total - total // 2, total // 2]


def _pair(harness: list[float], bare: list[float]) -> dict[str, Any]:
    h, b = statistics.median(harness), statistics.median(bare)
    return {"harness_s": round(h, 3), "bare_s": round(b, 3), "ratio": round(h / b, 2), "runs": len(harness)}


def main() -> None:
    from harness.processes import adopt_orphans, end_children

    adopt_orphans(main)  # the crash handlers the bare script's Chromium leaves are ended with the benchmark
    try:
        measure()
    finally:
        end_children()


def measure() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-catalog", action="store_true", help="leave out the whole-catalog run")
    args = parser.parse_args()
    figures: dict[str, Any] = {
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpus": os.cpu_count(),
        "cold": cold(args.runs),
        "warm": warm(args.runs),
    }
    print(
        f"cold (whole process, median of {args.runs}): harness {figures['cold']['harness_s']} s, "
        f"bare {figures['cold']['bare_s']} s, ratio {figures['cold']['ratio']}x"
    )
    print(
        f"warm (equal work, median of {args.runs}):    harness {figures['warm']['harness_s']} s, "
        f"bare {figures['warm']['bare_s']} s, ratio {figures['warm']['ratio']}x"
    )
    if not args.no_catalog:
        figures["catalog"] = found = catalog()
        print(f"catalog -n 2: {found['scenarios']} scenarios in {found['seconds']} s, {found['per_second']}/s")
        for slow in found["slowest"]:
            print(f"  {slow['seconds']:6.2f} s  {slow['scenario']}")
        figures["floor"] = bare = floor(found["seconds"])
        print(f"floor, bare Playwright, {bare['participants']} participants over two processes:")
        for name in ("fresh", "kept"):
            print(f"  a {name} context each: {bare[name]['seconds']} s; catalog / floor {bare[name]['catalog_ratio']}x")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{figures['when'].replace(':', '')}.json"
    path.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
