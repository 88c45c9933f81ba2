"""Comparing what a step expected with what the SDK did, and saying so in a person's words."""

from __future__ import annotations

from typing import Any

from harness.catalog import describe
from harness.scenario.model import ErrorPattern, Step


def show_error(error: Any) -> str:
    """'6100 VIDEO_CAMERA_PERMISSION_DENIED (type VIDEO_USER_FORBIDDEN_CAPTURE, ...)' for an SDK rejection."""
    if not isinstance(error, dict):
        return repr(error)
    head = describe(error["errorCode"]) if "errorCode" in error else "no errorCode"
    details = [
        f"{key} {error[key]!r}"
        for key in ("type", "reason", "subCode", "errorMessage", "name", "message")
        if key in error and error[key] is not None
    ]
    return f"{head} ({', '.join(details)})" if details else head


def show_outcome(outcome: dict[str, Any]) -> str:
    status = outcome.get("status")
    if status == "resolved":
        return f"resolved with {outcome.get('value')!r}"
    if status == "threw":
        return f"threw synchronously: {show_error(outcome.get('error'))}"
    if status == "rejected":
        return f"rejected with {show_error(outcome.get('error'))}"
    return str(outcome)


def step_header(step: Step, scenario_name: str) -> str:
    return (
        f"scenario {scenario_name!r} failed at step {step.index} ({step.title()}) "
        f"{step.location} [participant {step.participant}]"
    )


def near_misses(pattern: ErrorPattern, errors: list[dict[str, Any]]) -> list[str]:
    """Observed errors that share the expected code or type: the ones a person would want to see."""
    lines = []
    for record in errors:
        error = record.get("error") or {}
        same_code = pattern.error_codes is not None and error.get("errorCode") in pattern.error_codes
        same_type = pattern.type is not None and error.get("type") == pattern.type
        if same_code or same_type:
            lines.append(f"{show_error(error)} from {record['target']}.{record['method']}")
    return lines


def subset_match(expected: Any, actual: Any) -> bool:
    """True when every field of `expected` is in `actual` with the same value (recursively). A mapping
    matches a list when one of its entries matches (`user-updated` carries a list of participants)."""
    if isinstance(expected, dict) and isinstance(actual, list):
        return any(subset_match(expected, item) for item in actual)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset_match(v, actual[k]) for k, v in expected.items())
    return bool(expected == actual)
