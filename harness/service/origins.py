"""Which pages may use the session service, and the origin a built app is served on.

- **Own pages**: a page served by the service itself (any of its ports, on the host the request names) may
  call it and open its sockets, as before.
- **An app served elsewhere** (`SessionService.accept_origin`, a dev server on localhost): that origin gets CORS
  answers on the HTTP endpoints (the `POST /wc/lsdk` of a join is a preflighted cross-origin request) and may
  open the session and media sockets. Any other origin gets no CORS headers (the browser then refuses the
  answer) and its WebSocket upgrades are refused with 403, as a back end that checks `Origin` does.
- **A built app** (`build_app_origin`): its files at the root of an origin of its own, beside the endpoints a
  join needs (`/wc/lsdk`, the session socket), so the app makes no cross-origin request; `/lib` is the app's own
  `lib/` when it has one, else the double's dependent assets. Every answer there carries the cross-origin
  isolation headers Zoom's web sample serves with (COOP `same-origin`, COEP `credentialless`), so
  SharedArrayBuffer is on, as in that sample. Client-side routes (`/preview`) answer with `index.html`, as the
  sample's dev server and static hosts configured for single-page apps do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from harness.paths import ISOLATED_QUERY, web_dir

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ISOLATION_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "credentialless"}
# The sample app's page asked with ISOLATED_QUERY is served with ISOLATION_HEADERS (a scenario's
# `page: cross-origin-isolated`): the page decides isolation, its same-origin modules and workers follow it.
_ISOLATED_KEY, _ISOLATED_VALUE = ISOLATED_QUERY.split("=")
PREFLIGHT_MAX_AGE = "600"


def normal_origin(url: str) -> str:
    """`scheme://host:port` of a URL, with the default port written out, for comparing origins."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class OriginPolicy:
    """The service's own ports and the apps it serves elsewhere; read on every request (service loop only)."""

    def __init__(self) -> None:
        self.own_ports: set[int] = set()
        self.app_origins: set[str] = set()

    def is_app(self, origin: str) -> bool:
        return normal_origin(origin) in self.app_origins

    def allows(self, origin: str | None, request: web.Request) -> bool:
        """Whether a page of `origin` may open a socket here. No Origin: not a browser page (a test client)."""
        if origin is None:
            return True
        if self.is_app(origin):
            return True
        parts = urlsplit(origin)
        return parts.scheme == "http" and parts.hostname == request.url.host and parts.port in self.own_ports

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if request.headers.get("Upgrade", "").lower() == "websocket" and not self.allows(origin, request):
            raise web.HTTPForbidden(text=f"origin {origin} may not use this session service")
        cors = origin is not None and self.is_app(origin)
        if cors and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return web.Response(status=204, headers=self._cors_headers(origin or "", request))
        response = await handler(request)
        if cors and not response.prepared:
            response.headers.update(self._cors_headers(origin or "", request))
        return response

    @staticmethod
    def _cors_headers(origin: str, request: web.Request) -> dict[str, str]:
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers", "Content-Type"),
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
            "Vary": "Origin",
        }


class AppFiles:
    """A built app's folder, served at the root of its origin."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        own_lib = self.folder / "lib"
        self.lib = own_lib if own_lib.is_dir() else (web_dir() / "double" / "lib").resolve()

    async def serve(self, request: web.Request) -> web.StreamResponse:
        tail = request.match_info.get("tail", "")
        if tail == "lib" or tail.startswith("lib/"):
            return self._file(self.lib, tail[len("lib") :].lstrip("/"))
        return self._file(self.folder, tail, spa=True)

    def _file(self, root: Path, tail: str, spa: bool = False) -> web.StreamResponse:
        target = (root / tail).resolve()
        if not target.is_relative_to(root):
            raise web.HTTPNotFound()
        if target.is_dir():
            target = target / "index.html"
        if target.is_file():
            return web.FileResponse(target, headers={"Cache-Control": "no-store"})
        if spa and "." not in tail.rsplit("/", 1)[-1]:
            return web.FileResponse(self.folder / "index.html", headers={"Cache-Control": "no-store"})
        raise web.HTTPNotFound()


async def isolation_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(ISOLATION_HEADERS)


async def isolated_app_page(request: web.Request, response: web.StreamResponse) -> None:
    """The sample app's page, asked with ISOLATED_QUERY: cross-origin isolated."""
    if request.path.startswith("/app/") and request.query.get(_ISOLATED_KEY) == _ISOLATED_VALUE:
        response.headers.update(ISOLATION_HEADERS)
