"""From a customer's words to the codes they mean and the scenarios that reproduce them (`harness explain`,
`harness repro`). Layered above the scenario catalog and the error catalog, and below everything that drives a
browser: nothing here imports Playwright."""

from __future__ import annotations

from harness.explain.answers import FORMS, Explanation, command_for, explain
from harness.explain.matching import Match

__all__ = ["FORMS", "Explanation", "Match", "command_for", "explain"]
