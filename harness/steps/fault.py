"""The `fault` step: change a live participant's world (browser, network, back end) mid-session."""

from __future__ import annotations

import time

from harness.errors import HarnessError
from harness.faults import apply_fault
from harness.faults.plan import FaultEnv
from harness.participant import ParticipantPage
from harness.scenario.model import Step
from harness.steps.run import Run


def fault(run: Run, participant: ParticipantPage, step: Step) -> None:
    env = FaultEnv(
        origin=run.ctx.page_origin,
        assets_path=run.ctx.sdk.assets_path,
        control=run.ctx.service,
        app_key=run.credentials.key,
        display_names={p.name: p.display_name for p in run.participants.values()},
    )
    started = time.time() * 1000  # before it acts: what it causes in the page is recorded after this
    try:
        applied = apply_fault(participant, step.params, env)
    except HarnessError as error:
        raise HarnessError(f"{step.location}: {error}") from None
    participant.records.append(
        {
            "kind": "fault",
            "t": started,
            "step": step.index,
            "families": applied,
            "participant": participant.name,
        }
    )
