"""Parameters of the `join:` and `call:` steps."""

from __future__ import annotations

from typing import Any

import yaml

from harness.scenario import model
from harness.scenario.nodes import Reader, suggest
from harness.scenario.sdk_surface import TARGETS


def join_params(r: Reader, entries: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, Any]:
    """`join:` parameters; `token:` holds claim overrides (relative times for iat/exp)."""
    result: dict[str, Any] = {}
    for key in ("topic", "name", "password"):
        if key in entries:
            value = r.value(entries[key][1])
            if not isinstance(value, str):
                raise r.fail(entries[key][1], f"join.{key} must be a string (quote it), got {value!r}")
            result[key] = value
    if "role" in entries:
        result["role"] = r.choice(entries["role"][1], "role", model.ROLES)
    if "token" in entries:
        token_node = entries["token"][1]
        token = r.mapping(token_node, "join.token")
        claims: dict[str, Any] = {}
        for key, (_key_node, value_node) in token.items():
            value = r.value(value_node)
            if key == "signature":
                claims[key] = r.choice(value_node, "token signature", ("valid", "bad", "none"))
            elif key in ("iat", "exp") and isinstance(value, str):
                claims[key] = {"relative": r.duration(value_node, f"token.{key}", allow_negative=True)}
            else:
                claims[key] = value
        result["token"] = claims
    return result


def method_path(r: Reader, node: yaml.Node) -> str:
    """`call:` names TARGET.method from the documented surface, with a did-you-mean."""
    path = r.string(node, "call (an SDK method such as stream.startVideo)")
    target, _, method = path.partition(".")
    if target not in TARGETS or not method:
        raise r.fail(
            node,
            f"call {path!r} must be TARGET.method with TARGET one of: {', '.join(TARGETS)}{suggest(target, TARGETS)}",
        )
    if method not in TARGETS[target]:
        raise r.fail(
            node,
            f"unknown SDK method {path!r}{suggest(method, TARGETS[target]).replace(repr(''), '')}".replace(
                "(did you mean '", f"(did you mean '{target}."
            ),
        )
    return path
