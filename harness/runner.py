"""Running one scenario: open each participant's page in its own context, play the steps, check them.

Knows Playwright, not pytest. Every wait is bounded by the step's `within` and the scenario's timeout.
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from harness.artifacts import Artifacts
from harness.durations import format_duration
from harness.errors import HarnessError, ScenarioFailure, ScenarioSkip
from harness.expectations import near_misses, show_error, show_outcome, step_header, subset_match
from harness.faults import apply_fault, permissions, plan_world, prepare_context, system
from harness.faults.network import NetworkController
from harness.faults.plan import FaultEnv, shapes_traffic, unsupported
from harness.faults.scripts import browser_script
from harness.faults.shaper import NetworkShaper
from harness.participant import ParticipantPage
from harness.pool import BrowserPool
from harness.scenario.model import Participant, Scenario, Step
from harness.scenario.sdk_surface import EVENTS, TARGETS
from harness.service.server import SessionService
from harness.service.tokens import mint_token
from harness.watchdog import Watchdog, end_page_processes

T = TypeVar("T")
DEFAULT_CALL_WAIT = 15.0
DEFAULT_EVENT_WAIT = 5.0
PAGE_READY_WAIT = 15.0
HANG_GRACE = 5.0
POLL_MS = 20
ROLE_TYPE = {"host": 1, "manager": 1, "attendee": 0}
SDK_EVENTS = EVENTS  # the probe subscribes to every event the typings declare


@dataclass(frozen=True, slots=True)
class SdkProfile:
    """Where the app finds an SDK implementation and its dependent assets."""

    name: str
    assets_path: str

    @classmethod
    def named(cls, name: str) -> SdkProfile:
        return cls(name, "/double/lib" if name == "double" else "/sdk/real/lib")


@dataclass
class RunContext:
    pool: BrowserPool
    service: SessionService
    browser: str
    sdk: SdkProfile
    artifacts: Artifacts
    client_expression: str = "window.zmClient"
    shaper: NetworkShaper = field(default_factory=NetworkShaper)  # its thread starts on first use


class ScenarioRun:
    def __init__(self, scenario: Scenario, ctx: RunContext) -> None:
        self.scenario = scenario
        self.ctx = ctx
        self.deadline = 0.0
        self.participants: dict[str, ParticipantPage] = {}
        self.call_ids = itertools.count(1)
        self.call_steps: dict[int, int] = {}  # the harness's call ids and the step that made each
        self.reactions: list[tuple[ParticipantPage, Step, int]] = []  # armed on_event steps and their call ids
        self.credentials = ctx.service.new_credentials(scenario.given.account or "default")
        self.log_start = len(ctx.service.state.log)

    # -- lifecycle -------------------------------------------------------------------------------

    def run(self) -> None:
        self.deadline = time.monotonic() + self.scenario.timeout
        failed = True
        # Every wait below is bounded by the deadline; the watchdog bounds what cannot be (a page that hangs).
        self.watchdog = Watchdog(self.scenario.timeout + HANG_GRACE, end_page_processes)
        self.check_browser_can_produce()
        try:
            with self.watchdog:
                for spec in self.scenario.participants:
                    self.participants[spec.name] = self.start_participant(spec)
                for step in self.scenario.steps:
                    self.run_step(step)
                self.check_reactions()
                self.check_unexpected_errors()
            failed = False
        finally:
            self.finish(failed)

    def finish(self, failed: bool) -> None:
        for participant in self.participants.values():
            participant.drain()
        self.ctx.artifacts.write_run(self, failed)
        for participant in self.participants.values():
            self.ctx.artifacts.stop_trace(participant.context, participant.name, failed)
            participant.close()

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
        plan = plan_world(spec.given, shaped=self.shapes_traffic_of(spec.name), browser=self.ctx.browser)
        browser = self.ctx.pool.get(self.ctx.browser, plan.launch_args, plan.firefox_prefs or None)
        path = self.ctx.shaper.open_path() if plan.shaped else None
        options: dict[str, Any] = {"permissions": list(plan.permissions), "viewport": {"width": 1100, "height": 760}}
        if path is not None:
            options["proxy"] = path.proxy
        options.update(system.context_options(plan.system, self.ctx.browser, browser.version))
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        self.ctx.artifacts.start_trace(context)
        participant = ParticipantPage(
            spec.name,
            spec.role,
            context,
            NetworkController(context, path, {"media": self.ctx.service.media_port}),
            dict(spec.given.permissions),
            plan,
        )
        context.add_init_script(
            browser_script(
                "probe.js",
                {
                    "events": list(SDK_EVENTS),
                    "methods": {target: list(names) for target, names in TARGETS.items()},
                    "clientExpression": self.ctx.client_expression,
                    "clientSource": "probe",
                },
            )
        )
        prepare_context(participant, plan, self.ctx.sdk.assets_path)
        return participant

    def shapes_traffic_of(self, name: str) -> bool:
        """Whether any fault step acting as this participant needs its traffic on a harness network path."""
        return any(
            step.action == "fault" and step.participant == name and shapes_traffic(step.params)
            for step in self.scenario.steps
        )

    # -- steps -----------------------------------------------------------------------------------

    def run_step(self, step: Step) -> None:
        participant = self.participants[step.participant]
        if step.action != "open" and not participant.opened:
            self.open_page(participant, step)
        if self.ctx.browser == "firefox" and len(self.participants) > 1 and participant.page is not None:
            # Each participant is a person at their own computer, with their page in front. Firefox holds
            # getUserMedia of a background tab until it comes to the front (measured), so bring it there.
            participant.page.bring_to_front()
        handler: Callable[[ParticipantPage, Step], None] = getattr(self, f"step_{step.action}")
        try:
            handler(participant, step)
        except PlaywrightError as error:
            if self.watchdog.fired:
                raise self.failure(
                    step,
                    f"the page stopped responding: the step was still blocked {format_duration(HANG_GRACE)} after "
                    f"the scenario's {format_duration(self.scenario.timeout)} timeout, so the harness ended the page",
                ) from None
            raise self.failure(step, f"the browser failed: {first_line(error)}") from None
        participant.drain()

    def step_open(self, participant: ParticipantPage, step: Step) -> None:
        self.open_page(participant, step)

    def open_page(self, participant: ParticipantPage, step: Step) -> None:
        page = participant.new_page()
        if self.ctx.browser == "chromium":
            participant.emulate(system.cdp_commands(participant.plan.system))
            permissions.before_load(participant, self.ctx.service.base_url)
        url = f"{self.ctx.service.base_url}/app/index.html?sdk={self.ctx.sdk.name}"
        page.goto(url, timeout=self.remaining_ms(PAGE_READY_WAIT))
        page.wait_for_selector("body[data-ready]", state="attached", timeout=self.remaining_ms(PAGE_READY_WAIT))
        if page.get_attribute("body", "data-ready") == "error":
            shown = page.text_content("#error") or "no message"
            raise self.failure(step, f"the sample app could not load the SDK: {shown.strip()}")
        participant.opened = True
        if participant.plan.offline_after_load:
            participant.network.set_state("offline")

    def step_init(self, participant: ParticipantPage, step: Step) -> None:
        outcome = self.sdk_call(participant, step, "client.init", self.init_args(step.params))
        self.check_outcome(step, outcome)
        participant.initialised = participant.initialised or outcome.get("status") == "resolved"

    def init_args(self, params: dict[str, str]) -> list[Any]:
        assets = params.get("dependent_assets", "local")
        if assets == "local":
            assets = f"{self.ctx.service.base_url}{self.ctx.sdk.assets_path}"
        options: dict[str, Any] = {"patchJsMedia": True}
        if "web_endpoint" in params:
            options["webEndpoint"] = params["web_endpoint"]
        return [params.get("language", "en-US"), assets, options]

    def step_join(self, participant: ParticipantPage, step: Step) -> None:
        if not participant.initialised:
            outcome = self.sdk_call(participant, step, "client.init", self.init_args({}))
            if outcome.get("status") != "resolved":
                raise self.failure(step, f"init (implied by join) did not resolve: {show_outcome(outcome)}")
            participant.initialised = True
        params = step.params
        topic = params.get("topic", self.scenario.name)
        role = params.get("role", participant.role)
        key, secret = self.signing_credentials()
        token = mint_token(key, secret, topic, ROLE_TYPE[role], params.get("token"))
        args = [topic, token, params.get("name", participant.name)]
        participant.display_name = args[2]
        if "password" in params:
            args.append(params["password"])
        self.check_outcome(step, self.sdk_call(participant, step, "client.join", args))

    def signing_credentials(self) -> tuple[str, str]:
        """The real SDK talks to Zoom: its tokens are signed with the user's Video SDK key when one is set."""
        zoom = zoom_credentials() if self.ctx.sdk.name == "real" else None
        return zoom or (self.credentials.key, self.credentials.secret)

    def step_call(self, participant: ParticipantPage, step: Step) -> None:
        self.check_outcome(step, self.sdk_call(participant, step, step.params, list(step.args)))

    def step_together(self, participant: ParticipantPage, step: Step) -> None:
        """Start every call of the group in one task of the page, then check each one's outcome."""
        calls = [(sub.params, list(sub.args)) if sub.action == "call" else leave_call(sub) for sub in step.params]
        ids = self.start_calls(participant, step, calls)
        wait = step.within or DEFAULT_CALL_WAIT
        end = time.monotonic() + wait
        for sub, call_id, (path, _) in zip(step.params, ids, calls, strict=True):
            self.check_outcome(sub, self.call_outcome(participant, sub, path, call_id, wait, end))

    def step_leave(self, participant: ParticipantPage, step: Step) -> None:
        path, args = leave_call(step)
        self.check_outcome(step, self.sdk_call(participant, step, path, args))

    def step_fault(self, participant: ParticipantPage, step: Step) -> None:
        env = FaultEnv(
            origin=self.ctx.service.base_url,
            assets_path=self.ctx.sdk.assets_path,
            control=self.ctx.service,
            app_key=self.credentials.key,
            display_names={p.name: p.display_name for p in self.participants.values()},
        )
        try:
            applied = apply_fault(participant, step.params, env)
        except HarnessError as error:
            raise HarnessError(f"{step.location}: {error}") from None
        participant.records.append(
            {
                "kind": "fault",
                "t": time.time() * 1000,
                "step": step.index,
                "families": applied,
                "participant": participant.name,
            }
        )

    def step_wait_for_event(self, participant: ParticipantPage, step: Step) -> None:
        name = step.params["name"]
        wait = step.within or DEFAULT_EVENT_WAIT
        match = self.resolved_match(participant, step, step.params["match"])

        def found() -> int | None:
            participant.drain()
            events = participant.events()
            for index in range(participant.event_cursor, len(events)):
                if events[index]["name"] == name and (match is None or subset_match(match, events[index]["payload"])):
                    return index
            return None

        index = self.poll(participant, found, wait)
        if index is None:
            seen = [e["payload"] for e in participant.events() if e["name"] == name]
            raise self.failure(
                step,
                f"expected event {name}{'' if match is None else f' matching {match}'} within {format_duration(wait)}",
                f"observed {name} events: {seen or 'none'}",
            )
        participant.event_cursor = index + 1

    def resolved_match(self, participant: ParticipantPage, step: Step, match: Any) -> Any:
        """An event match as the page sees it now: {userId: {$userId: gina}} is what only the page knows."""
        if not has_reference(match):
            return match
        resolved = self.page(participant).evaluate("value => window.__harness.resolve(value)", match)
        if isinstance(resolved, dict) and "harness-error" in resolved:
            raise HarnessError(f"{step.location}: {resolved['harness-error']}")
        return resolved

    def step_on_event(self, participant: ParticipantPage, step: Step) -> None:
        """Arm a listener in the page that makes the call from inside the event's handler, as an app's would."""
        call: Step = step.params["then"]
        call_id = next(self.call_ids)
        self.call_steps[call_id] = step.index
        match = self.resolved_match(participant, step, step.params["match"])
        armed = self.page(participant).evaluate(
            "([id, name, match, path, args]) => window.__harness.react(id, name, match, path, args)",
            [call_id, step.params["name"], match, call.params, list(call.args)],
        )
        if armed is not True:
            raise HarnessError(f"{step.location}: the page could not listen for {step.params['name']}: {armed}")
        self.reactions.append((participant, step, call_id))

    def check_reactions(self) -> None:
        """Each armed on_event's call, once every step has run: it must have been made, and settle as expected."""
        for participant, step, call_id in self.reactions:
            call: Step = step.params["then"]
            name, match = step.params["name"], step.params["match"]
            wait = step.within or DEFAULT_EVENT_WAIT
            page = self.page(participant)
            outcome = self.poll(participant, functools.partial(call_result, page, call_id), wait)
            if outcome is None:
                heard = page.evaluate("id => window.__harness.heard(id)", call_id)
                if not heard:
                    seen = [e["payload"] for e in participant.events() if e["name"] == name]
                    raise self.failure(
                        step,
                        f"expected the page to hear {name}{'' if match is None else f' matching {match}'} "
                        f"and call {call.params} from its handler",
                        f"observed {name} events: {seen or 'none'}",
                    )
                raise self.failure(step, f"{call.params} neither resolved nor rejected within {format_duration(wait)}")
            if outcome["status"] == "harness-error":
                raise HarnessError(f"{step.location}: {outcome['message']}")
            self.check_outcome(call, outcome)

    def step_advance_clock(self, participant: ParticipantPage, step: Step) -> None:
        if not participant.plan.virtual_clock:
            raise HarnessError(f"{step.location}: advance_clock needs `given: {{clock: virtual}}`")
        participant.context.clock.run_for(int(step.params * 1000))

    def step_sleep(self, participant: ParticipantPage, step: Step) -> None:
        self.page(participant).wait_for_timeout(min(step.params, self.remaining()) * 1000)

    def step_click(self, participant: ParticipantPage, step: Step) -> None:
        self.page(participant).click(step.params, timeout=self.remaining_ms(5.0))

    def step_fill(self, participant: ParticipantPage, step: Step) -> None:
        self.page(participant).fill(step.params["selector"], step.params["value"], timeout=self.remaining_ms(5.0))

    def step_expect_text(self, participant: ParticipantPage, step: Step) -> None:
        selector, wanted = step.params["selector"], step.params["contains"]
        page = self.page(participant)
        wait = step.within or DEFAULT_EVENT_WAIT

        def shown() -> bool | None:
            text = page.text_content(selector, timeout=1000) if page.query_selector(selector) else None
            return True if text is not None and wanted in text else None

        if not self.poll(participant, shown, wait):
            current = page.text_content(selector) if page.query_selector(selector) else "(no such element)"
            raise self.failure(step, f"expected {selector} to contain {wanted!r}", f"it shows: {current!r}")

    # -- SDK calls and their checks ---------------------------------------------------------------

    def sdk_call(self, participant: ParticipantPage, step: Step, path: str, args: list[Any]) -> dict[str, Any]:
        [call_id] = self.start_calls(participant, step, [(path, args)])
        wait = step.within or DEFAULT_CALL_WAIT
        return self.call_outcome(participant, step, path, call_id, wait, time.monotonic() + wait)

    def start_calls(self, participant: ParticipantPage, step: Step, calls: list[tuple[str, list[Any]]]) -> list[int]:
        """Start SDK calls, in order, in one task of the page; their ids for call_outcome."""
        ids = [next(self.call_ids) for _ in calls]
        for call_id in ids:
            self.call_steps[call_id] = step.index
        self.page(participant).evaluate(
            "calls => calls.forEach(([id, path, args]) => window.__harness.start(id, path, args))",
            [[call_id, path, args] for call_id, (path, args) in zip(ids, calls, strict=True)],
        )
        return ids

    def call_outcome(
        self, participant: ParticipantPage, step: Step, path: str, call_id: int, wait: float, end: float
    ) -> dict[str, Any]:
        """A started call's settlement, waited for until `end` (monotonic); `wait` is the bound it names."""
        page = self.page(participant)
        left = max(0.0, end - time.monotonic())
        outcome = self.poll(participant, functools.partial(call_result, page, call_id), left)
        if outcome is None:
            raise self.failure(step, f"{path} neither resolved nor rejected within {format_duration(wait)}")
        if outcome["status"] == "harness-error":
            raise HarnessError(f"{step.location}: {outcome['message']}")
        return dict(outcome)

    def check_outcome(self, step: Step, outcome: dict[str, Any]) -> None:
        status = outcome["status"]
        pattern = step.expect_error
        if pattern is None:
            if status != "resolved":
                raise self.failure(step, "expected the call to resolve", f"observed: it {show_outcome(outcome)}")
            return
        if status == "resolved":
            raise self.failure(
                step,
                f"expected a rejection with {pattern.describe()}",
                f"observed: it {show_outcome(outcome)}",
                *self.near_miss_lines(pattern),
            )
        if not pattern.matches(outcome.get("error") or {}):
            raise self.failure(
                step,
                f"expected a rejection with {pattern.describe()}",
                f"observed: it {show_outcome(outcome)}",
                *self.near_miss_lines(pattern),
            )

    def near_miss_lines(self, pattern: Any) -> list[str]:
        errors = [record for p in self.participants.values() for record in p.sdk_errors()]
        lines = near_misses(pattern, errors)
        return [f"near miss: {line}" for line in lines]

    def check_unexpected_errors(self) -> None:
        """Strict policy: an SDK error no step expected and no allow_errors entry covers fails the run."""
        problems = []
        for participant in self.participants.values():
            participant.drain()
            for record in participant.sdk_errors():
                if record["step"]:
                    continue  # a step's own call: that step already checked it
                error = record.get("error") or {}
                if any(allowed.matches(error) for allowed in self.scenario.allow_errors):
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

    # -- helpers ---------------------------------------------------------------------------------

    def failure(self, step: Step, expected: str, *observed: str) -> ScenarioFailure:
        lines = [step_header(step, self.scenario.name), f"  {expected}", *(f"  {line}" for line in observed)]
        return ScenarioFailure("\n".join(lines))

    def page(self, participant: ParticipantPage) -> Any:
        assert participant.page is not None, "pages are opened before their first step"
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

        Sleeps through Playwright, not time.sleep, so routed WebSocket traffic keeps flowing meanwhile.
        """
        end = time.monotonic() + min(wait, self.remaining())
        while True:
            value = probe()
            if value is not None:
                return value
            if time.monotonic() >= end:
                return None
            self.page(participant).wait_for_timeout(POLL_MS)


def has_reference(value: Any) -> bool:
    """Whether a scenario value holds a page reference such as {$userId: NAME}."""
    if isinstance(value, dict):
        return any(str(key).startswith("$") or has_reference(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_reference(item) for item in value)
    return False


def call_result(page: Page, call_id: int) -> dict[str, Any] | None:
    """A started call's outcome, or None while it is pending."""
    result: dict[str, Any] | None = page.evaluate("id => window.__harness.result(id)", call_id)
    return result


def leave_call(step: Step) -> tuple[str, list[Any]]:
    """The SDK call a `leave` step makes: client.leave(), or client.leave(true) to end the session."""
    return "client.leave", [True] if step.params.get("end") else []


ZOOM_KEY_VARIABLES = ("ZOOM_VIDEO_SDK_KEY", "ZOOM_VIDEO_SDK_SECRET")


def zoom_credentials() -> tuple[str, str] | None:
    """The user's real Video SDK key and secret, from the environment, when both are set."""
    key, secret = (os.environ.get(name, "") for name in ZOOM_KEY_VARIABLES)
    return (key, secret) if key and secret else None


def needs_zoom(scenario: Scenario) -> bool:
    """A scenario that expects to be in a session needs Zoom's servers when it runs on the real SDK."""
    return any(step.action == "join" and step.expect_error is None for step in scenario.steps)


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
