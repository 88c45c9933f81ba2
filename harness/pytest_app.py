"""The plugin's options checked at start, before anything runs: app mode (`--app` and its companions; which
scenario items skip on an app; how the session service is told about the app) and the real SDK versions
`--sdk` names (installed into the cache). `pytest_plugin` wires them in."""

from __future__ import annotations

import pytest

from harness.app_mode import AppMode, skip_reason
from harness.errors import HarnessError
from harness.scenario.model import Scenario
from harness.sdk_packages import RegistryUnreachable, ensure, is_real
from harness.service.server import SessionService

COMPANIONS = ("app_query", "app_token_url", "app_client", "app_allow_errors")


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
