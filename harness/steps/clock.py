"""Steps about time: advance the page's virtual clock, or let real time pass."""

from __future__ import annotations

from harness.participant import ParticipantPage
from harness.scenario.model import Step
from harness.steps.calls import advance_virtual_clock
from harness.steps.run import Run


def advance_clock(run: Run, participant: ParticipantPage, step: Step) -> None:
    advance_virtual_clock(participant, step)


def sleep(run: Run, participant: ParticipantPage, step: Step) -> None:
    run.page(participant).wait_for_timeout(min(step.params, run.remaining()) * 1000)
