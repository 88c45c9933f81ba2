"""Finding scenarios by name (`pytest --scenario NAME`, globs allowed) without reading every file when one will do.

The catalog names each file after its scenario, so `NAME.yaml` is read first; every file is read (the index)
only for a glob, or when that file is missing, doubled, broken, or holds another name. Folders are looked up in
order and the first one holding a name wins (the user's own folders come before the packaged catalog); a
name held by more than one folder is reported by `shadowed`, never silently hidden.
"""

from __future__ import annotations

import difflib
import fnmatch
import glob
from pathlib import Path
from typing import Literal

from harness.errors import ScenarioInputError
from harness.scenario.loader import load_scenario, scenario_files


class UnknownScenarioName(LookupError):
    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def find_scenarios(names: list[str], dirs: list[Path]) -> list[Path]:
    """The files of the scenarios named, in order; raises UnknownScenarioName (with the closest names)."""
    index: dict[str, Path] | None = None
    chosen: list[Path] = []
    for name in names:
        direct = _named_file(name, dirs)
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


def _named_file(name: str, dirs: list[Path]) -> Path | None:
    """The file of scenario NAME found by its file name `NAME.yaml` (or .yml) in the first folder holding one,
    unless an earlier folder holds NAME under another file name; None sends the name to the index."""
    if glob.has_magic(name):
        return None
    for position, folder in enumerate(dirs):
        found = _file_named(name, folder)
        if found is False:
            return None
        if found is not None:
            return index_scenarios(dirs[:position]).get(name, found)
    return None


def _file_named(name: str, folder: Path) -> Path | Literal[False] | None:
    """The one `NAME.yaml` in `folder` whose scenario is NAME; None when there is no such file; False when
    there are several, or it is broken or holds another name (the index must decide)."""
    candidates = [path for path in scenario_files([folder]) if path.stem == name]
    if not candidates:
        return None
    try:
        return candidates[0] if len(candidates) == 1 and load_scenario(candidates[0]).name == name else False
    except ScenarioInputError:
        return False


def index_scenarios(dirs: list[Path]) -> dict[str, Path]:
    """Scenario name -> file, the first folder's file for a name in several; a file that does not load is
    indexed by its stem so its error still shows."""
    index: dict[str, Path] = {}
    broken: set[str] = set()
    for path in scenario_files(dirs):
        try:
            name = load_scenario(path).name
        except ScenarioInputError:
            if path.stem not in index:
                index[path.stem] = path
                broken.add(path.stem)
            continue
        if name not in index or name in broken:
            index[name] = path
            broken.discard(name)
    return index


def shadowed(dirs: list[Path]) -> list[tuple[str, Path, Path]]:
    """(name, the file used, a file it hides) for each scenario name held by more than one folder. Every folder
    but the last is read whole; the last (the packaged catalog, files named after their scenarios) by name."""
    found: list[tuple[str, Path, Path]] = []
    first: dict[str, Path] = {}
    for path in scenario_files(dirs[:-1]):
        try:
            name = load_scenario(path).name
        except ScenarioInputError:
            continue
        if name in first:
            found.append((name, first[name], path))
        else:
            first[name] = path
    for name, used in first.items():
        hidden = _file_named(name, dirs[-1]) if dirs[1:] else None
        if isinstance(hidden, Path) and hidden != used:
            found.append((name, used, hidden))
    return found


def collection_paths(files: list[Path]) -> list[Path]:
    """The pytest arguments that collect these files: a folder once for many of its files, where it holds
    nothing pytest could collect but scenario files (no Python, no subfolders), else each file.

    pytest collects a file argument's folder again for each file argument (to keep duplicates), so the whole
    catalog as 213 file arguments cost 46,000 collected files; as its folder, 213. The plugin keeps only the
    requested files of a folder it is given this way.
    """
    per_folder: dict[Path, list[Path]] = {}
    for path in dict.fromkeys(files):
        per_folder.setdefault(path.parent, []).append(path)
    paths: list[Path] = []
    for folder, inside in per_folder.items():
        plain = len(inside) > 1 and all(
            entry.is_file() and entry.suffix in (".yaml", ".yml") for entry in folder.iterdir()
        )
        paths.extend([folder] if plain else inside)
    return paths
