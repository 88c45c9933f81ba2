"""The `harness` command line: every command explains itself, and output cut short ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMMANDS = ("serve", "browser", "check", "list", "coverage", "conformance", "run", "explain", "repro")


def harness(*args: str) -> list[str]:
    return [sys.executable, "-m", "harness.cli", *args]


@pytest.mark.parametrize("args", [("list",), ("coverage",), ("list", "--format", "markdown")])
def test_output_cut_short_ends_quietly(args: tuple[str, ...]) -> None:
    """`harness list | head`: the reader is gone before the command writes; no BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already gone, so the command's first write meets a broken pipe
    try:
        result = subprocess.run(harness(*args), stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.returncode == 0


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_says_what_it_does(name: str) -> None:
    result = subprocess.run(harness(name, "--help"), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    description = result.stdout.split("\n\n")[1].strip()
    assert description and not description.startswith("options:"), result.stdout
