"""The telephone network behind the session service: phone call-out (`stream.inviteByPhone`) and hang-up.

Zoom's back end places the calls; here every call to a country the account may dial (its
`call_out_countries` switch) rings and is answered, and any other fails. With `callMe` the answered phone
becomes the caller's own session audio, as when Zoom calls the participant: their record then says
`audio: 'phone'`, and their browser cannot also join computer audio (6012). The states are the public
`DialoutState` values.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

CALLING, RINGING, ACCEPTED, HANG_UP, FAIL, SUCCESS = 1, 2, 3, 6, 7, 8


@dataclass(frozen=True, slots=True)
class CallOutcome:
    states: list[dict[str, Any]] = field(default_factory=list)  # `dialout` messages for the caller, in order
    phone_audio: bool = False  # the caller's audio is now this phone


def dial_out(settings: dict[str, Any], caller_id: int, request: dict[str, Any]) -> CallOutcome:
    number = str(request.get("phoneNumber", ""))
    base = {"evt": "dialout", "phoneNumber": number, "uuid": str(uuid.uuid4()), "userId": caller_id}
    if str(request.get("countryCode", "")) not in settings.get("call_out_countries", []):
        return CallOutcome([{**base, "code": FAIL}])
    states = [{**base, "code": code} for code in (CALLING, RINGING, ACCEPTED, SUCCESS)]
    return CallOutcome(states, phone_audio=bool(request.get("callMe")))


def hang_up(caller_id: int) -> dict[str, Any]:
    return {"evt": "dialout", "phoneNumber": "", "uuid": "", "userId": caller_id, "code": HANG_UP}
