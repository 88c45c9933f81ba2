"""Schema errors as one located line: pick the error that names the real problem, find its node, say it plainly.

jsonschema reports every failed keyword, and for `anyOf`/`oneOf` a tree of every branch's failures. One error is
shown: unknown keys first (they usually explain the rest), then the first in the file. Inside `anyOf`/`oneOf`
the branch whose type fits the value is followed (a mapping is judged by the mapping branch, not by the list of
words), so the message names the unknown key inside a step rather than "not valid under any of the schemas".
The words come from the schema: its `messages` and `hints` where it has them, else a message per keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError

from harness.errors import Location, ScenarioInputError
from harness.scenario import schema as language
from harness.scenario.schema import STEP_PATHS, Schema, exactly_one_of, resolve
from harness.scenario.tree import Path, Tree, noun
from harness.yaml_nodes import describe, suggest, unknown_choice

JSON_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
PLACEHOLDER = re.compile(r"\{(what|value|key|unknown|suggestion|missing|expected|actions|action|first|second)\}")


def first_problem(errors: Iterable[ValidationError], tree: Tree) -> ScenarioInputError | None:
    """The one message for a document's schema errors (None when there are none)."""
    leaves = [_leaf(error, tree) for error in errors]
    if not leaves:
        return None
    best = min(leaves, key=lambda error: _rank(error, tree))
    return ScenarioInputError(_locate(best, tree), _phrase(best, tree))


def _rank(error: ValidationError, tree: Tree) -> tuple[int, int, int, int, int]:
    where = _locate(error, tree)
    unknown_key = error.validator == "additionalProperties" or _about_a_key(error)
    kind = 0 if unknown_key else 1 if error.validator == "type" else 2 if error.validator == "oneOf" else 3
    return (0 if unknown_key else 1, where.line, where.col, kind, -len(error.absolute_path))


def _leaf(error: ValidationError, tree: Tree) -> ValidationError:
    """Follow `anyOf`/`oneOf` into the branch that fits the value, unless the schema words the failure itself."""
    if error.validator not in ("anyOf", "oneOf") or not error.context or _custom(error) is not None:
        return error
    if _key_choice(error) is not None:
        return error
    branches: dict[int, list[ValidationError]] = {}
    for child in error.context:
        branches.setdefault(int(child.relative_schema_path[0]), []).append(child)
    fitting = [index for index in branches if _fits(_keyword_value(error)[index], _instance(error))]
    if not fitting:
        return error
    chosen = max(fitting, key=lambda index: max(len(child.absolute_path) for child in branches[index]))
    leaves = [_leaf(child, tree) for child in branches[chosen]]
    return min(leaves, key=lambda child: _rank(child, tree))


def _schema(error: ValidationError) -> Schema:
    """The schema whose keyword failed ({} for a `false` schema)."""
    return error.schema if isinstance(error.schema, dict) else {}


def _instance(error: ValidationError) -> Any:
    """The value that failed."""
    return error.instance


def _mapping(error: ValidationError) -> dict[str, Any]:
    """The value that failed, when it is a mapping (else empty)."""
    instance = error.instance
    return instance if isinstance(instance, dict) else {}


def _keyword_value(error: ValidationError) -> Any:
    """The failed keyword's value in the schema (the enum's words, the required keys, the branches...)."""
    return error.validator_value


def _fits(schema: Schema | bool, instance: Any) -> bool:
    types = _types(schema)
    return types is None or _json_type(instance) in types or (isinstance(instance, int) and "number" in types)


def _types(schema: Schema | bool) -> set[str] | None:
    """The JSON types a schema can accept, when it says (by type, const, enum or its allOf)."""
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return None
    if "type" in schema:
        declared = schema["type"]
        return {declared} if isinstance(declared, str) else set(declared)
    if "const" in schema:
        return {_json_type(schema["const"])}
    if "enum" in schema:
        return {_json_type(value) for value in schema["enum"]}
    known = [types for types in map(_types, schema.get("allOf", [])) if types is not None]
    return set.intersection(*known) if known else None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


