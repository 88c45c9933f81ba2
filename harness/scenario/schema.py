"""The scenario language's structure: `schema.json` next to this module, and the words other code reads from it.

`schema.json` is written by hand and is the only place the language's keys, actions and value choices are listed;
this module never adds to it. An editor can validate and complete scenarios with it, e.g. with the VS Code YAML
extension: `# yaml-language-server: $schema=../harness/scenario/schema.json` at the top of a scenario file.

    .venv/bin/python -m harness.scenario.schema     # check schema.json is a valid JSON Schema (draft 2020-12 and 7)
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

Schema = dict[str, Any]

SCHEMA_PATH = Path(__file__).with_name("schema.json")
SCHEMA: Schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
DEFS: dict[str, Schema] = SCHEMA["$defs"]
# Where the schema puts steps ("*" is any one key or index): the steps list, a together group's steps, on_event's
# call. Path patterns of the named checks say `{step}` for each of these.
STEP_PATHS = ("steps/*", "steps/*/together/*", "steps/*/on_event/then")


def schema_path() -> Path:
    """The shipped schema file (package data of `harness`)."""
    return SCHEMA_PATH


def resolve(schema: Schema | bool) -> Schema | bool:
    """A schema with its `$ref` (to `#/$defs/NAME`) followed."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = DEFS[schema["$ref"].removeprefix("#/$defs/")]
    return schema


def properties(schema: Schema | bool) -> dict[str, Schema]:
    resolved = resolve(schema)
    return dict(resolved.get("properties", {})) if isinstance(resolved, dict) else {}


def forbidden(schema: Schema | bool) -> bool:
    """A key the schema names only to refuse it with a message (`not: {}`)."""
    resolved = resolve(schema)
    return resolved is False or (isinstance(resolved, dict) and resolved.get("not") == {})


def allowed_keys(schema: Schema | bool) -> tuple[str, ...]:
    return tuple(key for key, value in properties(schema).items() if not forbidden(value))


def exactly_one_of(schema: Schema | bool) -> tuple[str, ...] | None:
    """The keys of a `oneOf` whose branches each require one key (a step's action), else None."""
    resolved = resolve(schema)
    branches = resolved.get("oneOf") if isinstance(resolved, dict) else None
    if not branches or not all(set(branch) == {"required"} and len(branch["required"]) == 1 for branch in branches):
        return None
    return tuple(branch["required"][0] for branch in branches)


def default(*keys: str) -> Any:
    """The `default` annotation at a path of property names from the top, e.g. default("timeout")."""
    schema: Schema | bool = SCHEMA
    for key in keys:
        schema = properties(schema)[key]
    assert isinstance(schema, dict) and "default" in schema, keys
    return schema["default"]


TOP_LEVEL = allowed_keys(SCHEMA)
ACTIONS: tuple[str, ...] = exactly_one_of(DEFS["step"]) or ()
MODIFIERS = tuple(key for key in allowed_keys(DEFS["step"]) if key not in ACTIONS)
GIVEN_KEYS = allowed_keys(DEFS["given"])
FAULT_KEYS = allowed_keys(DEFS["fault"])


@cache
def validator() -> Validator:
    """A draft 2020-12 validator of scenarios (as plain data) where an integer is an int, never 5.0 or true."""
    from jsonschema import Draft202012Validator, validators

    types = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    strict: Any = validators.extend(Draft202012Validator, type_checker=types)  # type: ignore[no-untyped-call]
    checker: Validator = strict(_inlined(SCHEMA, _recursive_defs()))
    return checker


def _inlined(node: Any, keep: set[str]) -> Any:
    """The schema with each `$ref` to a definition that does not contain itself replaced by that definition.

    Same verdicts and messages; jsonschema looks a `$ref` up at every use, so this saves a quarter of the time.
    """
    if isinstance(node, list):
        return [_inlined(item, keep) for item in node]
    if not isinstance(node, dict):
        return node
    name = node.get("$ref", "").removeprefix("#/$defs/")
    if name and name not in keep:
        annotations = {key: value for key, value in node.items() if key != "$ref"}
        return {**annotations, **_inlined(DEFS[name], keep)}
    return {key: _inlined(value, keep) for key, value in node.items()}


def _recursive_defs() -> set[str]:
    """The definitions that refer to themselves, directly or through others (a step holds steps)."""

    def refs(node: Any) -> set[str]:
        if isinstance(node, dict):
            found = {node["$ref"].removeprefix("#/$defs/")} if "$ref" in node else set()
            return found.union(*map(refs, node.values()))
        return set().union(*map(refs, node)) if isinstance(node, list) else set()

    direct = {name: refs(definition) for name, definition in DEFS.items()}

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += direct[name]
        return seen

    return {name for name in DEFS if name in reaches(name)}


def main() -> int:
    from jsonschema import Draft7Validator, Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(SCHEMA)
        Draft7Validator.check_schema({key: value for key, value in SCHEMA.items() if key != "$schema"})
    except SchemaError as error:
        print(f"{SCHEMA_PATH}: not a valid JSON Schema at {'/'.join(map(str, error.path))}: {error.message}")
        return 1
    print(f"{SCHEMA_PATH}: valid; actions: {', '.join(ACTIONS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
