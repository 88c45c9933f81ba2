"""The real `@zoom/videosdk`, any published version, installed on demand into a per-user cache.

`--sdk real` is the pinned version (`catalog/videosdk-pin.json`: version and the registry's integrity hash);
`--sdk real@X.Y.Z` is any published one. A version is fetched from the npm registry (its metadata names the
tarball and its sha512 integrity), checked against that hash (and, for the pinned version, against the pin),
unpacked into a temporary folder and renamed into place, so a version's folder exists only when complete.
The lock file records where each version came from. Cache layout (`HARNESS_CACHE_DIR` overrides the root):

    $XDG_CACHE_HOME/zoom-videosdk-harness/      (~/.cache/zoom-videosdk-harness without XDG_CACHE_HOME)
      videosdk/
        videosdk-lock.json                        {"lockfileVersion": 1, "package", "versions": {X.Y.Z: {...}}}
        .install.lock                             flock: one install at a time, across processes
        2.5.0/                                    the tarball's package/ folder: package.json, dist/, ...
        2.4.5/
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import difflib
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from harness.errors import HarnessError

PACKAGE = "@zoom/videosdk"
REGISTRY = "https://registry.npmjs.org/"
REGISTRY_ENV = "HARNESS_NPM_REGISTRY"  # another registry (a mirror); the integrity checks are the same
CACHE_ENV = "HARNESS_CACHE_DIR"
PACKAGE_DIR_ENV = "HARNESS_VIDEOSDK_DIR"  # what JS scripts read: the Python side sets it when it runs them
LOCK_FILE = "videosdk-lock.json"
VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")
METADATA_TIMEOUT_S = 30
DOWNLOAD_TIMEOUT_S = 120
CHUNK = 1 << 16


class RegistryUnreachable(HarnessError):
    """The npm registry could not be reached (offline, DNS, proxy): nothing was installed."""


@dataclass(frozen=True, slots=True)
class Pin:
    version: str
    integrity: str


@dataclass(frozen=True, slots=True)
class Installed:
    version: str
    path: Path
    resolved: str | None  # the tarball's URL, from the lock file (None: the folder is not in the lock)
    integrity: str | None
    installed: str | None  # when, UTC ISO 8601


@cache
def pinned() -> Pin:
    text = resources.files("harness").joinpath("catalog/videosdk-pin.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Pin(str(data["version"]), str(data["integrity"]))


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "zoom-videosdk-harness"


def packages_dir() -> Path:
    return cache_root() / "videosdk"


def registry() -> str:
    url = os.environ.get(REGISTRY_ENV) or REGISTRY
    return url if url.endswith("/") else url + "/"


def is_real(spec: str) -> bool:
    return spec == "real" or spec.startswith("real@")


def version_of(spec: str) -> str:
    """`real` -> the pinned version; `real@X.Y.Z` -> X.Y.Z; anything else is refused in one line."""
    if spec == "real":
        return pinned().version
    version = spec.removeprefix("real@")
    if not spec.startswith("real@") or not VERSION.match(version):
        raise HarnessError(f"--sdk {spec}: expected double, real or real@X.Y.Z (a published version of {PACKAGE})")
    return version


def sdk_value(value: str) -> str:
    """An `--sdk` value, checked as argparse's `type`: double, real or real@X.Y.Z."""
    if value != "double":
        try:
            version_of(value)
        except HarnessError as error:
            raise argparse.ArgumentTypeError(str(error).removeprefix(f"--sdk {value}: ")) from None
    return value


def package_dir(version: str) -> Path | None:
    """The installed package folder of `version` (package.json, dist/), or None."""
    folder = packages_dir() / version
    return folder if (folder / "dist").is_dir() and (folder / "package.json").is_file() else None


def dist_dir(spec: str) -> Path | None:
    """`dist/` of the version an `--sdk` value names, when installed."""
    folder = package_dir(version_of(spec))
    return folder / "dist" if folder is not None else None


def installed_version(folder: Path) -> str | None:
    try:
        manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = manifest.get("version")
    return version if isinstance(version, str) else None


