"""pytest plugin: scenario YAML files become test items; `--scenario NAME` and `--scenario-file PATH`.

Reuses pytest-playwright's options (--browser, --headed, --output, --screenshot) and its `playwright`
fixture, so scenarios and ordinary Playwright tests share one Playwright instance.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Playwright

from harness import pytest_tags, timings
from harness.app_mode import AppMode
from harness.artifacts import Artifacts, timeline
from harness.errors import HarnessError, ScenarioFailure, ScenarioInputError, ScenarioSkip
from harness.faults.shaper import NetworkShaper
from harness.paths import cache_node_compilation, scenarios_dir
from harness.pool import BrowserPool
from harness.processes import adopt_orphans, end_children, owns
from harness.pytest_app import (
    add_app_options,
    app_mode,
    app_skip_reason,
    discard_early_service,
    install_real_sdks,
    serve_app,
    session_service,
    tracing_mode,
)
from harness.pytest_app import (
    pytest_runtest_setup as pytest_runtest_setup,  # a hook: pytest finds it here (pytest_app.EarlyService)
)
from harness.pytest_results import repeat_lines, run_summaries, write_last_results
from harness.pytest_tags import mark_tags
from harness.runner import RunContext, ScenarioRun, SdkProfile, needs_zoom, zoom_credentials
from harness.scenario.loader import load_scenario
from harness.scenario.model import Scenario
from harness.scenario.names import UnknownScenarioName, collection_paths, find_scenarios, shadowed
from harness.sdk_packages import is_real, sdk_value

if TYPE_CHECKING:
    from harness.service.server import SessionService

REQUESTED = pytest.StashKey[dict[Path, int]]()  # the files asked for, each with its place in the order asked
APP = pytest.StashKey[AppMode | None]()
SEEN_NAMES = pytest.StashKey[dict[str, Path]]()
# Outcome and failure text per scenario run (nodeid), seen where reports arrive: in the main process, under
# pytest-xdist too. The runs' timelines are in their artifact folders (run.json), written by the workers.
CONFIG_REPORTS: dict[str, tuple[str, str]] = {}
TIMINGS: dict[str, float] = {}  # variant -> seconds of its call phase, this session (timings.py)
SESSION_START = [0.0]  # when this pytest session began: run.json files older than it are a previous run's
REPEAT_SUFFIX = re.compile(r"-run\d+\]$")


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.register(pytest_tags, "zoom-videosdk-harness-tags")  # reads the project's own markers first
    group = parser.getgroup("zoom-videosdk-harness", "Zoom Video SDK error scenarios")
    group.addoption(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="run the scenario(s) with this name (repeatable; shell globs allowed)",
    )
    group.addoption(
        "--scenario-file",
        action="append",
        default=[],
        metavar="PATH",
        help="run a scenario file from anywhere (repeatable)",
    )
    group.addoption(
        "--scenario-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="where scenarios live, looked up before ./scenarios and the packaged catalog (repeatable)",
    )
    group.addoption(
        "--sdk",
        action="append",
        default=[],
        type=sdk_value,
        metavar="double|real|real@X.Y.Z",
        help="SDK implementation to run against (default: double); real@X.Y.Z is installed on demand; repeatable",
    )
    group.addoption(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run each selected scenario N times and report any whose outcome changed between runs",
    )
    group.addoption(
        "--html-report",
        default=None,
        metavar="PATH",
        help="write an HTML report: the code coverage matrix and a timeline per scenario run",
    )
    group.addoption(
        "--connect",
        default=None,
        metavar="WS_ENDPOINT",
        help="run on a browser served elsewhere (playwright launch-server / run-server) instead of launching one",
    )
    add_app_options(group)
    group.addoption(
        "--browser-executable",
        default=None,
        metavar="PATH",
        help="browser executable (default: $HARNESS_BROWSER_EXECUTABLE, Playwright's, then the system's)",
    )


def scenario_dirs(config: pytest.Config) -> list[Path]:
    """Where names are looked up, first match wins: --scenario-dir folders, ./scenarios, the packaged catalog."""
    given = [Path(d).resolve() for d in config.known_args_namespace.scenario_dir or []]
    local = config.rootpath / "scenarios"
    dirs = [*given, *([local.resolve()] if local.is_dir() else []), scenarios_dir().resolve()]
    return list(dict.fromkeys(dirs))


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """Turn --scenario/--scenario-file into file arguments, so only those are collected."""
    options = early_config.known_args_namespace
    names = list(options.scenario or [])
    files = [Path(f).resolve() for f in options.scenario_file or []]
    for path in files:
        if not path.is_file():
            raise pytest.UsageError(f"--scenario-file {path}: no such file")
    if names:
        files.extend(resolve_names(names, scenario_dirs(early_config)))
    early_config.stash[REQUESTED] = {path: index for index, path in enumerate(dict.fromkeys(files))}
    args.extend(str(path) for path in collection_paths(files))


def resolve_names(names: list[str], dirs: list[Path]) -> list[Path]:
    """The files of the scenarios named (globs allowed), reading every file only when a name needs it."""
    try:
        return find_scenarios(names, dirs)
    except UnknownScenarioName as error:
        raise pytest.UsageError(f"--scenario {error.name}: {error.problem}") from None


def pytest_configure(config: pytest.Config) -> None:
    adopt_orphans(config)  # what the run's children leave behind is ended with the run (processes.py)
    cache_node_compilation()
    config.stash[APP] = app_mode(config)
    install_real_sdks(config)
    config.stash.setdefault(REQUESTED, {})
    config.stash[SEEN_NAMES] = {}
    CONFIG_REPORTS.clear()
    TIMINGS.clear()
    SESSION_START[0] = time.time() - 1
    config.addinivalue_line("markers", "scenario: a Zoom Video SDK error scenario from a YAML file")


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    discard_early_service(config)
    if owns(config):
        end_children()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    config = parent.config
    resolved = file_path.resolve()
    if requested := config.stash[REQUESTED]:  # only what was asked for (collection_paths may give a folder)
        return ScenarioFile.from_parent(parent, path=file_path) if resolved in requested else None
    if any(resolved.is_relative_to(folder) for folder in scenario_dirs(config)):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --scenario/--scenario-file, run only the scenarios asked for; with -n, the longest first."""
    if requested := config.stash[REQUESTED]:
        keep = [item for item in items if isinstance(item, ScenarioItem) and item.path.resolve() in requested]
        if len(keep) != len(items):
            config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = sorted(keep, key=lambda item: requested[item.path.resolve()])  # as asked
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: its order is the order items are handed out
        # Grouped by file: a test module (whose fixtures its tests may share), or a scenario and its variants.
        items[:] = timings.longest_first(items, _timing_key, _estimate, lambda item: str(item.path))


