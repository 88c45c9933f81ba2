"""The import contract (`[tool.importlinter]` in pyproject.toml) holds, and would catch an upward import or a
cycle however it is written: at module level, inside a function, or only for the type checker."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.scenario.schema import ACTIONS
from harness.steps import HANDLERS

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the `harness` package under `root`, with the repository's contracts."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def test_every_action_has_a_handler_and_nothing_else_does() -> None:
    assert sorted(HANDLERS) == sorted(ACTIONS)


def test_the_repository_keeps_its_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


UPWARD = {
    "module level": "from harness.participant import ParticipantPage  # noqa: F401\n",
    "inside a function": "def _later() -> None:\n    from harness.participant import ParticipantPage  # noqa: F401\n",
    "for the type checker only": (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from harness.participant import ParticipantPage  # noqa: F401\n"
    ),
}


@pytest.mark.parametrize("how", list(UPWARD))
def test_an_upward_import_breaks_the_layers_and_makes_a_cycle(tmp_path: Path, how: str) -> None:
    shutil.copytree(ROOT / "harness", tmp_path / "harness", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    devices = tmp_path / "harness" / "faults" / "devices.py"
    devices.write_text(devices.read_text(encoding="utf-8") + "\n\n" + UPWARD[how], encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "harness.faults is not allowed to import harness.participant" in result.stdout
    assert "harness.faults.devices -> harness.participant" in result.stdout
    assert "No cycles are allowed in harness." in result.stdout  # participant imports faults
