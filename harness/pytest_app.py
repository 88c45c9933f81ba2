"""The plugin's options checked at start, before anything runs: app mode (`--app` and its companions; which
scenario items skip on an app; how the session service is told about the app), the real SDK versions `--sdk`
names (installed into the cache), the trace's mode, and the session service started early. `pytest_plugin` wires
them in."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from harness.app_mode import AppMode, skip_reason
from harness.errors import HarnessError
from harness.scenario.model import Scenario
from harness.sdk_packages import RegistryUnreachable, ensure, is_real

if TYPE_CHECKING:
    from harness.service.server import SessionService

COMPANIONS = ("app_query", "app_token_url", "app_client", "app_allow_errors")
SERVICE_START_WAIT = 30.0  # the service's own start is bounded (15 s); this bounds the import before it too


class EarlyService:
    """The session service, imported and started in a thread of its own as soon as the first scenario sets up,
    so that its web server's import and its start overlap Playwright starting its driver (a cold run waits for
    both before its first scenario). A process that runs no scenario starts none."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._service: SessionService | None = None
        self._error: BaseException | None = None
        self.taken = False
        threading.Thread(target=self._start, name="session-service-start", daemon=True).start()

    def _start(self) -> None:
        try:
            self._service = _start_service()  # in this thread: its import is the cost
        except BaseException as error:  # raised again in the fixture that takes the service
            self._error = error
        finally:
            self._done.set()

    def take(self) -> SessionService:
        if not self._done.wait(SERVICE_START_WAIT):
            raise HarnessError(f"the session service did not start within {SERVICE_START_WAIT:.0f} s")
        if self._error is not None:
            raise self._error
        assert self._service is not None
        self.taken = True
        return self._service

    def discard(self) -> None:
        """At the session's end: a service no fixture took (every scenario deselected or skipped) is stopped."""
        if not self.taken and self._done.wait(SERVICE_START_WAIT) and self._service is not None:
            self._service.stop()


EARLY_SERVICE = pytest.StashKey[EarlyService]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A scenario about to set up, before its fixtures: the session service starts (once) while they start
    Playwright. The plugin imports this hook, so pytest finds it there."""
    if item.get_closest_marker("scenario") is not None and EARLY_SERVICE not in item.config.stash:
        item.config.stash[EARLY_SERVICE] = EarlyService()


def session_service(config: pytest.Config) -> SessionService:
    """The service started early, else one started now."""
    if EARLY_SERVICE in config.stash:
        return config.stash[EARLY_SERVICE].take()
    return _start_service()


def _start_service() -> SessionService:
    from harness.service.server import SessionService  # its web server is imported only by a run that needs it

    return SessionService().start()


def discard_early_service(config: pytest.Config) -> None:
    if EARLY_SERVICE in config.stash:
        config.stash[EARLY_SERVICE].discard()


def add_app_options(group: pytest.OptionGroup) -> None:
    group.addoption(
        "--app",
        default=None,
        metavar="PATH_OR_URL",
        help="app mode: play the scenarios on your own Video SDK web app, a build folder (holding index.html) "
        "or the http:// URL of its dev server (docs/own-app.md)",
    )
    group.addoption(
        "--app-query",
        default=None,
        metavar="TEMPLATE",
        help="app mode: the query string each participant's page gets, with placeholders {topic} {name} "
        "{password} {role} {signature} {sdkKey} {sdkSecret} {webEndpoint}",
    )
    group.addoption(
        "--app-token-url",
        default=None,
        metavar="GLOB",
        help='app mode: the page\'s requests matching GLOB are answered with {"signature": JWT} for its join',
    )
    group.addoption(
        "--app-client",
        default=None,
        metavar="EXPR",
        help="app mode: a page expression for the app's client when ZoomVideo.createClient() cannot be seen "
        "(default window.zmClient)",
    )
    group.addoption(
        "--app-allow-errors",
        default=None,
        metavar="CODES",
        help="app mode: error codes the app's own calls may be rejected with (comma-separated)",
    )


def app_mode(config: pytest.Config) -> AppMode | None:
    """--app and its companions, checked now: a problem is one line before anything starts."""
    app = config.getoption("app", None)
    if app is None:
        given = [name for name in COMPANIONS if config.getoption(name, None) is not None]
        if given:
            raise pytest.UsageError(f"--{given[0].replace('_', '-')} needs --app (the app to play the scenarios on)")
        return None
    try:
        mode = AppMode.from_options(app, *(config.getoption(name) for name in COMPANIONS))
        if not hasattr(config, "workerinput"):  # once, in the main process (not again in each xdist worker)
            mode.check_answers()
    except HarnessError as error:
        raise pytest.UsageError(str(error)) from None
    return mode


def app_skip_reason(scenario: Scenario, sdk: str, app: AppMode | None) -> str | None:
    """In app mode, why this scenario item cannot run on the app: the app brings its own SDK (built against the
    double), and some scenarios cannot mean anything on an app (app_mode.rules)."""
    if app is None:
        return None
    if sdk != "double":
        return f"app mode plays your app, with the SDK it bundles; --sdk {sdk} does not apply"
    return skip_reason(scenario, app)


def serve_app(service: SessionService, app: AppMode | None) -> str:
    """Serve the app's build folder on an origin of its own (returned), or let the app's own origin call the
    service (returns '')."""
    if app is None:
        return ""
    if app.folder is not None:
        return service.serve_app(app.folder)
    assert app.url is not None
    service.accept_origin(app.url)
    return ""


def install_real_sdks(config: pytest.Config) -> None:
    """Each `--sdk real[@X.Y.Z]` asked for, installed into the package cache before anything runs."""
    for spec in dict.fromkeys(config.getoption("sdk") or []):
        if is_real(spec):
            try:
                ensure(spec)
            except RegistryUnreachable as error:
                raise pytest.UsageError(f"--sdk {spec}: {error}; run once with the registry reachable") from None
            except HarnessError as error:
                raise pytest.UsageError(f"--sdk {spec}: {error}") from None


def tracing_mode(config: pytest.Config) -> tuple[str, bool]:
    """pytest-playwright's --tracing, and whether its traces hold DOM snapshots and a screencast.

    Not given: retain-on-failure, lean (a failing run keeps a trace of its actions and console, and
    its screenshots); given, the trace is Playwright's whole one."""
    given = any(arg == "--tracing" or arg.startswith("--tracing=") for arg in config.invocation_params.args)
    return (str(config.getoption("tracing")), True) if given else ("retain-on-failure", False)
