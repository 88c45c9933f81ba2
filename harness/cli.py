"""`harness`: serve the sample app by hand, find the browser, check and list scenarios, run them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from harness.errors import HarnessError
from harness.paths import scenarios_dir
from harness.scenario.loader import scenario_files


def main(argv: list[str] | None = None) -> int:
    """Run one command; output cut short by the reader (`harness list | head`) ends the command quietly."""
    try:
        code = dispatch(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away: send the rest of our output nowhere, so the interpreter's final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


def command(sub: Any, name: str, summary: str) -> argparse.ArgumentParser:
    """A subcommand whose `--help` starts with what it does."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + "."
    )
    return parser


def dispatch(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="harness", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = command(sub, "serve", "run the session service with the sample app, for a person to explore")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    serve.add_argument("--port", type=int, default=8088, help="port (default 8088; 0 picks a free one)")
    browser = command(sub, "browser", "print the browser the harness will use, or why there is none")
    browser.add_argument("--executable", default=None, help="an explicit browser executable to check")
    check = command(sub, "check", "validate scenario files without running them; one line per problem")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the scenario catalog)")
    listing = command(sub, "list", "list the scenario catalog: name, codes, what to tell the customer")
    listing.add_argument("--format", choices=("text", "markdown"), default="text")
    cover = command(sub, "coverage", "each documented error code: covered by which scenarios, or why not")
    cover.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    cover.add_argument("--scenario-dir", type=Path, default=None, help="the catalog folder (default: the project's)")
    cover.add_argument(
        "--results",
        type=Path,
        default=Path("test-results/last-results.json"),
        help="last results to show next to each scenario (written by every pytest run)",
    )
    conform = command(
        sub, "conformance", "run the scenarios valid for both SDKs on the double and the real package; compare"
    )
    conform.add_argument("--scenario", action="append", default=[], help="only this scenario (repeatable)")
    conform.add_argument("--browser", default="chromium", choices=("chromium", "firefox"))
    run = command(sub, "run", "run scenarios by name (the same as pytest --scenario NAME ...)")
    run.add_argument("names", nargs="+", help="scenario names or shell globs; other options go on to pytest")
    args, rest = parser.parse_known_args(argv)
    try:
        if args.command == "serve":
            from harness.service.server import serve_forever

            serve_forever(args.host, args.port)
            return 0
        if args.command == "browser":
            return show_browser(args.executable)
        if args.command == "check":
            return check_paths(args.paths or [scenarios_dir()])
        if args.command == "list":
            return list_catalog(args.format)
        if args.command == "coverage":
            return show_coverage(args.format, args.scenario_dir or scenarios_dir(), args.results)
        if args.command == "conformance":
            return run_conformance(args.scenario, args.browser)
        if args.command == "run":
            import pytest

            return int(pytest.main([arg for name in args.names for arg in ("--scenario", name)] + rest))
    except HarnessError as error:
        print(f"harness: {error}", file=sys.stderr)
        return 1
    return 2


def show_browser(explicit: str | None) -> int:
    from playwright.sync_api import sync_playwright

    from harness.browsers import find_chromium, managed_chromium

    with sync_playwright() as playwright:
        managed = managed_chromium(playwright)
    print(find_chromium(explicit, managed).describe())
    return 0


def check_paths(paths: list[Path]) -> int:
    from harness.scenario.loader import load_scenario

    problems = 0
    for path in scenario_files(paths):
        try:
            scenario = load_scenario(path)
        except HarnessError as error:
            print(error)
            problems += 1
        else:
            print(f"{path}: ok ({scenario.name}, {len(scenario.steps)} steps)")
    return 1 if problems else 0


def show_coverage(form: str, folder: Path, results_file: Path) -> int:
    from harness.coverage import coverage, coverage_json, coverage_markdown, last_results, load_catalog, with_results

    rows = coverage(load_catalog(folder))
    results = last_results(results_file)
    if form == "json":
        print(coverage_json(rows))
    elif form == "markdown":
        print(coverage_markdown(rows))
    else:
        for row in rows:
            detail = with_results(row.scenarios, results) if row.scenarios else row.reason
            print(f"{row.code:>5} {row.constant:44} {row.status:12} {detail}")
    return 1 if any(row.status == "missing" for row in rows) else 0


def run_conformance(names: list[str], browser: str) -> int:
    from playwright.sync_api import sync_playwright

    from harness.artifacts import Artifacts
    from harness.conformance import check, shared_scenarios
    from harness.coverage import load_catalog
    from harness.paths import real_sdk_dir
    from harness.pool import BrowserPool
    from harness.runner import RunContext, SdkProfile
    from harness.service.server import SessionService

    if real_sdk_dir() is None:
        raise HarnessError("the real @zoom/videosdk is not installed: run `npm ci` in fixtures/ (make setup)")
    scenarios = [s for s in shared_scenarios(load_catalog(scenarios_dir())) if not names or s.name in names]
    service = SessionService().start()
    failed = 0
    try:
        with sync_playwright() as playwright:
            pool = BrowserPool(playwright, None, headless=True)
            try:
                for scenario in scenarios:
                    found = check(
                        scenario,
                        lambda sdk: RunContext(pool, service, browser, SdkProfile.named(sdk), Artifacts(None, "c")),
                    )
                    print(f"{scenario.name:36} {'same' if not found else f'{len(found)} difference(s)'}")
                    for line in found:
                        print(f"    {line}")
                    failed += bool(found)
            finally:
                pool.close()
    finally:
        service.stop()
    print(f"{len(scenarios)} scenarios valid for both SDKs, {failed} with differences")
    return 1 if failed else 0


def list_catalog(form: str = "text") -> int:
    from harness.scenario.loader import load_scenario

    if form == "markdown":
        from harness.coverage import catalog_markdown, load_catalog

        print(catalog_markdown(load_catalog(scenarios_dir())))
        return 0
    for path in scenario_files([scenarios_dir()]):
        try:
            scenario = load_scenario(path)
        except HarnessError as error:
            print(f"(invalid) {error}")
            continue
        codes = ", ".join(str(code) for code in scenario.codes) or "-"
        print(f"{scenario.name:28} {codes:12} {scenario.summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
