"""Contexts kept between scenarios (harness/spares.py): the next run of a layout gets what a fresh context gives."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext, Playwright
from playwright.sync_api import Error as PlaywrightError

from harness import watchdog
from harness.artifacts import Artifacts
from harness.errors import ScenarioFailure
from harness.faults.shaper import NetworkShaper
from harness.pool import BrowserPool
from harness.runner import RunContext, ScenarioRun, SdkProfile
from harness.scenario.loader import parse_scenario
from harness.service.server import SessionService
from harness.spares import KEPT_IN_ALL, KEPT_PER_LAYOUT, REUSE_ENV_VAR, SpareContexts, reuse_enabled

LEFT_BEHIND = """async () => {
  localStorage.setItem('WEBCLIENT_DEVICE_ID', 'from-the-last-run');
  sessionStorage.setItem('last', 'run');
  document.cookie = 'last=run; max-age=600';
  await new Promise((done, failed) => {
    const opening = indexedDB.open('last-run', 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore('things');
    opening.onsuccess = () => { opening.result.close(); done(); };
    opening.onerror = failed;
  });
  window.lastRun = true;
}"""

WHAT_IS_LEFT = """async () => ({
  local: localStorage.length,
  session: sessionStorage.length,
  cookie: document.cookie,
  databases: (await indexedDB.databases()).map((database) => database.name),
  lastRun: Boolean(window.lastRun),
})"""

NOTHING = {"local": 0, "session": 0, "cookie": "", "databases": [], "lastRun": False}


def test_reuse_is_on_unless_the_environment_says_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REUSE_ENV_VAR, raising=False)
    assert reuse_enabled()
    for off in ("off", "0", "OFF "):
        monkeypatch.setenv(REUSE_ENV_VAR, off)
        assert not reuse_enabled()
        assert not SpareContexts().enabled


@pytest.fixture
def spares() -> Iterator[SpareContexts]:
    kept = SpareContexts(enabled=True)  # whatever the environment running the tests says
    yield kept
    kept.close()


@pytest.fixture
def new_context(pool: BrowserPool) -> Iterator[Callable[[], BrowserContext]]:
    """Contexts on the headless shell, each closed at the end if nothing closed it before."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        made.append(pool.get("chromium", (), light=True).new_context())
        return made[-1]

    yield make
    for context in made:
        with contextlib.suppress(PlaywrightError):
            context.close()


@pytest.mark.browser
def test_a_kept_context_comes_back_with_no_document_and_no_storage(
    spares: SpareContexts, new_context: Callable[[], BrowserContext], service: SessionService
) -> None:
    context = new_context()
    page = context.new_page()
    page.goto(f"{service.base_url}/pages/blank.html")
    page.evaluate(LEFT_BEHIND)
    assert page.evaluate(WHAT_IS_LEFT) != NOTHING
    assert spares.keep("layout", context, page, service.base_url, ())
    assert page.url == "about:blank", "the old document is unloaded: its sockets close, its tracks end"
    assert spares.take("another layout", scripts=()) is None
    assert spares.take("layout", scripts=()) == (context, page, ())
    assert spares.take("layout", scripts=()) is None, "a kept context serves one participant"
    page.goto(f"{service.base_url}/pages/blank.html")
    assert page.evaluate(WHAT_IS_LEFT) == NOTHING
    second = context.new_page()
    assert not spares.keep("layout", context, page, service.base_url, ()), "a context with two pages is not kept"
    second.close()


@pytest.fixture
def own_pool(playwright: Playwright) -> Iterator[BrowserPool]:
    browsers = BrowserPool(playwright, None, headless=True)
    browsers.spares.enabled = True  # whatever the environment running the tests says
    yield browsers
    browsers.close()


def scenario(name: str, steps: str) -> ScenarioRun:
    given = "given: {devices: {microphone: absent}}\n" if name == "no-mic" else ""
    return parse_scenario(f"name: {name}\nsummary: A participant of the default layout.\n{given}steps:\n{steps}", name)


JOINS = "  - join: {topic: kept, name: kim}\n  - call: stream.startVideo\n    expect: resolved\n"
UNPLUGS = JOINS + "  - fault: {devices: {camera: unplugged}}\n  - sleep: 200ms\n"
WRONG = JOINS + "  - call: stream.startAudio\n    expect_error: {errorCode: 6100}\n"
OFFLINE = JOINS + "  - fault: {network: offline}\n"
MICROPHONE = JOINS + "  - call: stream.startAudio\n    expect: resolved\n"
NO_MICROPHONE = JOINS + "  - call: stream.startAudio\n    expect_error: {errorCode: 6010, subCode: 4}\n"


@pytest.mark.browser
def test_a_passing_page_only_run_hands_its_context_to_the_next_of_its_layout(
    own_pool: BrowserPool, service: SessionService, shaper: NetworkShaper
) -> None:
    ctx = RunContext(
        own_pool, service, "chromium", SdkProfile.named("double"), Artifacts(None, "spares"), shaper=shaper
    )
    spares = own_pool.spares

    def kept() -> int:
        return len(spares.kept)

    ScenarioRun(scenario("unplugs", UNPLUGS), ctx).run()  # a device fault changes only the page
    assert (spares.reused, kept()) == (0, 1)

    ScenarioRun(scenario("offline", OFFLINE), ctx).run()  # a network fault: a fresh context, closed at the end
    assert (spares.reused, kept()) == (0, 1), "one of the same world is kept, and not taken"

    ScenarioRun(scenario("joins", JOINS), ctx).run()  # its camera starts: nothing of the unplugging is left
    assert (spares.reused, kept()) == (1, 1), "the third run got the first one's context, and handed it back"

    # A world of its own (no microphone: the media world's script answers) in the same context, then the
    # default world again: each run sees its own world, none the one before.
    ScenarioRun(scenario("no-mic", NO_MICROPHONE), ctx).run()
    assert (spares.reused, kept()) == (2, 1), "a one-of-a-kind world got the kept context, its scripts swapped"
    ScenarioRun(scenario("mic", MICROPHONE), ctx).run()
    assert (spares.reused, kept()) == (3, 1), "and the microphone is back for the next run"

    with pytest.raises(ScenarioFailure):
        ScenarioRun(scenario("fails", WRONG), ctx).run()
    assert (spares.reused, kept()) == (4, 0), "a failing run's context is closed, not kept"


@pytest.mark.browser
def test_a_kept_context_swaps_its_world_scripts_for_the_next_participants(
    spares: SpareContexts, new_context: Callable[[], BrowserContext], service: SessionService
) -> None:
    probe, a, b, c = (f"window.world = [...(window.world || []), '{name}'];" for name in ("probe", "a", "b", "c"))
    url = f"{service.base_url}/pages/blank.html"
    first, second = new_context(), new_context()
    first.add_init_script(probe)  # the layout's own script, there for good
    with_a = ((a, first.add_init_script(a)),)
    first_page = first.new_page()
    first_page.goto(url)
    assert first_page.evaluate("window.world") == ["probe", "a"]
    with_b = ((b, second.add_init_script(b)),)
    assert spares.keep("layout", second, second.new_page(), service.base_url, with_b)
    assert spares.keep("layout", first, first_page, service.base_url, with_a)

    taken = spares.take("layout", scripts=(b,))
    assert taken is not None and taken[0] is second and taken[2] is with_b, "the one that has them, left as is"
    taken = spares.take("layout", scripts=(c, b))
    assert taken is not None and taken[0] is first and [source for source, _ in taken[2]] == [c, b]
    first_page.goto(url)
    assert first_page.evaluate("window.world") == ["probe", "c", "b"], "a's script is gone; the new ones in order"
    assert spares.keep("layout", first, first_page, service.base_url, taken[2])
    taken = spares.take("layout", scripts=())
    assert taken is not None and taken[2] == ()
    first_page.goto(url)
    assert first_page.evaluate("window.world") == ["probe"]


def test_a_context_whose_scripts_cannot_be_swapped_is_closed_and_the_next_one_taken() -> None:
    class Context:
        def __init__(self, fails: bool) -> None:
            self.fails, self.closed, self.browser = fails, False, type("B", (), {"is_connected": lambda _: True})()

        def add_init_script(self, source: str) -> object:
            if self.fails:
                raise PlaywrightError("Target closed")
            return type("D", (), {"close": lambda _: None})()

        def close(self) -> None:
            self.closed = True

    class Page:
        def is_closed(self) -> bool:
            return False

        def evaluate(self, expression: str) -> bool:
            return True

    spares = SpareContexts(enabled=True)
    good, bad = Context(fails=False), Context(fails=True)
    spares.kept = [("layout", good, Page(), ()), ("layout", bad, Page(), ())]  # type: ignore[list-item]
    taken = spares.take("layout", scripts=("world",))
    assert taken is not None and taken[0] is good and bad.closed and spares.reused == 1


@pytest.mark.browser
def test_a_process_keeps_a_bounded_number_of_contexts(
    spares: SpareContexts, new_context: Callable[[], BrowserContext], service: SessionService
) -> None:
    contexts = []
    for layout in range(KEPT_IN_ALL + 1):
        contexts.append(context := new_context())
        assert spares.keep(layout, context, context.new_page(), service.base_url, ())
    assert len(spares.kept) == KEPT_IN_ALL
    assert contexts[0].pages == [] and spares.take(0, scripts=()) is None, "the least recently kept was closed"
    assert spares.take(KEPT_IN_ALL, scripts=()) is not None
    for _ in range(KEPT_PER_LAYOUT):
        context = new_context()
        spares.keep("one layout", context, context.new_page(), service.base_url, ())
    context = new_context()
    assert not spares.keep("one layout", context, context.new_page(), service.base_url, ()), "enough of one layout"


@pytest.mark.browser
@pytest.mark.skipif(not watchdog.supported, reason="the watchdog reads /proc (Linux only)")
def test_a_kept_context_whose_renderer_was_ended_is_not_handed_out(
    spares: SpareContexts, new_context: Callable[[], BrowserContext], service: SessionService
) -> None:
    """The watchdog of a hung page ends every page process of the harness's browsers, the kept ones too."""
    context = new_context()
    page = context.new_page()
    page.goto(f"{service.base_url}/pages/blank.html")
    assert spares.keep("layout", context, page, service.base_url, ())
    crashed: list[bool] = []
    page.on("crash", lambda _: crashed.append(True))
    assert watchdog.end_page_processes() >= 1  # what the watchdog does when a scenario's page hangs
    for _ in range(50):  # the crash reaches Playwright through its next calls
        if crashed:
            break
        with contextlib.suppress(PlaywrightError):
            page.evaluate("() => true")
        time.sleep(0.02)
    assert crashed and not page.is_closed(), "a crashed page is not a closed one"
    assert spares.take("layout", scripts=()) is None
    assert context.pages == [], "and its context is closed"