def _key_choice(error: ValidationError) -> tuple[str, ...] | None:
    """The keys of a failed `oneOf` whose branches each require one key (exactly one action, one outcome)."""
    return exactly_one_of(_schema(error)) if error.validator == "oneOf" else None


def _present(error: ValidationError, keys: Iterable[str]) -> list[str]:
    wanted = set(keys)
    return [key for key in _mapping(error) if key in wanted]


def _about_a_key(error: ValidationError) -> bool:
    """An error about a key's name (propertyNames), where the instance is the key itself."""
    return "propertyNames" in error.absolute_schema_path


def _forbidden(error: ValidationError) -> bool:
    """A key the schema names only to refuse it (`not: {}`): the message is about the key, so it points there."""
    return (error.validator == "not" and _keyword_value(error) == {}) or error.schema is False


def _extra_keys(error: ValidationError) -> list[str]:
    schema = _schema(error)
    declared = schema.get("properties", {})
    patterns = [re.compile(pattern) for pattern in schema.get("patternProperties", {})]
    return [key for key in _mapping(error) if key not in declared and not any(p.search(key) for p in patterns)]


def _locate(error: ValidationError, tree: Tree) -> Location:
    path: Path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        extras = _extra_keys(error)
        return tree.where((*path, extras[0]), key=True) if extras else tree.where(path)
    if _about_a_key(error) and (*path, _instance(error)) in tree.nodes:
        return tree.where((*path, _instance(error)), key=True)
    if _forbidden(error):
        return tree.where(path, key=True)
    keys = _key_choice(error)
    if keys is not None and not error.context:
        present = _present(error, keys)
        return tree.where((*path, present[1]), key=True) if len(present) > 1 else tree.where(path)
    return tree.where(path)


def _custom(error: ValidationError) -> str | None:
    schema = _schema(error)
    if error.validator == "enum" and isinstance(_instance(error), str):
        hint = schema.get("hints", {}).get(_instance(error))
        if hint is not None:
            return str(hint)
    messages = schema.get("messages", {})
    if error.validator == "oneOf" and not error.context and "oneOf:several" in messages:
        return str(messages["oneOf:several"])
    message = messages.get(error.validator)
    return None if message is None else str(message)


def _phrase(error: ValidationError, tree: Tree) -> str:
    path: Path = tuple(error.absolute_path)
    fill = _Fill(error, tree, path)
    custom = _custom(error)
    if custom is not None:
        return PLACEHOLDER.sub(lambda match: fill.word(match.group(1)), custom)
    return _generic(error, fill)


def _generic(error: ValidationError, fill: _Fill) -> str:
    schema = _schema(error)
    what, value, keyword = fill.word("what"), fill.word("value"), error.validator
    if keyword == "additionalProperties":
        place = (schema.get("title") if fill.path else None) or what
        return f"unknown key {fill.word('unknown')} in {place}{fill.word('suggestion')}"
    if keyword == "enum" and not isinstance(_instance(error), str):
        return f"{what} must be one of: {fill.word('expected')}, got {value}"
    if keyword == "enum":
        return unknown_choice(str(schema.get("title") or what), _instance(error), _keyword_value(error))
    if keyword == "type" or (keyword in ("anyOf", "oneOf") and _key_choice(error) is None):
        return f"{what} must be {fill.types()} got {value}"
    if keyword == "required":
        return f"{what} needs {fill.word('missing')}"
    if keyword == "oneOf":
        if error.context:
            return f"{what} needs one of: {fill.word('expected')}"
        return f"{what} takes one of {fill.word('expected')}, not both {fill.word('first')} and {fill.word('second')}"
    if _forbidden(error):
        return f"{fill.word('key')!r} is not allowed here"
    if keyword == "minLength":
        return f"{what} must be a non-empty string, got {value}"
    if keyword in ("minimum", "maximum"):
        bound = "at least" if keyword == "minimum" else "at most"
        return f"{what} must be {bound} {_keyword_value(error)}, got {value}"
    if keyword == "minItems":
        count = _keyword_value(error)
        return f"{what} must list at least {count} {'entry' if count == 1 else 'entries'}"
    if keyword == "minProperties":
        return f"{what} must not be empty"
    if keyword == "maxProperties":
        return f"{what} takes at most {_keyword_value(error)} key(s)"
    if keyword == "const":
        return f"{what} can only be {_yaml_word(_keyword_value(error))}, got {value}"
    return f"{what}: {error.message}"


