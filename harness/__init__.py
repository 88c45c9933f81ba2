"""Reproduce Zoom Video SDK (Web) error conditions in a real browser.

The public facade: load and validate scenarios, and the error types a caller may catch.
"""

from harness.errors import HarnessError, ScenarioFailure, ScenarioInputError
from harness.scenario.loader import load_scenario
from harness.scenario.model import Scenario

__all__ = ["HarnessError", "Scenario", "ScenarioFailure", "ScenarioInputError", "load_scenario"]
