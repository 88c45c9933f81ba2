"""Video SDK JWT verification as the back end applies it, answered with the server's result codes.

The rules are those of Zoom's Video SDK auth docs: HS256, signed with the SDK secret; `app_key`, `role_type`
(0 or 1), `tpc` (the join topic, compared case-insensitively, at most 200 characters), `iat` and `exp`
required; `exp` at least 1800 s and at most 48 h after `iat`; `version`, when present, 1 (Zoom's own web
sample omits it). A refusal is the server's result: 124 (verify failure or expired token, with the message),
300 (unknown account), 3010 (role type). The double maps these to the join failures as the 2.5.0 runtime
decodes the `/wc/lsdk` answer (harness/web/double/src/client/join-rules.js): 124 rejects with errorCode 200 and the
message as `reason`, 300 with 200 'This account does not exist or does not belong to you', 3010 with 3010.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

VERIFY_FAILED = "Verify JWT failed"
EXPIRED = "The token has expired, is over 2 days old, or is ineffective."
JWT_RESULT = 124
ACCOUNT_RESULT = 300
ROLE_RESULT = 3010
MIN_LIFETIME = 1800
MAX_LIFETIME = 48 * 3600
CLOCK_SKEW = 300
REQUIRED = ("app_key", "role_type", "tpc", "iat", "exp")


@dataclass(frozen=True, slots=True)
class Verdict:
    claims: dict[str, Any] | None
    result: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.claims is not None


def refuse(result: int, message: str = "") -> Verdict:
    return Verdict(None, result, message)


def verify_token(token: str, secrets: dict[str, str], topic: str, now: float) -> Verdict:
    """Check signature, claims, topic and lifetime; `secrets` maps each known SDK key to its secret."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return refuse(JWT_RESULT, VERIFY_FAILED)
    if header.get("alg") != "HS256":
        return refuse(JWT_RESULT, VERIFY_FAILED)
    secret = secrets.get(str(unverified.get("app_key")))
    if secret is None:
        return refuse(ACCOUNT_RESULT) if "app_key" in unverified else refuse(JWT_RESULT, VERIFY_FAILED)
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False, "verify_nbf": False}
        )
    except jwt.PyJWTError:
        return refuse(JWT_RESULT, VERIFY_FAILED)
    return check_claims(claims, topic, now)


def check_claims(claims: dict[str, Any], topic: str, now: float) -> Verdict:
    if any(name not in claims for name in REQUIRED):
        return refuse(JWT_RESULT, VERIFY_FAILED)
    # Zoom's own web sample omits `version`; when present it must be 1.
    if "version" in claims and claims["version"] != 1:
        return refuse(JWT_RESULT, VERIFY_FAILED)
    if claims["role_type"] not in (0, 1) or isinstance(claims["role_type"], bool):
        return refuse(ROLE_RESULT, "Role type error")
    if str(claims["tpc"]).lower() != topic.lower() or len(str(claims["tpc"])) > 200:
        return refuse(JWT_RESULT, VERIFY_FAILED)
    iat, exp = claims["iat"], claims["exp"]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (iat, exp)):
        return refuse(JWT_RESULT, VERIFY_FAILED)
    lifetime = exp - iat
    if exp <= now or iat > now + CLOCK_SKEW or lifetime < MIN_LIFETIME or lifetime > MAX_LIFETIME:
        return refuse(JWT_RESULT, EXPIRED)
    return Verdict(claims)
