"""The one loader of scenario files: YAML in, a validated Scenario out, or one `file:line:col` message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from harness.catalog import codes as catalog_codes
from harness.errors import HarnessError, Location, ScenarioInputError
from harness.scenario import model
from harness.scenario.model import ErrorPattern, Participant, Scenario, Step, World
from harness.scenario.nodes import Reader, is_null, suggest
from harness.scenario.sdk_surface import EVENTS
from harness.scenario.step_params import join_params, method_path

TOP_LEVEL = (
    "name",
    "summary",
    "tags",
    "codes",
    "browsers",
    "sdk",
    "timeout",
    "given",
    "participants",
    "steps",
    "allow_errors",
)
GIVEN_KEYS = (
    "permissions",
    "devices",
    "network",
    "http",
    "firewall",
    "platform",
    "system",
    "assets",
    "account",
    "clock",
)
GIVEN_ONLY_KEYS = ("platform", "system", "account", "clock")
ACTIONS = (
    "open",
    "init",
    "join",
    "call",
    "click",
    "fill",
    "fault",
    "wait_for_event",
    "advance_clock",
    "sleep",
    "expect_text",
    "leave",
    "together",
    "on_event",
)
TOGETHER_ACTIONS = ("call", "leave")  # what a `together` group may hold: calls started in one moment
MODIFIERS = ("as", "expect", "expect_error", "within", "args")
PROMISE_ACTIONS = ("init", "join", "call", "leave")
WITHIN_ACTIONS = ("wait_for_event", "expect_text", "together", "on_event", *PROMISE_ACTIONS)
PATTERN_KEYS = ("errorCode", "type", "reason", "reason_contains", "subCode", "name", "message_contains")
FAULT_ONLY_KEYS = ("websocket", "session")
REFERENCES = ("$userId", "$element", "$file", "$call")
MEDIA_FILE_SUFFIX = {"camera": ".y4m", "microphone": ".wav"}
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
    reader = Reader(path)
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise ScenarioInputError(Location(path, line, col), f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise ScenarioInputError.at_file(path, f"YAML error: {error}") from None
    documents = [doc for doc in documents if doc is not None]
    if not documents:
        raise ScenarioInputError.at_file(path, "the file is empty: a scenario is a mapping with 'name' and 'steps'")
    if len(documents) > 1:
        raise reader.fail(documents[1], "one scenario per file: remove the second YAML document")
    root = documents[0]
    if not isinstance(root, yaml.MappingNode):
        raise reader.fail(root, "a scenario must be a mapping with 'name' and 'steps' at the top level")
    return _Builder(reader).scenario(root)


class _Builder:
    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.pending_participants: list[tuple[str, yaml.Node]] = []  # names a session fault refers to

    def scenario(self, root: yaml.Node) -> Scenario:
        r = self.r
        top = r.mapping(root, "the scenario")
        r.check_keys(top, TOP_LEVEL, "the scenario")
        for required in ("name", "steps"):
            if required not in top:
                raise r.fail(root, f"missing required key {required!r}")
        name_node = top["name"][1]
        name = r.string(name_node, "name")
        if not NAME_PATTERN.match(name):
            raise r.fail(name_node, f"name {name!r} must be lower-case words joined by '-' (letters and digits)")
        given = self.world(top["given"][1], "given", mid_session=False) if "given" in top else World()
        participants = (
            self.participants(top["participants"][1], given)
            if "participants" in top
            else (Participant("me", "host", given),)
        )
        steps_node = top["steps"][1]
        step_nodes = r.sequence(steps_node, "steps")
        if not step_nodes:
            raise r.fail(steps_node, "steps must list at least one step")
        names = [p.name for p in participants]
        steps = tuple(self.step(node, index, names) for index, node in enumerate(step_nodes, start=1))
        for named, where in self.pending_participants:
            if named not in names:
                raise r.fail(
                    where, f"unknown participant {named!r}{suggest(named, names)}; participants are: {', '.join(names)}"
                )
        return Scenario(
            name=name,
            path=r.path,
            location=r.where(root),
            steps=steps,
            participants=participants,
            summary=r.string(top["summary"][1], "summary") if "summary" in top else "",
            tags=r.string_list(top["tags"][1], "tags") if "tags" in top else (),
            codes=self.codes(top["codes"][1]) if "codes" in top else (),
            browsers=r.string_list(top["browsers"][1], "browsers", model.BROWSERS)
            if "browsers" in top
            else model.BROWSERS,
            sdk=r.string_list(top["sdk"][1], "sdk", model.SDKS) if "sdk" in top else ("double",),
            timeout=r.duration(top["timeout"][1], "timeout") if "timeout" in top else 30.0,
            given=given,
            allow_errors=tuple(
                self.pattern(node, "allow_errors entry") for node in r.sequence(top["allow_errors"][1], "allow_errors")
            )
            if "allow_errors" in top
            else (),
        )

    def codes(self, node: yaml.Node) -> tuple[int, ...]:
        known = catalog_codes()
        result = []
        for item in self.r.sequence(node, "codes"):
            code = self.r.integer(item, "each entry of codes")
            if code not in known:
                raise self.r.fail(item, f"unknown SDK error code {code}: it is not in the error catalog")
            result.append(code)
        return tuple(result)

    def participants(self, node: yaml.Node, given: World) -> tuple[Participant, ...]:
        r = self.r
        entries = r.mapping(node, "participants")
        if not entries:
            raise r.fail(node, "participants must name at least one participant")
        result = []
        for name, (key_node, value_node) in entries.items():
            if not NAME_PATTERN.match(name):
                raise r.fail(key_node, f"participant name {name!r} must be lower-case letters, digits and '-'")
            spec = r.mapping(value_node, f"participant {name!r}")
            r.check_keys(spec, ("role", "given"), f"participant {name!r}")
            role = r.choice(spec["role"][1], "role", model.ROLES) if "role" in spec else "attendee"
            own = self.world(spec["given"][1], f"given of {name!r}", mid_session=False) if "given" in spec else World()
            result.append(Participant(name, role, given.merged(own)))
        return tuple(result)

    def world(self, node: yaml.Node, what: str, *, mid_session: bool) -> World:
        r = self.r
        entries = r.mapping(node, what)
        if mid_session:
            allowed = tuple(key for key in GIVEN_KEYS if key not in GIVEN_ONLY_KEYS) + FAULT_ONLY_KEYS
            for key in GIVEN_ONLY_KEYS:
                if key in entries:
                    raise r.fail(entries[key][0], f"{key!r} is part of `given` only: it is set before the page loads")
        else:
            allowed = GIVEN_KEYS
            for key in FAULT_ONLY_KEYS:
                if key in entries:
                    raise r.fail(entries[key][0], f"{key!r} happens mid-session: use it in a `fault:` step")
        r.check_keys(entries, allowed, what)
        fields: dict[str, Any] = {}
        if "permissions" in entries:
            fields["permissions"] = self.permissions(entries["permissions"][1], mid_session)
        if "devices" in entries:
            fields.update(self.devices(entries["devices"][1], mid_session))
        if "network" in entries:
            fields.update(self.network(entries["network"][1], mid_session))
        if "http" in entries:
            fields["http"] = self.http_faults(entries["http"][1])
        if "websocket" in entries:
            fields["websocket"] = self.websocket(entries["websocket"][1])
        if "session" in entries:
            fields["session"] = self.session(entries["session"][1])
        if "platform" in entries:
            platform = r.mapping(entries["platform"][1], "platform")
            r.check_keys(platform, model.PLATFORM_CAPABILITIES, "platform")
            fields["platform"] = {k: r.boolean(v, f"platform.{k}") for k, (_, v) in platform.items()}
        if "system" in entries:
            fields["system"] = self.system(entries["system"][1])
        if "firewall" in entries:
            rules = r.mapping(entries["firewall"][1], "firewall")
            r.check_keys(rules, model.FIREWALL_TARGETS, "firewall")
            fields["firewall"] = {k: r.choice(v, f"firewall.{k}", model.FIREWALL_STATES) for k, (_, v) in rules.items()}
        if "assets" in entries:
            fields["assets"] = r.choice(entries["assets"][1], "assets state", model.ASSET_STATES)
        if "account" in entries:
            fields["account"] = r.choice(entries["account"][1], "account", _account_names())
        if "clock" in entries:
            fields["clock"] = r.choice(entries["clock"][1], "clock", model.CLOCK_MODES)
        return World(**fields)

    def system(self, node: yaml.Node) -> dict[str, Any]:
        """The computer as the browser reports it: `os` (its user agent) and `cpu_cores`."""
        r = self.r
        entries = r.mapping(node, "system")
        r.check_keys(entries, model.SYSTEM_KEYS, "system")
        result: dict[str, Any] = {}
        if "os" in entries:
            result["os"] = r.choice(entries["os"][1], "system.os", model.SYSTEM_OSES)
        if "cpu_cores" in entries:
            cores = r.integer(entries["cpu_cores"][1], "system.cpu_cores")
            if not 1 <= cores <= model.MAX_CPU_CORES:
                raise r.fail(
                    entries["cpu_cores"][1], f"system.cpu_cores is a number of cores, 1 to {model.MAX_CPU_CORES}"
                )
            result["cpu_cores"] = cores
        return result

    def permissions(self, node: yaml.Node, mid_session: bool) -> dict[str, str]:
        """Camera and microphone permissions; `screen` is the person's answer in the screen picker."""
        r = self.r
        entries = r.mapping(node, "permissions")
        r.check_keys(entries, model.PERMISSION_KINDS, "permissions")
        result = {}
        for kind, (key_node, value) in entries.items():
            if kind == model.PAN_TILT_ZOOM:
                result[kind] = r.choice(value, "pan/tilt/zoom permission", model.PAN_TILT_ZOOM_STATES)
                continue
            if kind != model.SCREEN:
                result[kind] = r.choice(value, "permission", model.PERMISSION_STATES)
                continue
            if mid_session:
                raise r.fail(
                    key_node,
                    "the screen picker's answer is part of `given`; mid-session, `devices: {screen: stopped}` is the "
                    "person clicking 'Stop sharing'",
                )
            if r.value(value) == "prompt-dismissed":
                raise r.fail(value, "a screen picker has no dismissal apart from cancelling it: use `screen: denied`")
            result[kind] = r.choice(value, "screen permission", model.SCREEN_PERMISSION_STATES)
        return result

    def devices(self, node: yaml.Node, mid_session: bool) -> dict[str, Any]:
        """`camera: busy`, or the long form `camera: {state: present, count: 2, file: clip.y4m}`."""
        r = self.r
        states = model.FAULT_DEVICE_STATES if mid_session else model.DEVICE_STATES
        entries = r.mapping(node, "devices")
        if model.SCREEN in entries and not mid_session:
            raise r.fail(
                entries[model.SCREEN][0],
                "a screen is offered by the picker, not plugged in: use `permissions: {screen: granted}` in `given`, "
                "and `devices: {screen: stopped}` mid-session",
            )
        r.check_keys(entries, (*model.MEDIA_KINDS, model.SCREEN) if mid_session else model.MEDIA_KINDS, "devices")
        result: dict[str, Any] = {"devices": {}, "device_counts": {}, "device_files": {}}
        for kind, (_, value) in entries.items():
            if kind == model.SCREEN:
                result["devices"][kind] = r.choice(value, "screen state", model.FAULT_SCREEN_STATES)
                continue
            if not isinstance(value, yaml.MappingNode):
                if not mid_session and r.value(value) == "unplugged":
                    raise r.fail(
                        value,
                        "a device is unplugged while in use, mid-session: use "
                        f"`fault: {{devices: {{{kind}: unplugged}}}}` in a step; before the page loads it is `absent`",
                    )
                result["devices"][kind] = r.choice(value, f"{kind} state", model.device_states(kind, states))
                continue
            spec = r.mapping(value, f"devices.{kind}")
            long_keys = ("state", "count", "file", "clip")
            r.check_keys(spec, long_keys if not mid_session else ("state",), f"devices.{kind}")
            result["devices"][kind] = (
                r.choice(spec["state"][1], f"{kind} state", model.device_states(kind, states))
                if "state" in spec
                else "present"
            )
            if "count" in spec:
                count = r.integer(spec["count"][1], f"devices.{kind}.count")
                if not 1 <= count <= model.MAX_DEVICE_COUNT:
                    raise r.fail(spec["count"][1], f"devices.{kind}.count must be 1 to {model.MAX_DEVICE_COUNT}")
                result["device_counts"][kind] = count
            if "file" in spec and "clip" in spec:
                raise r.fail(spec["clip"][0], f"devices.{kind} plays either a file or a clip, not both")
            if "file" in spec:
                result["device_files"][kind] = self.media_file(spec["file"][1], kind)
            if "clip" in spec:
                clip = r.choice(spec["clip"][1], f"{kind} clip", model.MEDIA_CLIPS[kind])
                result["device_files"][kind] = model.CLIP_PREFIX + clip
        return result

    def media_file(self, node: yaml.Node, kind: str) -> str:
        r = self.r
        wanted = MEDIA_FILE_SUFFIX[kind]
        name = r.string(node, f"devices.{kind}.file")
        if not name.endswith(wanted):
            raise r.fail(node, f"the {kind} plays a {wanted} file; {name!r} is not one")
        path = Path(name) if Path(name).is_absolute() else Path(r.path).resolve().parent / name
        if not path.is_file():
            raise r.fail(node, f"no such media file: {path}")
        return str(path)

    def network(self, node: yaml.Node, mid_session: bool) -> dict[str, Any]:
        r = self.r
        if isinstance(node, yaml.MappingNode):
            entries = r.mapping(node, "network conditions")
            r.check_keys(entries, ("latency", "jitter"), "network conditions")
            if not entries:
                raise r.fail(node, "network conditions need latency and/or jitter, e.g. {latency: 300ms}")
            latency = r.duration(entries["latency"][1], "latency") if "latency" in entries else 0.0
            jitter = r.duration(entries["jitter"][1], "jitter") if "jitter" in entries else 0.0
            if jitter > latency:
                where = entries["jitter"][1]
                raise r.fail(where, "jitter cannot be larger than latency (a packet cannot arrive before it is sent)")
            return {"conditions": model.NetworkConditions(latency, jitter)}
        states = model.FAULT_NETWORK_STATES if mid_session else model.NETWORK_STATES
        return {"network": r.choice(node, "network state", states)}

    def http_faults(self, node: yaml.Node) -> tuple[model.HttpFault, ...]:
        if isinstance(node, yaml.SequenceNode):
            items = self.r.sequence(node, "http")
            if not items:
                raise self.r.fail(node, "http must list at least one fault")
            return tuple(self.http_fault(item) for item in items)
        return (self.http_fault(node),)

    def http_fault(self, node: yaml.Node) -> model.HttpFault:
        r = self.r
        entries = r.mapping(node, "http fault")
        r.check_keys(entries, ("url", "status", "body", "abort", "restore"), "http fault")
        if "url" not in entries:
            raise r.fail(node, 'an http fault needs url (a glob such as "**/wc/lsdk*")')
        outcomes = [key for key in ("status", "abort", "restore") if key in entries]
        if len(outcomes) != 1:
            raise r.fail(node, "an http fault needs exactly one of status, abort or restore")
        url = r.string(entries["url"][1], "http.url")
        if "status" in entries:
            status = r.integer(entries["status"][1], "http.status")
            if not 100 <= status <= 599:
                raise r.fail(entries["status"][1], f"http.status must be an HTTP status (100-599), not {status}")
            body = r.string(entries["body"][1], "http.body") if "body" in entries else None
            return model.HttpFault(url, status=status, body=body)
        if "body" in entries:
            raise r.fail(entries["body"][0], "body applies only with status")
        if "abort" in entries:
            return model.HttpFault(url, abort=r.choice(entries["abort"][1], "http.abort", model.HTTP_ABORTS))
        if not r.boolean(entries["restore"][1], "http.restore"):
            raise r.fail(entries["restore"][1], "restore: true undoes an earlier http fault for that url")
        return model.HttpFault(url, restore=True)

    def websocket(self, node: yaml.Node) -> model.WebSocketClose:
        r = self.r
        entries = r.mapping(node, "websocket fault")
        r.check_keys(entries, ("url", "close", "reason"), "websocket fault")
        if "close" not in entries:
            raise r.fail(node, "a websocket fault needs close: CODE (1000, or 3000-4999)")
        code = r.integer(entries["close"][1], "websocket.close")
        if code != 1000 and not 3000 <= code <= 4999:
            raise r.fail(entries["close"][1], f"a close code sent by a peer is 1000 or 3000-4999, not {code}")
        return model.WebSocketClose(
            url=r.string(entries["url"][1], "websocket.url") if "url" in entries else "**",
            code=code,
            reason=r.string(entries["reason"][1], "websocket.reason") if "reason" in entries else "",
        )

    def session(self, node: yaml.Node) -> model.SessionAction:
        r = self.r
        entries = r.mapping(node, "session fault")
        r.check_keys(entries, ("remove", "end", "account"), "session fault")
        if len(entries) != 1:
            raise r.fail(node, "a session fault does one thing: remove: NAME, end: true, or account: {SETTING: VALUE}")
        if "remove" in entries:
            name = r.string(entries["remove"][1], "session.remove")
            self.pending_participants.append((name, entries["remove"][1]))
            return model.SessionAction(remove=name)
        if "end" in entries:
            if not r.boolean(entries["end"][1], "session.end"):
                raise r.fail(entries["end"][1], "session: {end: true} ends the session; false does nothing")
            return model.SessionAction(end=True)
        settings = r.mapping(entries["account"][1], "session.account")
        if not settings:
            raise r.fail(entries["account"][1], "session.account must change at least one setting")
        changes = {key: r.value(value) for key, (_, value) in settings.items()}
        try:
            checked = _checked_settings(changes)
        except HarnessError as error:
            raise r.fail(entries["account"][1], str(error)) from None
        return model.SessionAction(account=checked)

    def pattern(self, node: yaml.Node, what: str) -> ErrorPattern:
        r = self.r
        entries = r.mapping(node, what)
        if not entries:
            raise r.fail(node, f"{what} must name at least one of: {', '.join(PATTERN_KEYS)}")
        r.check_keys(entries, PATTERN_KEYS, what)
        fields: dict[str, Any] = {}
        if "errorCode" in entries:
            code_node = entries["errorCode"][1]
            if isinstance(code_node, yaml.SequenceNode):
                listed = tuple(r.integer(item, "each errorCode") for item in r.sequence(code_node, "errorCode"))
                if not listed:
                    raise r.fail(code_node, "errorCode list must not be empty")
                fields["error_codes"] = listed
            else:
                fields["error_codes"] = (r.integer(code_node, "errorCode"),)
            for code, item in zip(fields["error_codes"], _items(code_node), strict=False):
                if code not in catalog_codes():
                    raise r.fail(item, f"unknown SDK error code {code}: it is not in the error catalog")
        for key, field_name in (
            ("type", "type"),
            ("reason", "reason"),
            ("reason_contains", "reason_contains"),
            ("name", "name"),
            ("message_contains", "message_contains"),
        ):
            if key in entries:
                fields[field_name] = r.string(entries[key][1], key)
        if "subCode" in entries:
            fields["sub_code"] = r.integer(entries["subCode"][1], "subCode")
        return ErrorPattern(location=r.where(node), **fields)

    def step(self, node: yaml.Node, index: int, participants: list[str]) -> Step:
        r = self.r
        what = f"step {index}"
        if not isinstance(node, yaml.MappingNode):
            raise r.fail(node, f"{what} must be a mapping with one action such as 'call: stream.startVideo'")
        entries = r.mapping(node, what)
        actions = [key for key in entries if key in ACTIONS]
        unknown = [key for key in entries if key not in ACTIONS and key not in MODIFIERS]
        if unknown:
            key_node = entries[unknown[0]][0]
            raise r.fail(
                key_node,
                f"unknown step key {unknown[0]!r}{suggest(unknown[0], ACTIONS + MODIFIERS)}; "
                f"actions are: {', '.join(ACTIONS)}",
            )
        if not actions:
            raise r.fail(node, f"{what} has no action; expected one of: {', '.join(ACTIONS)}")
        if len(actions) > 1:
            second = entries[actions[1]][0]
            raise r.fail(second, f"{what} has two actions, {actions[0]!r} and {actions[1]!r}: put each in its own step")
        action = actions[0]
        action_node = entries[action][1]
        participant = participants[0]
        if "as" in entries:
            participant = r.string(entries["as"][1], "as")
            if participant not in participants:
                raise r.fail(
                    entries["as"][1],
                    f"unknown participant {participant!r}{suggest(participant, participants)}; "
                    f"participants are: {', '.join(participants)}",
                )
        if ("expect" in entries or "expect_error" in entries) and action not in PROMISE_ACTIONS:
            key = "expect" if "expect" in entries else "expect_error"
            if action == "on_event":
                raise r.fail(entries[key][0], f"{key} goes in on_event's 'then', with the call it checks")
            raise r.fail(entries[key][0], f"{key} applies to {', '.join(PROMISE_ACTIONS)} steps, not to {action!r}")
        if "expect" in entries and "expect_error" in entries:
            raise r.fail(entries["expect_error"][0], "a step has either expect: resolved or expect_error, not both")
        if "args" in entries and action != "call":
            raise r.fail(entries["args"][0], "args applies only to call steps")
        if "within" in entries and action not in WITHIN_ACTIONS:
            raise r.fail(entries["within"][0], f"within does not apply to {action!r} steps")
        expect_resolved = False
        if "expect" in entries:
            r.choice(entries["expect"][1], "expect", ("resolved",))
            expect_resolved = True
        return Step(
            index=index,
            action=action,
            params=self.together(action_node, index, participant)
            if action == "together"
            else self.on_event(action_node, index, participant)
            if action == "on_event"
            else self.action_params(action, action_node),
            location=r.where(node),
            participant=participant,
            expect_resolved=expect_resolved,
            expect_error=self.pattern(entries["expect_error"][1], "expect_error")
            if "expect_error" in entries
            else None,
            within=r.duration(entries["within"][1], "within") if "within" in entries else None,
            args=tuple(self.args(entries["args"][1])) if "args" in entries else (),
        )

    def together(self, node: yaml.Node, index: int, participant: str) -> tuple[Step, ...]:
        """`together: [call steps]`: calls one participant starts in the same moment, none waiting for another."""
        r = self.r
        example = (
            "e.g. together: [{call: stream.startVideo}, {call: stream.stopVideo, expect_error: {errorCode: 6105}}]"
        )
        if not isinstance(node, yaml.SequenceNode) or len(node.value) < 2:
            raise r.fail(node, f"together is a list of two or more call or leave steps, {example}")
        group = []
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                entries = r.mapping(item, "a step of together")
                for key in ("as", "within"):
                    if key in entries:
                        raise r.fail(entries[key][0], f"{key} goes on the together step itself, not on the steps in it")
            step = self.step(item, index, [participant])
            if step.action not in TOGETHER_ACTIONS:
                raise r.fail(item, f"together holds only {' and '.join(TOGETHER_ACTIONS)} steps, not {step.action!r}")
            group.append(step)
        return tuple(group)

    def on_event(self, node: yaml.Node, index: int, participant: str) -> dict[str, Any]:
        """`on_event: {name, match, then: {call step}}`: the page makes the call from inside the event's handler."""
        r = self.r
        entries = r.mapping(node, "on_event")
        r.check_keys(entries, ACTION_KEYS["on_event"], "on_event")
        example = "e.g. then: {call: stream.startAudio, expect_error: {errorCode: 6002}}"
        if "then" not in entries:
            raise r.fail(node, f"on_event needs 'then', the call the page makes when it hears the event, {example}")
        event = self.event_params(node, {key: entries[key] for key in ("name", "match") if key in entries}, "on_event")
        then = entries["then"][1]
        if isinstance(then, yaml.MappingNode):
            for key, (key_node, _) in r.mapping(then, "on_event.then").items():
                if key in ("as", "within"):
                    raise r.fail(key_node, f"{key} goes on the on_event step itself, not on its 'then'")
        step = self.step(then, index, [participant])
        if step.action != "call":
            raise r.fail(then, f"on_event's 'then' is one call step, not {step.action!r}, {example}")
        return {**event, "then": step}

    def event_params(self, node: yaml.Node, entries: dict[str, Any], action: str) -> dict[str, Any]:
        """An SDK event's name and the payload fields to match (wait_for_event, on_event)."""
        r = self.r
        if "name" not in entries:
            raise r.fail(node, f"{action} needs the event's name, e.g. {{name: connection-change}}")
        match = entries.get("match")
        if match is not None and isinstance(match[1], yaml.SequenceNode):
            raise r.fail(match[1], "match is a mapping of payload fields, e.g. {state: Reconnecting}, or a plain value")
        if match is not None:
            self.check_references(match[1])
        event = r.string(entries["name"][1], "event name")
        if event not in EVENTS:
            raise r.fail(
                entries["name"][1],
                f"unknown SDK event {event!r}{suggest(event, EVENTS)}: the 2.5.0 typings declare no such event",
            )
        return {"name": event, "match": r.value(match[1]) if match and not is_null(match[1]) else None}

    def args(self, node: yaml.Node) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.r.fail(node, "args must be a list of the call's arguments, e.g. args: [{mute: true}]")
        self.check_references(node)
        return list(self.r.value(node))

    def check_references(self, node: yaml.Node) -> None:
        """`{$userId: NAME}`, `{$element: CSS}`, `{$call: TARGET.getter[, index, field]}` in call arguments."""
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self.check_references(item)
            return
        if not isinstance(node, yaml.MappingNode):
            return
        entries = self.r.mapping(node, "argument")
        marks = [key for key in entries if key.startswith("$")]
        if not marks:
            for _, value in entries.values():
                self.check_references(value)
            return
        if marks[0] not in REFERENCES or len(marks) > 1:
            raise self.r.fail(
                entries[marks[-1]][0],
                f"unknown reference {marks[-1]!r}{suggest(marks[-1], REFERENCES)}; "
                f"references are: {', '.join(REFERENCES)}",
            )
        allowed = (marks[0], "index", "field") if marks[0] == "$call" else (marks[0],)
        self.r.check_keys(entries, allowed, f"the {marks[0]} reference")
        if marks[0] == "$file":
            self.file_reference(entries["$file"][1])
            return
        self.r.string(entries[marks[0]][1], marks[0])
        if marks[0] == "$call":
            method_path(self.r, entries["$call"][1])

    def file_reference(self, node: yaml.Node) -> None:
        spec = self.r.mapping(node, "$file")
        self.r.check_keys(spec, ("name", "size", "type"), "$file")
        if "name" not in spec or "size" not in spec:
            raise self.r.fail(node, "$file needs name and size, e.g. {$file: {name: scan.pdf, size: 5242880}}")
        self.r.string(spec["name"][1], "$file.name")
        if self.r.integer(spec["size"][1], "$file.size") < 0:
            raise self.r.fail(spec["size"][1], "$file.size is a number of bytes, 0 or more")
        if "type" in spec:
            self.r.string(spec["type"][1], "$file.type")

    def action_params(self, action: str, node: yaml.Node) -> Any:
        r = self.r
        if action == "call":
            return method_path(r, node)
        if action in ("advance_clock", "sleep"):
            return r.duration(node, action)
        if action == "click":
            return r.string(node, "click (a CSS selector)")
        if action == "fault":
            world = self.world(node, "fault", mid_session=True)
            if world == World():
                raise r.fail(node, "fault must change something, e.g. fault: {network: offline}")
            return world
        entries = r.mapping(node, action)
        spec = ACTION_KEYS[action]
        r.check_keys(entries, spec, action)
        if action == "open":
            return {}
        if action == "init":
            return {k: r.string(v, f"init.{k}") for k, (_, v) in entries.items()}
        if action == "join":
            return join_params(r, entries)
        if action == "leave":
            return {"end": r.boolean(entries["end"][1], "leave.end")} if "end" in entries else {"end": False}
        if action == "wait_for_event":
            return self.event_params(node, entries, action)
        if action == "fill":
            return {
                k: r.string(entries[k][1], f"fill.{k}")
                for k in self.require(node, entries, ("selector", "value"), action)
            }
        if action == "expect_text":
            return {
                k: r.string(entries[k][1], f"expect_text.{k}")
                for k in self.require(node, entries, ("selector", "contains"), action)
            }
        raise AssertionError(action)  # pragma: no cover - ACTIONS and ACTION_KEYS agree

    def require(self, node: yaml.Node, entries: dict[str, Any], keys: tuple[str, ...], action: str) -> tuple[str, ...]:
        for key in keys:
            if key not in entries:
                raise self.r.fail(node, f"{action} needs {key!r}")
        return keys


def _account_names() -> list[str]:
    # The account profiles are data of the session service, read here as the error catalog is.
    from harness.service.accounts import account_names

    return account_names()


def _checked_settings(changes: dict[str, Any]) -> dict[str, Any]:
    from harness.service.accounts import checked_settings

    return checked_settings(changes)


def _items(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


ACTION_KEYS: dict[str, tuple[str, ...]] = {
    "open": (),
    "init": ("dependent_assets", "language", "web_endpoint"),
    "join": ("topic", "name", "password", "role", "token"),
    "leave": ("end",),
    "wait_for_event": ("name", "match"),
    "on_event": ("name", "match", "then"),
    "fill": ("selector", "value"),
    "expect_text": ("selector", "contains"),
}
