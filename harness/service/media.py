"""The media server: where a participant's video and computer audio travel once they are captured.

Zoom runs its media servers apart from the session's signalling server, and the SDK opens a media socket to
them; a firewall that lets the signalling through but blocks the media servers is a classic of corporate
networks. So the session service listens for media on a port of its own (`SessionService.media_port`),
named in the join answer, and a harness firewall can block that port alone (`firewall: {media: blocked}`).
The socket only has to be up: the double sends no real video or audio frames through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from harness.service.rooms import Rooms

MEDIA_KINDS = ("video", "audio")
REFUSED = 4003  # the media server does not know this participant (a close code of the private range)


async def media_socket(rooms: Rooms, log: Callable[..., None], request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse(heartbeat=None)
    await ws.prepare(request)
    kind = request.match_info.get("kind", "")
    member = rooms.member_with_token(request.query.get("joinToken", ""))
    if member is None or kind not in MEDIA_KINDS:
        log("media-refused", kind=kind)
        await ws.close(code=REFUSED, message=b"unknown participant")
        return ws
    log("media-open", kind=kind, userId=member.user_id)
    async for message in ws:
        if message.type == WSMsgType.TEXT and message.data == "ping":
            await ws.send_str("pong")
    log("media-closed", kind=kind, userId=member.user_id)
    return ws
