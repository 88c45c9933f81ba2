"""The host's controls of the session, as the back end decides them: the share and chat privileges, captions,
spotlighted videos, the meeting's audio attributes and real-time media streams.

Each is a command of the 2.5.0 runtime (4169 `lockSharing`, 4141 `setChatPriviledge`, 4305 captions, 4219
`spotlightVideo`, `audioMuteAll` / `setMuteOnEntry` / 4149 `allowUnmuteAudio`, 4384 RTMS) whose caller waits for
the meeting attribute or status it changes (10 s; RTMS 90 s to start, 20 s otherwise).
"""

from __future__ import annotations

from typing import Any

from harness.service.backend.decision import (
    BAD_REQUEST,
    NOT_ALLOWED,
    STATE,
    Ask,
    Decide,
    Decision,
    Refused,
    require_host,
    require_privileged,
    require_switch,
)

SHARE_PRIVILEGES = (0, 1, 2, 3)  # HostGrab, OnlyHost, AnyoneGrab, MultipleShare (SharePrivilege's numbers)
CHAT_PRIVILEGES = (1, 3, 4, 5)  # ChatPrivilege All, NoOne, EveryonePublicly, and 3 (host only), which the runtime takes
AUDIO_ATTRIBUTES = ("audio:mutedAll", "audio:mutedUponEntry", "audio:canUnmute")
RTMS_NONE, RTMS_START, RTMS_PAUSE, RTMS_STOP = 0, 1, 2, 3  # RealTimeMediaStreamsStatus
# The statuses each one may follow: start from none, stopped or paused (a resume); pause a running one; stop either.
RTMS_STEPS = {
    RTMS_START: (RTMS_NONE, RTMS_STOP, RTMS_PAUSE),
    RTMS_PAUSE: (RTMS_START,),
    RTMS_STOP: (RTMS_START, RTMS_PAUSE),
}


def _in_subsession(ask: Ask) -> bool:
    return bool(ask.state("subsession").get(f"where:{ask.member.user_id}"))


def _one_of(ask: Ask, name: str, values: tuple[int, ...]) -> int:
    value = ask.arg(name, int)
    if value not in values:
        raise Refused(BAD_REQUEST, f"{name} must be one of {list(values)}")
    return int(value)


def share_privilege(ask: Ask) -> Decision:
    require_privileged(ask, "change the share privilege")
    return Decision({"share": {"privilege": _one_of(ask, "privilege", SHARE_PRIVILEGES)}})


def chat_privilege(ask: Ask) -> Decision:
    require_privileged(ask, "change the chat privilege")
    if _in_subsession(ask):
        raise Refused(STATE, "the chat privilege is the main session's")
    return Decision({"chat": {"privilege": _one_of(ask, "privilege", CHAT_PRIVILEGES)}})


def captions_start(ask: Ask) -> Decision:
    require_switch(ask, "live_transcription")
    if ask.state("transcription").get("hostDisabled") is True:
        raise Refused(STATE, "the host has disabled captions")
    return Decision({"transcription": {"enabled": True}})


def captions_disable(ask: Ask) -> Decision:
    require_host(ask, "disable captions")
    return Decision({"transcription": {"hostDisabled": ask.arg("disable", bool)}})


def captions_lock(ask: Ask) -> Decision:
    require_host(ask, "lock the transcription language")
    if ask.allows("translation"):
        raise Refused(STATE, "the language cannot be locked while translation is on")
    return Decision({"transcription": {"locked": ask.arg("lock", bool)}})


def _spotlight(ask: Ask) -> list[int]:
    listed = ask.state("camera-control").get("spotlight")
    return [user for user in listed if user in ask.room.members] if isinstance(listed, list) else []


def spotlight_add(ask: Ask) -> Decision:
    require_privileged(ask, "spotlight a video")
    user_id = ask.arg("userId", int)
    if user_id not in ask.room.members:
        raise Refused(STATE, f"no participant {user_id}")
    listed = _spotlight(ask)
    spotlight = [user_id] if ask.args.get("replace") is True else [*listed, user_id]
    return Decision({"camera-control": {"spotlight": list(dict.fromkeys(spotlight))}})


def spotlight_remove(ask: Ask) -> Decision:
    user_id = ask.arg("userId", int)
    listed = _spotlight(ask)
    if user_id not in listed:
        raise Refused(STATE, f"{user_id} is not spotlighted")
    own_only = user_id == ask.member.user_id and listed == [user_id]
    if not own_only and not ask.privileged:
        raise Refused(NOT_ALLOWED, "only the host or a manager removes others' spotlight")
    return Decision({"camera-control": {"spotlight": [user for user in listed if user != user_id]}})


def spotlight_clear(ask: Ask) -> Decision:
    require_host(ask, "remove every spotlight")
    return Decision({"camera-control": {"spotlight": []}})


def audio_attribute(ask: Ask) -> Decision:
    """Mute everyone, mute upon entry, let participants unmute themselves: host or manager."""
    require_privileged(ask, "change the session's audio")
    key = ask.arg("key", str)
    if key not in AUDIO_ATTRIBUTES:
        raise Refused(BAD_REQUEST, f"key must be one of {list(AUDIO_ATTRIBUTES)}")
    value: Any = ask.arg("value", bool)
    return Decision({"camera-control": {key: value}})


def rtms(ask: Ask) -> Decision:
    require_host(ask, "control real-time media streams")
    require_switch(ask, "rtms")
    if _in_subsession(ask):
        raise Refused(STATE, "real-time media streams are the main session's")
    to = _one_of(ask, "to", tuple(RTMS_STEPS))
    status = ask.state("rtms").get("status", RTMS_NONE)
    if status not in RTMS_STEPS[to]:
        raise Refused(STATE, f"real-time media streams cannot go from {status} to {to}")
    return Decision({"rtms": {"status": to}})


REQUESTS: dict[str, Decide] = {
    "share.privilege": share_privilege,
    "chat.privilege": chat_privilege,
    "transcription.start": captions_start,
    "transcription.disable": captions_disable,
    "transcription.lock": captions_lock,
    "spotlight.add": spotlight_add,
    "spotlight.remove": spotlight_remove,
    "spotlight.clear": spotlight_clear,
    "audio.attribute": audio_attribute,
    "rtms.change": rtms,
}
