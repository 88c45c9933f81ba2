"""The session service as the back end, over its socket and HTTP: requests answered and refused, what a
participant may write itself, removal by identity, the voice-translator push, the live stream's RTMP attempt and
the broadcast's channel. No browser: aiohttp clients speak the double's wire messages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from test_service import next_event, post_join, run_async, socket_url

from harness.service.server import Credentials, SessionService
from harness.service.tokens import mint_token


@pytest.fixture(scope="module")
def service() -> Iterator[SessionService]:
    running = SessionService().start()
    yield running
    running.stop()


@dataclass
class Peer:
    ws: aiohttp.ClientWebSocketResponse
    user_id: int
    join_token: str

    async def until_pong(self, seq: int = 99) -> list[dict[str, Any]]:
        """Everything this participant gets before the answer to a ping sent now (the service answers in order)."""
        await self.ws.send_json({"evt": "ping", "seq": seq})
        frames = []
        while True:
            frame = dict(await self.ws.receive_json(timeout=5))
            if frame == {"evt": "pong", "seq": seq}:
                return frames
            frames.append(frame)

    async def ask(self, kind: str, request_id: int = 1, **args: Any) -> None:
        await self.ws.send_json(
            {"evt": "request", "id": request_id, "kind": kind, "feature": kind.split(".")[0], **args}
        )

    async def answer(self) -> dict[str, Any]:
        while True:
            frame = await next_event(self.ws, "feature")
            if "answer" in frame:
                return dict(frame["answer"])


@contextlib.asynccontextmanager
async def joined(service: SessionService, urls: list[str]) -> AsyncIterator[list[Peer]]:
    """Participants connected in order, each having taken everything sent to it on joining."""
    async with contextlib.AsyncExitStack() as stack:
        session = await stack.enter_async_context(aiohttp.ClientSession())
        peers = []
        for url in urls:
            ws = await stack.enter_async_context(session.ws_connect(url))
            first = await next_event(ws, "joined")
            token = url.split("joinToken=")[1].split("&")[0]
            peers.append(Peer(ws, first["user"]["userId"], token))
        for peer in peers:
            await peer.until_pong(0)
        yield peers


def features(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The feature frames among these, without the voice translator's languages and without `from`."""
    keep = [f for f in frames if f.get("evt") == "feature" and f.get("feature") != "voicetranslator"]
    return [{k: v for k, v in f.items() if k != "from"} for f in keep]


def two(service: SessionService, account: str = "default", topic: str = "standup") -> tuple[Credentials, list[str]]:
    creds = service.new_credentials(account)
    return creds, [socket_url(service, creds, "hana", topic, role=1), socket_url(service, creds, "gus", topic)]


def test_an_attendees_request_is_refused_to_it_alone_and_the_state_stays(service: SessionService) -> None:
    creds, urls = two(service)

    async def talk() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
        async with joined(service, urls) as (host, guest):
            await guest.ask("recording.start", 7)
            to_guest, to_host = await guest.until_pong(), await host.until_pong()
            async with aiohttp.ClientSession() as session, session.ws_connect(socket_url(service, creds, "lu")) as ws:
                return to_guest, to_host, await next_event(ws, "joined")

    to_guest, to_host, late = run_async(talk())
    answer = {"id": 7, "kind": "recording.start", "ok": False, "refused": "not-allowed"}
    assert [{**f, "answer": {k: v for k, v in f["answer"].items() if k != "message"}} for f in to_guest] == [
        {"evt": "feature", "feature": "recording", "answer": answer}
    ]
    assert features(to_host) == []
    assert "status" not in late["features"].get("recording", {}), "the session's state did not change"


