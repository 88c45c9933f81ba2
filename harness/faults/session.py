"""Session faults: what the back end decides, done by the session service as the host or the account
owner would (remove a participant, end the session, change an account setting mid-session)."""

from __future__ import annotations

from typing import Protocol

from harness.scenario.model import SessionAction


class SessionControl(Protocol):
    def remove(self, app_key: str, name: str, topic: str | None = None) -> None: ...
    def end(self, app_key: str, topic: str | None = None) -> None: ...
    def set_account(self, app_key: str, settings: dict[str, object]) -> None: ...


def act(control: SessionControl, app_key: str, action: SessionAction, display_names: dict[str, str]) -> None:
    if action.remove is not None:
        control.remove(app_key, display_names.get(action.remove, action.remove))
    elif action.end:
        control.end(app_key)
    else:
        control.set_account(app_key, dict(action.account))
