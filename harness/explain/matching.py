"""From clues to ranked answers: every space a clue points into (a Video SDK code, an active-media-failed code, a
browser error, a Zoom app's code) proposes candidates with a score; candidates for the same answer merge, and the
answers are returned best first. Scores are additive evidence: a code stated as a code counts more than a number in
passing, the runtime's own reason string counts on its own, and a hint of another product takes away."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harness.explain.clues import PRODUCT_WORDS, Clues
from harness.explain.knowledge import BrowserError, BrowserMessage, Knowledge, Rejection, public_methods
from harness.explain.scenarios import Fit, catalog, ranked, report_tags

THRESHOLD = 20  # below this, a candidate is not an answer
CODE_WEIGHT = {3: 50, 2: 35, 1: 22}
PRODUCT_PENALTY = 45  # a Meeting SDK, native SDK or other vendor's shape: its numbers are not Video SDK Web codes
PREFERRED_GUARDED = ("startVideo", "startAudio", "stopVideo", "switchCamera", "send", "startShareScreen")


@dataclass
class Match:
    space: str
    code: int | None
    constant: str | None
    meaning: str
    score: float
    sub_code: int | None = None
    type: str | None = None
    reason: str | None = None
    methods: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sdk_code: int | None = None  # browser space: what the Video SDK makes of the error
    sdk_sub_code: int | None = None
    fit: Fit = field(default_factory=Fit)
    entry: str | None = None  # browser space: which of the data file's errors (two are TypeErrors)

    @property
    def key(self) -> tuple[str, int | None, str | None]:
        return (self.space, self.code, (self.entry or self.constant) if self.code is None else None)


def norm(text: str) -> str:
    return " ".join(text.lower().strip().strip("\"'`").rstrip(".").split())


class Matcher:
    def __init__(self, known: Knowledge, clues: Clues, folder: Path | None = None) -> None:
        self.known = known
        self.clues = clues
        self.folder = folder
        self.text = norm(clues.text)
        # A type's own sentence (`Audio: The operation is invalid, perhaps caused by duplicated operations`) is not
        # a reason: the short reasons inside it ('duplicated operation') must not be read out of it.
        self.reason_text = self.text
        for doc in known.error_types.values():
            self.reason_text = self.reason_text.replace(norm(doc), " ")
        self.found: dict[tuple[str, int | None, str | None], Match] = {}

    def add(self, match: Match) -> None:
        held = self.found.get(match.key)
        if held is None:
            self.found[match.key] = match
            return
        held.score = max(held.score, match.score) + min(held.score, match.score) / 4
        held.type = held.type or match.type
        held.reason = held.reason or match.reason
        held.sub_code = held.sub_code if held.sub_code is not None else match.sub_code

    def run(self) -> list[Match]:
        self.videosdk_codes()
        self.reasons()
        self.media_failed()
        self.browser_errors()
        self.client_codes()
        answers = sorted(
            (m for m in self.found.values() if m.score >= THRESHOLD), key=lambda m: (-m.score, m.space != "videosdk")
        )
        for match in answers:
            self.complete(match)
        return answers

    # -- candidates ------------------------------------------------------------------------------------------

    def videosdk_codes(self) -> None:
        clues, known = self.clues, self.known
        for clue in clues.codes:
            if clue.code not in known.catalog or (clue.code == clues.sub_code and clue.strength < 3):
                continue
            score = float(CODE_WEIGHT[clue.strength])
            score -= PRODUCT_PENALTY * bool(clues.products)
            score -= 40 * (clues.media_failed and clue.code in known.media_failed)
            score -= 20 * (clue.code in known.client_codes and self.client_words(clue.code) > 0)
            entry = known.catalog[clue.code]
            # A code the docs promise but 2.5.0 never raises (its `runtime` note says so) is still what apps are
            # written to handle and what customers quote: only a code with no such note counts as out of reach.
            score -= 15 * bool(entry.unreachable and not entry.runtime)
            runtime = [r for r in known.rejections if r.code == clue.code]
            if any(r.type in clues.types for r in runtime):
                score += 10
            self.add(Match("videosdk", clue.code, known.catalog[clue.code].constant, "", score, clues.sub_code))

    def reasons(self) -> None:
        clues = self.clues
        seen: set[tuple[int | None, str | None]] = set()
        for rejection, strength in self.reason_hits():
            if (rejection.code, rejection.reason) in seen:
                continue
            seen.add((rejection.code, rejection.reason))
            score = strength - PRODUCT_PENALTY * bool(clues.products)
            if rejection.type and rejection.type in clues.types:
                score += 10
            if any(c.code == rejection.code and c.strength >= 2 for c in clues.codes):
                score += 15
            constant = self.constant(rejection.code) if rejection.code is not None else rejection.type
            self.add(
                Match("videosdk", rejection.code, constant, "", score, clues.sub_code, rejection.type, rejection.reason)
            )
        if not self.found:
            for name, doc in self.known.error_types.items():
                if name in clues.types or norm(doc) in self.text:
                    self.add(Match("videosdk", None, name, doc, 24.0 if name in clues.types else 21.0, type=name))

    def reason_hits(self) -> list[tuple[Rejection, float]]:
        asked = [norm(r) for r in self.clues.reasons]
        hits: list[tuple[Rejection, float]] = []
        for rejection in self.known.rejections:
            if rejection.reason and len(rejection.reason) >= 4:
                reason = norm(rejection.reason)
                if reason in asked:
                    hits.append((rejection, 45.0))
                elif len(reason) >= 14 and reason in self.reason_text:
                    hits.append((rejection, 35.0))
            elif rejection.pattern is not None and any(rejection.pattern.fullmatch(r) for r in self.clues.reasons):
                hits.append((rejection, 40.0))
        return sorted(hits, key=lambda hit: -hit[1])

    def media_failed(self) -> None:
        clues, known = self.clues, self.known
        with_message = {code for code, entry in known.media_failed.items() if norm(entry.message) in self.text}
        candidates: dict[int, float] = {}
        for clue in clues.codes:
            if clue.code in known.media_failed:
                candidates[clue.code] = CODE_WEIGHT[clue.strength] - 10.0
        if not candidates:
            candidates = {code: 25.0 for code in with_message}
        for code, base in candidates.items():
            entry = known.media_failed[code]
            score = base + 30 * clues.media_failed + 10 * (clues.media_type == entry.type)
            score += 10 * (code in with_message) - 20 * (clues.media_type not in (None, entry.type))
            self.add(Match("active-media-failed", code, entry.name, entry.doc, score, type=entry.type))

    def browser_errors(self) -> None:
        for error in self.known.browser_errors:
            message = self.browser_message(error)
            named = error.name in self.clues.error_names
            if message is None and not named:
                continue
            score = (50.0 if message else 0.0) + (10.0 if named else 0.0)
            if message is None:
                score = 40.0 if error.name != "TypeError" else 15.0
                # the name alone: the first message of this error stands for it (the user's own denial, say)
                message = next((m for m in error.messages if m.browser in (None, self.clues.browser, "any")), None)
            match = Match(
                "browser", None, error.name, error.meaning, score, fit=Fit(browser=self.clues.browser), entry=error.key
            )
            self.sdk_answer(match, error, message)
            self.add(match)

    def browser_message(self, error: BrowserError) -> BrowserMessage | None:
        hits = [m for m in error.messages if norm(m.text) in self.text]
        return max(hits, key=lambda m: len(m.text)) if hits else None

    def sdk_answer(self, match: Match, error: BrowserError, message: BrowserMessage | None) -> None:
        """What the SDK makes of the error, for the device the report is about."""
        if message is None:
            return
        device = self.clues.device
        if message.condition:
            match.conditions.append(message.condition)
        if device == "microphone" and message.microphone:
            match.sdk_code, match.sdk_sub_code = message.microphone, message.sub_code
        elif device in ("camera", None) and message.camera:
            match.sdk_code = message.camera
        elif message.code:
            match.sdk_code = message.code
        elif message.microphone and not message.camera:
            match.sdk_code, match.sdk_sub_code = message.microphone, message.sub_code
        browser = message.browser if message.browser in ("chromium", "firefox") else self.clues.browser
        match.fit = Fit(match.sdk_code, match.sdk_sub_code, browser=browser, device=device, state=message.state)
        if match.sdk_code in self.known.catalog:
            self.add(
                Match(
                    "videosdk",
                    match.sdk_code,
                    self.constant(match.sdk_code),
                    "",
                    match.score - 8,
                    match.sdk_sub_code,
                    fit=match.fit,
                )
            )

    def client_words(self, code: int) -> int:
        entry = self.known.client_codes[code]
        return sum(1 for word in entry.words if norm(word) in self.text)

    def client_codes(self) -> None:
        clues, known = self.clues, self.known
        for code, entry in known.client_codes.items():
            clue = next((c for c in clues.codes if c.code == code), None)
            words = self.client_words(code)
            if clue is None and words < 2:
                continue
            score = (40.0 if clue and clue.strength >= 2 else 15.0 if clue else 0.0) + min(35, 25 * words)
            score += 15 * (clue is not None and code not in known.catalog)
            score -= 20 * ("meeting-sdk" in clues.products)
            self.add(Match("zoom-client", code, None, entry.meaning, score))

    def constant(self, code: int | None) -> str | None:
        entry = self.known.catalog.get(code) if code is not None else None
        return entry.constant if entry else None

    # -- completing an answer -------------------------------------------------------------------------------

    def complete(self, match: Match) -> None:
        if match.space == "videosdk":
            self.complete_videosdk(match)
        elif match.space == "active-media-failed":
            self.complete_media_failed(match)
        elif match.space == "browser":
            self.complete_browser(match)
        else:
            self.complete_client(match)

    def complete_videosdk(self, match: Match) -> None:
        known, code = self.known, match.code
        clues = self.clues
        runtime = [r for r in known.rejections if code is not None and r.code == code]
        if code is None:
            runtime = [r for r in known.rejections if r.reason and match.reason == r.reason]
            match.meaning = match.meaning or known.error_types.get(match.type or "", "")
            match.notes.append("no error code: the runtime rejects with this type and reason alone")
            match.conditions = [
                c for pattern, c in known.reason_notes.items() if re.search(pattern, match.reason or "")
            ]
        chosen = next((r for r in runtime if r.reason and norm(r.reason) in map(norm, clues.reasons)), None)
        chosen = chosen or next((r for r in runtime if r.type in clues.types), None) or next(iter(runtime), None)
        if chosen is not None:
            match.type = match.type or chosen.type
            match.reason = match.reason or chosen.reason
        docs = known.docs.get(code, {}) if code is not None else {}
        match.meaning = match.meaning or docs.get("doc") or (match.constant or "")
        match.notes += [n for n in docs.get("notes", []) if n]
        if code is not None and match.sub_code is not None:
            label = next((r for r in docs.get("reasons", []) if r.startswith(f"{match.sub_code}-")), None)
            if label:
                match.notes.append(f"sub-code {match.sub_code}: {label.split('-', 1)[1].strip()}")
        match.methods = self.methods(code, runtime, docs.get("methods", []))
        notes = known.notes.get(code) if code is not None else None
        fit = Fit(
            code,
            match.sub_code,
            match.reason,
            match.type,
            match.fit.browser or clues.browser,
            clues.device,
            match.fit.state,
            report_tags(clues.text),
        )
        match.fit = fit
        folder_scenarios = catalog(self.folder)
        if code is not None:
            asserting = [s.name for s in folder_scenarios.values() if s.asserts(code)]
        else:
            asserting = [
                s.name for s in folder_scenarios.values() if any(e.get("reason") == match.reason for e in s.errors)
            ]
        suggested = list(notes.scenarios) if notes else []  # the notes' order first among equals
        match.scenarios = ranked(suggested + asserting, fit, self.folder)
        summaries = [folder_scenarios[name].summary for name in match.scenarios[:3]]
        if code is not None or not match.conditions:
            match.conditions = list(
                notes.conditions if notes and notes.conditions else summaries or docs.get("reasons", [])
            )
        runtime_note = known.runtime_note(code) if code is not None else None
        if runtime_note:
            match.notes.append(f"2.5.0 runtime: {runtime_note}")
        if code is not None and known.catalog[code].unreachable:
            match.notes.append(f"not met by a web app: {known.catalog[code].unreachable}")
        if code in known.client_codes:
            client = known.client_codes[code]
            match.notes.append(f"Zoom's own apps use {code} for something else: '{client.name}' ({client.meaning})")
        if clues.products:
            match.notes.append("the report looks like another product's: " + "; ".join(self.product_words()))

    def methods(self, code: int | None, runtime: list[Rejection], documented: list[str]) -> list[str]:
        found = list(documented) + (list(self.known.catalog[code].raised_by) if code in self.known.catalog else [])
        for rejection in runtime:
            if rejection.guarded:
                guarded = self.known.guards.get(rejection.made_in[0], ())
                public = {p for name in guarded for p in public_methods(name)}
                shown = ", ".join(p for m in PREFERRED_GUARDED if m in guarded for p in public_methods(m)[:1])
                found.append(f"any of the {len(public)} methods the runtime guards with this check ({shown}, …)")
            else:
                found += [p for name in rejection.made_in for p in public_methods(name)]
        return list(dict.fromkeys(found))

    def product_words(self) -> list[str]:
        return [PRODUCT_WORDS[p] for p in self.clues.products]

    def complete_media_failed(self, match: Match) -> None:
        assert match.code is not None
        entry = self.known.media_failed[match.code]
        match.reason = entry.message
        match.methods = ["event active-media-failed (client.on), not a rejection"]
        match.conditions = [entry.made_by] if entry.made_by else []
        match.fit = Fit(match.code, browser=self.clues.browser)
        match.scenarios = ranked(
            [s.name for s in catalog(self.folder).values() if match.code in s.media_failed], match.fit, self.folder
        )
        if entry.unreachable:
            match.notes.append(f"not met by a web app: {entry.unreachable}")
        elif entry.not_reproduced and not match.scenarios:
            match.notes.append(f"not reproduced here: {entry.not_reproduced}")
        match.notes.append(f"payload: {{message: {entry.message!r}, type: {entry.type!r}, code: {entry.code}}}")

    def complete_browser(self, match: Match) -> None:
        error = next(e for e in self.known.browser_errors if e.key == match.entry)
        if match.sdk_code is not None:
            sub = f" subCode {match.sdk_sub_code}" if match.sdk_sub_code is not None else ""
            match.notes.append(f"the Video SDK answers {match.sdk_code} {self.constant(match.sdk_code) or ''}{sub}")
        match.methods = [
            "getUserMedia / getDisplayMedia (stream.startAudio, stream.startVideo, stream.startShareScreen)"
        ]
        match.conditions = list(dict.fromkeys(match.conditions + list(error.conditions)))
        asserting = list(error.scenarios)  # the data file's order first among equals
        if match.sdk_code is not None:
            asserting += [s.name for s in catalog(self.folder).values() if s.asserts(match.sdk_code)]
        match.scenarios = ranked(asserting, match.fit, self.folder)

    def complete_client(self, match: Match) -> None:
        assert match.code is not None
        entry = self.known.client_codes[match.code]
        match.constant = entry.name
        match.methods = ["Zoom's desktop, mobile or web client (not the Video SDK)"]
        conditions = [self.known.conditions[key] for key in entry.causes if key in self.known.conditions]
        match.conditions = [c.words for c in conditions]
        names = [name for c in conditions for name in c.scenarios]
        match.scenarios = [name for name in dict.fromkeys(names) if name in catalog(self.folder)]
        if match.code in self.known.catalog:
            sdk = self.known.docs.get(match.code, {}).get("doc") or self.known.catalog[match.code].constant
            match.notes.append(f"in the Video SDK, {match.code} is {self.known.catalog[match.code].constant}: {sdk}")
        match.notes.append("the scenarios show what a Video SDK web app meets under the same conditions")
