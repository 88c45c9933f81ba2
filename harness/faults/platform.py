"""Platform capabilities removed before the page's scripts run.

Most are removed by a page script (platform.js: WebAssembly, navigator.mediaDevices, ...). WebGL is removed in
the browser itself, as a policy or a blocklisted graphics driver does: measured in this headless Chromium
(which runs with --disable-gpu), `canvas.getContext('webgl')` and `'webgl2'` answer a context by default (a
software renderer) and null with --disable-3d-apis; Firefox's pref `webgl.disabled` does the same.

Autoplay is the browser's policy plus the person: measured in this Chromium, an AudioContext made by a page
nobody has interacted with stays `suspended` (also without a flag: --autoplay-policy=document-user-activation-
required only writes Chrome's desktop default out), and one made after a user activation runs. Playwright's
evaluate counts as a user gesture, so `autoplay: false` also makes the harness call into the page without one
(`ParticipantPage.evaluate`).

A browser short of WebAssembly memory is V8's own per-memory limit: measured in this Chromium (156), with
`--js-flags=--wasm-max-mem-pages=1023` `new WebAssembly.Memory({initial: 1024, maximum: 8192, shared: true})`
(and 16384, 32000, or not shared) throws `RangeError: WebAssembly.Memory(): could not allocate memory`, the
error a failed reservation gives, while a memory of 17 pages or less is still made. Firefox has no such pref.

A browser with no audio output is Firefox's own switch for "no audio backend" (`media.cubeb.force_null_context`,
the state cubeb is in on a computer without a sound device): measured on this machine's Firefox ESR (which has no
sound device, so it is in that state with or without the pref), an AudioContext stays `suspended`, `resume()`
never settles and `currentTime` stays 0, also after a microphone capture and with autoplay allowed. Chromium
renders to a silent fake output when it finds no device (measured here: an AudioContext runs), so it cannot be
put in that state.
"""

from __future__ import annotations

from harness.browsers import PrefValue

# V8's limit on one WebAssembly memory, in 64-KiB pages, for `large_wasm_memory: false`: one page short of the
# 64 MiB the SDK's multi-threaded media workers start with.
WASM_MAX_PAGES = 1023

# Capabilities the browser removes (a launch flag, a pref), not the page script.
CHROMIUM_FLAGS = {
    "webgl": "--disable-3d-apis",
    "autoplay": "--autoplay-policy=document-user-activation-required",
    "large_wasm_memory": f"--js-flags=--wasm-max-mem-pages={WASM_MAX_PAGES}",
}
FIREFOX_PREFS: dict[str, dict[str, PrefValue]] = {
    "webgl": {"webgl.disabled": True},
    "audio_output": {"media.cubeb.force_null_context": True},
}
# Removed in the browser (a flag, a pref), never by platform.js.
IN_BROWSER = frozenset(CHROMIUM_FLAGS) | frozenset(FIREFOX_PREFS)


def removed(platform: dict[str, bool]) -> dict[str, bool]:
    """What platform.js removes."""
    return {name: False for name, present in platform.items() if not present and name not in IN_BROWSER}


def launch_args(platform: dict[str, bool]) -> list[str]:
    """Chromium's flags for the capabilities removed in the browser."""
    return [CHROMIUM_FLAGS[name] for name, present in platform.items() if not present and name in CHROMIUM_FLAGS]


def chromium_unsupported(platform: dict[str, bool]) -> str | None:
    """Why Chromium cannot remove one of these capabilities (the run then skips), or None."""
    if platform.get("audio_output") is False:
        return "Chromium plays to a silent fake output when a computer has no audio device (its AudioContext runs)"
    return None


def gesture_free(platform: dict[str, bool]) -> bool:
    """Whether the harness's calls in the page must carry no user activation (the person never clicked)."""
    return platform.get("autoplay") is False


def prefs(platform: dict[str, bool]) -> dict[str, PrefValue]:
    """Firefox's prefs for the same."""
    result: dict[str, PrefValue] = {}
    for name, present in platform.items():
        if not present and name in FIREFOX_PREFS:
            result.update(FIREFOX_PREFS[name])
    return result
