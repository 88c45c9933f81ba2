"""Role changes in the session service: who the original host is, and makeHost / makeManager / revokeManager /
reclaimHost as the back end carries them out (rooms.change_role) and tells everyone (server.py)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from test_service import run_async

from harness.service.rooms import (
    MAKE_HOST,
    MAKE_MANAGER,
    RECLAIM_HOST,
    REVOKE_MANAGER,
    Member,
    Room,
    Rooms,
    change_role,
)
from harness.service.server import SessionService
from harness.service.tokens import mint_token


def post_join(service: SessionService, token: str, topic: str, name: str) -> dict[str, Any]:
    body = json.dumps({"topic": topic, "signature": token, "userName": name}).encode()
    request = urllib.request.Request(
        f"{service.base_url}/wc/lsdk", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return dict(json.load(response))


async def next_event(ws: aiohttp.ClientWebSocketResponse, evt: str) -> dict[str, Any]:
    """The next message of this kind, skipping others (user-added and the like)."""
    while True:
        message = dict(await ws.receive_json(timeout=5))
        if message["evt"] == evt:
            return message


def roles(*members: Member) -> list[tuple[bool, bool]]:
    return [(m.is_host, m.is_manager) for m in members]


def session() -> tuple[Room, Member, Member, Member]:
    rooms = Rooms()
    host = rooms.admit("k", "demo", "alice", 1, "", None)
    deputy = rooms.admit("k", "demo", "bob", 1, "", None)
    guest = rooms.admit("k", "demo", "carol", 0, "", None)
    return rooms.rooms[("k", "demo")], host, deputy, guest


def test_the_first_host_is_the_original_host_and_stays_so_across_a_rejoin() -> None:
    rooms = Rooms()
    host = rooms.admit("k", "demo", "alice", 1, "", None)
    deputy = rooms.admit("k", "demo", "bob", 1, "", None)
    assert (host.is_original_host, deputy.is_original_host) == (True, False)
    assert rooms.admit("k", "demo", "alice", 1, "", host.user_id).is_original_host is True


def test_a_host_joining_after_the_original_host_handed_over_and_the_new_host_left_is_not_original() -> None:
    rooms = Rooms()
    first = rooms.admit("k", "demo", "alice", 1, "", None)
    second = rooms.admit("k", "demo", "bob", 0, "", None)
    room = rooms.rooms[("k", "demo")]
    change_role(room, first, MAKE_HOST, second.user_id)
    rooms.leave(room, second)
    late = rooms.admit("k", "demo", "dave", 1, "", None)
    assert (late.is_host, late.is_original_host, first.is_original_host) == (True, False, True)


def test_make_host_moves_the_role_and_tells_the_demotion_first() -> None:
    room, host, deputy, guest = session()
    assert change_role(room, host, MAKE_HOST, deputy.user_id) == [host, deputy]
    assert roles(host, deputy, guest) == [(False, False), (True, False), (False, False)]
    assert room.host() is deputy


def test_only_the_host_changes_roles_and_never_its_own_or_an_absent_ones() -> None:
    room, host, deputy, guest = session()
    for actor, action, target in [
        (guest, MAKE_HOST, host.user_id),
        (deputy, MAKE_MANAGER, guest.user_id),  # a manager is not a host
        (guest, REVOKE_MANAGER, deputy.user_id),
        (host, MAKE_HOST, host.user_id),
        (host, MAKE_HOST, 12345),
        (host, MAKE_HOST, None),
        (host, MAKE_HOST, True),
        (host, MAKE_MANAGER, deputy.user_id),  # already a manager
        (host, REVOKE_MANAGER, guest.user_id),  # not a manager
    ]:
        assert change_role(room, actor, action, target) == [], (actor.name, action, target)
    assert roles(host, deputy, guest) == [(True, False), (False, True), (False, False)]


def test_managers_are_made_and_revoked() -> None:
    room, host, _, guest = session()
    assert change_role(room, host, MAKE_MANAGER, guest.user_id) == [guest]
    assert guest.is_manager is True
    assert change_role(room, host, REVOKE_MANAGER, guest.user_id) == [guest]
    assert guest.is_manager is False


def test_only_the_original_host_reclaims_from_whoever_holds_the_role() -> None:
    room, host, deputy, guest = session()
    change_role(room, host, MAKE_HOST, guest.user_id)
    assert change_role(room, deputy, RECLAIM_HOST) == []
    assert change_role(room, guest, RECLAIM_HOST) == []  # the host now, but not the original one
    assert change_role(room, host, RECLAIM_HOST) == [guest, host]
    assert roles(host, guest) == [(True, False), (False, False)]
    assert change_role(room, host, RECLAIM_HOST) == []  # already the host


def test_reclaiming_when_nobody_holds_the_role() -> None:
    rooms = Rooms()
    host = rooms.admit("k", "demo", "alice", 1, "", None)
    guest = rooms.admit("k", "demo", "bob", 0, "", None)
    room = rooms.rooms[("k", "demo")]
    change_role(room, host, MAKE_HOST, guest.user_id)
    rooms.leave(room, guest)
    assert change_role(room, host, RECLAIM_HOST) == [host]
    assert host.is_host is True


@pytest.fixture(scope="module")
def service() -> Iterator[SessionService]:
    running = SessionService().start()
    yield running
    running.stop()


def test_role_changes_over_the_wire(service: SessionService) -> None:
    creds = service.new_credentials()
    answers = [
        post_join(service, mint_token(creds.key, creds.secret, "roles", role), "roles", name)
        for name, role in (("alice", 1), ("bob", 0))
    ]
    assert [a["result"]["isOriginalHost"] for a in answers] == [True, False]
    urls = [f"{a['result']['rwg']}?joinToken={a['result']['joinToken']}" for a in answers]

    async def talk() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(urls[0]) as alice,
            session.ws_connect(urls[1]) as bob,
        ):
            joined = [await next_event(ws, "joined") for ws in (alice, bob)]
            alice_id, bob_id = (j["user"]["userId"] for j in joined)
            # Each change waits for the previous one to come back, so the two sockets cannot race.
            await alice.send_json({"evt": "make-host", "userId": bob_id})
            updates = [await next_event(bob, "user-updated") for _ in range(2)]
            await bob.send_json({"evt": "make-manager", "userId": alice_id})
            updates.append(await next_event(bob, "user-updated"))
            await alice.send_json({"evt": "reclaim-host"})
            updates += [await next_event(bob, "user-updated") for _ in range(2)]
            return joined, updates

    joined, updates = run_async(talk())
    alice_id, bob_id = (j["user"]["userId"] for j in joined)
    assert [j["isOriginalHost"] for j in joined] == [True, False]
    assert [(m["user"]["userId"], m["user"]["isHost"], m["user"]["isManager"]) for m in updates] == [
        (alice_id, False, False),  # makeHost: the demotion first,
        (bob_id, True, False),  # then the promotion
        (alice_id, False, True),  # makeManager by the new host
        (bob_id, False, False),  # reclaimHost by the original host: the holder loses the role,
        (alice_id, True, False),  # and the original host is host again, no longer a manager
    ]
    logged = [e for e in service.log_since(0) if e["event"] == "role-change" and e["topic"] == "roles"]
    assert [e["action"] for e in logged][-3:] == ["make-host", "make-manager", "reclaim-host"]
