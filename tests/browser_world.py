"""A browser world on a plain page (no SDK at all), for tests that prove each fault is real."""

from __future__ import annotations

from playwright.sync_api import Page

from harness.faults import permissions, plan_world, prepare_context, system
from harness.faults.network import NetworkController
from harness.faults.plan import FaultEnv
from harness.faults.shaper import NetworkShaper
from harness.light_browser import GRANTABLE
from harness.participant import ParticipantPage
from harness.pool import BrowserPool
from harness.scenario.model import World
from harness.service.server import SessionService

CAPTURE = """kind => navigator.mediaDevices.getUserMedia({[kind]: true}).then(
    stream => { stream.getTracks().forEach(t => t.stop()); return 'ok'; },
    error => `${error.name}: ${error.message}`)"""
INPUTS = "() => navigator.mediaDevices.enumerateDevices().then(list => list.map(d => d.kind))"


class BrowserWorld:
    """Opens a plain page (no SDK at all) in a context prepared for a scenario world."""

    def __init__(self, pool: BrowserPool, service: SessionService, shaper: NetworkShaper) -> None:
        self.pool, self.service, self.shaper = pool, service, shaper
        self.opened: list[ParticipantPage] = []

    def page(
        self, world: World, *, shaped: bool = False, relayed: tuple[str, ...] = (), full: bool = False
    ) -> tuple[Page, ParticipantPage]:
        """A plain page in a context prepared for `world`. As the runner does for a scenario, a world whose
        permissions are all granted runs on Chromium's headless shell (when there is one); a refused or
        screen permission, or `full` (a test whose later fault refuses one), on the full Chromium."""
        plan = plan_world(world, shaped=shaped, relayed=relayed)
        path = self.shaper.open_path() if plan.shaped else None
        options: dict[str, object] = {"permissions": list(plan.permissions)}
        if path is not None:
            options["proxy"] = path.proxy
        granted = all(kind in GRANTABLE and state == "granted" for kind, state in world.permissions.items())
        light = granted and "screen" not in world.permissions and not full
        browser = self.pool.get("chromium", plan.launch_args, light=light)
        options.update(system.context_options(plan.system, "chromium", browser.version))
        context = browser.new_context(**options)  # type: ignore[arg-type]
        participant = ParticipantPage(
            "me",
            "host",
            context,
            NetworkController(
                context,
                path,
                {"media": self.service.media_port},
                route_sockets=not plan.gesture_free,
                check_url=self.service.sessions_url,
            ),
            dict(world.permissions),
            plan,
        )
        self.opened.append(participant)
        prepare_context(participant, plan, "/double/lib")
        page = participant.new_page()
        participant.emulate(system.cdp_commands(plan.system))
        permissions.before_load(participant, self.service.base_url)
        page.goto(f"{self.service.base_url}/pages/blank.html")
        return page, participant

    def env(self) -> FaultEnv:
        creds = self.service.new_credentials()
        return FaultEnv(self.service.base_url, "/double/lib", self.service, creds.key, {})
