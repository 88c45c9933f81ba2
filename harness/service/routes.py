"""The session service's HTTP routes: the files it serves and the requests it answers.

- `/app/`, `/double/`, `/pages/`: the sample app, the double's ES modules and plain test pages;
  `/sdk/real/` and `/sdk/real@X.Y.Z/`: `dist/` of that version of the real `@zoom/videosdk` from the package
  cache (`sdk_packages.py`; installed before a run, never by the service); `/double/videosdk.umd.js`: the
  double as one UMD script, bundled on request (bundle.py);
- `POST /wc/lsdk`: a join request, answered after checking the JWT (jwt_rules.py) and admitting the
  participant to the session (rooms.py), with where its session socket and media server are;
- `/instantsdk/{session_id}`: the session socket (protocol.py); `/wc/media/{kind}`: the media server (media.py);
- `/api/token`: a token for a person using the app by hand; `/_harness/sessions`: the sessions, as JSON;
- `/live/*`, `/rtmp/*`: broadcast streaming and the incoming RTMP stream (live.py).

`build_app_origin` is the origin of a built app under test (origins.py): its files at the root, beside
`/wc/lsdk`, the session socket and `/live/*`, `/rtmp/*`. Both check who may call (`origins.OriginPolicy`).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from aiohttp import web

from harness.errors import HarnessError
from harness.paths import web_dir
from harness.sdk_packages import dist_dir
from harness.service import live, media
from harness.service.bundle import BundleError, cached_umd
from harness.service.credentials import Credentials
from harness.service.jwt_rules import verify_token
from harness.service.origins import AppFiles, isolated_app_page, isolation_headers
from harness.service.protocol import SessionProtocol
from harness.service.rooms import JoinRefused, Member, Room
from harness.service.state import ServiceState
from harness.service.tokens import mint_token


def build_app(state: ServiceState, protocol: SessionProtocol, dev: Credentials) -> web.Application:
    routes = _Routes(state, dev)
    app = web.Application(middlewares=[state.origins.middleware])
    app.on_response_prepare.append(isolated_app_page)
    app.router.add_get("/", routes.home)
    app.router.add_post("/wc/lsdk", routes.join_info)
    app.router.add_get("/instantsdk/{session_id}", protocol.session_socket)
    app.router.add_get("/wc/media/{kind}", routes.media_socket)
    app.router.add_get("/api/token", routes.dev_token)
    app.router.add_get("/_harness/sessions", routes.sessions)
    live.add_routes(app, state, protocol)  # what the runtime asks over HTTP: /live/* and /rtmp/*
    app.router.add_get("/double/videosdk.umd.js", routes.double_umd)
    app.router.add_static("/app/", web_dir() / "app", append_version=False)
    app.router.add_static("/double/", web_dir() / "double", follow_symlinks=True)
    app.router.add_static("/pages/", web_dir() / "pages")
    app.router.add_get("/sdk/{spec}/{file:.+}", real_sdk_file)
    return app


async def real_sdk_file(request: web.Request) -> web.StreamResponse:
    """A file of `dist/` of the installed version `spec` names (`real`, `real@X.Y.Z`); 404 otherwise."""
    try:
        dist = dist_dir(request.match_info["spec"])
    except HarnessError:
        dist = None
    if dist is None:
        raise web.HTTPNotFound(text=f"{request.match_info['spec']}: not an installed @zoom/videosdk")
    root = dist.resolve()
    file = (root / request.match_info["file"]).resolve()
    if not file.is_relative_to(root) or not file.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(file)


def build_app_origin(state: ServiceState, protocol: SessionProtocol, dev: Credentials, folder: Path) -> web.Application:
    """A built app at the root of an origin of its own, with what a join needs beside it, cross-origin isolated."""
    routes = _Routes(state, dev)
    app = web.Application(middlewares=[state.origins.middleware])
    app.on_response_prepare.append(isolation_headers)
    app.router.add_post("/wc/lsdk", routes.join_info)
    app.router.add_get("/instantsdk/{session_id}", protocol.session_socket)
    live.add_routes(app, state, protocol)  # what the runtime asks over HTTP at the same endpoint
    app.router.add_get("/{tail:.*}", AppFiles(folder).serve)
    return app


class _Routes:
    def __init__(self, state: ServiceState, dev_credentials: Credentials) -> None:
        self.state = state
        self.dev = dev_credentials

    async def home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/app/index.html")

    async def double_umd(self, request: web.Request) -> web.StreamResponse:
        try:
            text = cached_umd(web_dir() / "double")
        except BundleError as error:
            return web.Response(status=500, text=f"/* {error} */", content_type="application/javascript")
        return web.Response(text=text, content_type="application/javascript", headers={"Cache-Control": "no-store"})

    async def dev_token(self, request: web.Request) -> web.StreamResponse:
        topic = request.query.get("topic", "")
        try:
            role = int(request.query.get("role", "1"))
        except ValueError:
            return web.json_response({"error": "role must be 0 or 1"}, status=400)
        if not topic:
            return web.json_response({"error": "topic is required"}, status=400)
        return web.json_response({"token": mint_token(self.dev.key, self.dev.secret, topic, role)})

    async def sessions(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.state.rooms.snapshot())

    async def media_socket(self, request: web.Request) -> web.StreamResponse:
        return await media.media_socket(self.state.rooms, self.state.record, request)

    async def join_info(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"status": False, "errorCode": 4003, "errorMessage": "bad request"})
        topic = str(body.get("topic", ""))
        verdict = verify_token(str(body.get("signature", "")), self.state.secrets(), topic, time.time())
        if not verdict.ok or verdict.claims is None:
            self.state.record("join-refused", topic=topic, result=verdict.result, message=verdict.message)
            return web.json_response({"status": False, "errorCode": verdict.result, "errorMessage": verdict.message})
        claims = verdict.claims
        app_key = str(claims["app_key"])
        settings = self.state.accounts[app_key]
        rejoin = body.get("rejoinUserId")
        try:
            member = self.state.rooms.admit(
                app_key,
                topic,
                str(body.get("userName", "")),
                int(claims["role_type"]),
                str(body.get("password", "")),
                rejoin if isinstance(rejoin, int) else None,
                capacity=settings["max_participants"],
            )
        except JoinRefused as refused:
            self.state.record("join-refused", topic=topic, result=refused.result)
            return web.json_response({"status": False, "errorCode": refused.result, "errorMessage": refused.message})
        identity, option = claims.get("user_identity"), claims.get("cloud_recording_option")
        member.identity = identity if isinstance(identity, str) else ""
        member.recording_option = option if isinstance(option, int) and not isinstance(option, bool) else 0
        room = self._room_of(member)
        socket_url = f"ws://{request.host}/instantsdk/{room.session_id}"
        media_url = f"ws://{request.url.host}:{self.state.media_port}/wc/media"
        self.state.record("join-info", topic=topic, userId=member.user_id, name=member.name)
        result = {
            "rwg": socket_url,
            "media": media_url,
            "joinToken": member.join_token,
            "userId": member.user_id,
            "accountSettings": settings,
            "isOriginalHost": member.is_original_host,  # the real answer's field (client.isOriginalHost)
        }
        return web.json_response({"status": True, "result": result})

    def _room_of(self, member: Member) -> Room:
        return next(room for room in self.state.rooms.rooms.values() if member.user_id in room.members)
