"""Which devices the media world relays (so they can stop delivering frames): a camera frozen before the page
loads or by any of the participant's faults, and nothing else."""

from __future__ import annotations

from harness.faults import devices, plan_world
from harness.scenario.model import World


def test_a_camera_frozen_in_given_or_in_a_fault_is_relayed() -> None:
    assert devices.relayed_kinds(World(devices={"camera": "frozen"}), []) == ("camera",)
    assert devices.relayed_kinds(World(), [World(devices={"camera": "busy"}), World(devices={"camera": "frozen"})]) == (
        "camera",
    )


def test_nothing_relayed_otherwise() -> None:
    assert devices.relayed_kinds(World(), []) == ()
    assert (
        devices.relayed_kinds(World(devices={"microphone": "muted-by-system"}), [World(devices={"camera": "stops"})])
        == ()
    )


def test_the_relay_reaches_the_media_world_script_config() -> None:
    assert plan_world(World(), relayed=("camera",)).media_config["camera"] == {"relay": True}
    assert "relay" not in plan_world(World()).media_config["camera"]
