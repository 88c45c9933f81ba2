"""Files the schema has already passed, remembered per user, so a run's start need not load jsonschema again.

A scenario file's structure is valid or not for one schema: the verdict is a function of the two texts. A file
that passed is remembered as an empty file named by the digest of the schema's bytes and the file's text, under
`$XDG_CACHE_HOME/zoom-videosdk-harness/valid-scenarios/`. The next load of the same text under the same schema
skips the schema pass (about a tenth of a second of a cold start, most of it importing jsonschema); every other
pass (the named checks, the model) runs each time. A failed file is never remembered, and a cache that cannot be
read or written changes nothing but the time.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from harness.paths import user_cache
from harness.scenario import schema

SHIPPED = schema.SCHEMA  # the schema as read from schema.json; one changed in memory is never cached against


@cache
def _schema_digest() -> bytes:
    return hashlib.sha256(schema.SCHEMA_PATH.read_bytes()).digest()


def _marker(text: str) -> Path | None:
    if schema.SCHEMA is not SHIPPED:
        return None
    digest = hashlib.sha256(_schema_digest() + text.encode("utf-8")).hexdigest()
    return user_cache() / "valid-scenarios" / digest[:2] / digest[2:]


def passed_before(text: str) -> bool:
    marker = _marker(text)
    try:
        return marker is not None and marker.is_file()
    except OSError:
        return False


def remember(text: str) -> None:
    marker = _marker(text)
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only home: the schema pass runs every time
