"""What every decision of the back end is made of: the request it decides on, the decision, a refusal.

A participant's double asks the session service for a change of the session (`{evt: 'request', id, kind, ...}`);
a decision function (one per kind, in this package's modules) looks at the room, the asker and the account and
either accepts, with the state changes everyone is told of, the answer to the asker and any later work, or
refuses. A refusal changes nothing and tells nobody but the asker: the 2.5.0 runtime reads no response to these
commands and waits for the server's indication, so a back end that refuses is, seen from the SDK, a state that
never changes, and the caller's own bounded wait decides (OPERATION_TIMEOUT 1, or INTERNAL_ERROR 2 where the
runtime's wait has a predicate that another state fails).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.service.rooms import Member, Room

# Why a request was refused (the answer's `refused`).
NOT_ALLOWED = "not-allowed"  # the asker's role
ACCOUNT = "account"  # an account switch is off
STATE = "state"  # the session is not in a state that allows it (unknown room, stale channel, …)
BAD_REQUEST = "bad-request"  # malformed arguments
UNKNOWN_KIND = "unknown-kind"


class Refused(Exception):
    """The back end does not carry the request out; `why` is one of the reasons above."""

    def __init__(self, why: str, message: str) -> None:
        super().__init__(why, message)
        self.why = why
        self.message = message


# Sends the changes of one feature's shared state to everyone in the room (merged into the room first).
Publish = Callable[[str, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Direct:
    """A message the back end sends to one participant on the asker's behalf (an invitation to a subsession)."""

    to: int
    feature: str
    message: dict[str, Any]


@dataclass(slots=True)
class Decision:
    """An accepted request: `changes` per feature (to everyone, the asker included), the answer's extra fields,
    direct messages, and `later`: work the back end goes on with afterwards (an RTMP connection attempt, a
    closing countdown), given the means to publish what it finds."""

    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    answer: dict[str, Any] = field(default_factory=dict)
    direct: list[Direct] = field(default_factory=list)
    later: Callable[[Publish], Coroutine[Any, Any, None]] | None = None


@dataclass(frozen=True, slots=True)
class Ask:
    """One request: who asks, in which room, under which account, for what."""

    room: Room
    member: Member
    settings: Mapping[str, Any]
    kind: str
    args: Mapping[str, Any]
    world: Mapping[str, tuple[str, int]] = field(default_factory=dict)  # the back end's network (rtmp.StandIns)

    @property
    def privileged(self) -> bool:
        """The host or a manager (the runtime's `Md`: isHost or bCoHost)."""
        return self.member.is_host or self.member.is_manager

    def state(self, feature: str) -> dict[str, Any]:
        return self.room.features.get(feature, {})

    def allows(self, switch: str) -> bool:
        return bool(self.settings.get(switch, False))

    def arg(self, name: str, kind: type | tuple[type, ...]) -> Any:
        """An argument of the given type; a missing or mistyped one refuses the request as malformed."""
        value = self.args.get(name)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise Refused(BAD_REQUEST, f"{self.kind}: '{name}' must be {_described(kind)}")
        return value


def _described(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def require_privileged(ask: Ask, what: str) -> None:
    if not ask.privileged:
        raise Refused(NOT_ALLOWED, f"only the host or a manager may {what}")


def require_host(ask: Ask, what: str) -> None:
    if not ask.member.is_host:
        raise Refused(NOT_ALLOWED, f"only the host may {what}")


def require_switch(ask: Ask, switch: str) -> None:
    if not ask.allows(switch):
        raise Refused(ACCOUNT, f"the account has '{switch}' off")


Decide = Callable[[Ask], Decision]