def test_an_accepted_request_changes_the_state_for_everyone_then_answers_the_asker(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with joined(service, urls) as (host, guest):
            await host.ask("recording.start", 3)
            return await host.until_pong(), await guest.until_pong()

    to_host, to_guest = run_async(talk())
    state = {"evt": "feature", "feature": "recording", "state": {"status": "Recording", "iso": False}}
    answer = {"evt": "feature", "feature": "recording", "answer": {"id": 3, "kind": "recording.start", "ok": True}}
    assert features(to_host) == [state, answer]
    assert to_host[0]["from"]["displayName"] == "hana", "the state change is the asker's"
    assert features(to_guest) == [state]


def test_subsessions_the_back_end_makes_invites_to_and_closes_on_its_own_clock(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        async with joined(service, urls) as (host, guest):
            await host.ask("subsession.create", names=["Red"])
            created = await host.answer()
            room = {"subsessionId": created["ids"][0], "subsessionName": "Red", "userList": [{"userId": guest.user_id}]}
            await host.ask("subsession.open", 2, rooms=[room], options={"waitSeconds": 0})
            await host.answer()
            invited = await guest.until_pong()
            await host.ask("subsession.close", 3)
            await host.answer()
            closed = []
            while len(features(closed)) < 2:
                closed += await guest.until_pong()
            return created, invited, closed

    created, invited, closed = run_async(talk())
    assert created["ok"] is True and len(created["ids"]) == 1
    rooms_then_invite = features(invited)
    assert rooms_then_invite[-1] == {
        "evt": "feature",
        "feature": "subsession",
        "action": "invite",
        "subsessionId": created["ids"][0],
        "subsessionName": "Red",
    }
    assert rooms_then_invite[-2]["state"]["status"] == 2
    assert [f["state"]["status"] for f in features(closed)] == [3, 4], "Closing, then Closed by the back end's clock"


def test_a_participant_writes_only_its_own_records(service: SessionService) -> None:
    creds, urls = two(service)

    async def talk() -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
        async with joined(service, urls) as (host, guest):
            g, h = guest.user_id, host.user_id
            for state in (
                {"privilege": 1},  # the host's to set, through a request
                {f"sharer:{h}": {"status": 1}},  # someone else's record
                {f"sharer:{g}": {"status": 1, "broadcast": True}},  # sharing to subsessions is the host's
            ):
                await guest.ws.send_json({"evt": "feature", "feature": "share", "state": state})
            await guest.ws.send_json({"evt": "feature", "feature": "recording", "state": {"status": "Recording"}})
            await guest.ws.send_json({"evt": "feature", "feature": "share", "state": {f"sharer:{g}": {"status": 1}}})
            heard = await host.until_pong()
            async with aiohttp.ClientSession() as session, session.ws_connect(socket_url(service, creds, "lou")) as ws:
                return g, heard, await next_event(ws, "joined")

    g, heard, late = run_async(talk())
    own = {f"sharer:{g}": {"status": 1}}
    assert features(heard) == [{"evt": "feature", "feature": "share", "state": own}]
    assert late["features"]["share"] == own
    assert "status" not in late["features"].get("recording", {})


def test_a_new_share_from_an_attendee_follows_the_share_privilege(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        async with joined(service, urls) as (host, guest):
            await host.ask("share.privilege", privilege=1)  # OnlyHost
            await host.answer()
            record = {f"sharer:{guest.user_id}": {"status": 1}}
            await guest.ws.send_json({"evt": "feature", "feature": "share", "state": record})
            refused = await host.until_pong()
            await host.ask("share.privilege", 2, privilege=2)  # AnyoneGrab
            await host.answer()
            await guest.ws.send_json({"evt": "feature", "feature": "share", "state": record})
            return record, refused, await host.until_pong()

    record, refused, accepted = run_async(talk())
    assert features(refused) == [], "only the host shares"
    assert features(accepted) == [{"evt": "feature", "feature": "share", "state": record}]


def test_direct_messages_only_a_host_may_send_are_dropped_from_attendees(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with joined(service, urls) as (host, guest):
            for action in ("move", "invite-back", "broadcast"):
                await guest.ws.send_json(
                    {"evt": "feature", "feature": "subsession", "to": host.user_id, "action": action}
                )
            await guest.ws.send_json(
                {"evt": "feature", "feature": "camera-control", "to": host.user_id, "action": "audio:mute"}
            )
            await guest.ws.send_json({"evt": "feature", "feature": "subsession", "to": host.user_id, "action": "help"})
            dropped = await host.until_pong()
            await host.ws.send_json(
                {"evt": "feature", "feature": "camera-control", "to": guest.user_id, "action": "audio:mute"}
            )
            return dropped, await guest.until_pong()

    dropped, muted = run_async(talk())
    assert [f["action"] for f in features(dropped)] == ["help"], "asking for help is anyone's"
    assert [f["action"] for f in features(muted)] == ["audio:mute"]


def test_removal_is_remembered_by_the_tokens_user_identity_not_the_name(service: SessionService) -> None:
    creds = service.new_credentials()
    host_url = socket_url(service, creds, "hana", role=1)

    def as_identity(name: str, identity: str) -> str:
        token = mint_token(creds.key, creds.secret, "standup", 0, {"user_identity": identity})
        answer = post_join(service, token, "standup", name)
        assert answer["status"] is True, "the join information is given; the join response decides"
        return f"{answer['result']['rwg']}?joinToken={answer['result']['joinToken']}&ZM-CID=one-browser"

    async def first_frame(url: str) -> dict[str, Any]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            return dict(await ws.receive_json(timeout=5))

    async def talk() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        async with joined(service, [host_url, as_identity("bob", "bob-1")]):
            await asyncio.to_thread(service.remove, creds.key, "bob")
            renamed = await first_frame(as_identity("robert", "bob-1"))
            same_name = await first_frame(as_identity("bob", "bob-2"))
            same_browser = await first_frame(as_identity("bobby", "bob-3"))
            return renamed, same_name, same_browser

    renamed, same_name, same_browser = run_async(talk())
    assert renamed == {"evt": "join-failed", "errorCode": 3009, "errorMessage": "user has been removed"}
    assert same_name["evt"] == "joined", "another identity with the removed name is somebody else"
    assert same_browser["evt"] == "joined", "with an identity, the browser does not count"


def test_the_voice_translator_languages_are_pushed_after_the_roster_and_again_on_an_account_change(
    service: SessionService,
) -> None:
    creds, urls = two(service)
    off = service.new_credentials("features-off")

    async def talk() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(urls[0]) as ws:
            frames = [dict(await ws.receive_json(timeout=5)) for _ in range(3)]
            await asyncio.to_thread(service.set_account, creds.key, {"voice_translator_languages": []})
            changed = [await next_event(ws, "account-settings"), await next_event(ws, "feature")]
            async with session.ws_connect(socket_url(service, off, "vera", role=1)) as quiet:
                await next_event(quiet, "roster")
                await quiet.send_json({"evt": "ping", "seq": 1})
                return frames, changed, [dict(await quiet.receive_json(timeout=5))]

    frames, changed, quiet = run_async(talk())
    assert [f["evt"] for f in frames] == ["joined", "roster", "feature"]
    assert frames[2] == {
        "evt": "feature",
        "feature": "voicetranslator",
        "channels": ["en", "zh", "ja", "de", "fr", "es", "pt", "it", "ko", "ru"],
    }
    assert changed[1] == {"evt": "feature", "feature": "voicetranslator", "channels": []}
    assert quiet == [{"evt": "pong", "seq": 1}], "no voice translator on the account: nothing is pushed"