def read_lock() -> dict[str, Any]:
    try:
        data = json.loads((packages_dir() / LOCK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"lockfileVersion": 1, "package": PACKAGE, "versions": {}}
    return data if isinstance(data, dict) and isinstance(data.get("versions"), dict) else {"versions": {}}


def installed() -> list[Installed]:
    """Every complete version in the cache, with what the lock file says about it, oldest version first."""
    root = packages_dir()
    entries = read_lock()["versions"]
    found = []
    for folder in sorted(root.iterdir() if root.is_dir() else [], key=lambda p: _version_key(p.name)):
        if VERSION.match(folder.name) and package_dir(folder.name) is not None:
            entry = entries.get(folder.name) or {}
            found.append(
                Installed(folder.name, folder, entry.get("resolved"), entry.get("integrity"), entry.get("installed"))
            )
    return found


def ensure(spec: str, say: Callable[[str], None] | None = None) -> Path:
    """The package folder of the version `spec` names, installed first when missing; HarnessError otherwise."""
    version = version_of(spec)
    ready = package_dir(version)
    if ready is not None:
        return ready
    root = packages_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HarnessError(f"cannot create the package cache {root}: {error.strerror} (set {CACHE_ENV})") from None
    with _install_lock(root):
        ready = package_dir(version)  # another process may have installed it while we waited
        if ready is not None:
            return ready
        _remove_leftovers(root)
        return _install(version, root, say or _to_stderr)


def _install(version: str, root: Path, say: Callable[[str], None]) -> Path:
    what = f"{PACKAGE} {version}"
    tarball, integrity = _metadata(version)
    pin = pinned()
    if version == pin.version and integrity != pin.integrity:
        raise HarnessError(
            f"cannot install {what}: the registry's integrity {integrity} is not the pinned {pin.integrity}"
        )
    say(f"harness: installing {what} from {tarball} into {root}")
    work = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=root))
    try:
        archive = work / "package.tgz"
        _download(tarball, archive, integrity, what)
        unpacked = work / "unpacked"
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(unpacked, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise HarnessError(f"cannot install {what}: the tarball does not unpack ({error})") from None
        package = unpacked / "package"
        if installed_version(package) != version or not (package / "dist").is_dir():
            raise HarnessError(f"cannot install {what}: the tarball holds no package/ folder of that version")
        target = root / version
        if target.exists():  # an incomplete folder from a tool other than this one
            shutil.rmtree(target)
        package.rename(target)  # atomic: the version's folder appears complete or not at all
        _record(root, version, tarball, integrity)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _metadata(version: str) -> tuple[str, str]:
    url = f"{registry()}{PACKAGE.replace('/', '%2f')}/{version}"
    try:
        with urllib.request.urlopen(_request(url), timeout=METADATA_TIMEOUT_S) as answer:
            data = json.load(answer)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise HarnessError(f"{PACKAGE} {version} is not a published version{_closest(version)}") from None
        raise HarnessError(f"cannot install {PACKAGE} {version}: {url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RegistryUnreachable(
            f"cannot install {PACKAGE} {version}: the npm registry {registry()} cannot be reached ({reason})"
        ) from None
    except ValueError:
        raise HarnessError(f"cannot install {PACKAGE} {version}: {url} did not answer JSON") from None
    dist = data.get("dist") if isinstance(data, dict) else None
    if not isinstance(dist, dict) or not isinstance(dist.get("tarball"), str):
        raise HarnessError(f"cannot install {PACKAGE} {version}: {url} names no tarball")
    integrity = dist.get("integrity")
    if not isinstance(integrity, str) or not integrity.startswith("sha512-"):
        raise HarnessError(f"cannot install {PACKAGE} {version}: the registry gives no sha512 integrity to check")
    return dist["tarball"], integrity


def _closest(version: str) -> str:
    """'; closest published: ...' from the registry's list of versions, or '' when it cannot be had."""
    url = f"{registry()}{PACKAGE.replace('/', '%2f')}"
    request = _request(url, "application/vnd.npm.install-v1+json")
    try:
        with urllib.request.urlopen(request, timeout=METADATA_TIMEOUT_S) as answer:
            versions = list(json.load(answer).get("versions", {}))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, AttributeError):
        return ""
    close = difflib.get_close_matches(version, versions, n=3, cutoff=0.6)
    return f"; closest published: {', '.join(close)}" if close else f"; published: {versions[0]} .. {versions[-1]}"


def _download(url: str, archive: Path, integrity: str, what: str) -> None:
    digest = hashlib.sha512()
    try:
        with (
            urllib.request.urlopen(_request(url, "*/*"), timeout=DOWNLOAD_TIMEOUT_S) as answer,
            archive.open("wb") as out,
        ):
            while chunk := answer.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as error:
        raise HarnessError(f"cannot install {what}: {url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RegistryUnreachable(f"cannot install {what}: downloading {url} failed ({reason})") from None
    got = "sha512-" + base64.b64encode(digest.digest()).decode("ascii")
    if got != integrity:
        raise HarnessError(f"cannot install {what}: the tarball's hash {got} is not the registry's {integrity}")


def _request(url: str, accept: str = "application/json") -> urllib.request.Request:
    return urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "zoom-videosdk-harness"})


def _record(root: Path, version: str, tarball: str, integrity: str) -> None:
    """Add the version to the lock file (written whole, then renamed over the old one)."""
    lock = read_lock()
    lock.update({"lockfileVersion": 1, "package": PACKAGE})
    lock["versions"][version] = {
        "resolved": tarball,
        "integrity": integrity,
        "installed": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "path": version,
    }
    lock["versions"] = dict(sorted(lock["versions"].items(), key=lambda item: _version_key(item[0])))
    partial = root / f".{LOCK_FILE}.tmp"
    partial.write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    partial.replace(root / LOCK_FILE)


@contextlib.contextmanager
def _install_lock(root: Path) -> Iterator[None]:
    with (root / ".install.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(root: Path) -> None:
    """Temporary folders of installs that were killed (we hold the lock, so none is in progress)."""
    for leftover in root.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text.split("-")[0])[:3]) or (0,)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
