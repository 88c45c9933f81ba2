"""The back end's decisions (harness/service/backend/), taken on rooms built here: no socket, no browser.

Each refusal is checked to change nothing: a refused request returns no decision, so the room's state is what it
was (the 2.5.0 runtime then sees no indication and its own bounded wait decides).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from test_service import run_async

from harness.service import backend
from harness.service.accounts import account_settings
from harness.service.backend import whiteboard
from harness.service.backend.decision import ACCOUNT, BAD_REQUEST, NOT_ALLOWED, STATE, UNKNOWN_KIND, Ask
from harness.service.rooms import Member, Room

SETTINGS = account_settings("default")


class Session:
    """A room with a host, a manager and two attendees."""

    def __init__(self, **switches: Any) -> None:
        self.room = Room("key", "standup", "s1")
        self.settings = {**SETTINGS, **switches}
        self.host = self._add(1, "hana", host=True)
        self.manager = self._add(2, "max", manager=True)
        self.guest = self._add(3, "gus")
        self.other = self._add(4, "olga")

    def _add(self, user_id: int, name: str, host: bool = False, manager: bool = False) -> Member:
        member = Member(user_id, name, 1 if host or manager else 0, host, manager, f"t{user_id}")
        self.room.members[user_id] = member
        return member

    def decide(self, who: Member, kind: str, **args: Any) -> backend.Decision:
        return backend.decide(Ask(self.room, who, self.settings, kind, args))

    def apply(self, who: Member, kind: str, **args: Any) -> backend.Decision:
        decision = self.decide(who, kind, **args)
        for feature, changes in decision.changes.items():
            self.room.features.setdefault(feature, {}).update(changes)
        return decision

    def refused(self, who: Member, kind: str, **args: Any) -> str:
        before = copy.deepcopy(self.room.features)
        with pytest.raises(backend.Refused) as refusal:
            self.decide(who, kind, **args)
        assert self.room.features == before, "a refusal changes nothing"
        return refusal.value.why


def refused_by(session: Session, kind: str, **args: Any) -> str:
    """What the host of a session on another account is answered."""
    return session.refused(session.host, kind, **args)


def test_an_attendee_cannot_start_pause_or_stop_recording_a_manager_may() -> None:
    session = Session()
    for kind in ("recording.start", "recording.pause", "recording.stop"):
        assert session.refused(session.guest, kind) == NOT_ALLOWED
    assert session.apply(session.manager, "recording.start").changes == {
        "recording": {"status": "Recording", "iso": False}
    }
    assert session.apply(session.host, "recording.pause").changes == {"recording": {"status": "Paused"}}
    assert session.apply(session.host, "recording.stop").changes == {"recording": {"status": "Stopped"}}
    assert session.refused(session.host, "recording.pause") == STATE


def test_recording_refused_when_the_account_has_none_or_forbids_pause_and_stop() -> None:
    off = Session(cloud_recording=False)
    assert off.refused(off.host, "recording.start") == ACCOUNT
    locked = Session(cloud_recording_pause_stop=False)
    locked.apply(locked.host, "recording.start")
    assert locked.refused(locked.host, "recording.pause") == ACCOUNT
    assert locked.refused(locked.host, "recording.stop") == ACCOUNT


def test_individual_recording_follows_the_hosts_token_and_an_accept_is_final() -> None:
    session = Session()
    session.host.recording_option = 1
    assert backend.joined(session.room, session.host) == {"recording": {"iso": True}}
    assert backend.joined(session.room, session.guest) == {}
    assert session.refused(session.guest, "recording.answer", accept=True) == STATE, "nothing is recorded yet"
    assert session.apply(session.host, "recording.start").changes["recording"]["iso"] is True
    assert session.refused(session.guest, "recording.answer") == BAD_REQUEST
    assert session.apply(session.guest, "recording.answer", accept=True).changes == {"recording": {"accepted:3": True}}
    assert session.refused(session.guest, "recording.answer", accept=False) == STATE


# The whiteboard: who may start one, by role and by the host's permissions.
ROLES = ("host", "manager", "guest")


@pytest.mark.parametrize(
    ("share", "initiate", "presenting", "allowed"),
    [
        (whiteboard.HOST_GRAB, whiteboard.HOST_ONLY, False, {"host", "manager"}),
        (whiteboard.HOST_GRAB, whiteboard.ALL_PARTICIPANTS, False, set(ROLES)),
        (whiteboard.LOCK_SHARE, whiteboard.ALL_PARTICIPANTS, False, {"host", "manager"}),
        (whiteboard.HOST_GRAB, whiteboard.ALL_PARTICIPANTS, True, {"host", "manager"}),
        (whiteboard.ANYONE_GRAB, whiteboard.ALL_PARTICIPANTS, True, set(ROLES)),
        (whiteboard.ANYONE_GRAB, whiteboard.HOST_ONLY, True, {"host", "manager"}),
    ],
)
def test_whiteboard_start_follows_the_permissions(
    share: int, initiate: int, presenting: bool, allowed: set[str]
) -> None:
    for role in ROLES:
        session = Session()
        state = {"sharePermission": share, "initiatePermission": initiate}
        if presenting:
            state["presenterId"] = session.other.user_id
        session.room.features["whiteboard"] = state
        who = getattr(session, role)
        if role in allowed:
            assert session.decide(who, "whiteboard.start").changes["whiteboard"]["presenterId"] == who.user_id
        else:
            assert session.refused(who, "whiteboard.start") == NOT_ALLOWED, role


def test_whiteboard_start_refused_for_the_account_a_running_share_or_one_already_presented() -> None:
    off = Session(whiteboard=False)
    assert off.refused(off.host, "whiteboard.start") == ACCOUNT
    session = Session()
    session.room.features["share"] = {"sharer:3": {"status": 1}}
    assert session.refused(session.host, "whiteboard.start") == STATE
    session.room.features["share"] = {"sharer:3": None}
    assert session.apply(session.host, "whiteboard.start", exportDisabled=True).changes == {
        "whiteboard": {"presenterId": 1, "exportDisabled": True}
    }
    assert session.refused(session.host, "whiteboard.start") == STATE


def test_only_the_presenter_or_a_host_or_manager_stops_a_whiteboard_and_sets_permissions() -> None:
    session = Session()
    assert session.refused(session.host, "whiteboard.stop") == STATE, "nothing to stop"
    session.room.features["whiteboard"] = {"presenterId": session.guest.user_id}
    assert session.refused(session.other, "whiteboard.stop") == NOT_ALLOWED
    assert session.decide(session.guest, "whiteboard.stop").changes["whiteboard"]["presenterId"] == 0
    assert session.decide(session.manager, "whiteboard.stop").changes["whiteboard"]["presenterId"] == 0
    assert session.refused(session.guest, "whiteboard.permission", initiatePermission=2) == NOT_ALLOWED
    assert session.refused(session.host, "whiteboard.permission", initiatePermission=7) == BAD_REQUEST
    assert session.refused(session.host, "whiteboard.permission") == BAD_REQUEST
    assert session.decide(session.manager, "whiteboard.permission", sharePermission=0).changes == {
        "whiteboard": {"sharePermission": 0}
    }


def test_an_attendee_cannot_create_open_close_assign_or_move_subsessions() -> None:
    session = Session()
    rooms = [{"subsessionId": "x", "subsessionName": "Room", "userList": []}]
    for kind, args in (
        ("subsession.create", {"names": ["A"]}),
        ("subsession.open", {"rooms": rooms}),
        ("subsession.close", {}),
        ("subsession.assign", {"userId": 4, "subsessionId": "x"}),
        ("subsession.move", {"userId": 4, "subsessionId": "x"}),
        ("subsession.back", {"userId": 4}),
        ("subsession.broadcast", {"message": "hi"}),
    ):
        assert session.refused(session.guest, kind, **args) == NOT_ALLOWED, kind
    assert session.refused(session.manager, "subsession.broadcast-voice", on=True) == NOT_ALLOWED, "host only"


def test_subsession_ids_are_minted_by_the_back_end_and_only_those_open() -> None:
    session = Session()
    created = session.apply(session.manager, "subsession.create", names=["Red", "Blue"], assign=[[3], [4]])
    ids = created.answer["ids"]
    assert len(ids) == 2 and len(set(ids)) == 2
    rooms = session.room.features["subsession"]["rooms"]
    assert [(r["subsessionId"], r["subsessionName"], r["userList"]) for r in rooms] == [
        (ids[0], "Red", [{"userId": 3, "displayName": "gus"}]),
        (ids[1], "Blue", [{"userId": 4, "displayName": "olga"}]),
    ]
    stale = [{"subsessionId": "yesterday", "subsessionName": "Red", "userList": []}]
    assert session.refused(session.host, "subsession.open", rooms=stale) == STATE
    gone = [{**rooms[0], "userList": [{"userId": 99}]}]
    assert session.refused(session.host, "subsession.open", rooms=gone) == STATE
    opened = session.apply(session.host, "subsession.open", rooms=rooms, options={"isAutoJoinSubsession": True})
    assert opened.changes["subsession"]["status"] == 2
    assert [(d.to, d.message["action"], d.message["subsessionId"]) for d in opened.direct] == [
        (3, "join", ids[0]),
        (4, "join", ids[1]),
    ]
    assert session.refused(session.host, "subsession.create", names=["Green"]) == STATE
    assert session.refused(session.host, "subsession.open", rooms=rooms) == STATE


def test_too_many_subsessions_for_the_account_are_refused_counting_those_made_before() -> None:
    session = Session(max_subsessions=3)
    session.apply(session.host, "subsession.create", names=["A", "B"])
    assert session.refused(session.host, "subsession.create", names=["C", "D"]) == STATE
    session.apply(session.host, "subsession.create", names=["C"])
    assert len(session.room.features["subsession"]["rooms"]) == 3
    assert session.refused(session.host, "subsession.create", names=[]) == BAD_REQUEST
    assert refused_by(Session(subsessions=False), "subsession.create", names=["A"]) == ACCOUNT


def test_closing_ends_closed_by_the_back_ends_clock() -> None:
    session = Session()
    created = session.apply(session.host, "subsession.create", names=["A"])
    rooms = session.room.features["subsession"]["rooms"]
    session.apply(session.host, "subsession.open", rooms=rooms, options={"waitSeconds": 0})
    assert session.refused(session.host, "subsession.assign", userId=99, subsessionId=created.answer["ids"][0]) == STATE
    closing = session.apply(session.manager, "subsession.close")
    assert session.room.features["subsession"]["status"] == 3
    published: list[tuple[str, dict[str, Any]]] = []

    async def publish(feature: str, changes: dict[str, Any]) -> None:
        published.append((feature, changes))

    assert closing.later is not None
    run_async(closing.later(publish))
    assert published == [("subsession", {"status": 4})]
    assert session.refused(session.host, "subsession.close") == STATE


def test_assign_move_and_voice_in_open_rooms() -> None:
    session = Session()
    session.apply(session.host, "subsession.create", names=["A", "B"])
    a, b = session.room.features["subsession"]["rooms"]
    assert session.refused(session.host, "subsession.assign", userId=3, subsessionId=a["subsessionId"]) == STATE
    session.apply(session.host, "subsession.open", rooms=[a, b])
    assigned = session.apply(session.host, "subsession.assign", userId=3, subsessionId=a["subsessionId"])
    assert [(d.to, d.message["action"]) for d in assigned.direct] == [(3, "invite")]
    assert session.refused(session.host, "subsession.assign", userId=3, subsessionId=b["subsessionId"]) == STATE
    moved = session.apply(session.manager, "subsession.move", userId=3, subsessionId=b["subsessionId"])
    assert [(d.to, d.message["action"]) for d in moved.direct] == [(3, "move")]
    rooms = session.room.features["subsession"]["rooms"]
    assert [[u["userId"] for u in r["userList"]] for r in rooms] == [[], [3]]
    back = session.decide(session.host, "subsession.back", userId=3)
    assert [(d.to, d.message["action"]) for d in back.direct] == [(3, "invite-back")]
    session.room.features["subsession"]["where:1"] = b["subsessionId"]
    assert session.refused(session.host, "subsession.broadcast-voice", on=True) == STATE
    assert refused_by(Session(subsession_broadcast_voice=False), "subsession.broadcast-voice", on=True) == ACCOUNT


def test_share_and_chat_privileges_change_only_from_a_host_or_manager_and_only_to_known_values() -> None:
    session = Session()
    assert session.refused(session.guest, "share.privilege", privilege=1) == NOT_ALLOWED
    assert session.refused(session.host, "share.privilege", privilege=7) == BAD_REQUEST
    assert session.refused(session.host, "share.privilege", privilege="OnlyHost") == BAD_REQUEST
    assert session.decide(session.manager, "share.privilege", privilege=1).changes == {"share": {"privilege": 1}}
    assert session.refused(session.guest, "chat.privilege", privilege=4) == NOT_ALLOWED
    assert session.refused(session.host, "chat.privilege", privilege=2) == BAD_REQUEST
    assert session.decide(session.host, "chat.privilege", privilege=3).changes == {"chat": {"privilege": 3}}
    session.room.features["subsession"] = {"where:1": "room-a"}
    assert session.refused(session.host, "chat.privilege", privilege=4) == STATE


def test_captions_spotlight_audio_and_rtms_need_their_roles() -> None:
    session = Session()
    assert session.refused(session.manager, "transcription.disable", disable=True) == NOT_ALLOWED
    session.apply(session.host, "transcription.disable", disable=True)
    assert session.refused(session.guest, "transcription.start") == STATE
    assert session.refused(session.host, "transcription.lock", lock=True) == STATE, "translation is on"
    assert session.refused(session.guest, "spotlight.add", userId=3) == NOT_ALLOWED
    session.apply(session.host, "spotlight.add", userId=3)
    session.apply(session.host, "spotlight.add", userId=4)
    assert session.refused(session.guest, "spotlight.remove", userId=3) == NOT_ALLOWED, "one of several"
    assert session.refused(session.manager, "spotlight.clear") == NOT_ALLOWED
    session.apply(session.manager, "spotlight.remove", userId=4)
    assert session.apply(session.guest, "spotlight.remove", userId=3).changes == {"camera-control": {"spotlight": []}}
    assert session.refused(session.guest, "audio.attribute", key="audio:mutedAll", value=True) == NOT_ALLOWED
    assert session.refused(session.host, "audio.attribute", key="audio:volume", value=True) == BAD_REQUEST
    assert session.refused(session.manager, "rtms.change", to=1) == NOT_ALLOWED
    assert session.refused(session.host, "rtms.change", to=2) == STATE, "nothing to pause"
    session.apply(session.host, "rtms.change", to=1)
    assert session.refused(session.host, "rtms.change", to=1) == STATE
    assert refused_by(Session(rtms=False), "rtms.change", to=1) == ACCOUNT


def test_live_stream_only_from_the_host_and_one_at_a_time() -> None:
    session = Session()
    args = {"streamUrl": "rtmp://streaming.test/live", "streamKey": "k", "broadcastUrl": "https://example.com/w"}
    assert session.refused(session.manager, "livestream.start", **args) == NOT_ALLOWED
    assert refused_by(Session(live_stream=False), "livestream.start", **args) == ACCOUNT
    assert session.refused(session.host, "livestream.start", streamUrl="rtmp://x") == BAD_REQUEST
    started = session.apply(session.host, "livestream.start", **args)
    assert started.changes == {"livestream": {"status": 2, "liveStreamOn": False, "viewerUrl": args["broadcastUrl"]}}
    assert started.later is not None
    assert session.refused(session.host, "livestream.start", **args) == STATE, "one is connecting"
    assert session.refused(session.host, "livestream.stop") == STATE, "none is on yet"


def test_unknown_kinds_and_what_a_participant_writes_itself() -> None:
    session = Session()
    assert session.refused(session.host, "recording.explode") == UNKNOWN_KIND
    assert backend.owns("share", "sharer:3", 3)
    assert not backend.owns("share", "sharer:4", 3)
    assert not backend.owns("share", "privilege", 3)
    assert backend.owns("camera-control", "camera:3", 3) and backend.owns("subsession", "where:3", 3)
    assert not backend.owns("recording", "status", 3) and not backend.owns("whiteboard", "presenterId", 3)
