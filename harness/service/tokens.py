"""Minting Video SDK JWTs, with scenario overrides (`token: {exp: -10m}`, `{signature: bad}`, `{tpc: other}`)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt

DEFAULT_LIFETIME = 2 * 3600


def mint_token(
    key: str, secret: str, topic: str, role_type: int, overrides: dict[str, Any] | None = None, now: float | None = None
) -> str:
    issued = int(now if now is not None else time.time()) - 30
    claims: dict[str, Any] = {
        "app_key": key,
        "role_type": role_type,
        "tpc": topic,
        "version": 1,
        "iat": issued,
        "exp": issued + DEFAULT_LIFETIME,
    }
    signature = "valid"
    for name, value in (overrides or {}).items():
        if name == "signature":
            signature = value
        elif value is None:
            claims.pop(name, None)  # `exp: null` removes the claim
        elif isinstance(value, dict) and "relative" in value:
            claims[name] = int(issued + 30 + value["relative"])
        else:
            claims[name] = value
    if signature == "none":
        return _unsigned(claims)
    return jwt.encode(claims, secret if signature == "valid" else secret + "-wrong", algorithm="HS256")


def _unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