def _timing_key(item: pytest.Item) -> str:
    return item.variant if isinstance(item, ScenarioItem) else item.nodeid


def _estimate(item: pytest.Item) -> float:
    """An item never run here: a scenario a second or two per participant, more when it says it is slow; a test
    that needs a browser a few seconds, any other test next to nothing."""
    if not isinstance(item, ScenarioItem):
        return 5.0 if item.get_closest_marker("browser") else 0.05
    return 1.5 * len(item.scenario.participants) + (20.0 if "slow" in item.scenario.tags else 0.0)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """A scenario name found in more than one folder: the first folder's file runs, and that is said here."""
    return [
        f"harness: scenario {name!r}: {used} is used, not {hidden}"
        for name, used, hidden in shadowed(scenario_dirs(config))
    ]


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        scenario = load_scenario(self.path)
        seen = self.config.stash[SEEN_NAMES]
        other = seen.setdefault(scenario.name, self.path)
        if other != self.path:
            raise ScenarioInputError(scenario.location, f"duplicate scenario name {scenario.name!r} (also in {other})")
        browsers = self.config.getoption("browser") or ["chromium"]
        sdks = self.config.getoption("sdk") or ["double"]
        repeat = max(1, int(self.config.getoption("repeat")))
        for browser in browsers:
            for sdk in sdks:
                label = browser if len(sdks) == 1 else f"{browser}-{sdk}"
                for run in range(1, repeat + 1):
                    suffix = f"-run{run}" if repeat > 1 else ""
                    name = f"{scenario.name}[{label}{suffix}]"
                    item = ScenarioItem.from_parent(self, name=name, callobj=run_scenario)
                    item.setup_scenario(scenario, browser, sdk)
                    item.variant = f"{scenario.name}[{label}]"
                    yield item

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, HarnessError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class ScenarioItem(pytest.Function):
    scenario: Scenario
    browser: str
    sdk: str
    variant: str  # the scenario on this browser and SDK, the same for each --repeat run

    def setup_scenario(self, scenario: Scenario, browser: str, sdk: str) -> None:
        self.scenario, self.browser, self.sdk = scenario, browser, sdk
        self.add_marker(pytest.mark.scenario)
        mark_tags(self, scenario.tags)
        if browser not in scenario.browsers:
            self.add_marker(
                pytest.mark.skip(reason=f"{scenario.name} is valid for {', '.join(scenario.browsers)} only")
            )
        elif (reason := app_skip_reason(scenario, sdk, self.config.stash[APP])) is not None:
            self.add_marker(pytest.mark.skip(reason=reason))
        elif (kind := "real" if is_real(sdk) else sdk) not in scenario.sdk:
            self.add_marker(pytest.mark.skip(reason=f"{scenario.name} is not marked valid for the {sdk} SDK"))
        elif kind == "real" and needs_zoom(scenario) and zoom_credentials() is None:
            self.add_marker(
                pytest.mark.skip(
                    reason="in a session on the real SDK: needs Zoom's servers, ZOOM_VIDEO_SDK_KEY and "
                    "ZOOM_VIDEO_SDK_SECRET in the environment, and a network"
                )
            )
        for code in scenario.codes:
            self.user_properties.append(("expected_code", code))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.location.line - 1, f"scenario {self.scenario.name} [{self.browser}, {self.sdk}]"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure | HarnessError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


