"""App mode's steps: the user's app inits and joins by itself as soon as its page opens, so a `join` step opens
(or reopens) the participant's page on the app, with the join's parameters in its URL, and is checked against
the `client.join` the app made, as the probe recorded it. An `init` step (without options: the rules let no
other through) opens the page for the participant's next join and is checked against the app's `client.init`.

Every wait is bounded by the step's `within` (default 15 s) and the scenario's timeout; an app that never
creates a client, never calls init or join, or never asks the token URL stops the run with one line.
"""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Request, Route

from harness.durations import format_duration
from harness.errors import HarnessError
from harness.expectations import show_outcome
from harness.faults import permissions, system
from harness.participant import AppPage, ParticipantPage
from harness.scenario.model import Step
from harness.service.tokens import mint_token
from harness.steps.calls import check_outcome
from harness.steps.run import DEFAULT_CALL_WAIT, PAGE_READY_WAIT, Run

ROLE_TYPE = {"host": 1, "manager": 1, "attendee": 0}
SHOWN_REQUESTS = 5  # the page's latest requests named when the app never asked the token URL
SHOWN_OUTCOME = 160  # characters of an outcome in the list of the app's calls


def init(run: Run, participant: ParticipantPage, step: Step) -> None:
    page = open_app(run, participant, step)
    _, outcome = app_call(run, participant, step, "init")
    check_outcome(run, step, outcome)
    page.state = "initialised" if step.expect_error is None else "closed"


def join(run: Run, participant: ParticipantPage, step: Step) -> None:
    page = participant.app
    if page is None or page.state != "initialised":
        page = open_app(run, participant, step)
    call, outcome = app_call(run, participant, step, "join")
    check_join_arguments(run, step, page, call)
    check_token_asked(run, participant, step)
    check_outcome(run, step, outcome)
    page.state = "joined"


def check_join_arguments(run: Run, step: Step, page: AppPage, call: dict[str, Any]) -> None:
    """The app must have joined the session the step names (else the run would not be the scenario's world)."""
    args = list(call.get("args") or []) + [None] * 4
    wanted = (page.values["topic"], page.values["name"], page.values["password"] or None)
    made = (args[0], args[2], args[3] or None)
    if made != wanted:
        app = run.ctx.app
        query = app.query if app is not None else ""
        raise HarnessError(
            f"{step.location}: your app joined (topic, name, passcode) {made!r}, not the step's {wanted!r}: "
            f"it must take them from its URL (--app-query {query!r})"
        )


def open_app(run: Run, participant: ParticipantPage, step: Step) -> AppPage:
    """Open (or reopen) the participant's page on the app, for its join at or after `step`."""
    app = run.ctx.app
    assert app is not None, "app mode steps run only in app mode"
    values = join_values(run, participant, next_join(run, step))
    participant.display_name = values["name"]
    if participant.app is None:
        participant.app = AppPage()
        first_open(run, participant)
    state = participant.app
    state.values = values
    state.url = app.page_url(run.ctx.page_origin, values)
    participant.drain()  # what the previous load recorded stays with it
    state.records_from = len(participant.records)
    state.errors_from = len(participant.page_errors)
    state.token_requests = 0
    state.state = "closed"
    try:
        run.page(participant).goto(state.url, timeout=run.remaining_ms(PAGE_READY_WAIT))
    except PlaywrightError as error:
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise HarnessError(f"{step.location}: your app's page did not load (--app {app.source}): {text}") from None
    participant.opened = True
    return state


def first_open(run: Run, participant: ParticipantPage) -> None:
    """The participant's page, once: the computer it emulates, its permissions, the token route."""
    page = participant.new_page()
    if run.ctx.browser == "chromium":
        participant.emulate(system.cdp_commands(participant.plan.system))
        permissions.before_load(participant, run.ctx.page_origin)
    state = participant.app
    assert state is not None
    page.on("request", lambda request: note_request(state, request))
    token_url = run.ctx.app.token_url if run.ctx.app else None
    if token_url:
        participant.context.route(token_url, lambda route: answer_token(state, route))


def note_request(state: AppPage, request: Request) -> None:
    if request.resource_type in ("fetch", "xhr") and "/_harness/" not in request.url:  # not the harness's own
        state.requests = [*state.requests[-(SHOWN_REQUESTS - 1) :], f"{request.method} {request.url}"]


def answer_token(state: AppPage, route: Route) -> None:
    """The page asked its back end for a JWT: answer as Zoom's auth endpoint sample does, for this join."""
    origin = route.request.headers.get("origin", "*")
    cors = {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": route.request.headers.get("access-control-request-headers", "Content-Type"),
    }
    if route.request.method == "OPTIONS":
        route.fulfill(status=204, headers=cors)
        return
    state.token_requests += 1
    route.fulfill(
        status=200,
        headers={**cors, "Content-Type": "application/json"},
        body=json.dumps({"signature": state.values.get("signature", "")}),
    )


def next_join(run: Run, step: Step) -> Step | None:
    """The join this page is opened for: the step itself, or the participant's next join after its init."""
    for later in run.scenario.steps[step.index - 1 :]:
        if later.action == "join" and later.participant == step.participant:
            return later
    return None


def join_values(run: Run, participant: ParticipantPage, join: Step | None) -> dict[str, str]:
    """What the query template's placeholders stand for, for this participant's join."""
    params: dict[str, Any] = join.params if join is not None else {}
    topic = str(params.get("topic", run.scenario.name))
    role = ROLE_TYPE[params.get("role", participant.role)]
    key, secret = run.credentials.key, run.credentials.secret
    return {
        "topic": topic,
        "name": str(params.get("name", participant.name)),
        "password": str(params.get("password", "")),
        "role": str(role),
        "signature": mint_token(key, secret, topic, role, params.get("token")),
        "sdkKey": key,
        "sdkSecret": secret,
        "webEndpoint": run.ctx.web_endpoint,
    }


