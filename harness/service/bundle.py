"""Serve the double's ES modules as one classic UMD script (`WebVideoSDK.default`), with no build step.

Each module becomes a function with its own scope; `import`/`export` lines are rewritten into a small
module table. Imports are relative to the importing module (`./x.js`, `../core/x.js`) and must stay inside
the bundled folder. Only the forms the double uses are accepted, and anything else (an import cycle
included) is refused loudly, so the UMD file can never silently differ from the modules.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

IMPORT = re.compile(r"^import\s+(?P<what>.+?)\s+from\s+'(?P<src>[^']+)'(?:\s+with\s*\{\s*type:\s*'json'\s*\})?;\s*$")
EXPORT_DECL = re.compile(r"^export\s+(?P<kw>(?:async\s+)?function\*?|class|const|let)\s+(?P<name>[A-Za-z_$][\w$]*)")
EXPORT_DEFAULT = re.compile(r"^export\s+default\s+(?P<expr>[A-Za-z_$][\w$]*);\s*$")
EXPORT_LIST = re.compile(r"^export\s*\{(?P<names>[^}]*)\};\s*$")


class BundleError(Exception):
    pass


def build_umd(root: Path, entry: str = "index.js", global_name: str = "WebVideoSDK") -> str:
    modules: dict[str, str] = {}
    _collect(root, entry, modules)
    table = ",\n".join(f"{json.dumps(name)}: {body}" for name, body in modules.items())
    return (
        "/* SDK double, UMD form: generated on request from the ES modules beside it. */\n"
        "(function (root, factory) {\n"
        "  if (typeof module === 'object' && module.exports) module.exports = factory();\n"
        f"  else root.{global_name} = factory();\n"
        "})(typeof self !== 'undefined' ? self : this, function () {\n"
        "  'use strict';\n"
        f"  const definitions = {{\n{table}\n  }};\n"
        "  const cache = {};\n"
        "  function load(name) {\n"
        "    if (!(name in cache)) { cache[name] = {}; definitions[name](load, cache[name]); }\n"
        "    return cache[name];\n"
        "  }\n"
        f"  return load({json.dumps(entry)});\n"
        "});\n"
    )


_built: dict[Path, tuple[tuple[tuple[str, int, int], ...], str]] = {}


def cached_umd(root: Path) -> str:
    """build_umd(root), built again only when a file under `root` changed: every page load of the sample app
    asks for it, and building takes tens of milliseconds of the service's (and the harness's) process."""
    files = [*root.glob("*.js*"), *(root / "src").rglob("*.js*")]
    stamp = tuple(sorted((str(path), st.st_mtime_ns, st.st_size) for path in files for st in [path.stat()]))
    known = _built.get(root)
    if known is not None and known[0] == stamp:
        return known[1]
    text = build_umd(root)
    _built[root] = (stamp, text)
    return text


def _collect(root: Path, name: str, modules: dict[str, str], chain: tuple[str, ...] = ()) -> None:
    # A module's exports are filled in at its end, so an import cycle would hand the first module's
    # imports undefined in the UMD form (ES modules would not): refused, like any form it cannot keep.
    if name in chain:
        raise BundleError(f"import cycle: {' -> '.join((*chain[chain.index(name) :], name))}")
    if name in modules:
        return
    modules[name] = ""  # reserve: the table keeps the order modules were first met in
    source = (root / name).read_text(encoding="utf-8")
    if name.endswith(".json"):
        modules[name] = f"function (load, exports) {{ Object.assign(exports, {{ default: {source.strip()} }}); }}"
        return
    body: list[str] = []
    tail: list[str] = []
    deps: list[str] = []
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("import "):
            match = IMPORT.match(stripped)
            if not match:
                raise BundleError(f"{name}:{number}: unsupported import form: {stripped}")
            dep = _resolve(name, match["src"], number)
            deps.append(dep)
            body.append(_import_binding(match["what"], dep, name, number))
        elif line.startswith("export "):
            body.append(_rewrite_export(line, tail, name, number))
        else:
            body.append(line)
    code = "\n".join(body + tail)
    modules[name] = f"function (load, exports) {{\n{code}\n}}"
    for dep in deps:
        _collect(root, dep, modules, (*chain, name))


def _resolve(name: str, src: str, number: int) -> str:
    """The module `src` names, relative to the double's root: `./x.js` and `../shared/x.js` alike."""
    if not src.startswith(("./", "../")):
        raise BundleError(f"{name}:{number}: only relative imports are bundled: {src}")
    dep = posixpath.normpath(posixpath.join(posixpath.dirname(name), src))
    if dep.startswith("../"):
        raise BundleError(f"{name}:{number}: import outside the bundled folder: {src}")
    return dep


def _import_binding(what: str, dep: str, name: str, number: int) -> str:
    ref = f"load({json.dumps(dep)})"
    if what.startswith("* as "):
        return f"const {what[5:].strip()} = {ref};"
    default, _, rest = what.partition(",")
    parts = []
    if not default.strip().startswith("{"):
        parts.append(f"default: {default.strip()}")
        what = rest
    if what.strip():
        inner = what.strip()
        if not (inner.startswith("{") and inner.endswith("}")):
            raise BundleError(f"{name}:{number}: unsupported import bindings: {what}")
        for item in inner[1:-1].split(","):
            if item.strip():
                source, _, alias = item.strip().partition(" as ")
                parts.append(f"{source.strip()}: {alias.strip()}" if alias else source.strip())
    return f"const {{ {', '.join(parts)} }} = {ref};"


def _rewrite_export(line: str, tail: list[str], name: str, number: int) -> str:
    if match := EXPORT_DEFAULT.match(line):
        tail.append(f"exports.default = {match['expr']};")
        return ""
    if match := EXPORT_DECL.match(line):
        tail.append(f"exports.{match['name']} = {match['name']};")
        return line[len("export ") :]
    if match := EXPORT_LIST.match(line):
        for item in match["names"].split(","):
            if item.strip():
                local, _, alias = item.strip().partition(" as ")
                tail.append(f"exports.{(alias or local).strip()} = {local.strip()};")
        return ""
    raise BundleError(f"{name}:{number}: unsupported export form: {line.strip()}")