class _Fill:
    """The words a message's placeholders stand for."""

    def __init__(self, error: ValidationError, tree: Tree, path: Path) -> None:
        self.error, self.tree, self.path = error, tree, path

    def word(self, name: str) -> str:
        error = self.error
        if name == "what":
            return noun(self.path)
        if name == "value":
            return describe(_instance(error))
        if name == "key":
            return str(self.path[-1]) if self.path else "the scenario"
        if name == "missing":
            instance = _mapping(error)
            return repr(next((key for key in _keyword_value(error) if key not in instance), "?"))
        if name in ("first", "second"):
            present = _present(error, _key_choice(error) or ())
            index = 0 if name == "first" else 1
            return repr(present[index]) if len(present) > index else "?"
        if name == "unknown":
            return repr(self.unknown())
        if name == "suggestion":
            return suggest(self.unknown(), self.expected())
        if name == "action":
            return self.action()
        if name == "actions":
            return ", ".join(_actions())
        return ", ".join(self.expected())

    def unknown(self) -> str:
        extras = _extra_keys(self.error)
        return extras[0] if extras else "?"

    def expected(self) -> list[str]:
        error = self.error
        keys = _key_choice(error)
        if keys is not None:
            return list(keys)
        if error.validator == "enum":
            return [str(value) for value in _keyword_value(error)]
        schema = _schema(error)
        return list(schema.get("properties", {}))

    def action(self) -> str:
        """The action of the step this error is in (its innermost step)."""
        for end in range(len(self.path), 0, -1):
            if _is_step_path(self.path[:end]):
                step = self.tree.data_at(self.path[:end])
                actions = [key for key in step if key in _actions()] if isinstance(step, dict) else []
                return repr(actions[0]) if actions else "a step without an action"
        return "?"

    def types(self) -> str:
        """What the value may be: `a mapping or a list`, `a mapping or one of: online, offline; got`."""
        error = self.error
        schemas = _keyword_value(error) if error.validator in ("anyOf", "oneOf") else [_schema(error)]
        found: list[str] = []
        words: list[str] = []
        for schema in map(resolve, schemas):
            if isinstance(schema, dict) and "enum" in schema and "type" not in schema:
                words.append(f"one of: {', '.join(map(str, schema['enum']))};")
                continue
            found += [name for name in sorted(_types(schema) or ()) if name not in found]
        shown = [name for name in found if name != "null"] or found
        named = [JSON_TYPES.get(name, name) for name in shown]
        if "string" in shown and _schema(error).get("minLength"):
            named[shown.index("string")] = "a non-empty string"
        text = " or ".join(named + words) or "something else"
        return text if text.endswith(";") else f"{text},"


def _actions() -> tuple[str, ...]:
    """The step actions of the schema in use."""
    return exactly_one_of(language.DEFS["step"]) or ()


def _is_step_path(path: Path) -> bool:
    return any(_matches(pattern.split("/"), path) for pattern in STEP_PATHS)


def _matches(pattern: list[str], path: Path) -> bool:
    return len(pattern) == len(path) and all(p == "*" or p == str(key) for p, key in zip(pattern, path, strict=True))


def _yaml_word(value: Any) -> str:
    return "true" if value is True else "false" if value is False else describe(value)
