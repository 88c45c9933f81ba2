"""Regenerate the generated tables in docs/ (the scenario catalog, the code coverage of both code spaces) from the
scenario files.

.venv/bin/python scripts/update_docs.py          # rewrite docs/catalog.md and docs/coverage.md
.venv/bin/python scripts/update_docs.py --check  # exit 1 if either is out of step
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness.coverage import (
    CATALOG_END,
    CATALOG_START,
    COVERAGE_END,
    COVERAGE_START,
    MEDIA_FAILED_END,
    MEDIA_FAILED_START,
    catalog_markdown,
    coverage,
    coverage_markdown,
    load_catalog,
    media_failed_coverage,
    replace_section,
)
from harness.paths import scenarios_dir

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "docs" / "catalog.md"
COVERAGE = ROOT / "docs" / "coverage.md"


def rendered(folder: Path) -> dict[Path, str]:
    scenarios = load_catalog(folder)
    catalog = replace_section(
        CATALOG.read_text(encoding="utf-8"), CATALOG_START, CATALOG_END, catalog_markdown(scenarios)
    )
    table = replace_section(
        COVERAGE.read_text(encoding="utf-8"), COVERAGE_START, COVERAGE_END, coverage_markdown(coverage(scenarios))
    )
    table = replace_section(
        table, MEDIA_FAILED_START, MEDIA_FAILED_END, coverage_markdown(media_failed_coverage(scenarios))
    )
    return {CATALOG: catalog, COVERAGE: table}


def main(argv: list[str]) -> int:
    folder = Path(argv[argv.index("--scenario-dir") + 1]) if "--scenario-dir" in argv else scenarios_dir()
    fresh = rendered(folder)
    stale = [path for path, text in fresh.items() if text != path.read_text(encoding="utf-8")]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of step with the scenarios: run scripts/update_docs.py")
        return 1 if stale else 0
    for path in stale:
        path.write_text(fresh[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
