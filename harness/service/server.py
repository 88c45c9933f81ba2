"""The session service's life and public API: aiohttp on loopback, on a loop of its own (`LoopThread`).

It serves the sample app and the double, answers `/wc/lsdk` join requests after verifying the JWT, holds the
session over a WebSocket (heartbeat answers, participant events), and offers a small dev token endpoint for a
person using the app by hand. The routes are in `routes.py`, the session socket's protocol in `protocol.py`,
what the service holds in `state.py`; this module starts and stops it and is what the harness calls.

What the real back end decides lives here, never in the double: the harness acts as host or account
owner through `SessionService.remove`, `.end` and `.set_account`, and the double reacts to the messages
those send, as the real SDK reacts to its server.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from harness.errors import HarnessError
from harness.loop_thread import LoopThread, LoopTimeout
from harness.sdk_packages import package_dir, pinned
from harness.service.accounts import account_settings, checked_settings
from harness.service.credentials import Credentials
from harness.service.origins import normal_origin
from harness.service.protocol import SessionProtocol
from harness.service.routes import build_app, build_app_origin
from harness.service.rtmp import StandIns
from harness.service.state import ServiceState

__all__ = ["Credentials", "ServiceState", "SessionService", "serve_forever"]

START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 15.0  # above aiohttp's 10 s wait for a peer's answer to a close frame
CALL_TIMEOUT_SECONDS = 10.0
CONTROL_TIMEOUT_SECONDS = 10.0
T = TypeVar("T")


class SessionService:
    """Start with `start()`, stop with `stop()`; `base_url` is where the app is served."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.requested_port = port
        self.port = 0
        self.state = ServiceState()
        self._loop = LoopThread("session-service")
        self._runner: web.AppRunner | None = None
        self._app_runners: list[web.AppRunner] = []
        self.default_credentials = self.new_credentials()
        self._protocol = SessionProtocol(self.state)
        self._stand_ins = StandIns()  # the back end's network: the streaming platforms scenarios name

    @property
    def media_port(self) -> int:
        return self.state.media_port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def sessions_url(self) -> str:
        """The sessions as JSON; also what a page asks to learn that its network is back (faults/network.py)."""
        return f"{self.base_url}/_harness/sessions"

    def new_credentials(self, account: str = "default") -> Credentials:
        """A fresh SDK key and secret on the named account profile (accounts.yaml); sessions are held apart
        per key, so each run gets its own. An unknown account name is a HarnessError listing the valid ones."""
        settings = account_settings(account)
        creds = Credentials(f"harness-{secrets.token_hex(6)}", secrets.token_urlsafe(32), account)

        def register() -> None:
            self.state.accounts[creds.key] = settings
            self.state.credentials[creds.key] = creds

        self._call(register)
        return creds

    def remove(self, app_key: str, name: str, topic: str | None = None) -> None:
        """The host removes the participant with this display name: they get Closed 'kicked by host', the others
        `user-removed`, and the name's later joins in that session are refused with 3009. `topic` None means the
        key's only session."""
        self._control(lambda: self._protocol.remove(app_key, name, topic))

    def end(self, app_key: str, topic: str | None = None) -> None:
        """The host ends the session: everybody gets Closed 'ended by host'; later joins are refused with 4004."""
        self._control(lambda: self._protocol.end(app_key, topic))

    def set_account(self, app_key: str, settings: dict[str, Any]) -> None:
        """Change some account switches of this key mid-run; connected participants are told the new settings."""
        changes = checked_settings(settings)
        self._control(lambda: self._protocol.change_account(app_key, changes))

    def drop_streams(self) -> None:
        """The streaming platforms of the back end's world (`streaming.test`) drop every connection: a live stream
        that was on ends for everyone."""
        self._control(self._stand_ins.drop)

    def serve_app(self, folder: Path) -> str:
        """Serve a built app (a folder holding `index.html`) at the root of an origin of its own, beside the
        endpoints a join needs, cross-origin isolated (origins.py); returns that origin, `http://host:port`."""
        if not (folder / "index.html").is_file():
            raise HarnessError(f"{folder}: no index.html (an app's build folder holds its index.html at the top)")
        port: int = self._loop.run(self._serve_app(folder), timeout=START_TIMEOUT_SECONDS)
        return f"http://{self.host}:{port}"

    def accept_origin(self, url: str) -> None:
        """Let pages of this app's origin (served elsewhere) call the service: CORS and the socket origin check."""
        origin = normal_origin(url)
        self._call(lambda: self.state.origins.app_origins.add(origin))

    def start(self) -> SessionService:
        try:
            self._loop.start(timeout=START_TIMEOUT_SECONDS)
        except RuntimeError as error:
            raise RuntimeError(f"the session service did not start within {START_TIMEOUT_SECONDS:.0f}s") from error
        try:
            self._loop.run(self._serve(), timeout=START_TIMEOUT_SECONDS)
        except Exception as error:
            with contextlib.suppress(Exception):  # the reason it could not start is what the caller needs
                self._loop.stop(self._shutdown, timeout=STOP_TIMEOUT_SECONDS)
            if isinstance(error, LoopTimeout):
                raise RuntimeError(f"the session service did not start within {START_TIMEOUT_SECONDS:.0f}s") from None
            raise RuntimeError(f"the session service could not start: {error}") from error
        return self

    def stop(self) -> None:
        self._loop.stop(self._shutdown, timeout=STOP_TIMEOUT_SECONDS)

    def snapshot(self) -> list[dict[str, Any]]:
        rooms: list[dict[str, Any]] = self._call(lambda: self.state.rooms.snapshot())
        return rooms

    def log_since(self, index: int) -> list[dict[str, Any]]:
        return list(self.state.log[index:])

    def _call(self, fn: Callable[[], T]) -> T:
        """Run `fn` where the state lives: on the service's loop when it serves, else right here."""
        if not self._loop.running:
            return fn()
        return self._loop.call(fn, timeout=CALL_TIMEOUT_SECONDS)

    def _control(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run a host/back-end action on the service's loop, from the harness's thread, with a bounded wait."""
        if not self._loop.running:
            # Not serving: nobody can be connected, so the action only changes state; run it on a loop of its own
            # (the caller's thread may already own a running loop: Playwright's).
            with LoopThread("session-service-control") as detached:
                try:
                    detached.run(work(), timeout=CONTROL_TIMEOUT_SECONDS)
                except LoopTimeout:
                    raise HarnessError(
                        f"the session service action did not finish within {CONTROL_TIMEOUT_SECONDS:.0f}s"
                    ) from None
            return
        try:
            self._loop.run(work(), timeout=CONTROL_TIMEOUT_SECONDS)
        except LoopTimeout:
            raise HarnessError(
                f"the session service did not carry out the action within {CONTROL_TIMEOUT_SECONDS:.0f}s"
            ) from None

    async def _serve(self) -> None:
        app = build_app(self.state, self._protocol, self.default_credentials)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        # The media server on a port of its own, so a firewall can block it alone (media.py).
        await web.TCPSite(self._runner, self.host, 0).start()
        self.state.media_port = int(self._runner.addresses[1][1])
        self.state.world = await self._stand_ins.start()
        self.state.origins.own_ports.update({self.port, self.state.media_port})

    async def _serve_app(self, folder: Path) -> int:
        runner = web.AppRunner(
            build_app_origin(self.state, self._protocol, self.default_credentials, folder),
            access_log=None,
            shutdown_timeout=1,
        )
        await runner.setup()
        self._app_runners.append(runner)
        await web.TCPSite(runner, self.host, 0).start()
        port = int(runner.addresses[0][1])
        self.state.origins.own_ports.add(port)
        return port

    async def _shutdown(self) -> None:
        await self._protocol.shutdown()
        await self._stand_ins.stop()
        for runner in self._app_runners:
            await runner.cleanup()
        self._app_runners.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def serve_forever(host: str, port: int) -> None:
    """`harness serve`: run until interrupted, printing where to point a browser."""
    service = SessionService(host, port).start()
    print(f"Session service on {service.base_url}")
    print(f"  sample app (SDK double): {service.base_url}/app/index.html")
    if package_dir(pinned().version) is not None:
        print(f"  sample app (real SDK {pinned().version}): {service.base_url}/app/index.html?sdk=real")
    else:
        print("  (the real SDK is not installed: run `harness versions install real` to get ?sdk=real)")
    print("  another installed version X.Y.Z (`harness versions list`): ?sdk=real@X.Y.Z")
    print("Press Ctrl+C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
