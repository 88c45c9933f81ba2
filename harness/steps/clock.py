"""Steps about time: advance the page's virtual clock, or let real time pass."""

from __future__ import annotations

from harness.errors import HarnessError
from harness.participant import ParticipantPage
from harness.scenario.model import Step
from harness.steps.run import Run


def advance_clock(run: Run, participant: ParticipantPage, step: Step) -> None:
    """An `advance_clock` step, alone or in a `together` (while its calls are pending)."""
    if not participant.plan.virtual_clock:
        raise HarnessError(f"{step.location}: advance_clock needs `given: {{clock: virtual}}`")
    participant.context.clock.run_for(int(step.params * 1000))


def sleep(run: Run, participant: ParticipantPage, step: Step) -> None:
    run.page(participant).wait_for_timeout(min(step.params, run.remaining()) * 1000)
