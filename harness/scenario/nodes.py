"""Reading YAML nodes with their positions, so every problem points at `file:line:col`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import yaml

from harness.durations import parse_duration
from harness.errors import Location, ScenarioInputError

MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode


class Reader:
    """Typed access to the nodes of one file; each accessor raises ScenarioInputError on a mismatch."""

    def __init__(self, path: str) -> None:
        self.path = path

    def where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: yaml.Node, problem: str) -> ScenarioInputError:
        return ScenarioInputError(self.where(node), problem)

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node); refuses duplicate and non-string keys."""
        if is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping, got {kind_of(node)}")
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, f"keys of {what} must be plain words")
            key = str(key_node.value)
            if key in result:
                first = self.where(result[key][0])
                raise self.fail(key_node, f"duplicate key {key!r} in {what} (first at line {first.line})")
            result[key] = (key_node, value_node)
        return result

    def check_keys(self, entries: dict[str, tuple[yaml.Node, yaml.Node]], allowed: Iterable[str], what: str) -> None:
        allowed = tuple(allowed)
        for key, (key_node, _) in entries.items():
            if key not in allowed:
                raise self.fail(key_node, f"unknown key {key!r} in {what}{suggest(key, allowed)}")

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what} must be a list, got {kind_of(node)}")
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str:
        value = self.value(node)
        if not isinstance(node, ScalarNode) or not isinstance(value, str) or value == "":
            raise self.fail(node, f"{what} must be a non-empty string, got {describe_value(node, value)}")
        return value

    def integer(self, node: yaml.Node, what: str) -> int:
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(node, f"{what} must be an integer, got {describe_value(node, value)}")
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool:
        value = self.value(node)
        if not isinstance(value, bool):
            raise self.fail(node, f"{what} must be true or false, got {describe_value(node, value)}")
        return value

    def choice(self, node: yaml.Node, what: str, choices: Iterable[str]) -> str:
        choices = tuple(choices)
        value = self.value(node)
        if not isinstance(value, str) or value not in choices:
            shown = value if isinstance(value, str) else describe_value(node, value)
            raise self.fail(
                node, f"unknown {what} {shown!r}{suggest(str(shown), choices)}; expected one of: {', '.join(choices)}"
            )
        return value

    def duration(self, node: yaml.Node, what: str, *, allow_negative: bool = False) -> float:
        value = self.value(node)
        if not isinstance(value, str):
            raise self.fail(
                node, f"{what} must be a duration such as 250ms, 5s or 2m, got {describe_value(node, value)}"
            )
        try:
            seconds = parse_duration(value)
        except ValueError as error:
            raise self.fail(node, f"{what}: {error}") from None
        if seconds < 0 and not allow_negative:
            raise self.fail(node, f"{what} must not be negative, got {value!r}")
        return seconds

    def string_list(self, node: yaml.Node, what: str, choices: Iterable[str] | None = None) -> tuple[str, ...]:
        items = self.sequence(node, what)
        if choices is None:
            return tuple(self.string(item, f"each entry of {what}") for item in items)
        return tuple(self.choice(item, f"entry of {what}", choices) for item in items)

    def value(self, node: yaml.Node) -> Any:
        """The plain Python value of a node (for free-form data such as call args)."""
        return yaml.SafeLoader.construct_document(_constructor(), node)


def _constructor() -> yaml.SafeLoader:
    loader = yaml.SafeLoader("")
    return loader


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return f"{node.value!r}"


def describe_value(node: yaml.Node, value: Any) -> str:
    if not isinstance(node, ScalarNode):
        return kind_of(node)
    if value is None:
        return "nothing"
    return repr(value)


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
