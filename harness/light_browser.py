"""Which scenarios run on Chromium's headless shell, and the guard that keeps that choice honest.

The headless shell (Debian's `chromium-headless-shell`, Playwright's own default headless build) is the same
Chromium engine as the system browser without the browser's window layer: a context and a page open there in
about a third of the time (measured: 60 ms against 200 ms for a page). It cannot capture: `getUserMedia` fails
with NotSupportedError whatever the context's permissions say, and a fake prompt would grant every request, so
a refused camera could not be told from a granted one. So a scenario runs on the shell only when nothing in it
can capture: no device or permission in its worlds, no UI step, no call on the media stream or the preview
API, no method named after media. The guard below makes the choice safe when it is wrong: on the shell, a page
that asks for a capture is noted, the run's outcome is thrown away and the scenario runs again on the full
Chromium. A result is therefore always one a capturing browser could give.

The device list is not guarded: the double lists devices at init and join, as 2.5.0 does, and reads the list
only for the media stream's own methods, which send a scenario to the full Chromium anyway. (The shell lists one
unlabelled device per kind, what a page sees before any permission.)
"""

from __future__ import annotations

import re

from harness.scenario.model import Scenario, Step, World

GUARD_FLAG = "__harnessCaptureAsked"  # set by the guard to the first capture API a page called
UI_ACTIONS = frozenset({"click", "fill"})  # the app's own buttons may start a camera
# The media stream, and the preview API with its local tracks; on any other target, a method named after media.
CAPTURING_TARGETS = frozenset({"stream", "ZoomVideo", "localVideoTrack", "localAudioTrack"})
MEDIA_WORDS = re.compile(r"video|audio|share|camera|microphone|speaker|preview|device|track|capture|phone", re.I)

GUARD_SCRIPT = """(() => {
  // The headless shell cannot capture (see harness/light_browser.py): note the first ask, refuse it, and the
  // harness runs the scenario again on the full Chromium.
  const devices = navigator.mediaDevices;
  if (!devices) return;
  for (const name of ['getUserMedia', 'getDisplayMedia']) {
    if (typeof devices[name] !== 'function') continue;
    devices[name] = function () {
      window.FLAG = window.FLAG || name;
      console.warn(`FLAG: the page called ${name} on the headless shell`);
      return Promise.reject(new DOMException('the headless shell cannot capture', 'NotSupportedError'));
    };
  }
})();""".replace("FLAG", GUARD_FLAG)


def may_capture(scenario: Scenario) -> bool:
    """Whether anything in the scenario can ask the browser for a camera, a microphone, a screen or devices."""
    worlds = [scenario.given, *(participant.given for participant in scenario.participants)]
    if any(_world_touches_media(world) for world in worlds):
        return True
    return any(_step_may_capture(step) for step in scenario.steps)


def _world_touches_media(world: World) -> bool:
    return bool(world.permissions or world.devices or world.device_counts or world.device_files)


def _step_may_capture(step: Step) -> bool:
    for sub in step.calls():
        if sub.action in UI_ACTIONS:
            return True
        if sub.action == "fault" and _world_touches_media(sub.params):
            return True
        if sub.action == "call" and _call_may_capture(str(sub.params)):
            return True
    return False


def _call_may_capture(path: str) -> bool:
    target, _, method = path.rpartition(".")
    return target.split(".")[0] in CAPTURING_TARGETS or bool(MEDIA_WORDS.search(method))
