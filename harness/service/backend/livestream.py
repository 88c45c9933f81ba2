"""The outgoing live stream, as the back end runs it: the host asks, the back end connects to the platform.

The 2.5.0 runtime sends 7977 `{action: 1, streamingURL, streamingKey, broadcastURL}` and waits 30 s for the
status InProgress (the 7970 indication, to everyone). The back end reports Connecting at once, then tries the
platform (rtmp.attempt): InProgress when it connects, Ended when the platform drops the stream later. When it
cannot connect it tells nobody (docs/fidelity.md, inferred): the host's own 30 s wait then finds Connecting,
and the runtime sets Timeout for the host alone and rejects INTERNAL_ERROR.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.service import rtmp
from harness.service.backend.decision import (
    STATE,
    Ask,
    Decide,
    Decision,
    Publish,
    Refused,
    require_host,
    require_switch,
)

FEATURE = "livestream"
ENDED, IN_PROGRESS, CONNECTING = 0, 1, 2  # LiveStreamStatus


@dataclass
class LiveStream:
    """The back end's own record of a room's stream (the connection is not session state)."""

    status: int = CONNECTING
    stream: rtmp.Stream | None = None

    def end(self) -> None:
        self.status = ENDED
        if self.stream is not None:
            self.stream.close()


def _current(ask: Ask) -> LiveStream | None:
    record = ask.room.backend.get(FEATURE)
    return record if isinstance(record, LiveStream) else None


def start(ask: Ask) -> Decision:
    require_host(ask, "start a live stream")
    require_switch(ask, "live_stream")
    url, viewer = ask.arg("streamUrl", str), ask.arg("broadcastUrl", str)
    ask.arg("streamKey", str)
    running = _current(ask)
    if running is not None and running.status in (CONNECTING, IN_PROGRESS):
        raise Refused(STATE, "a live stream is running")
    record = LiveStream()
    ask.room.backend[FEATURE] = record
    backend, world = ask.room.backend, dict(ask.world)

    async def connect(publish: Publish) -> None:
        stream = await rtmp.attempt(url, world)
        if backend.get(FEATURE) is not record or record.status != CONNECTING:
            if stream is not None:
                stream.close()
            return
        if stream is None:
            record.status = ENDED  # nobody is told (see the module doc)
            return
        record.status, record.stream = IN_PROGRESS, stream
        await publish(FEATURE, {"status": IN_PROGRESS, "liveStreamOn": True})
        await stream.ended()
        if backend.get(FEATURE) is record and record.status == IN_PROGRESS:
            record.end()
            await publish(FEATURE, {"status": ENDED, "liveStreamOn": False})

    return Decision({FEATURE: {"status": CONNECTING, "liveStreamOn": False, "viewerUrl": viewer}}, later=connect)


def stop(ask: Ask) -> Decision:
    require_host(ask, "stop the live stream")
    record = _current(ask)
    if record is None or record.status != IN_PROGRESS:
        raise Refused(STATE, "no live stream is on")
    record.end()
    return Decision({FEATURE: {"status": ENDED, "liveStreamOn": False}})


REQUESTS: dict[str, Decide] = {"livestream.start": start, "livestream.stop": stop}
