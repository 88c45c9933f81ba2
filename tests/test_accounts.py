"""Account profiles (harness/service/accounts.yaml): the shipped file, and the messages a bad file gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.catalog import codes
from harness.errors import HarnessError
from harness.service.accounts import (
    ACCOUNTS_FILE,
    SWITCHES,
    account_names,
    account_settings,
    checked_settings,
    load_accounts,
)

FLAGS = [name for name, kind in SWITCHES.items() if kind == "flag"]


def test_the_shipped_profiles_load_with_every_switch_set() -> None:
    accounts = load_accounts()
    assert account_names()[0] == "default"
    assert {"recording-disabled", "features-off", "small-capacity"} <= set(accounts)
    for settings in accounts.values():
        assert list(settings) == list(SWITCHES)


def test_default_enables_every_feature_and_profiles_change_only_what_they_name() -> None:
    default = account_settings("default")
    # Off by default: e2ee (an encrypted session is a different kind of session), HD video (an add-on the
    # runtime also starts without) and remote control (Zoom Contact Center only).
    assert [name for name in FLAGS if not default[name]] == ["e2ee", "video_hd", "remote_control"]
    assert default["max_participants"] == 5000
    assert account_settings("recording-disabled") == default | {"cloud_recording": False}
    assert account_settings("small-capacity") == default | {"max_participants": 2}
    assert [name for name in FLAGS if account_settings("features-off")[name]] == []


def test_each_switch_is_documented_and_the_codes_it_names_are_in_the_catalog() -> None:
    lines = ACCOUNTS_FILE.read_text(encoding="utf-8").splitlines()
    catalog = codes()
    for name in SWITCHES:
        line = next(line for line in lines if line.startswith(f"  {name}:"))
        assert "#" in line, f"{name} has no comment in accounts.yaml"
        for code, constant in re.findall(r"\b(\d{4}) ([A-Z_]{4,})", line):
            assert catalog[int(code)].constant == constant, line


def test_loaded_profiles_are_copies() -> None:
    load_accounts()["default"]["chat"] = False
    assert load_accounts()["default"]["chat"] is True


def test_unknown_account_names_the_valid_ones() -> None:
    with pytest.raises(HarnessError) as error:
        account_settings("feature-off")
    assert str(error.value) == (
        "unknown account 'feature-off' (did you mean 'features-off'?); accounts in accounts.yaml: "
        + ", ".join(account_names())
    )


SAMPLE_VALUE = {
    "capacity": "5000",
    "count": "50",
    "extensions": "[]",
    "codes": "[]",
    "size-limit": "null",
    "interval": "null",
    "languages": "[en]",
}
DEFAULT = "default:\n" + "".join(f"  {name}: {SAMPLE_VALUE.get(kind, 'true')}\n" for name, kind in SWITCHES.items())

BAD_FILES = [
    (
        DEFAULT + "quiet:\n  recordng: false\n",
        "{f}:{n}:3: account 'quiet': unknown switch 'recordng'",
    ),
    (
        DEFAULT + "quiet:\n  chat: 'no'\n",
        "{f}:{n}:9: account 'quiet': chat must be true or false, got 'no'",
    ),
    (
        DEFAULT + "tiny:\n  max_participants: 0\n",
        "{f}:{n}:21: account 'tiny': max_participants must be a whole number of participants, at least 1, got 0",
    ),
    (
        DEFAULT + "files:\n  chat_file_allowed_types: [.pdf]\n",
        "{f}:{n}:28: account 'files': chat_file_allowed_types must be a list of file extensions such as [pdf, png], got ['.pdf']",
    ),
    (
        DEFAULT + "quiet: off\n",
        "{f}:{n}:8: account 'quiet' must be a mapping, got 'off'",
    ),
    (
        "small:\n  max_participants: 2\n",
        "{f}:1:1: no 'default' account: every profile is laid over it",
    ),
    (
        "default:\n  chat: true\n",
        "{f}:1:1: account 'default' must set every switch; missing: video, audio,",
    ),
    (
        "",
        "{f}:1:1: no accounts: the file needs at least a 'default' account",
    ),
    (
        "default: [\n",
        "{f}:2:1: YAML syntax error:",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_a_bad_file_names_the_place_the_account_and_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HarnessError) as error:
        load_accounts(path)
    last_line = len(text.splitlines())
    assert str(error.value).startswith(expected.format(f=path, n=last_line))


def test_a_missing_file_is_a_harness_error(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match=r"accounts.yaml: cannot read the account profiles"):
        load_accounts(tmp_path / "accounts.yaml")


def test_settings_changed_in_code_are_checked_and_normalised() -> None:
    assert checked_settings({"chat_file_allowed_types": ["PDF"], "chat_file_max_size": None}) == {
        "chat_file_allowed_types": ["pdf"],
        "chat_file_max_size": None,
    }
    with pytest.raises(HarnessError, match=r"account switch 'max_participants' must be a whole number"):
        checked_settings({"max_participants": True})
