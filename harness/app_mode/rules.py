"""Which scenarios mean something in app mode, as a table of rules; a scenario that breaks one is skipped
with the rule's reason, before any browser starts. A scenario never passes on a world that did not happen.

In app mode the app inits and joins by itself as soon as its page opens, with the parameters the harness puts
in its URL; the harness then acts through the client the app created. So a scenario that needs something
else of the page than "the app, joined" cannot be played on it: see `RULES` (docs/own-app.md shows the table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from harness.app_mode.config import AppMode
from harness.scenario.model import Scenario, Step, World

UI_ACTIONS = ("open", "click", "fill", "expect_text")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    means: str  # what breaks it, in a person's words (the table in docs/own-app.md)
    check: Callable[[Scenario, AppMode], str | None]  # the reason this scenario breaks it, or None


def skip_reason(scenario: Scenario, app: AppMode) -> str | None:
    """Why `scenario` cannot run on the app (the first rule it breaks), or None when it can."""
    for rule in RULES:
        reason = rule.check(scenario, app)
        if reason:
            return f"app mode: {reason}"
    return None


def flat(steps: tuple[Step, ...]) -> Iterator[Step]:
    """Every step, with the calls inside `together` and `on_event` steps after their own step."""
    for step in steps:
        yield step
        if step.action in ("together", "on_event"):
            yield from step.calls()


def ui_steps(scenario: Scenario, app: AppMode) -> str | None:
    for step in flat(scenario.steps):
        if step.action in UI_ACTIONS:
            return f"step {step.index} ({step.action}) acts on the harness's own sample page, which your app replaces"
    return None


def page_elements(scenario: Scenario, app: AppMode) -> str | None:
    for step in flat(scenario.steps):
        for value in (step.args, step.params):
            selector = element_of(value)
            if selector is not None:
                return f"step {step.index} names {{$element: {selector!r}}}, an element of the harness's sample page"
    return None


def element_of(value: Any) -> str | None:
    if isinstance(value, Step):
        return None  # a sub-step: `flat` visits it on its own
    if isinstance(value, dict):
        if "$element" in value:
            return str(value["$element"])
        value = list(value.values())
    if isinstance(value, list | tuple):
        return next((found for item in value if (found := element_of(item)) is not None), None)
    return None


def init_options(scenario: Scenario, app: AppMode) -> str | None:
    for step in flat(scenario.steps):
        if step.action != "init":
            continue
        options = {key: value for key, value in step.params.items() if (key, value) != ("dependent_assets", "local")}
        if options:
            shown = ", ".join(sorted(options))
            return f"step {step.index} calls init with options of its own ({shown}); your app chooses its arguments"
    return None


def token_claims(scenario: Scenario, app: AppMode) -> str | None:
    if "signature" in app.uses or app.token_url:
        return None
    for step in scenario.steps:
        if step.action == "join" and step.params.get("token"):
            return (
                f"step {step.index} joins with JWT claims of its own (token: ...), and your app signs its own JWT "
                "(put {signature} in --app-query, or answer its token request with --app-token-url)"
            )
    return None


def offline_start(scenario: Scenario, app: AppMode) -> str | None:
    for participant in scenario.participants:
        if participant.given.network == "offline":
            return f"{participant.name} is offline before the page loads; your app could not load, let alone join"
    return None


def page_free(change: World) -> bool:
    """A fault that needs no page, as `given` would: routes, the firewall, assets on the browser context, or
    an account change by the back end. It may come before the page opens: it is the world the app loads into."""
    account_only = change.session is None or (change.session.remove is None and not change.session.end)
    return account_only and change == World(
        http=change.http, firewall=change.firewall, assets=change.assets, session=change.session
    )


def session_order(scenario: Scenario, app: AppMode) -> str | None:
    """Each participant's steps against what the app does: open, init, join at once, then what we say."""
    state = {participant.name: "closed" for participant in scenario.participants}
    for step in scenario.steps:
        who, now = step.participant, state[step.participant]
        title = step.title()
        if step.action == "join":
            if now == "joined":
                return (
                    f"step {step.index} joins {who} again while still in the session; your app joins once per page "
                    "load, so this would test a fresh page, not a second join()"
                )
            state[who] = "joined" if step.expect_error is None else "out"
        elif step.action == "init":
            if now not in ("closed", "out"):
                return f"step {step.index} calls init again; your app inits once per page load"
            state[who] = "initialised" if step.expect_error is None else "out"
        elif now == "closed" and not (step.action == "fault" and page_free(step.params)):
            return (
                f"step {step.index} ({title}) acts for {who} before the app has joined; "
                "in app mode the app inits and joins as soon as its page opens"
            )
        elif now == "initialised":
            return f"step {step.index} ({title}) acts for {who} between init and join; your app joins right after init"
        for gone in leaving(step, state):
            state[gone] = "out"
    return None


def leaving(step: Step, state: dict[str, str]) -> list[str]:
    """Who is out of the session after this step (left, removed, or the session ended), so may join again."""
    if step.action == "leave" and step.expect_error is None:
        return list(state) if step.params.get("end") else [step.participant]
    if step.action == "together" and any(sub.action == "leave" and sub.expect_error is None for sub in step.params):
        return [step.participant]
    session = step.params.session if step.action == "fault" else None
    if session is not None and session.end:
        return list(state)
    if session is not None and session.remove:
        return [session.remove]
    return []


RULES: tuple[Rule, ...] = (
    Rule("sample page", "a step clicks, fills, opens or reads the harness's own sample page", ui_steps),
    Rule("page element", "an argument names an element of the sample page (`{$element: ...}`)", page_elements),
    Rule("init options", "an `init` step with options of its own (language, assets, web endpoint)", init_options),
    Rule(
        "token claims",
        "a `join` sets JWT claims (`token:`) and the app signs its own JWT (no `{signature}`, no token URL)",
        token_claims,
    ),
    Rule("offline start", "a participant is offline before its page loads (`network: offline`)", offline_start),
    Rule(
        "session order",
        "a step acts for a participant before its app has joined (or between init and join), or a participant "
        "joins again while still in the session",
        session_order,
    ),
)
