"""What one scenario run is given: the browser pool, the session service, the browser and the SDK to run on,
where its artifacts go, and the network paths of the participants that need one."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from harness.app_mode import AppMode
from harness.artifacts import Artifacts
from harness.faults.shaper import NetworkShaper
from harness.pool import BrowserPool
from harness.scenario.model import Scenario

if TYPE_CHECKING:  # the service (and its web server) is imported only by what starts it (pytest_app, cli)
    from harness.service.server import SessionService


@dataclass(frozen=True, slots=True)
class SdkProfile:
    """Where the app finds an SDK implementation and its dependent assets. `name` is the `--sdk` value:
    `double`, `real` (the pinned version) or `real@X.Y.Z`; the service serves each real one under /sdk/NAME/."""

    name: str
    assets_path: str

    @classmethod
    def named(cls, name: str) -> SdkProfile:
        return cls(name, "/double/lib" if name == "double" else f"/sdk/{name}/lib")

    @property
    def kind(self) -> str:
        """`double` or `real`, what a scenario's `sdk:` list names."""
        return "double" if self.name == "double" else "real"

    @classmethod
    def app(cls) -> SdkProfile:
        """App mode: the app brings its SDK and loads its assets from `${origin}/lib`, as Zoom's web sample."""
        return cls("app", "/lib")


@dataclass
class RunContext:
    pool: BrowserPool
    service: SessionService
    browser: str
    sdk: SdkProfile
    artifacts: Artifacts
    client_expression: str = "window.zmClient"
    shaper: NetworkShaper = field(default_factory=NetworkShaper)  # its thread starts on first use
    app: AppMode | None = None  # app mode: the user's app replaces the sample app
    app_origin: str = ""  # app mode with a build folder: the origin the service serves it on

    @property
    def page_origin(self) -> str:
        """The origin of the participants' pages: the sample app's (the service), or the user's app's."""
        if self.app is not None and self.app.url is not None:
            parts = urlsplit(self.app.url)
            return f"{parts.scheme}://{parts.netloc}"
        return self.app_origin or self.service.base_url

    @property
    def web_endpoint(self) -> str:
        """host:port where the app's SDK joins: the origin serving its build, else the service itself."""
        return urlsplit(self.app_origin or self.service.base_url).netloc


ZOOM_KEY_VARIABLES = ("ZOOM_VIDEO_SDK_KEY", "ZOOM_VIDEO_SDK_SECRET")


def zoom_credentials() -> tuple[str, str] | None:
    """The user's real Video SDK key and secret, from the environment, when both are set."""
    key, secret = (os.environ.get(name, "") for name in ZOOM_KEY_VARIABLES)
    return (key, secret) if key and secret else None


def needs_zoom(scenario: Scenario) -> bool:
    """A scenario that expects to be in a session needs Zoom's servers when it runs on the real SDK."""
    return any(step.action == "join" and step.expect_error is None for step in scenario.steps)
