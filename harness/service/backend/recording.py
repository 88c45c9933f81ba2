"""Cloud recording, as the back end decides it: who may record, pause and stop, and individual recording.

The 2.5.0 runtime sends the recording command (4105 `recordMeeting`) and waits for the meeting attribute
`cmrServerStatus` (10 s; another status first → INTERNAL_ERROR); the answer to the individual-recording question
(4325 `allowSelfRecord`) comes back as the participant's record. Whether a recording makes a file per participant
is the host's token claim `cloud_recording_option` (1 = individual files), which the back end knows from the
host's join.
"""

from __future__ import annotations

from typing import Any

from harness.service.backend.decision import (
    STATE,
    Ask,
    Decide,
    Decision,
    Refused,
    require_privileged,
    require_switch,
)
from harness.service.rooms import Member, Room

FEATURE = "recording"
RECORDING, PAUSED, STOPPED = "Recording", "Paused", "Stopped"  # RecordingStatus (the typings' values)


def _status(ask: Ask) -> str:
    status = ask.state(FEATURE).get("status")
    return status if status in (RECORDING, PAUSED) else STOPPED


def start(ask: Ask) -> Decision:
    """Start, or resume (the runtime resumes with the same request): host or manager, on an account that records."""
    require_privileged(ask, "record the session")
    require_switch(ask, "cloud_recording")
    host = ask.room.host()
    iso = host is not None and host.recording_option == 1
    return Decision({FEATURE: {"status": RECORDING, "iso": iso}})


def pause(ask: Ask) -> Decision:
    require_privileged(ask, "pause the recording")
    require_switch(ask, "cloud_recording_pause_stop")
    if _status(ask) != RECORDING:
        raise Refused(STATE, "the session is not being recorded")
    return Decision({FEATURE: {"status": PAUSED}})


def stop(ask: Ask) -> Decision:
    require_privileged(ask, "stop the recording")
    require_switch(ask, "cloud_recording_pause_stop")
    if _status(ask) == STOPPED:
        raise Refused(STATE, "the session is not being recorded")
    return Decision({FEATURE: {"status": STOPPED}})


def answer(ask: Ask) -> Decision:
    """A participant's answer to individual recording (`accept`); an accepted one cannot be taken back."""
    accept = ask.arg("accept", bool)
    state = ask.state(FEATURE)
    if state.get("iso") is not True or _status(ask) == STOPPED:
        raise Refused(STATE, "no individual recording is asked for")
    key = f"accepted:{ask.member.user_id}"
    if state.get(key) is True:
        raise Refused(STATE, "individual recording was accepted already")
    return Decision({FEATURE: {key: accept}})


def host_joined(room: Room, member: Member) -> dict[str, dict[str, Any]]:
    """What the back end says when a host joins: whether recordings make a file per participant (its token's
    `cloud_recording_option`), as the meeting attribute `bCmrIsoEnble` tells everyone."""
    if not member.is_host:
        return {}
    return {FEATURE: {"iso": member.recording_option == 1}}


REQUESTS: dict[str, Decide] = {
    "recording.start": start,
    "recording.pause": pause,
    "recording.stop": stop,
    "recording.answer": answer,
}
