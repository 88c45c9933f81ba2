"""Loading the classic scripts that are installed before a page's own scripts."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def browser_script(name: str, config: Any) -> str:
    source = resources.files("harness").joinpath(f"browser_scripts/{name}").read_text(encoding="utf-8")
    return source.replace("__CONFIG__", json.dumps(config))
