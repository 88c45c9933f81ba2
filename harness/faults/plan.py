"""Turning a scenario world into browser settings, and applying mid-session faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.errors import HarnessError
from harness.faults import assets, devices, permissions, platform
from harness.faults.scripts import browser_script
from harness.scenario.model import World

if TYPE_CHECKING:
    from harness.participant import ParticipantPage


@dataclass(frozen=True, slots=True)
class ContextPlan:
    """What one participant's browser needs before its page loads."""

    launch_args: tuple[str, ...]
    permissions: tuple[str, ...]
    init_scripts: tuple[str, ...] = ()
    assets_blocked: bool = False
    offline_after_load: bool = False
    virtual_clock: bool = False
    media_config: dict[str, Any] = field(default_factory=dict)


def plan_world(world: World) -> ContextPlan:
    scripts = []
    removed = platform.removed(world.platform)
    if removed:
        scripts.append(browser_script("platform.js", removed))
    # Always installed (a pass-through when the world is normal) so devices can change mid-session.
    media = devices.media_world(world.devices, world.permissions)
    scripts.append(browser_script("media_world.js", media))
    return ContextPlan(
        launch_args=tuple(devices.launch_args(world.devices)),
        permissions=tuple(permissions.granted(world.permissions)),
        init_scripts=tuple(scripts),
        assets_blocked=world.assets == "blocked",
        offline_after_load=world.network == "offline",
        virtual_clock=world.clock == "virtual",
        media_config=media,
    )


def prepare_context(participant: ParticipantPage, plan: ContextPlan, assets_path: str) -> None:
    """Everything that must be in place before the page's first script runs."""
    context = participant.context
    for script in plan.init_scripts:
        context.add_init_script(script)
    if plan.assets_blocked:
        assets.block(context, assets_path)
    if plan.virtual_clock:
        context.clock.install()
        context.clock.pause_at(participant.clock_start)


def apply_fault(participant: ParticipantPage, change: World, assets_path: str) -> None:
    """A `fault:` step. Each family touches only the browser, the network or the back end."""
    if change.permissions:
        participant.permissions = permissions.change(participant.context, change.permissions, participant.permissions)
    if change.devices:
        _change_devices(participant, change.devices)
    if change.assets:
        (assets.block if change.assets == "blocked" else assets.unblock)(participant.context, assets_path)
    if change.network:
        participant.network.set_state(change.network)
    if change.platform or change.clock or change.account:
        raise HarnessError("platform, clock and account can only be set in `given`, before the page loads")


def _change_devices(participant: ParticipantPage, change: dict[str, str]) -> None:
    if any(state == "absent" for kind, state in change.items() if kind == "camera"):
        raise HarnessError("a camera cannot disappear mid-session yet; use `given: {devices: {camera: absent}}`")
    update = {kind: {"device": state} for kind, state in change.items()}
    if participant.page is None:
        raise HarnessError("devices can change only once the page is open")
    participant.page.evaluate(
        "change => { if (!window.__harnessMediaWorld) throw new Error('media world script missing'); "
        "window.__harnessMediaWorld.update(change); }",
        update,
    )
