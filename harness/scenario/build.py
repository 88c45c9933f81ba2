"""The Scenario model from a file's data, once the schema and the named checks have accepted it.

Nothing here judges the input: every shape was checked by the schema, every cross-reference by a named check.
The defaults of timeout, browsers, sdk and a participant's role are the schema's `default` annotations.
"""

from __future__ import annotations

from typing import Any

from harness.durations import parse_duration
from harness.scenario import model, schema
from harness.scenario.checks import DEFAULT_PARTICIPANT, media_path
from harness.scenario.model import ErrorPattern, Participant, Scenario, Step, World
from harness.scenario.tree import Path, Tree

DEFAULT_ROLE: str = schema.properties(schema.DEFS["participant"])["role"]["default"]
# The fields of an error pattern that are copied as they are (the file's key -> the model's field).
PATTERN_FIELDS = {
    "type": "type",
    "reason": "reason",
    "reason_contains": "reason_contains",
    "name": "name",
    "message_contains": "message_contains",
    "subCode": "sub_code",
}


def build_scenario(tree: Tree) -> Scenario:
    return _Builder(tree).scenario()


class _Builder:
    def __init__(self, tree: Tree) -> None:
        self.tree = tree

    def scenario(self) -> Scenario:
        top: dict[str, Any] = self.tree.data
        given = self.world(top.get("given"), ("given",))
        if "participants" in top:
            participants = tuple(
                self.participant(name, spec or {}, ("participants", name), given)
                for name, spec in top["participants"].items()
            )
        else:
            participants = (Participant(DEFAULT_PARTICIPANT, "host", given),)
        first = participants[0].name
        return Scenario(
            name=top["name"],
            path=self.tree.file,
            location=self.tree.where(()),
            steps=tuple(self.step(step, ("steps", index), index + 1, first) for index, step in enumerate(top["steps"])),
            participants=participants,
            summary=top.get("summary", ""),
            tags=tuple(top.get("tags", ())),
            codes=tuple(top.get("codes", ())),
            browsers=tuple(top.get("browsers", schema.default("browsers"))),
            sdk=tuple(top.get("sdk", schema.default("sdk"))),
            timeout=parse_duration(top.get("timeout", schema.default("timeout"))),
            given=given,
            allow_errors=tuple(
                self.pattern(entry, ("allow_errors", index)) for index, entry in enumerate(top.get("allow_errors", ()))
            ),
        )

    def participant(self, name: str, spec: dict[str, Any], path: Path, given: World) -> Participant:
        role: str = spec.get("role", DEFAULT_ROLE)
        return Participant(name, role, given.merged(self.world(spec.get("given"), (*path, "given"))))

    def world(self, entries: dict[str, Any] | None, path: Path) -> World:
        """`given` (before the page loads) or a `fault` step's change; both have the same model."""
        entries = entries or {}
        fields: dict[str, Any] = {}
        for key in ("permissions", "platform", "system", "firewall"):
            if key in entries:
                fields[key] = dict(entries[key] or {})
        for key in ("assets", "account", "clock", "page"):
            if key in entries:
                fields[key] = entries[key]
        if "devices" in entries:
            fields.update(self.devices(entries["devices"] or {}, (*path, "devices")))
        if "network" in entries:
            network = entries["network"]
            if isinstance(network, dict):
                latency, jitter = (
                    parse_duration(network[key]) if key in network else 0.0 for key in ("latency", "jitter")
                )
                fields["conditions"] = model.NetworkConditions(latency, jitter)
            else:
                fields["network"] = network
        if "http" in entries:
            faults = entries["http"] if isinstance(entries["http"], list) else [entries["http"]]
            fields["http"] = tuple(self.http_fault(fault) for fault in faults)
        if "websocket" in entries:
            socket = entries["websocket"]
            fields["websocket"] = model.WebSocketClose(
                url=socket.get("url", "**"),
                code=socket["close"],
                reason=socket.get("reason", ""),
                at=socket.get("at", "now"),
            )
        if "session" in entries:
            fields["session"] = self.session(entries["session"], (*path, "session"))
        return World(**fields)

    def devices(self, entries: dict[str, Any], path: Path) -> dict[str, Any]:
        """`camera: busy`, or the long form `camera: {state: present, count: 2, file: clip.y4m}`."""
        result: dict[str, Any] = {"devices": {}, "device_counts": {}, "device_files": {}}
        for kind, spec in entries.items():
            if not isinstance(spec, dict):
                result["devices"][kind] = spec
                continue
            result["devices"][kind] = spec.get("state", "present")
            if "count" in spec:
                result["device_counts"][kind] = spec["count"]
            if "file" in spec:
                result["device_files"][kind] = str(media_path(self.tree.file, spec["file"]))
            if "clip" in spec:
                result["device_files"][kind] = model.CLIP_PREFIX + spec["clip"]
        return result

    def http_fault(self, fault: dict[str, Any]) -> model.HttpFault:
        if "status" in fault:
            return model.HttpFault(fault["url"], status=fault["status"], body=fault.get("body"))
        if "abort" in fault:
            return model.HttpFault(fault["url"], abort=fault["abort"])
        return model.HttpFault(fault["url"], restore=True)

    def session(self, action: dict[str, Any], path: Path) -> model.SessionAction:
        from harness.service.accounts import checked_settings

        if "remove" in action:
            return model.SessionAction(remove=action["remove"])
        if "end" in action:
            return model.SessionAction(end=True)
        return model.SessionAction(account=checked_settings(self.tree.values((*path, "account"))))

    def pattern(self, entries: dict[str, Any], path: Path) -> ErrorPattern:
        fields: dict[str, Any] = {}
        if "errorCode" in entries:
            codes = entries["errorCode"]
            fields["error_codes"] = tuple(codes) if isinstance(codes, list) else (codes,)
        for key, field_name in PATTERN_FIELDS.items():
            if key in entries:
                fields[field_name] = entries[key]
        return ErrorPattern(location=self.tree.where(path), **fields)

    def step(self, entries: dict[str, Any], path: Path, index: int, participant: str) -> Step:
        action = next(key for key in entries if key in schema.ACTIONS)
        participant = entries.get("as", participant)
        return Step(
            index=index,
            action=action,
            params=self.params(action, entries[action], (*path, action), index, participant),
            location=self.tree.where(path),
            participant=participant,
            expect_resolved=entries.get("expect") == "resolved",
            expect_pending=entries.get("expect") == "pending",
            expect_error=self.pattern(entries["expect_error"], (*path, "expect_error"))
            if "expect_error" in entries
            else None,
            within=parse_duration(entries["within"]) if "within" in entries else None,
            args=tuple(self.tree.value((*path, "args"))) if "args" in entries else (),
            expect_value=model.ExpectedValue(self.tree.value((*path, "expect_value")))
            if "expect_value" in entries
            else None,
        )

    def params(self, action: str, value: Any, path: Path, index: int, participant: str) -> Any:
        if action in ("call", "click"):
            return value
        if action in ("advance_clock", "sleep"):
            return parse_duration(value)
        if action == "fault":
            return self.world(value, path)
        if action == "together":
            return tuple(self.step(item, (*path, number), index, participant) for number, item in enumerate(value))
        entries: dict[str, Any] = value or {}
        if action in ("open", "init"):
            return dict(entries)
        if action in ("fill", "expect_text"):
            return {key: entries[key] for key in schema.properties(schema.DEFS["step"])[action]["required"]}
        if action == "join":
            return self.join(entries, path)
        if action == "leave":
            return {"end": entries.get("end", False)}
        if action == "wait_for_page_error":
            return {"name": entries.get("name"), "message_contains": entries.get("message_contains")}
        event = {
            "name": entries["name"],
            "match": self.tree.value((*path, "match")) if entries.get("match") is not None else None,
        }
        if action == "on_event":
            return {**event, "then": self.step(entries["then"], (*path, "then"), index, participant)}
        return event  # wait_for_event

    def join(self, entries: dict[str, Any], path: Path) -> dict[str, Any]:
        """`join:` parameters; `token:` holds claim overrides, with times relative to now for iat and exp."""
        result: dict[str, Any] = {key: entries[key] for key in ("topic", "name", "password", "role") if key in entries}
        if "token" in entries:
            claims = self.tree.values((*path, "token"))
            for claim in ("iat", "exp"):
                if isinstance(claims.get(claim), str):
                    claims[claim] = {"relative": parse_duration(claims[claim])}
            result["token"] = claims
        return result
