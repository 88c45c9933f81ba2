"""Finding scenarios by name (`pytest --scenario NAME`, globs allowed) without reading every file when one will do.

The catalog names each file after its scenario, so `NAME.yaml` is read first; every file is read (the index)
only for a glob, or when that file is missing, doubled, broken, or holds another name.
"""

from __future__ import annotations

import difflib
import fnmatch
import glob
from pathlib import Path

from harness.errors import ScenarioInputError
from harness.scenario.loader import load_scenario, scenario_files


class UnknownScenarioName(LookupError):
    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def find_scenarios(names: list[str], dirs: list[Path]) -> list[Path]:
    """The files of the scenarios named, in order; raises UnknownScenarioName (with the closest names)."""
    files = scenario_files(dirs)
    index: dict[str, Path] | None = None
    chosen: list[Path] = []
    for name in names:
        direct = _named_file(name, files)
        if direct is not None:
            chosen.append(direct)
            continue
        index = index if index is not None else index_scenarios(dirs)
        matches = [path for known, path in index.items() if fnmatch.fnmatchcase(known, name)]
        if not matches:
            close = difflib.get_close_matches(name, list(index), n=3, cutoff=0.5)
            hint = f"; closest: {', '.join(close)}" if close else ""
            where = ", ".join(str(d) for d in dirs)
            raise UnknownScenarioName(name, f"no scenario with that name in {where}{hint}")
        chosen.extend(sorted(matches))
    return chosen


def _named_file(name: str, files: list[Path]) -> Path | None:
    """The one file `NAME.yaml` (or .yml) whose scenario is named NAME; None sends the name to the index."""
    if glob.has_magic(name):
        return None
    candidates = [path for path in files if path.stem == name]
    if len(candidates) != 1:
        return None
    try:
        return candidates[0] if load_scenario(candidates[0]).name == name else None
    except ScenarioInputError:
        return None


def index_scenarios(dirs: list[Path]) -> dict[str, Path]:
    """Scenario name -> file; a file that does not load is indexed by its stem so its error still shows."""
    index: dict[str, Path] = {}
    for path in scenario_files(dirs):
        try:
            index[load_scenario(path).name] = path
        except ScenarioInputError:
            index.setdefault(path.stem, path)
    return index
