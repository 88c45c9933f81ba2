"""Running one scenario: open each participant's page in its own context, play the steps, check them.

The run keeps the lifecycle, the participants and the bounded waiting; each step's work is its handler's
(`harness.steps.HANDLERS`). Knows Playwright, not pytest. Every wait is bounded by the step's `within` and
the scenario's timeout.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from harness.artifacts import RunOutput
from harness.durations import format_duration
from harness.errors import ScenarioFailure, ScenarioSkip
from harness.expectations import show_error, step_header
from harness.faults import plan_world, prepare_context, system
from harness.faults.context_plan import ContextPlan
from harness.faults.devices import relayed_kinds
from harness.faults.network import NetworkController
from harness.faults.plan import families_of, routes_sockets, shapes_traffic, unsupported
from harness.faults.scripts import browser_script
from harness.light_browser import GUARD_FLAG, guard_script, needs_full_chromium
from harness.participant import ParticipantPage
from harness.run_context import RunContext, SdkProfile, needs_zoom, zoom_credentials
from harness.scenario.model import Participant, Scenario, Step, World
from harness.scenario.sdk_surface import EVENTS, TARGETS
from harness.steps import APP_HANDLERS, HANDLERS, events
from harness.steps.app import app_calls
from harness.steps.page import open_page
from harness.watchdog import Watchdog, end_page_processes

__all__ = ["SDK_EVENTS", "RunContext", "ScenarioRun", "SdkProfile", "needs_zoom", "zoom_credentials"]

T = TypeVar("T")
HANG_GRACE = 5.0
POLL_MS = 20  # the wait between two probes while no document is there to wait on
CHANGE_WAIT_MS = 250  # the longest wait for a change before a probe asks again anyway
MAX_APP_CALLS = 12  # the app's latest calls shown in a failure
SDK_EVENTS = EVENTS  # the probe subscribes to every event the typings declare
# Faults that change nothing of a context but its page: the media world lives in the page, the back end in the service.
PAGE_ONLY_FAULTS = frozenset({"devices", "session"})


class _CaptureOnShell(Exception):
    """A page on the headless shell asked to capture: the run starts again on the full Chromium."""


class ScenarioRun:
    """One run of a scenario; what its steps may use of it is `steps.Run`."""

    def __init__(self, scenario: Scenario, ctx: RunContext) -> None:
        self.scenario = scenario
        self.ctx = ctx
        self.deadline = 0.0
        self.handlers = HANDLERS if ctx.app is None else APP_HANDLERS
        # Chromium's headless shell for a run with every permission granted (light_browser.py).
        self.light = (
            ctx.browser == "chromium" and not needs_full_chromium(scenario) and ctx.pool.headless_shell() is not None
        )
        self.capture_asked: str | None = None  # what a page on the shell asked for, making the run start again
        self.start_afresh()

    def start_afresh(self) -> None:
        """What each attempt has of its own: the participants, the call ids, the reactions, an SDK key (so the
        back end holds its sessions apart) and where its part of the service log starts."""
        self.participants: dict[str, ParticipantPage] = {}
        self.call_ids: Iterator[int] = itertools.count(1)
        self.call_steps: dict[int, int] = {}  # the harness's call ids and the step that made each
        self.reactions: list[tuple[ParticipantPage, Step, int]] = []  # armed on_event steps and their call ids
        self.credentials = self.ctx.service.new_credentials(self.scenario.given.account or "default")
        self.log_start = len(self.ctx.service.state.log)

    # -- lifecycle -------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self.run_once()
        except _CaptureOnShell:
            # Whatever the shell's run gave is thrown away: this result comes from a browser that can capture.
            self.light = False
            self.start_afresh()
            self.run_once()

    def run_once(self) -> None:
        self.deadline = time.monotonic() + self.scenario.timeout
        failed = True
        asked: str | None = None
        # Every wait below is bounded by the deadline; the watchdog bounds what cannot be (a page that hangs).
        self.watchdog = Watchdog(self.scenario.timeout + HANG_GRACE, end_page_processes)
        self.check_browser_can_produce()
        try:
            with self.watchdog:
                try:
                    for spec in self.scenario.participants:
                        self.participants[spec.name] = self.start_participant(spec)
                    for step in self.scenario.steps:
                        self.run_step(step)
                    events.check_reactions(self)
                    self.check_unexpected_errors()
                finally:
                    asked = self.asked_to_capture() if self.light else None  # under the watchdog: a page may hang
            failed = False
        except Exception:
            if not asked:
                raise  # an interrupt (not an Exception) is never turned into a second run
        finally:
            self.finish(failed)
        if asked:
            self.capture_asked = asked
            raise _CaptureOnShell(asked)

    def finish(self, failed: bool) -> None:
        for participant in self.participants.values():
            # A passing run's last round trips (the check for unexpected errors, the capture guard's) brought
            # the records along; a failing one may have stopped anywhere, and its timeline is what is read.
            if failed:
                participant.drain()
            else:
                participant.refresh()
        service_log = self.ctx.service.log_since(self.log_start)
        self.ctx.artifacts.write_run(RunOutput(list(self.participants.values()), service_log, failed))
        for participant in self.participants.values():
            may_keep = participant.layout is not None and not failed
            traced = self.ctx.artifacts.stop_trace(participant.context, participant.name, failed, going_on=may_keep)
            page = participant.hand_back() if may_keep and traced else None
            if page is None or not self.ctx.pool.spares.keep(
                participant.layout, participant.context, page, self.ctx.page_origin, participant.scripts
            ):
                participant.close()

    def asked_to_capture(self) -> str | None:
        """The capture API a page on the headless shell called (the guard's note), if any."""
        for participant in self.participants.values():
            if participant.page is None:
                continue
            try:
                asked = participant.evaluate_draining(f"() => window.{GUARD_FLAG} || null")
            except PlaywrightError:
                asked = None  # a page that crashed or closed: its console still says
            asked = asked or next((line for line in participant.console if GUARD_FLAG in line), None)
            if asked:
                return str(asked)
        return None

    def observed_codes(self) -> list[int]:
        """Every SDK error code seen in this run, any participant, in order."""
        found = []
        for participant in self.participants.values():
            for record in participant.sdk_errors():
                error = record.get("error")
                if isinstance(error, dict) and isinstance(error.get("errorCode"), int):
                    found.append(int(error["errorCode"]))
        return found

    def check_browser_can_produce(self) -> None:
        """Skip (never pass silently) when the running browser cannot produce a world or fault used here."""
        worlds = [(p.given, False, f"given of {p.name}") for p in self.scenario.participants]
        worlds += [(s.params, True, f"step {s.index}") for s in self.scenario.steps if s.action == "fault"]
        for world, mid_session, where in worlds:
            reason = unsupported(self.ctx.browser, world, mid_session=mid_session)
            if reason:
                raise ScenarioSkip(f"{self.ctx.browser} cannot produce the {where}: {reason}")

    def start_participant(self, spec: Participant) -> ParticipantPage:
        plan = plan_world(
            spec.given,
            shaped=self.shapes_traffic_of(spec.name),
            browser=self.ctx.browser,
            relayed=relayed_kinds(spec.given, self.faults_of(spec.name)),
        )
        browser = self.ctx.pool.get(self.ctx.browser, plan.launch_args, plan.firefox_prefs or None, light=self.light)
        path = self.ctx.shaper.open_path() if plan.shaped else None
        options: dict[str, Any] = {"permissions": list(plan.permissions), "viewport": {"width": 1100, "height": 760}}
        if path is not None:
            options["proxy"] = path.proxy
        options.update(system.context_options(plan.system, self.ctx.browser, browser.version))
        probe = browser_script(
            "probe.js",
            {
                "events": list(SDK_EVENTS),
                "methods": {target: list(names) for target, names in TARGETS.items()},
                "clientExpression": self.ctx.client_expression,
                "clientSource": "probe" if self.ctx.app is None else "app",
            },
        )
        guard = guard_script(spec.given) if self.light else None
        layout = self.reuse_layout(spec, plan, (browser, repr(options), probe))
        # The world's own scripts, the guard after the media world's so that it sees the page's calls first.
        scripts = (*plan.init_scripts, *((guard,) if guard else ()))
        spare = self.ctx.pool.spares.take(layout, scripts=scripts) if layout is not None else None
        context = spare[0] if spare else browser.new_context(**options)
        try:
            participant = ParticipantPage(
                spec.name,
                spec.role,
                context,
                NetworkController(
                    context,
                    path,
                    {"media": self.ctx.service.media_port},
                    route_sockets=not plan.gesture_free and routes_sockets(spec.given, self.faults_of(spec.name)),
                    check_url=self.ctx.service.sessions_url,
                ),
                dict(spec.given.permissions),
                plan,
                spare_page=spare[1] if spare else None,
                layout=layout,
                scripts=spare[2] if spare else (),
            )
            context.set_default_timeout(10_000)
            self.ctx.artifacts.start_trace(context, snapshots=not plan.gesture_free, going=spare is not None)
            if not spare:  # a kept context has the probe and this world's scripts in place (spares.take)
                context.add_init_script(probe)
                world = prepare_context(participant, plan, self.ctx.sdk.assets_path)
                participant.scripts = (*world, *(((guard, context.add_init_script(guard)),) if guard else ()))
        except BaseException:
            with contextlib.suppress(PlaywrightError):
                context.close()  # not the run's to close yet: it is in no participant of the run
            if path is not None:
                path.close()
            raise
        return participant

    def reuse_layout(self, spec: Participant, plan: ContextPlan, context: tuple[Any, ...]) -> Hashable | None:
        """What a participant's context is made of, when a kept one may serve it (harness/spares.py): a run on the
        headless shell of the sample app whose world and faults change nothing of the context but its page (no
        route, network path, clock, system or DevTools setting, no fault other than its devices' and the back
        end's). None when it needs a fresh context. Its world's init scripts are not part of it: a kept context's
        are swapped for the participant's (spares.take)."""
        if self.ctx.app is not None or not self.light or not self.ctx.pool.spares.enabled:
            return None
        faults = self.faults_of(spec.name)
        if any(set(families_of(world)) - PAGE_ONLY_FAULTS for world in faults) or routes_sockets(spec.given, faults):
            return None
        if not plan.page_only:
            return None
        return (*context, plan.permissions)  # the browser in `context` stands for its launch flags (pool.py)

    def faults_of(self, name: str) -> list[World]:
        """The worlds of the fault steps acting as this participant."""
        return [step.params for step in self.scenario.steps if step.action == "fault" and step.participant == name]

    def shapes_traffic_of(self, name: str) -> bool:
        """Whether any fault step acting as this participant needs its traffic on a harness network path."""
        return any(
            step.action == "fault" and step.participant == name and shapes_traffic(step.params)
            for step in self.scenario.steps
        )

    def run_step(self, step: Step) -> None:
        participant = self.participants[step.participant]
        if step.action != "open" and not participant.opened and self.ctx.app is None:
            open_page(self, participant, step)  # in app mode a join (or init) opens the app's page
        if self.ctx.browser == "firefox" and len(self.participants) > 1 and participant.page is not None:
            # Each participant is a person at their own computer, with their page in front. Firefox holds
            # getUserMedia of a background tab until it comes to the front (measured), so bring it there.
            participant.page.bring_to_front()
        participant.drained = False
        try:
            self.handlers[step.action](self, participant, step)
        except PlaywrightError as error:
            if self.watchdog.fired:
                raise self.failure(
                    step,
                    f"the page stopped responding: the step was still blocked {format_duration(HANG_GRACE)} after "
                    f"the scenario's {format_duration(self.scenario.timeout)} timeout, so the harness ended the page",
                ) from None
            raise self.failure(step, f"the browser failed: {first_line(error)}") from None
        participant.refresh()  # most steps' last round trip brought the records along

    def check_unexpected_errors(self) -> None:
        """Strict policy: an SDK error no step expected and no allow_errors entry covers fails the run. In app
        mode a rejection of the app's own call is expected when its code is one the scenario reproduces
        (`codes`: the scenario made that condition on purpose) or one --app-allow-errors names."""
        problems = []
        expected = (set(self.scenario.codes) | set(self.ctx.app.allowed_codes)) if self.ctx.app else set()
        for participant in self.participants.values():
            participant.drain()
            for record in participant.sdk_errors():
                if record["step"] or record.get("checked_by"):
                    continue  # a step's own call, or the app's call a step checked: that step already did
                error = record.get("error") or {}
                if any(allowed.matches(error) for allowed in self.scenario.allow_errors):
                    continue
                if error.get("errorCode") in expected:
                    continue
                problems.append(
                    f"[{participant.name}] {record['target']}.{record['method']} (called by the app) "
                    f"{record['status']} with {show_error(error)}"
                )
            problems.extend(f"[{participant.name}] uncaught page error: {text}" for text in participant.page_errors)
        if problems:
            raise ScenarioFailure(
                f"scenario {self.scenario.name!r} ({self.scenario.path}): SDK errors that no step expected and "
                "no allow_errors entry covers:\n  " + "\n  ".join(problems)
            )

    # -- what steps use: failures, the page, bounded waiting ---------------------------------------

    def failure(self, step: Step, expected: str, *observed: str) -> ScenarioFailure:
        lines = [step_header(step, self.scenario.name), f"  {expected}", *(f"  {line}" for line in observed)]
        participant = self.participants.get(step.participant)
        if self.ctx.app is not None and participant is not None:
            participant.drain()
            calls = app_calls(participant)
            lines.append(f"  the app's own calls ({step.participant}):" + ("" if calls else " none"))
            lines.extend(f"    {line}" for line in calls[-MAX_APP_CALLS:])
        return ScenarioFailure("\n".join(lines))

    def page(self, participant: ParticipantPage) -> Page:
        assert participant.page is not None, "pages are opened before their first step"
        participant.drained = False  # a round trip through the page itself brings no records along
        return participant.page

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ScenarioFailure(
                f"scenario {self.scenario.name!r} ran out of its {format_duration(self.scenario.timeout)} timeout"
            )
        return left

    def remaining_ms(self, cap: float) -> float:
        return min(cap, self.remaining()) * 1000

    def poll(self, participant: ParticipantPage, probe: Callable[[], T | None], wait: float) -> T | None:
        """Call `probe` until it returns a value or `wait` (and the scenario's timeout) runs out.

        Between two calls it waits in the page for the probe's change count to move (a record, a settled call,
        a change of the document), at most CHANGE_WAIT_MS; through Playwright, not time.sleep, so routed
        WebSocket traffic keeps flowing meanwhile.
        """
        end = time.monotonic() + min(wait, self.remaining())
        self.page(participant)  # opened before its first step
        mark = page_changes(participant)  # read before each probe, so no change can slip between a probe and its wait
        while True:
            value = probe()
            if value is not None:
                return value
            left_ms = (end - time.monotonic()) * 1000
            if left_ms <= 0:
                return None
            mark = wait_for_change(participant, mark, min(left_ms, CHANGE_WAIT_MS))


def page_changes(participant: ParticipantPage) -> int | None:
    """The probe's change count, or None between two documents (or before the probe is in)."""
    count = participant.evaluate_in_document(
        "() => window.__harness ? window.__harness.changes() : null", draining=True
    )
    return count if isinstance(count, int) else None


def wait_for_change(participant: ParticipantPage, mark: int | None, ms: float) -> int | None:
    """Until the page's change count is no longer `mark`, or `ms` (real time) ran out; the count then."""
    if mark is None:
        if participant.page is not None:
            participant.page.wait_for_timeout(min(ms, POLL_MS))
        return page_changes(participant)
    count = participant.evaluate_in_document(  # None when the document went away: the probe asks the next one
        "([mark, ms]) => window.__harness ? window.__harness.changedSince(mark, ms) : null",
        [mark, round(ms)],
        draining=True,
    )
    return count if isinstance(count, int) else None


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