def app_call(run: Run, participant: ParticipantPage, step: Step, method: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The app's own `client.<method>` on this page load and its settlement, waited for: the step's `within`
    (default 15 s) for the client, the call and its settlement together, and never past the scenario's timeout."""
    bound = step.within or DEFAULT_CALL_WAIT
    left_of_scenario = run.remaining()
    wait = min(bound, left_of_scenario)
    end = time.monotonic() + wait
    # What the messages name: the step's bound, or the scenario's timeout when that came first.
    limit = (
        f"within {format_duration(bound)}"
        if bound <= left_of_scenario
        else f"before the scenario's {format_duration(run.scenario.timeout)} timeout ran out"
    )

    def left() -> float:
        return max(0.0, end - time.monotonic())

    if run.poll(participant, lambda: has_client(run, participant), left()) is None:
        broke(run, participant, step, "create a Video SDK client")
        raise HarnessError(f"{step.location}: {no_client(run, participant, limit)}")
    call = run.poll(participant, lambda: this_load(participant, "call", method), left())
    if call is None:
        broke(run, participant, step, f"call client.{method}")
        raise HarnessError(f"{step.location}: {no_call(run, participant, method, limit)}")
    settled = run.poll(participant, lambda: this_load(participant, "settle", method, call["id"]), left())
    if settled is None:
        raise run.failure(step, f"client.{method} (called by your app) neither resolved nor rejected {limit}")
    settled["checked_by"] = step.index  # the step checks it; the strict policy leaves it alone
    return call, {key: settled.get(key) for key in ("status", "value", "error")}


def broke(run: Run, participant: ParticipantPage, step: Step, what: str) -> None:
    """An app that threw on its way to `what` fails the scenario (it is the app failing, not bad input)."""
    thrown = participant.page_errors[participant.app.errors_from :] if participant.app else []
    if thrown:
        raise run.failure(step, f"expected your app to {what}", f"observed: the page threw first: {thrown[0]}")


def has_client(run: Run, participant: ParticipantPage) -> bool | None:
    try:
        found = run.page(participant).evaluate("() => !!(window.__harness && window.__harness.hasClient())")
    except PlaywrightError:
        return None  # the page is between two documents
    return True if found else None


def this_load(participant: ParticipantPage, kind: str, method: str, call_id: Any = None) -> dict[str, Any] | None:
    """The first record of this kind for client.<method> made by the app since the page's current load."""
    participant.drain()
    assert participant.app is not None
    for record in participant.records[participant.app.records_from :]:
        if record.get("kind") != kind or record.get("step") or record.get("target") != "client":
            continue
        if record.get("method") == method and (call_id is None or record.get("id") == call_id):
            return record
    return None


def no_client(run: Run, participant: ParticipantPage, limit: str) -> str:
    app = run.ctx.app
    assert app is not None and participant.app is not None
    participant.drain()
    loaded = participant.records[participant.app.records_from :]
    seen = any(record.get("kind") == "sdk-module" for record in loaded)
    sdk = (
        "the SDK double loaded, but nothing called ZoomVideo.createClient()"
        if seen
        else "no Video SDK module was seen on the page (is @zoom/videosdk aliased to the double? see docs/own-app.md)"
    )
    return (
        f"your app (--app {app.source}) created no Video SDK client {limit}: {sdk}, "
        f"and {app.client_expression} is not set (--app-client names where the app keeps its client)"
    )


def no_call(run: Run, participant: ParticipantPage, method: str, limit: str) -> str:
    app = run.ctx.app
    assert app is not None and participant.app is not None
    participant.drain()
    made = [
        f"{record['target']}.{record['method']}"
        for record in participant.records[participant.app.records_from :]
        if record.get("kind") == "call" and not record.get("step")
    ]
    text = (
        f"your app (--app {app.source}) created a client but did not call client.{method} {limit} "
        f"(its calls: {', '.join(made) or 'none'}); it must init and join by itself "
        f"with what its URL gives it (--app-query {app.query!r})"
    )
    if method == "join" and app.token_url and not participant.app.token_requests:
        text += f"; {token_unasked(app.token_url, participant.app)}"
    return text


def token_unasked(glob: str, page: AppPage) -> str:
    latest = ", ".join(page.requests) or "none"
    return f"it never requested a URL matching --app-token-url {glob} (its latest requests: {latest})"


def check_token_asked(run: Run, participant: ParticipantPage, step: Step) -> None:
    """With --app-token-url, the app's join must have used the token the harness gave it."""
    app = run.ctx.app
    assert app is not None and participant.app is not None
    if app.token_url and not participant.app.token_requests:
        raise HarnessError(
            f"{step.location}: your app joined, but {token_unasked(app.token_url, participant.app)}, so the "
            "join's token was not the harness's"
        )


def app_calls(participant: ParticipantPage) -> list[str]:
    """The app's own SDK calls on this participant's pages and how each settled, for a failure report."""
    lines: list[str] = []
    pending: dict[Any, int] = {}  # call id -> its line (ids start again with each page load)
    for record in participant.records:
        if record.get("step"):
            continue
        if record.get("kind") == "call":
            pending[record.get("id")] = len(lines)
            lines.append(f"{record['target']}.{record['method']}")  # a getter's return is not recorded
        elif record.get("kind") == "settle" and record.get("id") in pending:
            shown = show_outcome(record)
            shown = shown if len(shown) <= SHOWN_OUTCOME else shown[: SHOWN_OUTCOME - 1] + "…"
            lines[pending.pop(record["id"])] = f"{record['target']}.{record['method']}: {shown}"
    return lines
