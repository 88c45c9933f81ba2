"""Account profiles (`accounts.yaml`): the feature switches the back end decides for a run's credentials.

Every profile is `default` with the profile's own switches laid over it. Problems in the file are reported as
`file:line:col: account 'name': problem`; unknown names come with "did you mean" and the valid choices.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml

from harness.errors import HarnessError, Location, ScenarioInputError
from harness.yaml_nodes import Reader, suggest

ACCOUNTS_FILE = Path(__file__).with_name("accounts.yaml")
DEFAULT_ACCOUNT = "default"

Kind = Literal["flag", "capacity", "count", "size-limit", "interval", "extensions", "codes", "languages"]

SWITCHES: dict[str, Kind] = {
    "video": "flag",
    "audio": "flag",
    "share": "flag",
    "share_annotation": "flag",
    "e2ee": "flag",
    "video_hd": "flag",
    "remote_control": "flag",
    "chat": "flag",
    "chat_delete": "flag",
    "chat_file_transfer": "flag",
    "chat_file_allowed_types": "extensions",
    "chat_file_max_size": "size-limit",
    "cloud_recording": "flag",
    "cloud_recording_pause_stop": "flag",
    "live_transcription": "flag",
    "translation": "flag",
    "voice_translator": "flag",
    "voice_translator_languages": "languages",
    "live_stream": "flag",
    "broadcast_streaming": "flag",
    "rtms": "flag",
    "subsessions": "flag",
    "subsession_broadcast": "flag",
    "subsession_broadcast_voice": "flag",
    "whiteboard": "flag",
    "max_participants": "capacity",
    "max_subsessions": "count",
    "media_processor": "flag",
    "participant_rename": "flag",
    "call_out_countries": "codes",
    "command_channel_rate_limit_ms": "interval",
}

EXPECTED = {
    "flag": "true or false",
    "capacity": "a whole number of participants, at least 1",
    "count": "a whole number, at least 1",
    "size-limit": "a whole number of bytes, at least 1, or null for no limit",
    "interval": "a whole number of milliseconds, at least 1, or null for no limit",
    "extensions": "a list of file extensions such as [pdf, png]",
    "codes": "a list of country codes such as [US, DE]",
    "languages": "a list of language codes such as [en, ja], or [] for none",
}

_cache: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}


def load_accounts(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Every profile by name, each with every switch set; raises HarnessError naming the place of a problem."""
    file = Path(path) if path is not None else ACCOUNTS_FILE
    try:
        stamp = (str(file.resolve()), file.stat().st_mtime_ns)
    except OSError as error:
        raise HarnessError(f"{file}: cannot read the account profiles: {error.strerror or error}") from None
    if stamp not in _cache:
        _cache[stamp] = _parse(file)
    return copy.deepcopy(_cache[stamp])


def account_names(path: str | Path | None = None) -> list[str]:
    return list(load_accounts(path))


def account_settings(name: str, path: str | Path | None = None) -> dict[str, Any]:
    """The full settings of one profile; an unknown name is a HarnessError listing the valid ones."""
    accounts = load_accounts(path)
    if name not in accounts:
        file = Path(path) if path is not None else ACCOUNTS_FILE
        raise HarnessError(
            f"unknown account {name!r}{suggest(name, accounts)}; accounts in {file.name}: {', '.join(accounts)}"
        )
    return accounts[name]


def checked_settings(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a partial set of switches given in code (e.g. a mid-session change); returns them normalised."""
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in SWITCHES:
            raise HarnessError(f"unknown account switch {name!r}{suggest(str(name), SWITCHES)}; {_switch_list()}")
        problem, normal = _check(name, value)
        if problem:
            raise HarnessError(f"account switch {name!r} must be {problem}, got {value!r}")
        checked[name] = normal
    return checked


def _parse(file: Path) -> dict[str, dict[str, Any]]:
    shown = str(file)
    reader = Reader(shown)
    try:
        root = yaml.compose(file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)
        raise ScenarioInputError(where, f"YAML syntax error: {error.problem or error.context}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ScenarioInputError.at_file(shown, f"cannot read the account profiles: {error}") from None
    if root is None:
        raise ScenarioInputError.at_file(shown, f"no accounts: the file needs at least a {DEFAULT_ACCOUNT!r} account")
    profiles = reader.mapping(root, "the account profiles")
    if DEFAULT_ACCOUNT not in profiles:
        raise reader.fail(root, f"no {DEFAULT_ACCOUNT!r} account: every profile is laid over it")
    default = _profile(reader, DEFAULT_ACCOUNT, profiles[DEFAULT_ACCOUNT][1])
    missing = [name for name in SWITCHES if name not in default]
    if missing:
        key_node = profiles[DEFAULT_ACCOUNT][0]
        raise reader.fail(key_node, f"account {DEFAULT_ACCOUNT!r} must set every switch; missing: {', '.join(missing)}")
    accounts = {DEFAULT_ACCOUNT: {name: default[name] for name in SWITCHES}}
    for account, (_, node) in profiles.items():
        if account != DEFAULT_ACCOUNT:
            accounts[account] = accounts[DEFAULT_ACCOUNT] | _profile(reader, account, node)
    return accounts


def _profile(reader: Reader, account: str, node: yaml.Node) -> dict[str, Any]:
    what = f"account {account!r}"
    settings: dict[str, Any] = {}
    for name, (key_node, value_node) in reader.mapping(node, what).items():
        if name not in SWITCHES:
            raise reader.fail(key_node, f"{what}: unknown switch {name!r}{suggest(name, SWITCHES)}; {_switch_list()}")
        value = reader.value(value_node)
        problem, normal = _check(name, value)
        if problem:
            raise reader.fail(value_node, f"{what}: {name} must be {problem}, got {value!r}")
        settings[name] = normal
    return settings


def _check(name: str, value: Any) -> tuple[str, Any]:
    """('', normalised value) when the value fits the switch, else (what was expected, None)."""
    kind = SWITCHES[name]
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if kind == "flag" and isinstance(value, bool):
        return "", value
    if kind in ("capacity", "count") and is_int and value >= 1:
        return "", value
    if kind in ("size-limit", "interval") and (value is None or (is_int and value >= 1)):
        return "", value
    if kind == "extensions" and isinstance(value, list | tuple) and all(_is_extension(v) for v in value):
        return "", [str(v).lower() for v in value]
    if kind == "codes" and isinstance(value, list | tuple) and all(isinstance(v, str) and v for v in value):
        return "", [str(v).upper() for v in value]
    if kind == "languages" and isinstance(value, list | tuple) and all(isinstance(v, str) and v for v in value):
        return "", [str(v) for v in value]
    return EXPECTED[kind], None


def _is_extension(value: Any) -> bool:
    return isinstance(value, str) and value != "" and not value.startswith(".") and value.isprintable()


def _switch_list() -> str:
    return f"switches: {', '.join(SWITCHES)}"
