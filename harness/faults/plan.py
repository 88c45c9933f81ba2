"""Turning a scenario world into browser settings, and applying mid-session faults.

`plan_world` says what a participant's browser needs before its page loads; `apply_fault` hands each
part of a `fault:` step to its family (one module each), which changes the browser, the network or the
back end, never the SDK double.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Each family by its module path, not through the package (whose __init__ imports this module).
import harness.faults.assets as assets
import harness.faults.devices as devices
import harness.faults.firefox as firefox
import harness.faults.permissions as permissions
import harness.faults.platform as platform
import harness.faults.session as session
import harness.faults.system as system
from harness.errors import HarnessError
from harness.faults.context_plan import ContextPlan
from harness.faults.scripts import browser_script
from harness.faults.target import FaultTarget
from harness.scenario.model import World


@dataclass(frozen=True, slots=True)
class FaultEnv:
    """What fault families need besides the participant: where the app and assets are, the back end."""

    origin: str
    assets_path: str
    control: session.SessionControl
    app_key: str
    display_names: dict[str, str]


def plan_world(
    world: World, *, shaped: bool = False, browser: str = "chromium", relayed: tuple[str, ...] = ()
) -> ContextPlan:
    """What `browser` needs before the page loads; call `unsupported` first for Firefox. `relayed`: the devices
    whose tracks may stop delivering frames during the scenario (devices.relayed_kinds)."""
    scripts = []
    removed = platform.removed(world.platform)
    if removed:
        scripts.append(browser_script("platform.js", removed))
    # Always installed (a pass-through when the world is normal) so devices can change mid-session.
    chromium = browser == "chromium"
    media = devices.media_world(world.devices, world.permissions, scripted_absence=chromium, relayed=relayed)
    if not chromium:
        media["messages"] = firefox.MESSAGES
    scripts.append(browser_script("media_world.js", media))
    return ContextPlan(
        launch_args=(
            *devices.launch_args(world.devices, world.device_counts, world.device_files, world.permissions),
            *platform.launch_args(world.platform),
        )
        if chromium
        else (),
        permissions=tuple(permissions.granted(world.permissions)) if chromium else (),
        firefox_prefs={}
        if chromium
        else {**firefox.prefs(world), **system.prefs(world.system), **platform.prefs(world.platform)},
        init_scripts=tuple(scripts),
        assets_blocked=world.assets == "blocked",
        offline_after_load=world.network == "offline",
        virtual_clock=world.clock == "virtual",
        media_config=media,
        shaped=shaped or shapes_traffic(world),
        conditions=world.conditions,
        http=world.http,
        system=dict(world.system),
        firewall=dict(world.firewall),
        gesture_free=platform.gesture_free(world.platform),
        isolated=world.page == "cross-origin-isolated",
    )


def prepare_context(participant: FaultTarget, plan: ContextPlan, assets_path: str) -> list[tuple[str, Any]]:
    """Everything that must be in place before the page's first script runs. Returns the world's init scripts,
    each with what removes it (a kept context swaps them for the next participant's: harness/spares.py)."""
    context = participant.context
    scripts = [(script, context.add_init_script(script)) for script in plan.init_scripts]
    if plan.assets_blocked:
        assets.block(context, assets_path)
    for fault in plan.http:
        participant.network.apply_http(fault)
    if plan.conditions is not None:
        participant.network.set_conditions(plan.conditions)
    if plan.firewall:
        participant.network.set_firewall(plan.firewall)
    if plan.virtual_clock:
        context.clock.install()
        context.clock.pause_at(participant.clock_start)
    return scripts


Family = Callable[[FaultTarget, World, FaultEnv], None]


def _permissions(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    permissions.change(participant, change.permissions, env.origin)


def _devices(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    devices.change(participant, change.devices)


def _network(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    if change.network:
        participant.network.set_state(change.network)
    if change.conditions is not None:
        participant.network.set_conditions(change.conditions)


def _http(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    for fault in change.http:
        participant.network.apply_http(fault)


def _firewall(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    participant.network.set_firewall(change.firewall)


def _websocket(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    assert change.websocket is not None
    if change.websocket.at == "next-connection":
        participant.network.close_next(change.websocket)
        return
    if participant.network.close_sockets(change.websocket) == 0:
        raise HarnessError(f"no open WebSocket matches {change.websocket.url!r}: there was nothing to close")


def _assets(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    (assets.block if change.assets == "blocked" else assets.unblock)(participant.context, env.assets_path)


def _session(participant: FaultTarget, change: World, env: FaultEnv) -> None:
    assert change.session is not None
    session.act(env.control, env.app_key, change.session, env.display_names)


# The YAML key of each fault family, and whether the change names it.
FAMILIES: tuple[tuple[str, Callable[[World], bool], Family], ...] = (
    ("permissions", lambda w: bool(w.permissions), _permissions),
    ("devices", lambda w: bool(w.devices), _devices),
    ("network", lambda w: bool(w.network) or w.conditions is not None, _network),
    ("http", lambda w: bool(w.http), _http),
    ("firewall", lambda w: bool(w.firewall), _firewall),
    ("websocket", lambda w: w.websocket is not None, _websocket),
    ("assets", lambda w: bool(w.assets), _assets),
    ("session", lambda w: w.session is not None, _session),
)


def families_of(change: World) -> list[str]:
    """The fault families a change names, in the order they apply."""
    return [name for name, named, _ in FAMILIES if named(change)]


def apply_fault(participant: FaultTarget, change: World, env: FaultEnv) -> list[str]:
    """A `fault:` step; returns the names of the families it applied, in order."""
    applied = families_of(change)
    families = dict((name, family) for name, _, family in FAMILIES)
    for name in applied:
        families[name](participant, change, env)
    return applied


def unsupported(browser: str, world: World, *, mid_session: bool) -> str | None:
    """Why `browser` cannot produce this world or fault (the run then skips), or None."""
    if browser == "firefox":
        return firefox.unsupported(world, mid_session=mid_session)
    return platform.chromium_unsupported(world.platform)


def routes_sockets(given: World, faults: list[World]) -> bool:
    """Whether a participant's WebSockets must run through Playwright: to be cut when the network goes offline
    (Playwright's offline mode leaves open sockets open), or closed by a websocket fault. Routed sockets cost
    every frame a round trip through the harness, so a participant whose scenario does neither is not routed."""
    return given.network == "offline" or any(f.network == "offline" or f.websocket is not None for f in faults)


def shapes_traffic(world: World) -> bool:
    """Whether a world (a `given` or a fault) needs the participant's traffic on a harness network path."""
    return world.conditions is not None or world.network == "blackhole" or bool(world.firewall)
