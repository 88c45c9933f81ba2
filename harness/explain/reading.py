"""A customer's paste as text the clue finder can read: refused when it is not a report (one clear line), then
cleaned of what browsers, forums and consoles add (smart quotes, `Object {`, glued keys, `[[Prototype]]`)."""

from __future__ import annotations

import re
import unicodedata

from harness.errors import HarnessError

MAX_CHARS = 100_000
# Keys of the error objects customers paste; Chrome's console glues an expansion's keys to the previous value
# (`ObjecterrorCode: 5007`, `errorCode: 3712errorMessage: "..."`), so a known key right after a letter,
# digit or quote starts a new field.
KEYS = (
    "errorCode",
    "subCode",
    "reason",
    "type",
    "message",
    "errorMessage",
    "code",
    "name",
    "method",
    "status",
    "result",
    "constraint",
    "eventType",
    "data",
    "internalErrorCode",
)
_GLUED = re.compile(r"(?<=[A-Za-z0-9\"'\]])(?=(?:" + "|".join(KEYS) + r")\s*:)")
_NOISE = re.compile(r"\[\[Prototype\]\]:\s*Object|__proto__:\s*Object|\[\[Prototype\]\]")
_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)


def check(text: str) -> str:
    """The paste, or one clear line saying why it cannot be read."""
    if len(text) > MAX_CHARS:
        raise HarnessError(
            f"the text is {len(text):,} characters long; paste the error itself (at most {MAX_CHARS:,} characters): "
            "the lines with the code, type, reason or the browser's error"
        )
    if not text.strip():
        raise HarnessError(
            "nothing to explain: give the customer's words, e.g. `harness explain 6010 subCode 2` or "
            "`harness explain - < report.txt`"
        )
    if "\x00" in text or _binary_share(text) > 0.1:
        raise HarnessError("the input is not text (binary data?): paste the error message or console lines")
    return text


def _binary_share(text: str) -> float:
    sample = text[:4096]
    odd = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\r\t\f\v")
    )
    return odd / max(len(sample), 1)


def normalise(text: str) -> str:
    """Quotes made plain, console and forum artefacts removed, glued keys split onto their own line."""
    text = text.translate(_QUOTES).replace("\r\n", "\n").replace("\r", "\n")
    text = _NOISE.sub(" ", text)
    text = re.sub(r"\bObject\s*\{", "{", text)  # Firefox: `Object { type: "..." }`
    return _GLUED.sub("\n", text)