@dataclass
class HarnessRuntime:
    service: SessionService
    pool: BrowserPool
    shaper: NetworkShaper
    app: AppMode | None = None
    app_origin: str = ""  # where the service serves the app's build folder


@pytest.fixture(scope="session")
def harness_runtime(playwright: Playwright, pytestconfig: pytest.Config) -> Iterator[HarnessRuntime]:
    service = session_service(pytestconfig)
    try:
        pool = BrowserPool(
            playwright,
            pytestconfig.getoption("browser_executable"),
            headless=not pytestconfig.getoption("headed"),
            connect=pytestconfig.getoption("connect"),
            probe_url=f"{service.base_url}/pages/blank.html",
        )
        shaper = NetworkShaper()
        try:
            app = pytestconfig.stash[APP]
            yield HarnessRuntime(service, pool, shaper, app, serve_app(service, app))
        finally:
            pool.close()
            shaper.stop()
    finally:
        service.stop()


def run_scenario(harness_runtime: HarnessRuntime, request: pytest.FixtureRequest) -> None:
    item = request.node
    assert isinstance(item, ScenarioItem)
    config = request.config
    tracing, detail = tracing_mode(config)
    artifacts = Artifacts(
        Path(config.getoption("output")), item.nodeid, config.getoption("screenshot"), tracing, detail
    )
    app = harness_runtime.app
    context = RunContext(
        harness_runtime.pool,
        harness_runtime.service,
        item.browser,
        SdkProfile.named(item.sdk) if app is None else SdkProfile.app(),
        artifacts,
        shaper=harness_runtime.shaper,
        app=app,
        app_origin=harness_runtime.app_origin,
    )
    if app is not None:
        context.client_expression = app.client_expression
    run = ScenarioRun(item.scenario, context)
    outcome, message = "failed", ""
    try:
        run.run()
        outcome = "passed"
    except ScenarioSkip as skip:
        outcome, message = "skipped", str(skip)
        pytest.skip(str(skip))
    except BaseException as error:
        outcome, message = ("failed" if isinstance(error, AssertionError) else "error"), str(error)
        raise
    finally:
        for code in run.observed_codes():
            item.user_properties.append(("observed_code", code))
        artifacts.write_summary(summarise(item, run) | {"outcome": outcome, "message": message})


def summarise(item: ScenarioItem, run: ScenarioRun) -> dict[str, Any]:
    return {
        "nodeid": item.nodeid,
        "variant": item.variant,
        "scenario": item.scenario.name,
        "summary": item.scenario.summary,
        "browser": item.browser,
        "sdk": item.sdk,
        "steps": [
            {"index": step.index, "title": step.title(), "participant": step.participant}
            for step in item.scenario.steps
        ],
        "file": str(item.path),
        "records": timeline([record for participant in run.participants.values() for record in participant.records]),
        "participants": [participant.name for participant in item.scenario.participants],
        "app": run.ctx.app.source if run.ctx.app is not None else None,
    }


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    scenario = ".y" in report.nodeid.split("::")[0][-5:]
    if report.when == "call":
        key = REPEAT_SUFFIX.sub("]", report.nodeid.split("::")[-1]) if scenario else report.nodeid
        TIMINGS[key] = report.duration
    if not scenario:
        return
    if report.when == "call" or (report.when == "setup" and report.skipped):
        message = str(report.longrepr) if report.failed else ""
        CONFIG_REPORTS.setdefault(report.nodeid, (report.outcome, message))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    reports = CONFIG_REPORTS
    outcomes: dict[str, list[str]] = {}
    for nodeid, (outcome, _) in reports.items():
        outcomes.setdefault(REPEAT_SUFFIX.sub("]", nodeid), []).append(outcome)
    if (repeat := max(1, int(config.getoption("repeat")))) > 1:
        terminalreporter.section("scenario repeat")
        for line in repeat_lines(outcomes, repeat):
            terminalreporter.write_line(line)
    write_last_results(Path(config.getoption("output")), reports)
    if not hasattr(config, "workerinput"):
        timings.record(TIMINGS)
    path = config.getoption("html_report")
    if path:
        from harness.html_report import write_report

        runs = run_summaries(Path(config.getoption("output")), SESSION_START[0])
        written = write_report(Path(path), runs, scenario_dirs(config))
        terminalreporter.write_line(f"harness: HTML report written to {written}")
