"""What app mode is told (`--app`, `--app-query`, `--app-token-url`, `--app-client`, `--app-allow-errors`),
checked at start: every problem is one line, before any browser starts."""

from __future__ import annotations

import difflib
import string
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from harness.catalog import codes
from harness.errors import HarnessError

# The query template's placeholders: what the harness knows of each participant's join.
PLACEHOLDERS = {
    "topic": "the join's topic",
    "name": "the join's display name",
    "password": "the join's passcode (empty when it has none)",
    "role": "1 for a host (or manager), 0 for an attendee",
    "signature": "a JWT the harness minted for this join (with the join step's token overrides)",
    "sdkKey": "the run's SDK key, for apps that sign their JWT in the browser",
    "sdkSecret": "the run's SDK secret, for apps that sign their JWT in the browser",
    "webEndpoint": "host:port of the session service, for client.init's webEndpoint",
}
DEFAULT_CLIENT = "window.zmClient"  # where Zoom's web sample keeps its client
ANSWER_TIMEOUT = 5.0  # seconds to wait for an app URL to answer at start


@dataclass(frozen=True, slots=True)
class AppMode:
    """The user's app and how to drive it; `folder` (a build) or `url` (served elsewhere), never both."""

    source: str  # what --app said
    folder: Path | None = None
    url: str | None = None
    query: str = ""  # the template, without a leading '?'
    token_url: str | None = None  # a glob of the page's token requests, answered by the harness
    client_expression: str = DEFAULT_CLIENT
    allowed_codes: tuple[int, ...] = ()

    @classmethod
    def from_options(
        cls,
        app: str,
        query: str | None = None,
        token_url: str | None = None,
        client: str | None = None,
        allow_errors: str | None = None,
    ) -> AppMode:
        """The options as given on the command line; a HarnessError (one line) names the first problem."""
        template = (query or "").removeprefix("?")
        placeholders(template)
        folder, url = where(app)
        return cls(
            source=app,
            folder=folder,
            url=url,
            query=template,
            token_url=token_url or None,
            client_expression=client or DEFAULT_CLIENT,
            allowed_codes=allowed_codes(allow_errors),
        )

    @property
    def uses(self) -> set[str]:
        """The placeholders the query template names."""
        return placeholders(self.query)

    def page_url(self, base: str, values: dict[str, str]) -> str:
        """The page a participant opens: the app's URL (or `base`, the origin its build is served on) with the
        template filled in, each value percent-encoded."""
        url = self.url or base.rstrip("/") + "/"
        if not self.query:
            return url
        filled = string.Formatter().vformat(self.query, (), {key: quote(values[key], safe="") for key in self.uses})
        return f"{url}{'&' if urlsplit(url).query else '?'}{filled}"

    def check_answers(self) -> None:
        """An app served elsewhere must answer now (before any browser starts), or the run stops with one line."""
        if self.url is None:
            return
        try:
            with urllib.request.urlopen(self.url, timeout=ANSWER_TIMEOUT):
                pass
        except urllib.error.HTTPError as error:
            raise HarnessError(f"--app {self.url}: the app answered {error.code} {error.reason}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise HarnessError(f"--app {self.url}: no answer ({reason}); is the app's server running?") from None


def where(app: str) -> tuple[Path | None, str | None]:
    """A build folder holding index.html, or an http URL."""
    scheme = urlsplit(app).scheme
    if scheme == "https":
        raise HarnessError(
            f"--app {app}: the session service speaks plain http, which a page on https may not call; "
            "serve the app over http on localhost (a dev server), or give its build folder"
        )
    if scheme == "http":
        if not urlsplit(app).hostname:
            raise HarnessError(f"--app {app}: not a URL with a host")
        return None, app
    if scheme and len(scheme) > 1:
        raise HarnessError(f"--app {app}: expected a build folder or an http:// URL, got a {scheme}: URL")
    folder = Path(app).expanduser().resolve()
    if not folder.is_dir():
        raise HarnessError(f"--app {app}: no such folder (expected an app's build folder or an http:// URL)")
    if not (folder / "index.html").is_file():
        raise HarnessError(f"--app {app}: no index.html in this folder (give the app's build output, e.g. dist/)")
    return folder, None


def placeholders(template: str) -> set[str]:
    """The placeholders of a query template; an unknown or malformed one is a HarnessError."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as error:
        raise HarnessError(f"--app-query {template!r}: {error} (write a literal brace as {{{{ or }}}})") from None
    names = set()
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            close = difflib.get_close_matches(name, list(PLACEHOLDERS), n=1, cutoff=0.6)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            raise HarnessError(
                f"--app-query: unknown placeholder {shown}{hint}; "
                f"placeholders are: {', '.join('{' + known + '}' for known in PLACEHOLDERS)}"
            )
        names.add(name)
    return names


def allowed_codes(text: str | None) -> tuple[int, ...]:
    """`--app-allow-errors 6100,6103`: codes of the catalog."""
    found = []
    for part in (text or "").replace(",", " ").split():
        if not part.isdigit():
            raise HarnessError(f"--app-allow-errors: {part!r} is not an error code (write codes as 6100,6103)")
        if int(part) not in codes():
            raise HarnessError(f"--app-allow-errors: unknown SDK error code {part}: it is not in the error catalog")
        found.append(int(part))
    return tuple(found)
