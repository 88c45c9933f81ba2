"""App mode: the catalog played against the user's own Video SDK web app (a build folder or a URL).

`AppMode` is what the options say (config.py, checked at start); `skip_reason` says why a scenario cannot mean
anything on an app (rules.py, a table of rules). Knows the scenario model, not Playwright or pytest; the run
layer opens the app's pages and reads its calls (`harness.steps.app`).
"""

from harness.app_mode.config import PLACEHOLDERS, AppMode
from harness.app_mode.rules import RULES, skip_reason

__all__ = ["PLACEHOLDERS", "RULES", "AppMode", "skip_reason"]
