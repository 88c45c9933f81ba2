"""The Video SDK surface scenarios may name: methods per target object (`call:`) and event names.

The data is `sdk_surface.json`, read from the 2.5.0 package's typings; tests/test_schema.py keeps it in step.
"""

from __future__ import annotations

import json
from pathlib import Path

_DATA = json.loads(Path(__file__).with_name("sdk_surface.json").read_text(encoding="utf-8"))

# Target object -> the public methods its typings declare, e.g. TARGETS["stream"] holds "startVideo".
TARGETS: dict[str, tuple[str, ...]] = {target: tuple(methods) for target, methods in _DATA["targets"].items()}
# SDK event names the probe subscribes to and wait_for_event / on_event accept.
EVENTS: tuple[str, ...] = tuple(_DATA["events"])
