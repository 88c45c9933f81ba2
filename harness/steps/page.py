"""Steps on the sample app's page: open it (done before a participant's first other step too), click, fill,
and wait for a text."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from harness.faults import permissions, system
from harness.participant import ParticipantPage
from harness.paths import ISOLATED_QUERY
from harness.scenario.model import Step
from harness.steps.run import DEFAULT_EVENT_WAIT, PAGE_READY_WAIT, Run


def open_page(run: Run, participant: ParticipantPage, step: Step) -> None:
    page = participant.new_page()
    if run.ctx.browser == "chromium":
        participant.emulate(system.cdp_commands(participant.plan.system))
        permissions.before_load(participant, run.ctx.service.base_url)
    url = f"{run.ctx.service.base_url}/app/index.html?sdk={run.ctx.sdk.name}"
    if participant.plan.isolated:
        url += f"&{ISOLATED_QUERY}"
    page.goto(url, timeout=run.remaining_ms(PAGE_READY_WAIT))
    if ready_state(run, participant) == "error":
        shown = page.text_content("#error") or "no message"
        raise run.failure(step, f"the sample app could not load the SDK: {shown.strip()}")
    participant.opened = True
    if participant.plan.offline_after_load:
        participant.network.set_state("offline")


def ready_state(run: Run, participant: ParticipantPage) -> str | None:
    """The app's `data-ready` once it is set, asked through the probe's own wait for a change of the document
    (gesture-free when nobody may have interacted with the page). Not Playwright's selector wait: its first use
    in a document compiles Playwright's injected script there, a third of what loading the app again in a kept context
    cost the renderer (measured: 42 ms of a renderer's CPU a document on the headless shell)."""
    state = _data_ready(participant)  # set by the page's load as a rule: then one round trip
    if state is None:
        state = run.poll(participant, lambda: _data_ready(participant), PAGE_READY_WAIT)
    if state is None:
        raise PlaywrightError(f"the app's page did not set body[data-ready] within {PAGE_READY_WAIT:g}s")
    return state


def _data_ready(participant: ParticipantPage) -> str | None:
    state = participant.evaluate_in_document("() => document.body && document.body.dataset.ready")
    return str(state) if state else None


def click(run: Run, participant: ParticipantPage, step: Step) -> None:
    run.page(participant).click(step.params, timeout=run.remaining_ms(5.0))


def fill(run: Run, participant: ParticipantPage, step: Step) -> None:
    run.page(participant).fill(step.params["selector"], step.params["value"], timeout=run.remaining_ms(5.0))


def expect_text(run: Run, participant: ParticipantPage, step: Step) -> None:
    selector, wanted = step.params["selector"], step.params["contains"]
    page = run.page(participant)
    wait = step.within or DEFAULT_EVENT_WAIT

    def shown() -> bool | None:
        text = page.text_content(selector, timeout=1000) if page.query_selector(selector) else None
        return True if text is not None and wanted in text else None

    if not run.poll(participant, shown, wait):
        current = page.text_content(selector) if page.query_selector(selector) else "(no such element)"
        raise run.failure(step, f"expected {selector} to contain {wanted!r}", f"it shows: {current!r}")
