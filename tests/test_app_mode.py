"""App mode without a browser: the options and their one-line refusals, the skip rules on the catalog, and the
session service's side (a build folder's origin, CORS and the WebSocket Origin check for an app served
elsewhere). The runs in Chromium are in test_app_mode_e2e.py."""

from __future__ import annotations

import base64
import http.client
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from harness.app_mode import RULES, AppMode, skip_reason
from harness.errors import HarnessError
from harness.paths import scenarios_dir
from harness.scenario.loader import load_scenario
from harness.service.server import SessionService

SIGNS_IN_BROWSER = "topic={topic}&name={name}&password={password}&role={role}&sdkKey={sdkKey}&sdkSecret={sdkSecret}"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>app</title>", encoding="utf-8")
    (folder / "assets" / "app.js").write_text("console.log(1)", encoding="utf-8")
    return folder


def catalog(name: str):  # type: ignore[no-untyped-def]
    return load_scenario(scenarios_dir() / f"{name}.yaml")


# -- the options ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "topic={tpoic}",
            "--app-query: unknown placeholder {tpoic} (did you mean {topic}?); placeholders are: {topic}, {name}, "
            "{password}, {role}, {signature}, {sdkKey}, {sdkSecret}, {webEndpoint}",
        ),
        ("name={name!r}", "--app-query: unknown placeholder {name!r} (did you mean {name}?)"),
        ("x={", "--app-query 'x={': Single '{' encountered in format string (write a literal brace as {{ or }})"),
    ],
)
def test_a_bad_query_template_is_one_line(build: Path, query: str, message: str) -> None:
    with pytest.raises(HarnessError) as caught:
        AppMode.from_options(str(build), query)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_folder_without_index_html_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match=r"^--app .*: no index.html in this folder \(give the app's build output"):
        AppMode.from_options(str(tmp_path))
    with pytest.raises(HarnessError, match=r"^--app .*/nowhere: no such folder"):
        AppMode.from_options(str(tmp_path / "nowhere"))


def test_only_plain_http_urls_are_apps_served_elsewhere() -> None:
    assert AppMode.from_options("http://127.0.0.1:5173/").url == "http://127.0.0.1:5173/"
    with pytest.raises(HarnessError, match="speaks plain http, which a page on https may not call"):
        AppMode.from_options("https://localhost:5173/")
    with pytest.raises(HarnessError, match="expected a build folder or an http:// URL, got a ftp: URL"):
        AppMode.from_options("ftp://example.invalid/app")


def test_a_url_that_does_not_answer_is_one_line() -> None:
    app = AppMode.from_options("http://127.0.0.1:9/")  # the discard port: nothing listens on loopback
    with pytest.raises(
        HarnessError, match=r"^--app http://127.0.0.1:9/: no answer \(.*\); is the app's server running\?$"
    ):
        app.check_answers()


def test_allowed_codes_are_catalog_codes(build: Path) -> None:
    assert AppMode.from_options(str(build), allow_errors="6100, 6103").allowed_codes == (6100, 6103)
    with pytest.raises(HarnessError, match="unknown SDK error code 6199"):
        AppMode.from_options(str(build), allow_errors="6199")
    with pytest.raises(HarnessError, match="'x' is not an error code"):
        AppMode.from_options(str(build), allow_errors="6100,x")


def test_the_page_url_carries_the_join_percent_encoded(build: Path) -> None:
    app = AppMode.from_options(str(build), "?" + SIGNS_IN_BROWSER)
    values = {"topic": "a b&c", "name": "Zoë", "password": "", "role": "0", "sdkKey": "k", "sdkSecret": "s/+"}
    url = app.page_url("http://127.0.0.1:4000", values)
    assert url.startswith("http://127.0.0.1:4000/?topic=a%20b%26c&name=Zo%C3%AB&password=&role=0")
    assert parse_qs(urlsplit(url).query, keep_blank_values=True)["sdkSecret"] == ["s/+"]
    served = AppMode.from_options("http://127.0.0.1:5173/app?lang=en", "topic={topic}")
    assert served.page_url("unused", {"topic": "t"}) == "http://127.0.0.1:5173/app?lang=en&topic=t"
    assert app.uses == {"topic", "name", "password", "role", "sdkKey", "sdkSecret"}


# -- the skip rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("camera-blocked-shown-in-app", "step 1 (fill) acts on the harness's own sample page"),
        ("render-video-of-camera-off", "names {$element: '#self-video'}, an element of the harness's sample page"),
        ("token-role-invalid", "step 1 joins with JWT claims of its own (token: ...), and your app signs its own JWT"),
        ("offline-when-starting", "me is offline before the page loads"),
        ("joined-twice", "step 2 joins me again while still in the session"),
        ("media-before-join", "step 2 (call stream.startVideo) acts for me between init and join"),
        ("command-sent-before-channel-ready", "step 1 (call client.getCommandClient) acts for me before the app has"),
        ("audio-started-on-connected-event", "step 1 (on_event connection-change: call stream.startAudio) acts"),
    ],
)
def test_scenarios_that_cannot_mean_anything_on_an_app_skip_with_their_reason(
    build: Path, name: str, reason: str
) -> None:
    found = skip_reason(catalog(name), AppMode.from_options(str(build), SIGNS_IN_BROWSER))
    assert found is not None and found.startswith("app mode: ") and reason in found, found


