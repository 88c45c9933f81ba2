"""What the session service holds: credentials, account settings, rooms, open sockets and its event log.

One `ServiceState` per service, touched only on the service's loop (or before the loop starts).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from harness.service.credentials import Credentials
from harness.service.origins import OriginPolicy
from harness.service.rooms import Rooms


@dataclass
class ServiceState:
    rooms: Rooms = field(default_factory=Rooms)
    credentials: dict[str, Credentials] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # SDK key -> current account settings
    sockets: dict[int, web.WebSocketResponse] = field(default_factory=dict)
    media_port: int = 0  # the media server's own port (media.py)
    # The back end's network: the `.test` stand-ins' loopback addresses by name (rtmp.StandIns).
    world: dict[str, tuple[str, int]] = field(default_factory=dict)
    origins: OriginPolicy = field(default_factory=OriginPolicy)  # which pages may call (origins.py)
    log: list[dict[str, Any]] = field(default_factory=list)

    def record(self, event: str, **details: Any) -> None:
        self.log.append({"t": time.time(), "event": event, **details})

    def secrets(self) -> dict[str, str]:
        """Each known SDK key's secret, for checking a token's signature."""
        return {key: creds.secret for key, creds in self.credentials.items()}
