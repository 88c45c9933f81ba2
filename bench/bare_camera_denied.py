"""The equal-work baseline: what `camera-denied` does, written as a bare Playwright script.

    .venv/bin/python bench/bare_camera_denied.py [--runs N]    (N > 1: also the warm median, one browser)
    .venv/bin/python bench/bare_camera_denied.py --granted --runs N   (the catalog's floor, see bench/speed.py)
    .venv/bin/python bench/bare_camera_denied.py --granted --kept --runs N   (its floor with kept contexts)

It starts the session service (the back end a join needs), launches Chromium with the camera not granted and a
fake camera present, opens the same page the scenario drives (the sample app, which loads the SDK double as one
script) and waits until it is ready, then with the client the page made: inits, joins through the service, calls
`stream.startVideo()` and checks the 6100 it rejects with, then `stream.startAudio()`. It prints one JSON
line: `{"cold_s": ..., "warm_s": [...]}` (cold: from process start to the check, including imports).

`--granted`: the least a participant of the catalog does, on the browser the harness gives most of them: camera
and microphone granted, Chromium's headless shell where there is one (else Chromium); init, join, leave.
`--kept` (with `--granted`): every run in one context and page, tidied between runs as the harness tidies a context
it keeps (harness/spares.py): the page to about:blank, cookies and the origin's storage cleared.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
from functools import partial  # noqa: E402

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from harness.browsers import SHELL_ARGS, find_chromium, find_headless_shell  # noqa: E402
from harness.errors import BrowserNotFound  # noqa: E402
from harness.service.server import SessionService  # noqa: E402

SCRIPT = """async () => {
  try {
  const answer = await (await fetch('/api/token?topic=camera-check&role=1')).json();
  const client = window.zmClient;
  await client.init('en-US', location.origin + '/double/lib', { patchJsMedia: true });
  await client.join('camera-check', answer.token, 'alice');
  const stream = client.getMediaStream();
  let code = null;
  try { await stream.startVideo(); } catch (error) { code = error.errorCode; }
  await stream.startAudio();
  await client.leave();
  return code;
  } catch (error) { return JSON.stringify(error) + String(error); }
}"""

# What every participant of the catalog does at least (--granted): init, join, leave. Errors reject the call.
JOIN_ONLY = """async () => {
  const answer = await (await fetch('/api/token?topic=floor&role=1')).json();
  const client = window.zmClient;
  await client.init('en-US', location.origin + '/double/lib', { patchJsMedia: true });
  await client.join('floor', answer.token, 'alice');
  await client.leave();
}"""


def once(browser: Browser, base_url: str, granted: bool = False) -> None:
    context = browser.new_context(permissions=["camera", "microphone"] if granted else ["microphone"])
    try:
        page = context.new_page()
        page.goto(f"{base_url}/app/index.html?sdk=double")
        page.wait_for_selector("body[data-ready]", state="attached")
        if granted:
            page.evaluate(JOIN_ONLY)
            return
        code = page.evaluate(SCRIPT)
        if code != 6100:
            raise SystemExit(f"bare script: startVideo gave {code!r}, not 6100")
    finally:
        context.close()


def kept_once(page: Page, base_url: str) -> None:
    """One participant on a kept page, then the tidying the harness does before it hands the page on."""
    page.goto(f"{base_url}/app/index.html?sdk=double")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.evaluate(JOIN_ONLY)
    page.goto("about:blank")
    page.context.clear_cookies()
    session = page.context.new_cdp_session(page)
    session.send("Storage.clearDataForOrigin", {"origin": base_url, "storageTypes": "all"})
    session.detach()


def _headless_shell() -> str | None:
    """The shell the harness would run a granted participant on (the same finder, the same setting)."""
    try:
        return find_headless_shell(find_chromium())
    except BrowserNotFound:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--granted", action="store_true")
    parser.add_argument("--kept", action="store_true", help="with --granted: one context and page, tidied between runs")
    options = parser.parse_args()
    runs, granted = options.runs, options.granted
    executable, args = shutil.which("chromium"), ["--use-fake-device-for-media-stream"]
    if granted and (shell := _headless_shell()):
        executable, args = shell, [*args, *SHELL_ARGS]
    service = SessionService().start()
    warm = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable or None, args=args)
            if granted and options.kept:
                page = browser.new_context(permissions=["camera", "microphone"]).new_page()
                run = partial(kept_once, page, service.base_url)
            else:
                run = partial(once, browser, service.base_url, granted)
            run()
            cold = time.perf_counter() - STARTED
            for _ in range(runs - 1):
                start = time.perf_counter()
                run()
                warm.append(time.perf_counter() - start)
            browser.close()
    finally:
        service.stop()
    print(json.dumps({"cold_s": cold, "warm_s": warm}))


if __name__ == "__main__":
    main()
