"""The fault library: each family changes the real browser world, never the SDK double.

`plan_world` turns a `given` world into what the browser needs before the page loads (launch flags,
context options, init scripts, routes); `apply_fault` changes a live participant mid-session.
"""

from harness.faults.context_plan import ContextPlan
from harness.faults.plan import apply_fault, plan_world, prepare_context

__all__ = ["ContextPlan", "apply_fault", "plan_world", "prepare_context"]
