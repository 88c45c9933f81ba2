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

# Whether the page knows every reference of a value: true, or the probe's {'harness-error', pending}. Elements
# and files stay in the page (they do not cross into Python).
KNOWN = (
    "([value, between]) => { if (!window.__harness) return between;"
    " const resolved = window.__harness.resolve(value);"
    " return resolved && typeof resolved === 'object' && 'harness-error' in resolved ? resolved : true; }"
)


def page_resolution(run: Run, participant: ParticipantPage, match: Any) -> Any:
    """The page's resolution of a value's references, or {'harness-error': ..., 'pending': bool}: pending when the
    page may still come to know it (a participant whose join is on its way, a document still loading)."""
    run.page(participant)
    return participant.evaluate(
        "([value, between]) => window.__harness ? window.__harness.resolve(value) : between",
        [match, BETWEEN_DOCUMENTS],
    )


def is_unresolved(resolved: Any) -> bool:
    return isinstance(resolved, dict) and "harness-error" in resolved


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
    run.page(participant)
    unknown: dict[str, Any] | None = None

    def known() -> bool | None:
        nonlocal unknown
        answer = participant.evaluate(KNOWN, [values, BETWEEN_DOCUMENTS])
        if answer is True:
            return True
        unknown = answer
        if not answer.get("pending"):
            raise HarnessError(f"{step.location}: {answer['harness-error']}")
        return None

    if run.poll(participant, known, max(0.0, end - time.monotonic())) is None and unknown is not None:
        raise HarnessError(f"{step.location}: {unknown['harness-error']}, still unknown after {format_duration(wait)}")
