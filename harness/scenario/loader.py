"""The one loader of scenario files: YAML in, a validated Scenario out, or one `file:line:col` message.

Four passes, each with one job:
1. `tree`: parse the YAML (libyaml when present) into plain data, keeping each value's node for its place;
2. `schema.json`, validated with jsonschema: the language's structure (keys, actions, value choices), and
   `explain` turns its errors into one located line (a text the schema passed before is not validated again:
   `known_valid`);
3. `checks`: the table of named checks for what a schema cannot say (codes, SDK methods, participants, files);
4. `build`: the Scenario model.
"""

from __future__ import annotations

from pathlib import Path

from harness.errors import ScenarioInputError
from harness.scenario.build import build_scenario
from harness.scenario.checks import run_checks
from harness.scenario.known_valid import passed_before, remember
from harness.scenario.model import Scenario
from harness.scenario.tree import Tree, compose


def scenario_files(paths: list[Path]) -> list[Path]:
    """The scenario files named: a file as it is, a folder by every `*.yaml`/`*.yml` under it."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.y*ml")) if path.is_dir() else [path])
    return files


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate one scenario file; raises ScenarioInputError naming the place and the problem."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioInputError.at_file(shown, "no such scenario file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioInputError.at_file(shown, f"cannot read the file: {error}") from None
    return parse_scenario(text, shown)


def parse_scenario(text: str, path: str) -> Scenario:
    root = compose(text, path)
    if root is None:
        raise ScenarioInputError.at_file(path, "the file is empty: a scenario is a mapping with 'name' and 'steps'")
    tree = Tree(path, root)
    if not passed_before(text):  # the schema's verdict on this very text, remembered (known_valid.py)
        from harness.scenario.explain import first_problem  # jsonschema: loaded only when a text is new
        from harness.scenario.schema import validator

        problem = first_problem(validator().iter_errors(tree.data), tree)
        if problem is not None:
            raise problem
        remember(text)
    run_checks(tree)
    return build_scenario(tree)
