"""The steps of a scenario, one module per family, and the table from each action to its handler.

A handler is `handler(run, participant, step)`: it acts as the participant and raises a ScenarioFailure
when the SDK does not do what the step expects. The table's keys are exactly the language's actions (tested).
`APP_HANDLERS` is the table in app mode: the user's app inits and joins by itself (`app`).
"""

from __future__ import annotations

from harness.steps import app, clock, events, fault, page, sdk
from harness.steps.run import Handler, Run

HANDLERS: dict[str, Handler] = {
    "open": page.open_page,
    "init": sdk.init,
    "join": sdk.join,
    "call": sdk.call,
    "click": page.click,
    "fill": page.fill,
    "fault": fault.fault,
    "wait_for_event": events.wait_for_event,
    "advance_clock": clock.advance_clock,
    "sleep": clock.sleep,
    "expect_text": page.expect_text,
    "leave": sdk.leave,
    "together": sdk.together,
    "on_event": events.on_event,
    "wait_for_page_error": events.wait_for_page_error,
}

APP_HANDLERS: dict[str, Handler] = {**HANDLERS, "init": app.init, "join": app.join}

__all__ = ["APP_HANDLERS", "HANDLERS", "Handler", "Run"]
