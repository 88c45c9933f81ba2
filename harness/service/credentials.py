"""An SDK key and its secret on an account profile: what the harness signs tokens with and the service checks.

Apart from the service's state so that a run can hold credentials without importing the service's web server.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Credentials:
    key: str
    secret: str
    account: str = "default"
