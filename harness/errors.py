"""The harness's small error hierarchy.

A scenario whose expectation is not met raises ScenarioFailure (an AssertionError: pytest shows F).
Bad input or a broken environment raises a HarnessError (pytest shows E or a usage error).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int  # 1-based
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class HarnessError(Exception):
    """Bad input or an environment problem; the message is meant for a person, in one line."""


class ScenarioInputError(HarnessError):
    """A scenario file that cannot be used, with the place it went wrong."""

    def __init__(self, location: Location, problem: str) -> None:
        super().__init__(f"{location}: {problem}")
        self.location = location
        self.problem = problem

    @classmethod
    def at_file(cls, path: str, problem: str) -> ScenarioInputError:
        return cls(Location(path, 1, 1), problem)


class BrowserNotFound(HarnessError):
    """No browser executable could be found or started."""


class ScenarioFailure(AssertionError):
    """The SDK did not do what the scenario expects."""


class ScenarioSkip(Exception):
    """The running browser cannot produce a fault the scenario needs."""
