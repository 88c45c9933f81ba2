"""A text the schema passed is not validated again (a cold start need not load jsonschema); anything else is."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ScenarioInputError
from harness.scenario import schema
from harness.scenario.loader import parse_scenario

VALID = "name: x\nsteps:\n  - join: {topic: t}\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "zoom-videosdk-harness" / "valid-scenarios"


def test_a_text_that_passed_skips_the_schema_the_next_time(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parse_scenario(VALID, "s.yaml")
    assert len(list(cache.rglob("*"))) == 2  # one folder, one marker

    def no_schema() -> None:
        raise AssertionError("the schema ran again")

    monkeypatch.setattr(schema, "validator", no_schema)
    assert parse_scenario(VALID, "s.yaml").name == "x"
    with pytest.raises(AssertionError, match="the schema ran again"):
        parse_scenario(VALID.replace("name: x", "name: y"), "s.yaml")  # another text: validated


def test_a_refused_text_is_never_remembered_and_checks_still_run(cache: Path) -> None:
    bad = VALID.replace("join:", "jion:")
    for _ in range(2):
        with pytest.raises(ScenarioInputError, match=r"s.yaml:3:5: .*jion"):
            parse_scenario(bad, "s.yaml")
    assert not cache.exists()
    unknown_method = "name: x\nsteps:\n  - call: stream.startVidoe\n"
    for _ in range(2):  # passes the schema (and is remembered), fails a named check every time
        with pytest.raises(ScenarioInputError, match="unknown SDK method"):
            parse_scenario(unknown_method, "s.yaml")
