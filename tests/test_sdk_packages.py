"""The per-user package cache: installs from a registry (a local stand-in here, so no network is needed),
checks the integrity hash, records the lock file, and leaves nothing half-installed when anything fails."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from harness.errors import HarnessError
from harness.run_context import SdkProfile
from harness.sdk_packages import (
    CACHE_ENV,
    LOCK_FILE,
    REGISTRY_ENV,
    RegistryUnreachable,
    cache_root,
    dist_dir,
    ensure,
    installed,
    packages_dir,
    pinned,
    read_lock,
    version_of,
)


def tarball(version: str, extra: dict[str, bytes] | None = None) -> bytes:
    files = {
        "package/package.json": json.dumps({"name": "@zoom/videosdk", "version": version}).encode(),
        "package/dist/index.umd.js": b"var WebVideoSDK = {};",
        "package/dist/lib/js_media.min.js": b"// media",
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class Registry:
    """Versions it publishes: version -> (tarball bytes, the integrity its metadata claims)."""

    def __init__(self) -> None:
        self.published: dict[str, tuple[bytes, str]] = {}
        self.requests: list[str] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                registry.requests.append(self.path)
                body, status = registry.answer(self.path, registry.url.rstrip("/"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()  # shuts down within 50 ms

    def publish(self, version: str, data: bytes | None = None, claimed: str | None = None) -> None:
        data = tarball(version) if data is None else data
        self.published[version] = (data, claimed or integrity(data))

    def answer(self, path: str, base: str) -> tuple[bytes, int]:
        if path.startswith("/tarballs/"):
            version = path.removeprefix("/tarballs/")
            return (self.published[version][0], 200) if version in self.published else (b"", 404)
        if path == "/@zoom%2fvideosdk":
            return json.dumps({"versions": {v: {} for v in self.published}}).encode(), 200
        version = path.rsplit("/", 1)[-1]
        if version not in self.published:
            return b'{"error":"not found"}', 404
        dist = {"tarball": f"{base}/tarballs/{version}", "integrity": self.published[version][1]}
        return json.dumps({"version": version, "dist": dist}).encode(), 200


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Registry]:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    stand_in = Registry()
    monkeypatch.setenv(REGISTRY_ENV, stand_in.url)
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


def leftovers() -> list[str]:
    root = packages_dir()
    return sorted(p.name for p in root.iterdir() if p.name not in (".install.lock", LOCK_FILE)) if root.exists() else []


def test_a_version_is_installed_verified_and_recorded(registry: Registry) -> None:
    registry.publish("2.4.5")
    folder = ensure("real@2.4.5", say=lambda line: None)
    assert folder == packages_dir() / "2.4.5"
    assert (folder / "dist" / "lib" / "js_media.min.js").read_bytes() == b"// media"
    assert dist_dir("real@2.4.5") == folder / "dist"
    entry = read_lock()["versions"]["2.4.5"]
    assert entry["integrity"] == registry.published["2.4.5"][1]
    assert entry["resolved"] == f"{registry.url}tarballs/2.4.5"
    assert entry["path"] == "2.4.5"
    assert [item.version for item in installed()] == ["2.4.5"]
    assert leftovers() == ["2.4.5"]
    count = len(registry.requests)
    assert ensure("real@2.4.5") == folder, "a cached version is not fetched again"
    assert len(registry.requests) == count


def test_a_tarball_that_does_not_match_its_integrity_is_refused_and_nothing_is_left(registry: Registry) -> None:
    registry.publish("2.4.5", claimed=integrity(b"something else"))
    with pytest.raises(
        HarnessError, match=r"^cannot install @zoom/videosdk 2.4.5: the tarball's hash sha512-\S+ is not"
    ):
        ensure("real@2.4.5", say=lambda line: None)
    assert leftovers() == []
    assert "2.4.5" not in read_lock()["versions"]


def test_a_tarball_of_another_version_is_refused(registry: Registry) -> None:
    registry.publish("2.4.5", data=tarball("2.4.4"))
    with pytest.raises(HarnessError, match="no package/ folder of that version"):
        ensure("real@2.4.5", say=lambda line: None)
    assert leftovers() == []


def test_the_pinned_version_must_have_the_pinned_integrity(registry: Registry) -> None:
    registry.publish(pinned().version)  # a tarball that is not the pinned one, with its own (true) integrity
    with pytest.raises(HarnessError, match=r"the registry's integrity .* is not the pinned sha512-"):
        ensure("real", say=lambda line: None)
    assert leftovers() == []


def test_an_unknown_version_names_the_closest_published(registry: Registry) -> None:
    registry.publish("2.4.5")
    registry.publish("2.5.0")
    with pytest.raises(HarnessError) as raised:
        ensure("real@2.4.6")
    assert str(raised.value) == "@zoom/videosdk 2.4.6 is not a published version; closest published: 2.4.5, 2.5.0"
    assert leftovers() == []


def test_an_unreachable_registry_is_one_line_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(REGISTRY_ENV, "http://127.0.0.1:9/")  # discard port: nothing listens
    with pytest.raises(RegistryUnreachable) as raised:
        ensure("real@2.4.5")
    message = str(raised.value)
    assert message.startswith("cannot install @zoom/videosdk 2.4.5: the npm registry http://127.0.0.1:9/ cannot be")
    assert "\n" not in message
    assert leftovers() == []


def test_leftovers_of_a_killed_install_are_removed(registry: Registry) -> None:
    packages_dir().mkdir(parents=True)
    (packages_dir() / ".tmp-2.4.5-killed" / "unpacked").mkdir(parents=True)
    registry.publish("2.4.5")
    ensure("real@2.4.5", say=lambda line: None)
    assert leftovers() == ["2.4.5"]


def test_cache_root_follows_the_override_then_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "zoom-videosdk-harness"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("real", pinned().version), ("real@2.4.5", "2.4.5"), ("real@2.6.0-beta.1", "2.6.0-beta.1")],
)
def test_sdk_values_name_versions(spec: str, expected: str) -> None:
    assert version_of(spec) == expected


@pytest.mark.parametrize("spec", ["real@", "real@2.4", "real@latest", "reality", "real@../x"])
def test_other_sdk_values_are_refused_in_one_line(spec: str) -> None:
    with pytest.raises(HarnessError, match=r"expected double, real or real@X\.Y\.Z"):
        version_of(spec)


def test_each_real_version_is_served_under_its_own_path() -> None:
    assert SdkProfile.named("real").assets_path == "/sdk/real/lib"
    assert SdkProfile.named("real@2.4.5").assets_path == "/sdk/real@2.4.5/lib"
    assert SdkProfile.named("double").assets_path == "/double/lib"
    assert (SdkProfile.named("real@2.4.5").kind, SdkProfile.named("double").kind) == ("real", "double")


def harness(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_versions_commands(registry: Registry, tmp_path: Path) -> None:
    registry.publish("2.4.5")
    env = {"PATH": "/usr/bin:/bin", CACHE_ENV: str(tmp_path / "cache"), REGISTRY_ENV: registry.url}
    assert harness("versions", "path", "2.4.5", "--installed", env=env).returncode == 1
    installed_now = harness("versions", "install", "2.4.5", env=env)
    assert installed_now.returncode == 0, installed_now.stderr
    assert installed_now.stdout.strip() == f"2.4.5: {tmp_path / 'cache' / 'videosdk' / '2.4.5'}"
    printed = harness("versions", "path", "real@2.4.5", "--installed", env=env)
    assert printed.stdout.strip() == str(tmp_path / "cache" / "videosdk" / "2.4.5")
    listed = json.loads(harness("versions", "list", "--format", "json", env=env).stdout)
    assert [(row["version"], row["pinned"], row["path"] is not None) for row in listed] == [
        (pinned().version, True, False),
        ("2.4.5", False, True),
    ]
    bad = harness("versions", "install", "2.4", env=env)
    assert (bad.returncode, bad.stderr.strip()) == (
        1,
        "harness: '2.4': expected a version X.Y.Z of @zoom/videosdk (or real, real@X.Y.Z)",
    )
