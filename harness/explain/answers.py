"""The answers to a paste: its clues matched against what the package knows, best first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.explain.clues import Clues, find_clues
from harness.explain.knowledge import knowledge
from harness.explain.matching import Match, Matcher
from harness.explain.reading import check
from harness.explain.scenarios import command

FORMS = (
    "a code alone (`5003`), or with its sub-code (`6010 subCode 2`, `6010 (2)`)",
    "an error object as pasted from a console, JSON or the JavaScript dump, any quotes "
    "(`{type: 'INVALID_OPERATION', reason: 'Camera is starting,please wait.'}`, `ObjecterrorCode: 5007 ...`)",
    "a reason or type alone, in the runtime's words (`dependent assets are not accessible`, `UIKit: connection error`)",
    "an active-media-failed payload (`{code: 206, type: 'video', message: ...}`)",
    "a browser error (`NotAllowedError: Permission denied`, `Could not start video source`)",
    "a Zoom app's message and code (`Unable to connect ... Error code: 5003`, `100000502`, `4502`)",
)


@dataclass
class Explanation:
    query: str
    clues: Clues
    matches: list[Match]

    def understood(self) -> list[str]:
        return self.clues.understood()


def explain(text: str, scenario_dir: Path | None = None) -> Explanation:
    """The answers to a paste, best first; a paste that is not text (or too long, or empty) is a HarnessError."""
    clues = find_clues(check(text))
    matches = Matcher(knowledge(), clues, scenario_dir).run()
    return Explanation(text, clues, matches)


def command_for(match: Match, scenario_dir: Path | None = None) -> str | None:
    return command(match.scenarios, scenario_dir)
