"""A scenario file as plain data for the schema, keeping the YAML node each value came from (for `file:line:col`)."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from harness.errors import Location, ScenarioInputError

# libyaml's parser when PyYAML was built with it (ten times faster). Every written key and value has the same
# place with either parser; an empty value may be one column apart.
FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[str | int, ...]  # keys and list indexes from the top of the document


class Tree:
    """The document's data (mapping keys as written), and for every path its key node and value node."""

    def __init__(self, file: str, root: yaml.Node) -> None:
        self.file = file
        self.root = root
        self.nodes: dict[Path, tuple[yaml.Node | None, yaml.Node]] = {}  # in document order
        self._constructor = SafeConstructor()
        self._open: set[int] = set()  # the collections being read, to refuse one that contains itself
        self.data = self._read((), None, root)

    def where(self, path: Path, *, key: bool = False) -> Location:
        """The place of the value at `path`, or of its key."""
        key_node, value_node = self.nodes[path]
        return _at(self.file, key_node if key and key_node is not None else value_node)

    def fail(self, path: Path, problem: str, *, key: bool = False) -> ScenarioInputError:
        return ScenarioInputError(self.where(path, key=key), problem)

    def value(self, path: Path) -> Any:
        """The value at `path` as YAML constructs it (typed keys, merges): free data such as call arguments."""
        node = self.nodes[path][1]
        self._constructor.constructed_objects.clear()
        return self._constructor.construct_object(node, deep=True)

    def values(self, path: Path) -> dict[str, Any]:
        """A mapping's values as YAML constructs them, under its keys as written (empty for nothing)."""
        entries = self.data_at(path) or {}
        return {key: self.value((*path, key)) for key in entries}

    def data_at(self, path: Path) -> Any:
        data = self.data
        for key in path:
            data = data[key]
        return data

    def _read(self, path: Path, key_node: yaml.Node | None, node: yaml.Node) -> Any:
        self.nodes[path] = (key_node, node)
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self._open:
                raise self.fail(path, f"{noun(path)} contains itself (a YAML alias of an enclosing value)")
            self._open.add(id(node))
            try:
                return self._collection(path, node)
            finally:
                self._open.discard(id(node))
        return self._constructor.construct_object(node)

    def _collection(self, path: Path, node: yaml.CollectionNode) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            for child_key, child in node.value:
                if not isinstance(child_key, yaml.ScalarNode):
                    raise ScenarioInputError(_at(self.file, child_key), f"keys of {noun(path)} must be plain words")
                key = str(child_key.value)
                if key in first_line:
                    problem = f"duplicate key {key!r} in {noun(path)} (first at line {first_line[key]})"
                    raise ScenarioInputError(_at(self.file, child_key), problem)
                first_line[key] = child_key.start_mark.line + 1
                result[key] = self._read((*path, key), child_key, child)
            return result
        return [self._read((*path, index), None, item) for index, item in enumerate(node.value)]


def compose(text: str, file: str) -> yaml.Node | None:
    """The one YAML document of a scenario file (None when empty); YAML errors become located messages."""
    try:
        documents = [doc for doc in yaml.compose_all(text, Loader=FastLoader) if doc is not None]
    except yaml.YAMLError:
        documents = _compose_for_the_message(text, file)
    if len(documents) > 1:
        raise ScenarioInputError(_at(file, documents[1]), "one scenario per file: remove the second YAML document")
    return documents[0] if documents else None


def _compose_for_the_message(text: str, file: str) -> list[yaml.Node]:
    """Parse again with PyYAML's own parser, whose messages name the character (libyaml's do not)."""
    try:
        return [doc for doc in yaml.compose_all(text, Loader=yaml.SafeLoader) if doc is not None]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise ScenarioInputError(Location(file, line, col), f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise ScenarioInputError.at_file(file, f"YAML error: {error}") from None


def _at(file: str, node: yaml.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


def noun(path: Path) -> str:
    """How a message names the place: `the scenario`, `step 3`, `given.devices.camera`, `entry of codes`."""
    if not path:
        return "the scenario"
    words: list[str] = []
    rest = path
    if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int):
        step = f"step {path[1] + 1}"
        rest = path[2:]
        if len(rest) >= 2 and rest[0] == "together" and isinstance(rest[1], int):
            step = f"together entry {rest[1] + 1} of {step}"
            rest = rest[2:]
        if not rest:
            return step
    words = [key for key in rest if isinstance(key, str)]
    return f"entry of {'.'.join(words)}" if isinstance(rest[-1], int) else ".".join(words)
