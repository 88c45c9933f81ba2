"""The back end's streaming, in the session service alone: the outgoing live stream tried against the network
(the `.test` stand-ins on loopback), broadcast streaming's channel and the incoming RTMP key over HTTP."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from test_service import run_async, socket_url
from test_service_requests import Peer, features, joined, two

from harness.service import rtmp
from harness.service.server import SessionService

VIEWER = "https://example.com/watch"


@pytest.fixture(scope="module")
def service() -> Iterator[SessionService]:
    running = SessionService().start()
    yield running
    running.stop()


def statuses(frames: list[dict[str, Any]]) -> list[int]:
    return [f["state"]["status"] for f in features(frames) if f["feature"] == "livestream" and "state" in f]


async def heard(peer: Peer, count: int) -> list[int]:
    """The first `count` live-stream statuses this participant hears (the attempt takes a moment)."""
    seen: list[int] = []
    for _ in range(200):
        seen += statuses(await peer.until_pong())
        if len(seen) >= count:
            return seen
        await asyncio.sleep(0.02)
    return seen


def test_rtmp_urls_point_where_they_say_and_web_addresses_nowhere() -> None:
    assert rtmp.target("rtmp://live.example.com/app") == rtmp.Target("live.example.com", 1935, False)
    assert rtmp.target("rtmps://live.example.com:8443/app") == rtmp.Target("live.example.com", 8443, True)
    assert rtmp.target("https://live.example.com/app") is None
    assert rtmp.target("rtmp:///no-host") is None
    assert rtmp.target("rtmp://bad:port/") is None


def test_a_platform_that_answers_the_handshake_streams_for_everyone_until_stopped(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> tuple[list[int], list[int], list[int], dict[str, Any]]:
        async with joined(service, urls) as (host, guest):
            await host.ask(
                "livestream.start", streamUrl="rtmp://streaming.test/live", streamKey="k", broadcastUrl=VIEWER
            )
            to_guest = await heard(guest, 2)
            to_host = await heard(host, 2)
            await host.ask("livestream.stop", 2)
            return to_guest, to_host, await heard(guest, 1), await host.answer()

    to_guest, to_host, stopped, answer = run_async(talk())
    assert to_guest == [2, 1] and to_host == [2, 1], "Connecting, then InProgress once the platform answered"
    assert stopped == [0] and answer["ok"] is True


@pytest.mark.parametrize("url", ["rtmp://refused.test/live", "rtmp://silent.test/live", "https://streaming.test/live"])
def test_a_platform_that_cannot_be_reached_leaves_everyone_at_connecting(
    service: SessionService, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setattr(rtmp, "HANDSHAKE_SECONDS", 0.3)  # the silent platform's wait, shortened
    _, urls = two(service)

    async def talk() -> tuple[list[int], dict[str, Any]]:
        async with joined(service, urls) as (host, guest):
            await host.ask("livestream.start", streamUrl=url, streamKey="k", broadcastUrl=VIEWER)
            await host.answer()
            seen = await heard(guest, 1)
            for _ in range(100):  # a new start is taken once the back end has given up, and nobody was told
                await host.ask("livestream.start", 9, streamUrl=url, streamKey="k", broadcastUrl=VIEWER)
                answer = await host.answer()
                if answer["ok"]:
                    break
                await asyncio.sleep(0.05)
            return seen + statuses(await guest.until_pong()), answer

    seen, again = run_async(talk())
    assert seen[0] == 2 and 1 not in seen and 0 not in seen, "Connecting, and nothing more"
    assert again["ok"] is True


def test_a_platform_that_drops_the_stream_ends_it_for_everyone(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> list[int]:
        async with joined(service, urls) as (host, guest):
            await host.ask(
                "livestream.start", streamUrl="rtmp://streaming.test/live", streamKey="k", broadcastUrl=VIEWER
            )
            seen = await heard(guest, 2)
            await asyncio.to_thread(service.drop_streams)
            return seen + await heard(guest, 1)

    assert run_async(talk()) == [2, 1, 0]


def http(service: SessionService, path: str, token: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = json.dumps(body or {}).encode() if body is not None else None
    request = urllib.request.Request(
        f"{service.base_url}{path}", data=data, headers={"utk": token, "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return dict(json.load(response))


def test_broadcast_the_back_end_mints_the_channel_and_refuses_a_stale_one(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        async with joined(service, urls) as (host, guest):
            refused = await asyncio.to_thread(http, service, "/live/createAndStartStream", guest.join_token, {})
            assert (refused["status"], refused["result"]) == (False, False)
            started = await asyncio.to_thread(http, service, "/live/createAndStartStream", host.join_token, {})
            channel = started["result"]["channelId"]
            again = await asyncio.to_thread(http, service, "/live/createAndStartStream", host.join_token, {})
            stale = await asyncio.to_thread(http, service, "/live/stopStream", host.join_token, {"channelId": "old"})
            state = await asyncio.to_thread(
                http, service, "/live/getStreamState", host.join_token, {"channelId": channel}
            )
            stopped = await asyncio.to_thread(
                http, service, "/live/stopStream", host.join_token, {"channelId": channel}
            )
            after = await asyncio.to_thread(
                http, service, "/live/getStreamState", guest.join_token, {"channelId": channel}
            )
            return started, [again, stale, state, stopped, after], await guest.until_pong(), await host.until_pong()

    started, answers, to_guest, to_host = run_async(talk())
    assert started["status"] is True and started["errorCode"] == 0 and len(started["result"]["channelId"]) == 32
    again, stale, state, stopped, after = answers
    assert (again["status"], stale["status"]) == (False, False), "one at a time; only the running channel stops it"
    assert state["result"] == {"state": 2} and stopped["result"] is True and after["result"] == {"state": 4}
    assert features(to_guest) == [{"evt": "feature", "feature": "broadcast", "state": {"status": 2}}]
    assert features(to_host) == [], "the starter learns the status by asking"


def test_http_requests_need_a_connected_participant_and_the_account(service: SessionService) -> None:
    creds = service.new_credentials("features-off")
    url = socket_url(service, creds, "hana", role=1)

    async def talk() -> list[dict[str, Any]]:
        async with joined(service, [url]) as (host,):
            return [
                await asyncio.to_thread(http, service, "/live/createAndStartStream", host.join_token, {}),
                await asyncio.to_thread(http, service, "/live/createAndStartStream", "nobody", {}),
            ]

    account_off, unknown = run_async(talk())
    assert (account_off["status"], unknown["status"]) == (False, False)
    assert account_off["errorCode"] != unknown["errorCode"]


def test_the_incoming_stream_key_is_bound_and_never_connected_here(service: SessionService) -> None:
    _, urls = two(service)

    async def talk() -> list[dict[str, Any]]:
        async with joined(service, urls) as (host, guest):
            answers = [
                await asyncio.to_thread(
                    http, service, "/rtmp/bindStreamKeyForSDK", guest.join_token, {"streamKeyId": "k1"}
                ),
                await asyncio.to_thread(
                    http, service, "/rtmp/bindStreamKeyForSDK", host.join_token, {"streamKeyId": "k1"}
                ),
                await asyncio.to_thread(http, service, "/rtmp/getRTMPIngestionForSDK?meetingNumber=1", host.join_token),
                await asyncio.to_thread(http, service, "/rtmp/sendLiveForSDK", host.join_token, {"streamKeyId": "k1"}),
                await asyncio.to_thread(
                    http, service, "/rtmp/unBindStreamKeyForSDK", host.join_token, {"streamKeyId": "k1"}
                ),
                await asyncio.to_thread(http, service, "/rtmp/getRTMPIngestionForSDK?meetingNumber=1", host.join_token),
            ]
            return answers

    guest_bind, bind, status, push, unbind, after = run_async(talk())
    assert guest_bind["result"] is False and bind["result"] is True
    assert status["result"] == {"rtmpMeetingInfos": [{"rtmpConnect": 0, "pushStatus": 0, "streamKeyId": "k1"}]}
    assert push["result"] is False, "nothing is pushing to the key"
    assert unbind["result"] is True and after["result"] == {"rtmpMeetingInfos": []}
