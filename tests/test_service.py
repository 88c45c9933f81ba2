"""The session service: JWT rules, rooms, and the HTTP/WebSocket protocol the double speaks."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import aiohttp
import jwt
import pytest

from harness.service.jwt_rules import EXPIRED, VERIFY_FAILED, verify_token
from harness.service.rooms import JoinRefused, Rooms
from harness.service.server import SessionService
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
                await ws.send_json({"evt": "ping", "seq": 7})
                return joined, await ws.receive_json(timeout=5)

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
