"""What a paste says, whatever its form: the fields of the error objects in it (JSON, JavaScript object dumps with
any quotes or none, Chrome's flattened expansions, Firefox's `Object { }`), codes written in prose (`Error Code:
5002`, `Error (5003)`, `6010 (4)`), sub-codes, SDK error types, browser exception names, hints of the browser, the
device, and of another Zoom product."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.explain.reading import normalise

# key: value, the value quoted (any quote) or bare up to the next `, key:` / `}` / end of line.
_FIELD = re.compile(
    r"""(?P<q>["']?)(?P<key>[A-Za-z_$][\w$]*)(?P=q)\s*[:=]\s*"""
    r"""(?P<value>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|-?\d+(?![\w.])|[^,{}\n\[\]]+?(?=\s*,\s*["']?[A-Za-z_$][\w$]*["']?\s*[:=]|\s*[}\]]|\s*$))""",
    re.MULTILINE,
)
_PROSE_CODES = (
    (re.compile(r"error\s*code\s*(?:is|was|of)?\s*[:=#]?\s*\(?\s*(\d{1,9})\b", re.I), 3),
    (re.compile(r"\berror\s*\(\s*(\d{1,9})\s*\)", re.I), 3),
    (re.compile(r"\b[A-Z][A-Z_]{4,}\b[^\n(]{0,20}\(\s*(\d{1,9})\s*\)"), 3),  # IMPROPER_MEETING_STATE Error (5002)
    (re.compile(r"\b(?:error|code|err)\s*[:#]?\s*(\d{3,9})\b", re.I), 2),
)
_SUB_CODE = (
    re.compile(r"sub[\s_-]*(?:code|reason)\s*(?:is|of)?\s*[:=#]?\s*\(?\s*(\d{1,2})\b", re.I),
    re.compile(r"\b(?P<code>\d{4})\s*\(\s*(\d{1,2})\s*\)"),  # 6010 (4)
    re.compile(r"\b(?P<code>\d{4})\s*/\s*(\d{1,2})\b(?!\s*/)"),  # 6010/4
)
_NUMBER = re.compile(r"(?<![\w.:/-])(\d{3,9})(?![\w.:/-])")
_ERROR_NAME = re.compile(
    r"\b(NotAllowedError|NotFoundError|NotReadableError|OverconstrainedError|AbortError|SecurityError|"
    r"TrackStartError|SourceUnavailableError|NotSupportedError|TypeError|DOMException)\b"
)
_TYPE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_UI_PREFIX = re.compile(r"^\s*(?:UIKit|Audio|Video|Share|Chat|Session|Error|Uncaught \(in promise\))\s*:\s*(.+)$")
MEDIA_TYPES = ("audio", "video", "sharing")


@dataclass
class CodeClue:
    code: int
    strength: int  # 3 stated as a code, 2 near a word like "error", 1 a bare number
    key: str  # the field it came from, or "prose"


@dataclass
class Clues:
    text: str  # the normalised paste
    fields: list[tuple[str, str]] = field(default_factory=list)
    codes: list[CodeClue] = field(default_factory=list)
    sub_code: int | None = None
    types: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # reason / message / errorMessage values, and UI strings
    error_names: list[str] = field(default_factory=list)
    media_failed: bool = False  # says active-media-failed, or is its payload
    media_type: str | None = None
    browser: str | None = None
    device: str | None = None  # camera | microphone | screen
    products: list[str] = field(default_factory=list)  # meeting-sdk | native-sdk | other-vendor
    only_number: bool = False  # the whole paste is a code (and perhaps its sub-code)

    def field_values(self, *keys: str) -> list[str]:
        wanted = {key.lower() for key in keys}
        return [value for key, value in self.fields if key.lower() in wanted]

    def understood(self) -> list[str]:
        """What was recognised, in a few words each, for a reply that found nothing."""
        parts = [f"code {c.code}" for c in self.codes]
        if self.sub_code is not None:
            parts.append(f"sub-code {self.sub_code}")
        parts += [f"type {t}" for t in self.types]
        parts += [f"reason {r!r}" for r in self.reasons[:3]]
        parts += [f"browser error {n}" for n in self.error_names]
        if self.media_failed:
            parts.append("an active-media-failed event")
        parts += [PRODUCT_WORDS[p] for p in self.products]
        return parts


PRODUCT_WORDS = {
    "meeting-sdk": "the Meeting SDK's error shape (method, status, errorMessage, result): Zoom's Meeting SDK, "
    "not the Video SDK",
    "native-sdk": "a native (Android, iOS, React Native) SDK's code pair: not the Video SDK for the web",
    "other-vendor": "another vendor's SDK (videosdk.live): not Zoom's Video SDK",
}


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value.replace('\\"', '"').replace("\\'", "'").strip()


def find_clues(raw: str) -> Clues:
    text = normalise(raw)
    clues = Clues(text)
    clues.fields = [(m["key"], unquote(m["value"])) for m in _FIELD.finditer(text)]
    _codes(clues)
    _sub_code(clues)
    clues.types = list(dict.fromkeys(_TYPE.findall(text)))
    clues.reasons = _reasons(clues)
    clues.error_names = list(dict.fromkeys(_ERROR_NAME.findall(text)))
    _media_failed(clues)
    clues.browser = _browser(raw.translate({0x201C: 34, 0x201D: 34}) + "\n" + text)
    clues.device = _device(clues)
    clues.products = _products(clues)
    return clues


def _int(value: str) -> int | None:
    value = value.strip().rstrip(".")
    return int(value) if re.fullmatch(r"-?\d{1,9}", value) else None


def _codes(clues: Clues) -> None:
    seen: dict[int, CodeClue] = {}

    def add(code: int | None, strength: int, key: str) -> None:
        if code is None or code < 0:
            return
        if code not in seen or seen[code].strength < strength:
            seen[code] = CodeClue(code, strength, key)

    for key, value in clues.fields:
        if key in ("errorCode", "code", "error_code", "errCode", "errorcode"):
            add(_int(value), 3, key)
        elif key in ("internalErrorCode", "p1"):
            add(_int(value), 2, key)
    for pattern, strength in _PROSE_CODES:
        for match in pattern.finditer(clues.text):
            add(int(match[1]), strength, "prose")
    stripped = clues.text.strip()
    whole = re.fullmatch(
        r"\(?\s*(\d{1,9})\s*\)?(?:\s*(?:\(\s*\d{1,2}\s*\)|/\s*\d{1,2}|,?\s*sub[\s_-]*code\s*:?\s*\d{1,2}))?",
        stripped,
        re.I,
    )
    if whole:
        clues.only_number = True
        add(int(whole[1]), 3, "alone")
    for match in _NUMBER.finditer(clues.text):
        add(int(match[1]), 1, "prose")
    clues.codes = sorted(seen.values(), key=lambda c: -c.strength)


def _sub_code(clues: Clues) -> None:
    for key, value in clues.fields:
        if key in ("subCode", "sub_code", "subcode"):
            clues.sub_code = _int(value)
            return
    for pattern in _SUB_CODE:
        match = pattern.search(clues.text)
        if match:
            clues.sub_code = int(match[match.lastindex or 1])
            if "code" in pattern.groupindex:
                code = int(match["code"])
                clues.codes = [c for c in clues.codes if c.code != clues.sub_code or c.code == code]
            return


def _reasons(clues: Clues) -> list[str]:
    found = [v for k, v in clues.fields if k in ("reason", "message", "errorMessage", "msg") and v]
    for line in clues.text.splitlines():
        ui = _UI_PREFIX.match(line)
        if ui:
            found.append(unquote(ui[1]))
    return list(dict.fromkeys(found))


def _media_failed(clues: Clues) -> None:
    lowered = clues.text.lower()
    types = [v.lower() for v in clues.field_values("type") if v.lower() in MEDIA_TYPES]
    clues.media_type = types[0] if types else None
    clues.media_failed = bool(
        re.search(r"active[\s_-]*media[\s_-]*failed|activemediafailed|media-internal-error", lowered)
        or (types and clues.field_values("code"))
    )


def _browser(text: str) -> str | None:
    lowered = text.lower()
    if re.search(
        r"firefox|gecko/|\bfx\b|failed to allocate video ?source|the object can not be found here|"
        r"navigator\.mediadevices is undefined",
        lowered,
    ) or re.search(r"\bObject\s*\{", text):
        return "firefox"
    if re.search(r"safari|iphone|ipad|\bios\b|webkit", lowered) and "chrome" not in lowered:
        return "webkit"
    if re.search(r"chrome|chromium|\bedge\b|cannot read properties of undefined", lowered):
        return "chromium"
    return None


def _device(clues: Clues) -> str | None:
    lowered = clues.text.lower()
    if clues.media_type == "audio":
        return "microphone"
    if clues.media_type == "video":
        return "camera"
    mic = len(re.findall(r"microphone|\bmic\b|startaudio|audio source|\baudio\b", lowered))
    cam = len(re.findall(r"camera|webcam|startvideo|video source|videosource|\bvideo\b", lowered))
    screen = len(re.findall(r"screen|sharescreen|getdisplaymedia", lowered))
    best = max(mic, cam, screen)
    if best == 0:
        return None
    return "microphone" if mic == best else "camera" if cam == best else "screen"


def _products(clues: Clues) -> list[str]:
    keys = {key for key, _ in clues.fields}
    lowered = clues.text.lower()
    found = []
    if (
        {"method", "errorMessage"} <= keys
        or {"status", "result", "errorMessage"} <= keys
        or re.search(
            r"zoommtg|meeting ?sdk|meetingsdk|zoom-meeting-\d|component view|client view|fail to join the meeting|"
            r"join meeting failed|joining meeting timeout",
            lowered,
        )
    ):
        found.append("meeting-sdk")
    if re.search(r"internalerrorcode|\bp0\s*=\s*\d+\s+and\s+p1\s*=|zoomvideosdkerror_|\berrors_[a-z]", lowered):
        found.append("native-sdk")
    if re.search(r"videosdk\.live|invalid_api_key", lowered):
        found.append("other-vendor")
    return found
