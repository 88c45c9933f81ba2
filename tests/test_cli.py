"""The `harness` command line: every command explains itself, and output cut short ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from harness.paths import web_dir
from harness.sdk_packages import pinned

COMMANDS = (
    "serve",
    "browser",
    "check",
    "list",
    "coverage",
    "conformance",
    "run",
    "explain",
    "repro",
    "setup",
    "double",
    "versions",
)


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


def test_double_prints_the_entry_the_typings_and_the_umd() -> None:
    shown = {
        flag: subprocess.run(harness("double", flag), capture_output=True, text=True, timeout=60).stdout
        for flag in ("--path", "--types", "--umd")
    }
    assert shown["--path"].strip() == str(web_dir() / "double" / "index.js")
    assert shown["--types"].strip() == str(web_dir() / "double" / "index.d.ts")
    assert "WebVideoSDK" in shown["--umd"]


def test_setup_check_says_what_is_there_one_line_each() -> None:
    result = subprocess.run(harness("setup", "--check"), capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["browser", f"real @zoom/videosdk {pinned().version} (--sdk real)"]
    if result.returncode != 0:
        assert "harness setup" in lines[0], "a missing browser says how to get one"
