"""Which scenarios run on Chromium's headless shell, and the guard that keeps that choice honest.

The headless shell (Debian's `chromium-headless-shell`, Playwright's own default headless build) is the same
Chromium engine and version as the system browser without the browser's window layer: a context and a page open
there in about a third of the time (measured: 60 ms against 200 ms for a page). It has no permission prompt: it
captures only with Chromium's fake prompt (`--use-fake-ui-for-media-stream`), which accepts every request. So a
scenario runs on the shell only when every permission in its worlds and faults is granted, the one case where
the full Chromium, with the same permissions granted to the context, never asks either. Measured alike on both
(a granted context, the fake devices): the device list with its labels, each track's label and settings, the
permission states.

One thing the fake prompt does that the full Chromium does not: it picks a screen for `getDisplayMedia` where the
full Chromium's picker never answers unless the world grants `screen` (which gives the full Chromium the same
fake prompt). So on the shell a page that asks for a screen it was not granted is noted by the guard below; the
run's outcome is thrown away and the scenario runs again on the full Chromium.
"""

from __future__ import annotations

from harness.scenario.model import Scenario, World

GUARD_FLAG = "__harnessCaptureAsked"  # set by the guard to the first API a page called that the shell may not
# What the shell grants as the full Chromium does a context: the fake prompt, and pan/tilt/zoom by the context's grant.
GRANTABLE = frozenset({"camera", "microphone", "screen", "camera_pan_tilt_zoom"})

GUARD_SCRIPT = """(() => {
  // On the headless shell a screen picker would answer where the full Chromium's never does: note the ask,
  // refuse it, and the harness runs the scenario again on the full Chromium (harness/light_browser.py).
  const devices = navigator.mediaDevices;
  if (!devices || typeof devices.getDisplayMedia !== 'function') return;
  devices.getDisplayMedia = function () {
    window.FLAG = window.FLAG || 'getDisplayMedia';
    console.warn('FLAG: the page called getDisplayMedia on the headless shell');
    return Promise.reject(new DOMException('not on the headless shell', 'NotSupportedError'));
  };
})();""".replace("FLAG", GUARD_FLAG)


def needs_full_chromium(scenario: Scenario) -> bool:
    """Whether a permission anywhere in the scenario is other than granted (the shell could not refuse it)."""
    worlds = [scenario.given, *(participant.given for participant in scenario.participants)]
    worlds += [sub.params for step in scenario.steps for sub in step.calls() if sub.action == "fault"]
    return not all(_all_granted(world) for world in worlds)


def _all_granted(world: World) -> bool:
    return all(kind in GRANTABLE and state == "granted" for kind, state in world.permissions.items())


def guard_script(world: World) -> str | None:
    """The guard for a participant on the shell; None when the world grants the screen (nothing to guard)."""
    return None if world.permissions.get("screen") == "granted" else GUARD_SCRIPT