@pytest.mark.parametrize(
    "name",
    [
        "camera-denied",
        "offline-mid-session",
        "removed-by-host",  # rejoins after being removed
        "passcode-wrong",  # rejoins after a refused join
        "host-ends-session",
        "join-dns-failure",  # a routing fault before the page opens is the world it loads into
        "assets-blocked",  # a plain init: the app's own init is checked
        "audio-processor-disabled-on-account",  # the back end's account change before the page opens
    ],
)
def test_scenarios_about_the_sdk_in_a_session_run_on_an_app(build: Path, name: str) -> None:
    assert skip_reason(catalog(name), AppMode.from_options(str(build), SIGNS_IN_BROWSER)) is None


def test_token_claims_need_the_harness_s_jwt(build: Path) -> None:
    scenario = catalog("token-role-invalid")
    assert skip_reason(scenario, AppMode.from_options(str(build), "topic={topic}&signature={signature}")) is None
    assert skip_reason(scenario, AppMode.from_options(str(build), "topic={topic}", token_url="**/jwt")) is None


def test_docs_show_every_rule_as_the_table_says_it() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "own-app.md").read_text(encoding="utf-8")
    assert len({rule.name for rule in RULES}) == len(RULES)
    missing = [rule.name for rule in RULES if f"| {rule.name} | {rule.means} |" not in text]
    assert not missing, f"docs/own-app.md does not show the rules {missing} as harness/app_mode/rules.py says them"


# -- the session service's side ---------------------------------------------------------------------------


def upgrade(port: int, path: str, origin: str | None) -> int:
    """The status a WebSocket upgrade from a page of `origin` gets (101 accepted, 403 refused)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Sec-WebSocket-Version": "13",
    }
    if origin is not None:
        headers["Origin"] = origin
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method, headers=headers or {})) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_a_build_folder_is_served_at_the_root_of_an_isolated_origin(service: SessionService, build: Path) -> None:
    origin = service.serve_app(build)
    status, headers, body = fetch(f"{origin}/")
    assert (status, body) == (200, b"<!doctype html><title>app</title>")
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "credentialless"
    assert fetch(f"{origin}/assets/app.js")[2] == b"console.log(1)"
    assert fetch(f"{origin}/preview")[2] == body, "a client-side route answers with index.html"
    assert fetch(f"{origin}/assets/missing.js")[0] == 404
    lib = fetch(f"{origin}/lib/js_media.min.js")
    assert lib[0] == 200 and lib[1]["Cross-Origin-Embedder-Policy"] == "credentialless", "the double's assets"
    port = int(urlsplit(origin).port or 0)
    assert upgrade(port, "/instantsdk/none?joinToken=x", origin) == 101, "the session socket answers beside it"
    assert upgrade(port, "/instantsdk/none?joinToken=x", "http://evil.invalid") == 403


def test_a_build_with_its_own_lib_keeps_it(service: SessionService, build: Path) -> None:
    (build / "lib").mkdir()
    (build / "lib" / "js_media.min.js").write_text("/* the app's own */", encoding="utf-8")
    origin = service.serve_app(build)
    assert fetch(f"{origin}/lib/js_media.min.js")[2] == b"/* the app's own */"


def test_a_join_request_from_the_build_s_origin_is_answered_there(service: SessionService, build: Path) -> None:
    origin = service.serve_app(build)
    creds = service.new_credentials()
    token = jwt.encode(
        {"app_key": creds.key, "role_type": 1, "tpc": "t", "iat": 1, "exp": 2}, creds.secret, algorithm="HS256"
    )
    request = urllib.request.Request(
        f"{origin}/wc/lsdk",
        data=json.dumps({"topic": "t", "signature": token, "userName": "n"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        assert json.loads(answer.read())["errorCode"] == 124, "the JWT rules apply there too (this one expired)"


def test_an_app_served_elsewhere_is_the_one_other_origin_accepted() -> None:
    service = SessionService().start()
    try:
        app, other = "http://127.0.0.1:5173", "http://127.0.0.1:5174"
        preflight = {
            "Origin": app,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        assert fetch(f"{service.base_url}/wc/lsdk", "OPTIONS", preflight)[0] == 405, "not before it is accepted"
        service.accept_origin(app + "/some/page?x=1")
        status, headers, _ = fetch(f"{service.base_url}/wc/lsdk", "OPTIONS", preflight)
        assert status == 204 and headers["Access-Control-Allow-Origin"] == app
        assert headers["Access-Control-Allow-Headers"] == "content-type"
        assert "Access-Control-Allow-Origin" not in fetch(service.sessions_url, headers={"Origin": other})[1]
        assert fetch(service.sessions_url, headers={"Origin": app})[1]["Access-Control-Allow-Origin"] == app
        for port in (service.port, service.media_port):
            assert (
                upgrade(port, "/instantsdk/none?joinToken=x" if port == service.port else "/wc/media/video", app) == 101
            )
            assert upgrade(port, "/wc/media/video", other) == 403
        assert upgrade(service.media_port, "/wc/media/video", service.base_url) == 101, "its own pages, as before"
        assert upgrade(service.port, "/instantsdk/none", None) == 101, "a client that is not a browser page"
    finally:
        service.stop()
