"""`harness`: serve the sample app by hand, find the browser, check and list scenarios, run them."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import HarnessError
from harness.paths import cache_node_compilation, scenarios_dir
from harness.scenario.loader import scenario_files

if TYPE_CHECKING:
    from harness.browsers import FoundBrowser


def main(argv: list[str] | None = None) -> int:
    """Run one command; output cut short by the reader (`harness list | head`) ends the command quietly."""
    cache_node_compilation()
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
    description = summary[0].upper() + summary[1:] + "."
    return sub.add_parser(name, help=summary, description=description)  # type: ignore[no-any-return]


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
    results = "last results to show next to each scenario (written by every pytest run)"
    cover.add_argument("--results", type=Path, default=Path("test-results/last-results.json"), help=results)
    conform = command(
        sub, "conformance", "run the scenarios valid for both SDKs on the double and the real package; compare"
    )
    conform.add_argument("--scenario", action="append", default=[], help="only this scenario (repeatable)")
    conform.add_argument("--browser", default="chromium", choices=("chromium", "firefox"))
    conform.add_argument("--sdk", default="real", metavar="real|real@X.Y.Z", help="the real package to compare with")
    setup = command(sub, "setup", "check (and install what is missing of) what runs need: a browser, the real SDK")
    setup.add_argument("--check", action="store_true", help="only say what is there and what is missing")
    setup.add_argument("--real-sdk", action="store_true", help="also install the pinned @zoom/videosdk (--sdk real)")
    double = command(sub, "double", "where the SDK double is, for a bundler alias of @zoom/videosdk")
    shown = double.add_mutually_exclusive_group()
    shown.add_argument("--path", action="store_true", help="print the ES module entry file (the default)")
    shown.add_argument("--types", action="store_true", help="print the typings shim (index.d.ts)")
    shown.add_argument("--umd", action="store_true", help="print the double as one UMD script (global WebVideoSDK)")
    versions = command(sub, "versions", "the versions of @zoom/videosdk in the package cache; what changed")
    vsub = versions.add_subparsers(dest="versions_command", required=True, metavar="SUBCOMMAND")
    vlist = command(vsub, "list", "the pinned version and the cached ones")
    vlist.add_argument("--format", choices=("text", "json"), default="text")
    vinstall = command(vsub, "install", "install versions into the package cache (real, real@X.Y.Z or X.Y.Z)")
    vinstall.add_argument("specs", nargs="+", metavar="VERSION")
    vpath = command(vsub, "path", "print the installed package folder of a version (installed first if missing)")
    vpath.add_argument("spec", nargs="?", default="real", metavar="VERSION")
    vpath.add_argument("--installed", action="store_true", help="never install: exit 1 when it is not installed")
    vdiff = command(vsub, "diff", "what changed from version A to B: typings, reason strings, scenario outcomes")
    vdiff.add_argument("a", metavar="A")
    vdiff.add_argument("b", metavar="B")
    vdiff.add_argument("--format", choices=("text", "json"), default="text")
    vdiff.add_argument("--no-scenarios", action="store_true", help="leave out the scenario runs (no browser)")
    vdiff.add_argument("--scenario", action="append", default=[], help="only this scenario (repeatable)")
    run = command(sub, "run", "run scenarios by name (the same as pytest --scenario NAME ...)")
    run.add_argument("names", nargs="+", help="scenario names or shell globs; other options go on to pytest")
    explain = command(sub, "explain", "say what a customer's error text means and which scenarios reproduce it")
    explain.add_argument("text", nargs="+", help="the customer's words (quote a multi-line paste), or - for stdin")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument("--scenario-dir", type=Path, default=None, help="the catalog folder (default: the project's)")
    repro = command(sub, "repro", "write a scenario for a customer's report from the best-fitting one, and run it")
    repro.add_argument("text", nargs="+", help="the customer's words (quote a multi-line paste), or - for stdin")
    repro.add_argument("--browser", choices=("chromium", "firefox"), default=None, help="the customer's browser")
    repro.add_argument(
        "--os", default=None, metavar="OS", help="the customer's computer: windows, macos, linux, android, ios"
    )
    repro.add_argument("--out", type=Path, default=Path("repro"), help="where to write the scenario (default ./repro)")
    repro.add_argument("--run", action="store_true", help="run it now and say whether the report was reproduced")
    repro.add_argument("--scenario-dir", type=Path, default=None, help="the catalog folder (default: the project's)")
    args, rest = parser.parse_known_args(argv)
    if rest and args.command not in ("run",):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
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
            return run_conformance(args.scenario, args.browser, args.sdk)
        if args.command == "setup":
            return run_setup(args.check, args.real_sdk)
        if args.command == "double":
            return show_double("types" if args.types else "umd" if args.umd else "path")
        if args.command == "versions":
            return run_versions(args)
        if args.command == "run":
            import pytest

            return int(pytest.main([arg for name in args.names for arg in ("--scenario", name)] + rest))
        if args.command == "explain":
            return explain_text(read_text(args.text), args.format, args.scenario_dir)
        if args.command == "repro":
            return reproduce(read_text(args.text), args)
    except HarnessError as error:
        print(f"harness: {error}", file=sys.stderr)
        return 1
    return 2


def show_browser(explicit: str | None) -> int:
    from harness.browsers import find_headless_shell

    found = chromium_found(explicit)
    print(found.describe())
    shell = find_headless_shell(found)
    if shell:
        print(f"{shell} (Chromium's headless shell, for scenarios whose permissions are all granted)")
    return 0


def chromium_found(explicit: str | None = None) -> FoundBrowser:
    from playwright.sync_api import sync_playwright

    from harness.browsers import find_chromium, managed_chromium

    with sync_playwright() as playwright:
        managed = managed_chromium(playwright)
    return find_chromium(explicit, managed)


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
    from harness.coverage import (
        coverage,
        coverage_json,
        coverage_markdown,
        last_results,
        load_catalog,
        media_failed_coverage,
        with_results,
    )

    scenarios = load_catalog(folder)
    rows, media = coverage(scenarios), media_failed_coverage(scenarios)
    results = last_results(results_file)
    if form == "json":
        print(coverage_json(rows + media))
    elif form == "markdown":
        print(coverage_markdown(rows))
        print("\n## active-media-failed\n")
        print(coverage_markdown(media))
    else:
        for heading, table in (
            ("exception codes (calls reject with them)", rows),
            ("active-media-failed event", media),
        ):
            print(f"# {heading}")
            for row in table:
                detail = with_results(row.scenarios, results) if row.scenarios else row.reason
                print(f"{row.code:>5} {row.constant:44} {row.status:12} {detail}")
    return 1 if any(row.status == "missing" for row in rows + media) else 0


def run_conformance(names: list[str], browser: str, sdk: str) -> int:
    from harness.conformance import check, run_contexts, shared_scenarios
    from harness.coverage import load_catalog
    from harness.sdk_packages import ensure, is_real, version_of

    if not is_real(sdk):
        raise HarnessError(f"--sdk {sdk}: expected real or real@X.Y.Z")
    version = version_of(sdk)
    ensure(sdk)
    scenarios = [s for s in shared_scenarios(load_catalog(scenarios_dir())) if not names or s.name in names]
    failed = 0
    with run_contexts(browser) as make_context:
        for scenario in scenarios:
            found = check(scenario, make_context, sdk)
            print(f"{scenario.name:36} {'same' if not found else f'{len(found)} difference(s)'}")
            for line in found:
                print(f"    {line}")
            failed += bool(found)
    print(f"{len(scenarios)} scenarios valid for both SDKs, {failed} with differences (real = {version})")
    return 1 if failed else 0


def read_text(words: list[str]) -> str:
    """The report: the words given, or standard input for `-` (bytes that are not UTF-8 kept visible as such)."""
    if words == ["-"]:
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    return " ".join(words)


def explain_text(text: str, form: str, folder: Path | None) -> int:
    from harness.explain import explain
    from harness.explain.render import as_json, as_text, nothing_found

    explanation = explain(text, folder)
    if form == "json":
        print(as_json(explanation, folder))
    elif explanation.matches:
        print(as_text(explanation, folder))
    if not explanation.matches:
        print(nothing_found(explanation), file=sys.stderr)
        return 1
    return 0


def reproduce(text: str, args: argparse.Namespace) -> int:
    from harness.explain import explain
    from harness.explain.repro import customer_os, verdict, write

    os_name = customer_os(text, args.os)
    explanation = explain(text, args.scenario_dir)
    named = explanation.clues.browser if explanation.clues.browser in ("chromium", "firefox") else None
    repro = write(explanation, args.browser or named, os_name, args.out, args.scenario_dir)
    browser = repro.browser
    output = args.out / "test-results"
    report = args.out / "report.html"
    pytest_args = ["--scenario-file", str(repro.path), "--browser", browser, "--output", str(output)]
    pytest_args += ["--html-report", str(report)]
    print(
        f"wrote {repro.path} (from {repro.scenario.name}, for {repro.match.space} "
        f"{repro.match.code if repro.match.code is not None else repro.match.constant})"
    )
    print("run it: pytest " + " ".join(pytest_args))
    if not args.run:
        return 0
    import pytest

    started = time.time()
    pytest.main(pytest_args)
    reproduced, line = verdict(repro.expected, latest_summary(output, started))
    print(line)
    print(f"report to attach: {report}")
    return 0 if reproduced else 1


def latest_summary(output: Path, since: float) -> dict[str, Any] | None:
    runs = [path for path in output.glob("*/run.json") if path.stat().st_mtime >= since - 1]
    if not runs:
        return None
    try:
        loaded = json.loads(max(runs, key=lambda path: path.stat().st_mtime).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def run_setup(check_only: bool, real_sdk: bool) -> int:
    """One line per need: what is there, or what is missing and how to get it."""
    from harness.errors import BrowserNotFound
    from harness.sdk_packages import ensure, package_dir, pinned

    missing_browser = False
    try:
        print(f"browser: {chromium_found().describe()}")
    except BrowserNotFound as missing:
        missing_browser = check_only
        if check_only:
            print(f"browser: {missing}")
        else:
            install_chromium(missing)
    version = pinned().version
    if real_sdk and not check_only:
        ensure("real")
    folder = package_dir(version)
    if folder is not None:
        print(f"real @zoom/videosdk {version} (--sdk real): {folder}")
    else:
        print(f"real @zoom/videosdk {version} (--sdk real): not installed; `harness versions install real`")
    return 1 if missing_browser else 0


def install_chromium(missing: Exception) -> None:
    import subprocess

    print("browser: none found; installing Playwright's Chromium (python -m playwright install chromium)")
    done = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    if done.returncode != 0:
        raise HarnessError(f"`playwright install chromium` failed (exit {done.returncode}); {missing}") from None
    print(f"browser: {chromium_found().describe()}")


def show_double(what: str) -> int:
    from harness.paths import double_entry, double_types

    if what == "umd":
        from harness.service.bundle import build_umd

        sys.stdout.write(build_umd(double_entry().parent))
    else:
        print(double_types() if what == "types" else double_entry())
    return 0


def run_versions(args: argparse.Namespace) -> int:
    from harness import versions
    from harness.sdk_packages import ensure, package_dir

    command_name = args.versions_command
    if command_name == "list":
        rows = versions.version_list()
        print(json.dumps(rows, indent=1) if args.format == "json" else versions.list_text(rows))
        return 0
    if command_name == "install":
        for spec in args.specs:
            version = versions.check_version(spec)
            print(f"{version}: {ensure(f'real@{version}')}")
        return 0
    if command_name == "path":
        version = versions.check_version(args.spec)
        folder = package_dir(version) if args.installed else ensure(f"real@{version}")
        if folder is None:
            raise HarnessError(f"@zoom/videosdk {version} is not installed: `harness versions install {version}`")
        print(folder)
        return 0
    a, b = versions.check_version(args.a), versions.check_version(args.b)
    scenarios = None
    if not args.no_scenarios:
        from harness.coverage import load_catalog

        chosen = versions.offline_real_scenarios(load_catalog(scenarios_dir()))
        scenarios = [s for s in chosen if not args.scenario or s.name in args.scenario]
    if scenarios is None:
        report = versions.diff(a, b, None)
    else:
        from harness.conformance import run_contexts

        with run_contexts("chromium") as make_context:
            report = versions.diff(a, b, scenarios, make_context)
    print(versions.diff_json(report) if args.format == "json" else versions.diff_text(report))
    return 0


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
