"""Steps about SDK events: wait for one (`wait_for_event`), or make a call from inside one's handler
(`on_event`), whose outcome `check_reactions` checks once every step has run; and about the page's own
uncaught errors (`wait_for_page_error`), which some SDK calls leave behind instead of a rejection."""

from __future__ import annotations

from typing import Any

from harness.durations import format_duration
from harness.errors import HarnessError
from harness.expectations import subset_match
from harness.participant import ParticipantPage
from harness.scenario.model import Step
from harness.steps.calls import check_outcome, settled
from harness.steps.references import References, has_reference
from harness.steps.run import DEFAULT_EVENT_WAIT, Run


def wait_for_event(run: Run, participant: ParticipantPage, step: Step) -> None:
    """The next event of that name matching `match`. A reference in the match ({userId: {$userId: gina}}) is
    resolved as the page learns of it, within the same wait: the page may hear of gina only after this step began
    (her join is still reaching it), and no event of hers can come before it has."""
    name = step.params["name"]
    wait = step.within or DEFAULT_EVENT_WAIT
    given = step.params["match"]
    references = References(run, participant, step, given) if has_reference(given) else None
    match = None if references else given  # with references: None until the page has resolved them

    def found() -> int | None:
        nonlocal match
        if references is not None and match is None:
            match = references.now()
            if match is None:
                return None
        participant.refresh()  # the poll's wait for a change brings the records along
        events = participant.events()
        for index in range(participant.event_cursor, len(events)):
            if events[index]["name"] == name and (match is None or subset_match(match, events[index]["payload"])):
                return index
        return None

    index = run.poll(participant, found, wait)
    if references is not None and match is None:
        raise references.error(wait)
    if index is None:
        seen = [e["payload"] for e in participant.events() if e["name"] == name]
        raise run.failure(
            step,
            f"expected event {name}{'' if match is None else f' matching {match}'} within {format_duration(wait)}",
            f"observed {name} events: {seen or 'none'}",
        )
    participant.event_cursor = index + 1


def resolved_match(run: Run, participant: ParticipantPage, step: Step, match: Any) -> Any:
    """An event match as the page sees it now: {userId: {$userId: gina}} is what only the page knows."""
    if not has_reference(match):
        return match
    references = References(run, participant, step, match)
    resolved = references.now()
    if resolved is None:
        raise references.error()
    return resolved


def on_event(run: Run, participant: ParticipantPage, step: Step) -> None:
    """Arm a listener in the page that makes the call from inside the event's handler, as an app's would."""
    call: Step = step.params["then"]
    call_id = next(run.call_ids)
    run.call_steps[call_id] = step.index
    match = resolved_match(run, participant, step, step.params["match"])
    run.page(participant)
    armed = participant.evaluate(
        "([id, name, match, path, args]) => window.__harness.react(id, name, match, path, args)",
        [call_id, step.params["name"], match, call.params, list(call.args)],
    )
    if armed is not True:
        raise HarnessError(f"{step.location}: the page could not listen for {step.params['name']}: {armed}")
    run.reactions.append((participant, step, call_id))


def check_reactions(run: Run) -> None:
    """Each armed on_event's call, once every step has run: it must have been made, and settle as expected."""
    for participant, step, call_id in run.reactions:
        call: Step = step.params["then"]
        name, match = step.params["name"], step.params["match"]
        wait = step.within or DEFAULT_EVENT_WAIT
        run.page(participant)  # opened before its first step
        outcome = settled(run, participant, call_id, wait)
        if outcome is None:
            heard = participant.evaluate("id => window.__harness.heard(id)", call_id)
            if not heard:
                seen = [e["payload"] for e in participant.events() if e["name"] == name]
                raise run.failure(
                    step,
                    f"expected the page to hear {name}{'' if match is None else f' matching {match}'} "
                    f"and call {call.params} from its handler",
                    f"observed {name} events: {seen or 'none'}",
                )
            raise run.failure(step, f"{call.params} neither resolved nor rejected within {format_duration(wait)}")
        if outcome["status"] == "harness-error":
            raise HarnessError(f"{step.location}: {outcome['message']}")
        check_outcome(run, call, outcome)


def wait_for_page_error(run: Run, participant: ParticipantPage, step: Step) -> None:
    """Wait for an uncaught page error matching the step, and accept it: the end-of-run check drops it."""
    name, text = step.params["name"], step.params["message_contains"]
    wait = step.within or DEFAULT_EVENT_WAIT

    def found() -> int | None:
        return next(
            (index for index, error in enumerate(participant.page_errors) if page_error_matches(error, name, text)),
            None,
        )

    index = run.poll(participant, found, wait)
    if index is None:
        wanted = " ".join(part for part in (name, f"containing {text!r}" if text else None) if part)
        raise run.failure(
            step,
            f"expected an uncaught page error {wanted} within {format_duration(wait)}",
            f"observed uncaught page errors: {participant.page_errors or 'none'}",
        )
    del participant.page_errors[index]


def page_error_matches(error: str, name: str | None, text: str | None) -> bool:
    """A page error as the participant keeps it, "Name: message", against a name and a text of its message."""
    error_name, _, message = error.partition(": ")
    return (name is None or error_name == name) and (text is None or text in message)
