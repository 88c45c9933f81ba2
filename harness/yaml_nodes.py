"""Reading YAML nodes with their positions, and the words of messages about them ("did you mean", choices)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from harness.errors import Location, ScenarioInputError


class Reader:
    """Access to the nodes of one YAML file (the account profiles) that raises ScenarioInputError on a problem."""

    def __init__(self, path: str) -> None:
        self.path = path

    def where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: yaml.Node, problem: str) -> ScenarioInputError:
        return ScenarioInputError(self.where(node), problem)

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node); refuses duplicate and non-string keys."""
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return {}
        if not isinstance(node, yaml.MappingNode):
            shown = "a list" if isinstance(node, yaml.SequenceNode) else repr(node.value)
            raise self.fail(node, f"{what} must be a mapping, got {shown}")
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"keys of {what} must be plain words")
            key = str(key_node.value)
            if key in result:
                first = self.where(result[key][0])
                raise self.fail(key_node, f"duplicate key {key!r} in {what} (first at line {first.line})")
            result[key] = (key_node, value_node)
        return result

    def value(self, node: yaml.Node) -> Any:
        """The plain Python value of a node."""
        return SafeConstructor().construct_object(node, deep=True)


def describe(value: Any) -> str:
    """A value as a message shows it: 'text', 42, nothing, a mapping, a list."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_choice(what: str, value: Any, choices: Iterable[Any]) -> str:
    """`unknown WHAT 'value' (did you mean ...?); expected one of: ...`."""
    listed = [str(choice) for choice in choices]
    hint = suggest(value, listed) if isinstance(value, str) else ""
    return f"unknown {what} {describe(value)}{hint}; expected one of: {', '.join(listed)}"
