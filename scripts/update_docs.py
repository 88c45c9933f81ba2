"""Regenerate the README's generated sections (scenario catalog, code coverage) from the scenario files.

.venv/bin/python scripts/update_docs.py          # rewrite README.md
.venv/bin/python scripts/update_docs.py --check  # exit 1 if README.md is out of step
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness.coverage import (
    CATALOG_END,
    CATALOG_START,
    COVERAGE_END,
    COVERAGE_START,
    catalog_markdown,
    coverage,
    coverage_markdown,
    load_catalog,
    replace_section,
)

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def rendered(folder: Path) -> str:
    scenarios = load_catalog(folder)
    text = README.read_text(encoding="utf-8")
    text = replace_section(text, CATALOG_START, CATALOG_END, catalog_markdown(scenarios))
    return replace_section(text, COVERAGE_START, COVERAGE_END, coverage_markdown(coverage(scenarios)))


def main(argv: list[str]) -> int:
    folder = Path(argv[argv.index("--scenario-dir") + 1]) if "--scenario-dir" in argv else ROOT / "scenarios"
    fresh = rendered(folder)
    if "--check" in argv:
        if fresh != README.read_text(encoding="utf-8"):
            print("README.md is out of step with the scenarios: run .venv/bin/python scripts/update_docs.py")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
