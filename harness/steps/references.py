"""Scenario values that name what only the page knows ({$userId: gina}, {$element: ...}, {$call: ...}): the
page resolves them. A participant's id is the one reference the page may not know yet when a step begins: her
join is still reaching it. Steps that use one wait, within their own bound, until the page has heard of her."""

from __future__ import annotations

import time
from typing import Any

from harness.durations import format_duration
from harness.errors import HarnessError
from harness.participant import ParticipantPage
from harness.scenario.model import Step
from harness.steps.run import Run

BETWEEN_DOCUMENTS = {"harness-error": "the page is between two documents", "pending": True}

# The page's resolution of a value's references, or the probe's {'harness-error', pending}: pending when the page
# may still come to know it (a participant whose join is on its way, a document still loading).
RESOLVED = "([value, between]) => window.__harness ? window.__harness.resolve(value) : between"
# Only whether the page knows every reference of a value: true, or the same error. Elements and files stay in the
# page (they do not cross into Python).
KNOWN = (
    "([value, between]) => { if (!window.__harness) return between;"
    " const resolved = window.__harness.resolve(value);"
    " return resolved && typeof resolved === 'object' && 'harness-error' in resolved ? resolved : true; }"
)


class References:
    """A step's value with references, as the page comes to know them: asked again by the step's own poll."""

    def __init__(
        self, run: Run, participant: ParticipantPage, step: Step, value: Any, expression: str = RESOLVED
    ) -> None:
        self.run, self.participant, self.step, self.value, self.expression = run, participant, step, value, expression
        self.unknown = ""  # the page's last word on a reference it does not know yet

    def now(self) -> Any | None:
        """The page's answer now, or None while a reference is still unknown to it; one the page can never resolve
        (no such element or getter) is one line at once."""
        self.run.page(self.participant)
        answer = self.participant.evaluate(self.expression, [self.value, BETWEEN_DOCUMENTS])
        if not (isinstance(answer, dict) and "harness-error" in answer):
            return answer
        self.unknown = answer["harness-error"]
        if not answer.get("pending"):
            raise self.error()
        return None

    def error(self, wait: float | None = None) -> HarnessError:
        """The line for a reference the page did not know (`wait`: still, after the step's whole wait)."""
        after = "" if wait is None else f", still unknown after {format_duration(wait)}"
        return HarnessError(f"{self.step.location}: {self.unknown}{after}")


def has_reference(value: Any, key: str | None = None) -> bool:
    """Whether a scenario value holds a page reference such as {$userId: NAME} (with `key`, that kind only)."""
    if isinstance(value, dict):
        return any(
            (str(name) == key if key else str(name).startswith("$")) or has_reference(item, key)
            for name, item in value.items()
        )
    if isinstance(value, list):
        return any(has_reference(item, key) for item in value)
    return False


def await_participants(
    run: Run, participant: ParticipantPage, step: Step, values: Any, wait: float, end: float
) -> None:
    """Before a call whose arguments name a participant ({$userId: gina}): wait until the page has heard of her,
    until `end` (monotonic: `wait` from the step's start). A reference that can never resolve, or one still unknown
    at `end`, is one line."""
    if not has_reference(values, "$userId"):
        return
    references = References(run, participant, step, values, KNOWN)
    if run.poll(participant, references.now, max(0.0, end - time.monotonic())) is None:
        raise references.error(wait)
