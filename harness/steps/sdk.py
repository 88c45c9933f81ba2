"""Steps that call the SDK: init, join, call, leave, and `together` (several calls started in one task)."""

from __future__ import annotations

import time
from typing import Any

from harness.expectations import show_outcome
from harness.participant import ParticipantPage
from harness.run_context import zoom_credentials
from harness.scenario.model import Step
from harness.service.tokens import mint_token
from harness.steps.calls import call_outcome, check_outcome, check_pending, sdk_call, start_calls
from harness.steps.run import DEFAULT_CALL_WAIT, Run

ROLE_TYPE = {"host": 1, "manager": 1, "attendee": 0}


def init(run: Run, participant: ParticipantPage, step: Step) -> None:
    outcome = sdk_call(run, participant, step, "client.init", init_args(run, step.params))
    check_outcome(run, step, outcome)
    participant.initialised = participant.initialised or outcome.get("status") == "resolved"


def init_args(run: Run, params: dict[str, str]) -> list[Any]:
    assets = params.get("dependent_assets", "local")
    if assets == "local":
        assets = f"{run.ctx.service.base_url}{run.ctx.sdk.assets_path}"
    options: dict[str, Any] = {"patchJsMedia": True}
    if "web_endpoint" in params:
        options["webEndpoint"] = params["web_endpoint"]
    return [params.get("language", "en-US"), assets, options]


def join(run: Run, participant: ParticipantPage, step: Step) -> None:
    if not participant.initialised:
        outcome = sdk_call(run, participant, step, "client.init", init_args(run, {}))
        if outcome.get("status") != "resolved":
            raise run.failure(step, f"init (implied by join) did not resolve: {show_outcome(outcome)}")
        participant.initialised = True
    params = step.params
    topic = params.get("topic", run.scenario.name)
    role = params.get("role", participant.role)
    key, secret = signing_credentials(run)
    token = mint_token(key, secret, topic, ROLE_TYPE[role], params.get("token"))
    args = [topic, token, params.get("name", participant.name)]
    participant.display_name = args[2]
    if "password" in params:
        args.append(params["password"])
    check_outcome(run, step, sdk_call(run, participant, step, "client.join", args))


def signing_credentials(run: Run) -> tuple[str, str]:
    """The real SDK talks to Zoom: its tokens are signed with the user's Video SDK key when one is set."""
    zoom = zoom_credentials() if run.ctx.sdk.kind == "real" else None
    return zoom or (run.credentials.key, run.credentials.secret)


# How long a call expected to stay pending is watched, unless the step says `within`.
PENDING_WAIT = 1.0


def call(run: Run, participant: ParticipantPage, step: Step) -> None:
    if step.expect_pending:
        [call_id] = start_calls(run, participant, step, [(step.params, list(step.args))])
        check_pending(run, participant, step, step.params, call_id, time.monotonic() + (step.within or PENDING_WAIT))
        return
    check_outcome(run, step, sdk_call(run, participant, step, step.params, list(step.args)))


def together(run: Run, participant: ParticipantPage, step: Step) -> None:
    """Start every call of the group in one task of the page; then, while they are pending, its `wait_for_event`
    and `advance_clock` steps in their order (a call that times out on the SDK's own timer); then check each
    call's outcome (a call expected pending: that it has not settled yet)."""
    subs = [sub for sub in step.params if sub.action in ("call", "leave")]
    calls = [(sub.params, list(sub.args)) if sub.action == "call" else leave_call(sub) for sub in subs]
    ids = start_calls(run, participant, step, calls)
    for sub in step.params:
        if sub.action not in ("call", "leave"):
            run.handlers[sub.action](run, participant, sub)
    wait = step.within or DEFAULT_CALL_WAIT
    end = time.monotonic() + wait
    for sub, call_id, (path, _) in zip(subs, ids, calls, strict=True):
        if sub.expect_pending:  # still pending now that the group's other steps have run
            check_pending(run, participant, sub, path, call_id, time.monotonic())
            continue
        check_outcome(run, sub, call_outcome(run, participant, sub, path, call_id, wait, end))


def leave(run: Run, participant: ParticipantPage, step: Step) -> None:
    path, args = leave_call(step)
    check_outcome(run, step, sdk_call(run, participant, step, path, args))


def leave_call(step: Step) -> tuple[str, list[Any]]:
    """The SDK call a `leave` step makes: client.leave(), or client.leave(true) to end the session."""
    return "client.leave", [True] if step.params.get("end") else []
