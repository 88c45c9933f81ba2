"""The session service: JWT rules, rooms, and the HTTP/WebSocket protocol the double speaks."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import jwt
import pytest

from harness.errors import HarnessError
from harness.pytest_app import EARLY_SERVICE, EarlyService, discard_early_service, pytest_runtest_setup
from harness.service.jwt_rules import EXPIRED, VERIFY_FAILED, verify_token
from harness.service.rooms import JoinRefused, Rooms
from harness.service.server import Credentials, SessionService
from harness.service.tokens import mint_token

KEY, SECRET = "key-1", "s" * 40


def run_async(coroutine: Any) -> Any:
    """Run a coroutine on a thread of its own: Playwright's sync API may own this thread's event loop."""
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(asyncio.run(coroutine)))
    thread.start()
    thread.join(timeout=20)
    assert box, "the coroutine did not finish"
    return box[0]


NOW = 1_800_000_000.0


def verdict(overrides: dict[str, Any] | None = None, topic: str = "standup") -> tuple[int, str]:
    token = mint_token(KEY, SECRET, "standup", 1, overrides, now=NOW)
    result = verify_token(token, {KEY: SECRET}, topic, NOW)
    return (0, "ok") if result.ok else (result.result, result.message)


def test_a_fresh_token_is_accepted_and_topics_compare_case_insensitively() -> None:
    assert verdict() == (0, "ok")
    assert verdict(topic="StandUp") == (0, "ok")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"signature": "bad"}, (124, VERIFY_FAILED)),
        ({"signature": "none"}, (124, VERIFY_FAILED)),
        ({"tpc": "other"}, (124, VERIFY_FAILED)),
        ({"tpc": None}, (124, VERIFY_FAILED)),
        ({"role_type": None}, (124, VERIFY_FAILED)),
        ({"version": 2}, (124, VERIFY_FAILED)),
        ({"exp": {"relative": -600}}, (124, EXPIRED)),
        ({"exp": {"relative": 1000}}, (124, EXPIRED)),  # less than 1800 s after iat
        ({"exp": {"relative": 49 * 3600}}, (124, EXPIRED)),  # more than 48 h after iat
        ({"iat": {"relative": 3600}}, (124, EXPIRED)),  # issued in the future
        ({"role_type": 2}, (3010, "Role type error")),
        ({"app_key": "someone-else"}, (300, "")),
    ],
)
def test_bad_tokens_get_the_documented_server_answer(overrides: dict[str, Any], expected: tuple[int, str]) -> None:
    assert verdict(overrides) == expected


def test_version_may_be_omitted_as_zooms_own_sample_does() -> None:
    assert verdict({"version": None}) == (0, "ok")


def test_alg_none_is_refused_even_with_a_valid_payload() -> None:
    claims = jwt.decode(mint_token(KEY, SECRET, "t", 1, now=NOW), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert not verify_token(unsigned, {KEY: SECRET}, "t", NOW).ok


def test_rooms_host_manager_passcode_and_rejoin() -> None:
    rooms = Rooms()
    host = rooms.admit("k", "Demo", "alice", 1, "secret", None)
    manager = rooms.admit("k", "demo", "bob", 1, "secret", None)
    attendee = rooms.admit("k", "demo", "carol", 0, "secret", None)
    assert (host.is_host, manager.is_manager, attendee.is_host, attendee.is_manager) == (True, True, False, False)
    with pytest.raises(JoinRefused) as refused:
        rooms.admit("k", "demo", "dave", 0, "wrong", None)
    assert refused.value.result == 3004
    again = rooms.admit("k", "demo", "alice", 1, "secret", host.user_id)
    assert again.user_id == host.user_id
    other_account = rooms.admit("k2", "demo", "erin", 0, "", None)
    assert other_account.is_host is False and len(rooms.rooms) == 2


def test_rooms_enter_puts_a_participant_in_an_open_subsession_or_the_main_session() -> None:
    rooms = Rooms()
    member = rooms.admit("k", "demo", "alice", 1, "", None)
    room = rooms.session("k", "demo")
    assert rooms.enter(room, member, "") is False and "subsession" not in room.features, "a first join changes nothing"
    assert rooms.enter(room, member, "r1") is False, "no open subsessions: the main session"
    room.features["subsession"] = {"status": 2, "rooms": [{"subsessionId": "r1", "subsessionName": "Room 1"}]}
    assert rooms.enter(room, member, "r1") is True
    assert (member.subsession, room.features["subsession"][f"where:{member.user_id}"]) == ("r1", "r1")
    assert rooms.enter(room, member, "r1") is False
    assert rooms.enter(room, member, "nowhere") is True and member.subsession == ""
    room.features["subsession"]["status"] = 4  # closed: nobody is in a room any more
    assert rooms.enter(room, member, "r1") is False and member.subsession == ""


@pytest.fixture(scope="module")
def service() -> Iterator[SessionService]:
    running = SessionService().start()
    yield running
    running.stop()


def post_join(service: SessionService, token: str, topic: str, name: str = "alice") -> dict[str, Any]:
    body = json.dumps({"topic": topic, "signature": token, "userName": name}).encode()
    request = urllib.request.Request(
        f"{service.base_url}/wc/lsdk", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return dict(json.load(response))


def test_join_info_then_socket_then_heartbeat(service: SessionService) -> None:
    creds = service.new_credentials()
    answer = post_join(service, mint_token(creds.key, creds.secret, "wire", 1), "wire")
    assert answer["status"] is True and answer["result"]["rwg"].startswith(f"ws://127.0.0.1:{service.port}/")

    async def talk() -> tuple[dict[str, Any], dict[str, Any]]:
        async with aiohttp.ClientSession() as session:
            url = f"{answer['result']['rwg']}?joinToken={answer['result']['joinToken']}"
            async with session.ws_connect(url) as ws:
                joined = await ws.receive_json(timeout=5)
                assert (await ws.receive_json(timeout=5))["evt"] == "roster"
                await ws.send_json({"evt": "ping", "seq": 7})
                return joined, await next_event(ws, "pong")

    joined, pong = run_async(talk())
    assert joined["evt"] == "joined" and joined["user"]["isHost"] is True
    assert pong == {"evt": "pong", "seq": 7}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the server notices the closed socket: the peer is in failover
        rooms = [r for r in service.snapshot() if r["topic"] == "wire"]
        if rooms and rooms[0]["participants"][0]["isInFailover"]:
            break
        time.sleep(0.05)
    assert rooms[0]["participants"][0]["isInFailover"] is True


def test_the_roster_comes_as_its_own_frame_right_after_joined_and_holds_the_newcomer(service: SessionService) -> None:
    # Zoom's handshake: the join response, then the participant list in a frame of its own (the client's join()
    # resolves on it); the others hear of the newcomer afterwards.
    creds = service.new_credentials()
    alice_url = socket_url(service, creds, "alice", topic="roster", role=1)

    async def talk() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(alice_url) as alice:
            alone = [dict(await alice.receive_json(timeout=5)) for _ in range(2)]
            bob_url = await asyncio.to_thread(socket_url, service, creds, "bob", "roster")
            async with session.ws_connect(bob_url) as bob:
                frames = [dict(await bob.receive_json(timeout=5)) for _ in range(2)]
                return alone, frames, await next_event(alice, "user-added")

    alone, (joined, roster), added = run_async(talk())
    assert [frame["evt"] for frame in alone] == ["joined", "roster"]
    assert [p["displayName"] for p in alone[1]["participants"]] == ["alice"]
    assert joined["evt"] == "joined" and "participants" not in joined
    assert joined["user"]["displayName"] == "bob"
    assert roster["evt"] == "roster" and set(roster) == {"evt", "participants"}
    assert [p["displayName"] for p in roster["participants"]] == ["alice", "bob"]
    assert joined["user"] in roster["participants"]
    assert added["user"]["displayName"] == "bob"


def test_refused_join_answers_with_the_result_code(service: SessionService) -> None:
    creds = service.new_credentials()
    answer = post_join(service, mint_token(creds.key, creds.secret, "a", 1, {"signature": "bad"}), "a")
    assert answer == {"status": False, "errorCode": 124, "errorMessage": VERIFY_FAILED}


def test_unknown_join_token_is_refused_on_the_socket(service: SessionService) -> None:
    async def talk() -> dict[str, Any]:
        url = f"ws://127.0.0.1:{service.port}/instantsdk/x?joinToken=forged"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            return dict(await ws.receive_json(timeout=5))

    assert run_async(talk())["errorCode"] == 4003


def test_serves_the_app_and_the_double(service: SessionService) -> None:
    for path in (
        "/app/index.html",
        "/double/videosdk.umd.js",
        "/double/index.js",
        "/double/lib/js_media.min.js",
        "/double/exception-codes.json",
    ):
        with urllib.request.urlopen(f"{service.base_url}{path}", timeout=5) as response:
            assert response.status == 200, path


def test_the_app_page_is_cross_origin_isolated_only_when_asked(service: SessionService) -> None:
    with urllib.request.urlopen(f"{service.base_url}/app/index.html?sdk=double&isolated=1", timeout=5) as response:
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Embedder-Policy"] == "credentialless"
    with urllib.request.urlopen(f"{service.base_url}/app/index.html?sdk=double", timeout=5) as response:
        assert response.headers["Cross-Origin-Opener-Policy"] is None
    with urllib.request.urlopen(f"{service.base_url}/double/index.js?isolated=1", timeout=5) as response:
        assert response.headers["Cross-Origin-Embedder-Policy"] is None, "the page decides, not its modules"


# Host and back-end actions: what the real back end decides lives in the service, never in the double.


def socket_url(service: SessionService, creds: Credentials, name: str, topic: str = "standup", role: int = 0) -> str:
    answer = post_join(service, mint_token(creds.key, creds.secret, topic, role), topic, name)
    assert answer["status"] is True, answer
    return f"{answer['result']['rwg']}?joinToken={answer['result']['joinToken']}"


async def next_event(ws: aiohttp.ClientWebSocketResponse, evt: str) -> dict[str, Any]:
    """The next message of this kind, skipping others (user-added and the like)."""
    while True:
        message = dict(await ws.receive_json(timeout=5))
        if message["evt"] == evt:
            return message


async def closes(ws: aiohttp.ClientWebSocketResponse) -> bool:
    message = await ws.receive(timeout=5)
    return message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)


def test_removed_participant_is_kicked_others_are_told_and_the_same_browser_cannot_rejoin(
    service: SessionService,
) -> None:
    # The back end remembers whom it removed by the browser's device id (the socket URL's ZM-CID) when the token
    # names no user_identity: the same browser is refused 3009 by the join response; another one with the same
    # display name is somebody else.
    creds = service.new_credentials()
    alice_url = socket_url(service, creds, "alice", role=1) + "&ZM-CID=alice-laptop"
    bob_url = socket_url(service, creds, "bob") + "&ZM-CID=bob-laptop"

    async def talk() -> tuple[dict[str, Any], bool, dict[str, Any]]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(alice_url) as alice,
            session.ws_connect(bob_url) as bob,
        ):
            await next_event(alice, "joined")
            await next_event(bob, "joined")
            await asyncio.to_thread(service.remove, creds.key, "bob")
            return await next_event(bob, "closed"), await closes(bob), await next_event(alice, "user-removed")

    kicked, bob_closed, removed = run_async(talk())
    assert kicked == {"evt": "closed", "reason": "kicked by host"}
    assert bob_closed
    assert removed["user"]["displayName"] == "bob"

    async def first_frame(url: str) -> dict[str, Any]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            return dict(await ws.receive_json(timeout=5))

    again = socket_url(service, creds, "robert") + "&ZM-CID=bob-laptop"  # lsdk admits; the join response refuses
    assert run_async(first_frame(again)) == {
        "evt": "join-failed",
        "errorCode": 3009,
        "errorMessage": "user has been removed",
    }
    other = socket_url(service, creds, "bob") + "&ZM-CID=another-bob"
    assert run_async(first_frame(other))["evt"] == "joined"
    [room] = [r for r in service.snapshot() if r["topic"] == "standup" and r["participants"]]
    assert sorted(p["displayName"] for p in room["participants"]) == ["alice", "bob"]


def test_a_removed_participant_that_has_not_connected_yet_is_refused_on_the_socket(service: SessionService) -> None:
    creds = service.new_credentials()
    url = socket_url(service, creds, "bob")  # the only participant: the session is kept for the 3009
    service.remove(creds.key, "bob", topic="StandUp")

    async def talk() -> dict[str, Any]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            return dict(await ws.receive_json(timeout=5))

    assert run_async(talk()) == {"evt": "join-failed", "errorCode": 3009, "errorMessage": "user has been removed"}
    # Neither an identity nor a device was known: the back end cannot tell this person from anyone else.
    rejoin = post_join(service, mint_token(creds.key, creds.secret, "standup", 0), "standup", "bob")
    assert rejoin["status"] is True


def test_ended_session_closes_everybody_and_refuses_later_joins(service: SessionService) -> None:
    creds = service.new_credentials()
    urls = [socket_url(service, creds, "alice", role=1), socket_url(service, creds, "bob")]

    async def talk() -> list[tuple[dict[str, Any], bool]]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(urls[0]) as alice,
            session.ws_connect(urls[1]) as bob,
        ):
            for ws in (alice, bob):
                await next_event(ws, "joined")
            await asyncio.to_thread(service.end, creds.key)
            return [(await next_event(ws, "closed"), await closes(ws)) for ws in (alice, bob)]

    assert run_async(talk()) == [({"evt": "closed", "reason": "ended by host"}, True)] * 2
    late = post_join(service, mint_token(creds.key, creds.secret, "standup", 0), "standup", "carol")
    assert (late["status"], late["errorCode"]) == (False, 4004)
    with pytest.raises(HarnessError, match="has already ended"):
        service.end(creds.key)


def test_host_ending_from_the_client_closes_the_others(service: SessionService) -> None:
    creds = service.new_credentials()
    urls = [socket_url(service, creds, "alice", role=1), socket_url(service, creds, "bob")]

    async def talk() -> dict[str, Any]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(urls[0]) as alice,
            session.ws_connect(urls[1]) as bob,
        ):
            await next_event(bob, "joined")
            await next_event(alice, "joined")
            await alice.send_json({"evt": "end"})
            return await next_event(bob, "closed")

    assert run_async(talk()) == {"evt": "closed", "reason": "ended by host"}
    late = post_join(service, mint_token(creds.key, creds.secret, "standup", 0), "standup", "carol")
    assert late["errorCode"] == 4004


def test_what_a_participant_may_not_send_is_ignored_and_the_socket_stays_served(service: SessionService) -> None:
    # A non-host's `end` and `remove-user`, a hang-up without a phone leg, unknown events and frames that are not a
    # JSON object change nothing: the next ping is still answered and nobody was told anything.
    creds = service.new_credentials()
    urls = [socket_url(service, creds, "alice", topic="ignored", role=1), socket_url(service, creds, "bob", "ignored")]

    async def talk() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(urls[0]) as alice,
            session.ws_connect(urls[1]) as bob,
        ):
            alice_id = (await next_event(alice, "joined"))["user"]["userId"]
            await next_event(bob, "roster")
            await next_event(bob, "feature")  # the back end's voice-translator languages, after the roster
            await next_event(alice, "user-added")
            for frame in (
                {"evt": "end"},
                {"evt": "remove-user", "userId": alice_id},
                {"evt": "hang-up"},
                {"evt": "no-such-event"},
                {"evt": ["end"]},
                {"no": "evt"},
            ):
                await bob.send_json(frame)
            for text in ("[1, 2]", '"end"', "not json"):
                await bob.send_str(text)
            await bob.send_bytes(b'{"evt": "end"}')
            await bob.send_json({"evt": "ping", "seq": 1})
            await alice.send_json({"evt": "ping", "seq": 2})
            return [dict(await bob.receive_json(timeout=5))], [dict(await alice.receive_json(timeout=5))]

    to_bob, to_alice = run_async(talk())
    assert to_bob == [{"evt": "pong", "seq": 1}]
    assert to_alice == [{"evt": "pong", "seq": 2}]
    [room] = [r for r in service.snapshot() if r["topic"] == "ignored"]
    assert [p["displayName"] for p in room["participants"]] == ["alice", "bob"]


def test_computer_audio_is_kept_in_the_record_and_everyone_hears_of_it(service: SessionService) -> None:
    creds = service.new_credentials()
    urls = [socket_url(service, creds, "alice", role=1), socket_url(service, creds, "bob")]

    async def talk() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(urls[0]) as alice,
            session.ws_connect(urls[1]) as bob,
        ):
            joined = await next_event(bob, "joined")
            await next_event(alice, "joined")
            await bob.send_json({"evt": "audio", "audio": "computer", "muted": True})
            heard = [(await next_event(ws, "user-updated"))["user"] for ws in (alice, bob)]
            await bob.send_json({"evt": "audio", "audio": "", "muted": True})  # no audio: not muted either
            return joined, heard, (await next_event(alice, "user-updated"))["user"]

    joined, heard, left = run_async(talk())
    # Sessions start with participants allowed to unmute themselves (the host may change it); the host's join told
    # the back end whether recordings make a file per participant.
    assert joined["features"] == {"camera-control": {"audio:canUnmute": True}, "recording": {"iso": False}}
    assert [(u["displayName"], u["audio"], u["muted"]) for u in heard] == [("bob", "computer", True)] * 2
    assert (left["audio"], left["muted"]) == ("", False)


def test_account_settings_reach_the_join_answer_and_change_mid_session(service: SessionService) -> None:
    creds = service.new_credentials("recording-disabled")
    answer = post_join(service, mint_token(creds.key, creds.secret, "standup", 1), "standup", "alice")
    assert answer["result"]["accountSettings"]["cloud_recording"] is False
    assert answer["result"]["accountSettings"]["whiteboard"] is True
    url = f"{answer['result']['rwg']}?joinToken={answer['result']['joinToken']}"

    async def talk() -> tuple[dict[str, Any], dict[str, Any]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            joined = await next_event(ws, "joined")
            await asyncio.to_thread(service.set_account, creds.key, {"whiteboard": False, "max_participants": 1})
            return joined, await next_event(ws, "account-settings")

    joined, changed = run_async(talk())
    assert joined["accountSettings"]["cloud_recording"] is False
    assert changed["settings"]["whiteboard"] is False and changed["settings"]["cloud_recording"] is False
    # The new capacity applies to later joins: alice's seat is still held while she is in failover.
    full = post_join(service, mint_token(creds.key, creds.secret, "standup", 0), "standup", "bob")
    assert full == {"status": False, "errorCode": 4005, "errorMessage": "meeting is at capacity"}


def test_capacity_comes_from_the_account(service: SessionService) -> None:
    creds = service.new_credentials("small-capacity")
    for name in ("alice", "bob"):
        assert post_join(service, mint_token(creds.key, creds.secret, "t", 0), "t", name)["status"] is True
    third = post_join(service, mint_token(creds.key, creds.secret, "t", 0), "t", "carol")
    assert third["errorCode"] == 4005


def test_control_errors_name_who_and_what_is_there(service: SessionService) -> None:
    creds = service.new_credentials()
    for name in ("alice", "carol"):
        post_join(service, mint_token(creds.key, creds.secret, "standup", 0), "standup", name)
    with pytest.raises(HarnessError) as error:
        service.remove(creds.key, "bob")
    assert str(error.value) == "no participant 'bob' in session 'standup'; participants: alice, carol"
    with pytest.raises(HarnessError, match=r"no session 'retro' for key harness-\w+; its sessions: 'standup'"):
        service.end(creds.key, "retro")
    post_join(service, mint_token(creds.key, creds.secret, "retro", 0), "retro", "dave")
    with pytest.raises(HarnessError, match=r"holds several sessions \('standup', 'retro'\); name the topic"):
        service.remove(creds.key, "alice")
    with pytest.raises(HarnessError, match=r"no session for key nobody yet"):
        service.end("nobody")
    with pytest.raises(HarnessError, match=r"unknown account switch 'recording' \(did you mean 'cloud_recording'\?\)"):
        service.set_account(creds.key, {"recording": False})
    with pytest.raises(HarnessError, match=r"account switch 'chat' must be true or false, got 'no'"):
        service.set_account(creds.key, {"chat": "no"})
    with pytest.raises(HarnessError, match=r"no credentials with key 'nobody'"):
        service.set_account("nobody", {"chat": False})


def test_unknown_account_name_is_refused_with_the_valid_names(service: SessionService) -> None:
    with pytest.raises(HarnessError) as error:
        service.new_credentials("recording-disable")
    message = str(error.value)
    assert message.startswith("unknown account 'recording-disable' (did you mean 'recording-disabled'?)")
    assert "default, recording-disabled" in message


def test_rooms_capacity_and_removal() -> None:
    rooms = Rooms()
    rooms.admit("k", "demo", "alice", 1, "", None, capacity=2)
    bob = rooms.admit("k", "demo", "bob", 0, "", None, capacity=2)
    bob.identity = "bob@example.com"
    with pytest.raises(JoinRefused) as full:
        rooms.admit("k", "demo", "carol", 0, "", None, capacity=2)
    assert (full.value.result, full.value.message) == (4005, "meeting is at capacity")
    room = rooms.session("k", None)
    rooms.remove(room, room.member_named("bob"))
    assert room.removed == {"identity:bob@example.com"}
    again = rooms.admit("k", "demo", "robert", 0, "", None, capacity=2)
    again.identity = "bob@example.com"
    assert rooms.refused_on_connect(room, again)
    assert again.user_id not in room.members
    assert rooms.admit("k", "demo", "bob", 0, "", None, capacity=2).name == "bob"


def test_account_can_change_before_the_service_starts() -> None:
    idle = SessionService()
    creds = idle.new_credentials("features-off")
    idle.set_account(creds.key, {"chat": True})
    assert idle.state.accounts[creds.key]["chat"] is True and idle.state.accounts[creds.key]["video"] is False
    with pytest.raises(HarnessError, match="nobody has joined"):
        idle.remove(creds.key, "bob")


def rejoin_url(service: SessionService, creds: Credentials, name: str, user_id: int, bid: str | None) -> str:
    """A failover's or a move's rejoin as the double makes it: /wc/lsdk with rejoinUserId, the room as `bid`."""
    token = mint_token(creds.key, creds.secret, "rooms", 0)
    body = json.dumps({"topic": "rooms", "signature": token, "userName": name, "rejoinUserId": user_id}).encode()
    request = urllib.request.Request(
        f"{service.base_url}/wc/lsdk", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.load(response)
    assert answer["status"] is True and answer["result"]["userId"] == user_id, answer
    room = "" if bid is None else f"&bid={bid}"
    return f"{answer['result']['rwg']}?joinToken={answer['result']['joinToken']}{room}"


def test_a_move_rejoins_into_the_room_its_socket_names_and_everyone_hears_where(service: SessionService) -> None:
    creds = service.new_credentials()
    alice_url = socket_url(service, creds, "alice", topic="rooms", role=1)

    async def ask(ws: aiohttp.ClientWebSocketResponse, kind: str, **args: Any) -> dict[str, Any]:
        await ws.send_json({"evt": "request", "id": 1, "kind": kind, "feature": "subsession", **args})
        while "answer" not in (frame := await next_event(ws, "feature")):
            pass
        return dict(frame["answer"])

    async def talk() -> tuple[str, dict[str, Any], list[str], dict[str, Any], dict[str, Any], dict[str, Any]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(alice_url) as alice:
            await next_event(alice, "roster")
            room_id = (await ask(alice, "subsession.create", names=["Room 1"]))["ids"][0]
            room = {"subsessionId": room_id, "subsessionName": "Room 1", "userList": []}
            await ask(alice, "subsession.open", rooms=[room], options={"waitSeconds": 0})
            bob_url = await asyncio.to_thread(socket_url, service, creds, "bob", "rooms")
            async with session.ws_connect(bob_url) as bob:
                bob_id = (await next_event(bob, "joined"))["user"]["userId"]
            into = await asyncio.to_thread(rejoin_url, service, creds, "bob", bob_id, room_id)
            async with session.ws_connect(into) as bob:
                joined = await next_event(bob, "joined")
                roster = [p["displayName"] for p in (await next_event(bob, "roster"))["participants"]]
                heard = await next_event(alice, "feature")
            back = await asyncio.to_thread(rejoin_url, service, creds, "bob", bob_id, None)
            async with session.ws_connect(back) as bob:
                returned = await next_event(bob, "joined")
                heard_back = await next_event(alice, "feature")
            return room_id, joined, roster, heard, returned, heard_back

    room_id, joined, roster, heard, returned, heard_back = run_async(talk())
    key = f"where:{joined['user']['userId']}"
    assert joined["features"]["subsession"][key] == room_id, "the join response already says where the mover is"
    assert roster == ["alice", "bob"], "the roster is the whole session's (one list for the main session and rooms)"
    assert (heard["feature"], heard["state"], heard["from"]["displayName"]) == ("subsession", {key: room_id}, "bob")
    assert returned["features"]["subsession"][key] == "" and heard_back["state"] == {key: ""}


def test_the_service_started_early_is_the_one_taken_and_one_nobody_takes_is_stopped() -> None:
    taken = EarlyService().take()
    try:
        with urllib.request.urlopen(taken.sessions_url, timeout=5) as response:
            assert response.status == 200
    finally:
        taken.stop()
    early = EarlyService()
    early.discard()
    assert early._done.is_set() and early._service is not None
    with pytest.raises(OSError):
        urllib.request.urlopen(early._service.sessions_url, timeout=5)


def test_only_a_scenario_about_to_set_up_starts_the_service_early() -> None:
    def item(marker: str | None, config: Any) -> Any:
        return SimpleNamespace(get_closest_marker=lambda name: name if name == marker else None, config=config)

    config = SimpleNamespace(stash=pytest.Stash())
    pytest_runtest_setup(item(None, config))  # a plain test
    assert EARLY_SERVICE not in config.stash
    pytest_runtest_setup(item("scenario", config))
    early = config.stash[EARLY_SERVICE]
    pytest_runtest_setup(item("scenario", config))  # the next scenario: still the one service
    assert config.stash[EARLY_SERVICE] is early
    discard_early_service(config)  # nobody took it: stopped at the session's end
    assert early._service is not None
    with pytest.raises(OSError):
        urllib.request.urlopen(early._service.sessions_url, timeout=5)
