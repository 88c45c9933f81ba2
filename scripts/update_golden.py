"""Rewrite the golden bad-input messages (tests/bad_scenarios/*.message) from what the loader says now.

Run it only after a deliberate change of wording or vocabulary, then read the diff: every changed line is a
message users will see.

    .venv/bin/python scripts/update_golden.py
"""

from __future__ import annotations

from pathlib import Path

from harness import ScenarioInputError, load_scenario

BAD = Path(__file__).resolve().parents[1] / "tests" / "bad_scenarios"


def main() -> None:
    for path in sorted(BAD.glob("*.yaml")):
        try:
            load_scenario(path)
        except ScenarioInputError as error:
            message = str(error).replace(str(path), "{path}") + "\n"
            golden = path.with_suffix(".message")
            before = golden.read_text(encoding="utf-8") if golden.exists() else ""
            if before != message:
                golden.write_text(message, encoding="utf-8")
                print(f"updated {golden.name}:\n  - {before.strip() or '(none)'}\n  + {message.strip()}")
        else:
            print(f"{path.name} loads without error: it is no longer a bad input")


if __name__ == "__main__":
    main()
