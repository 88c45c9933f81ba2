"""Rebuild harness/catalog/exception-codes.json from a TSV of Zoom's published Video SDK Web error table.

The JSON is the project's one error catalog: the Python side reads it and the SDK double imports it. The
TSV has one row per documented code, with the columns `code`, `constant`, `category`, `raised_by`
(comma-separated methods, or `-`) and `flags` (free text: whether the code is web-reachable, sub-reasons,
documented reasons). Run this only when Zoom's table changes:

    .venv/bin/python scripts/import_catalog.py path/to/exception-codes.tsv
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "harness" / "catalog" / "exception-codes.json"


# Codes the table lists for the web that no web app can meet in 2.5.0, found by reading or running the package.
MEASURED_UNREACHABLE = {
    5003: (
        "2.5.0 never lets an app meet it: the rejoin's join response makes the session joined and clears the "
        "reconnecting flag in one synchronous step, before any app code can run (read in dist/index.esm.js, "
        "@974154-974347; measured: never seen in a rejoin's Connected handler); calls while reconnecting get 5002"
    ),
    5008: "no code path of the 2.5.0 runtime raises it (read in dist/index.esm.js)",
    6214: "2.5.0 never raises it: a failed annotation start gives INTERNAL_ERROR 2 (read in the runtime)",
    6217: "2.5.0 never raises it: stopAnnotation with nothing started resolves (read in the runtime)",
    6017: "secondary audio is unsupported only on Safari, iOS and Android, which this harness does not drive",
    7011: "2.5.0's chat client has no deleteMessage (only an internal module does), so no public call raises it",
}


# Codes a web app can meet that no condition of the browser, the network or the back end's configuration
# produces here: they stay "missing" in the coverage, with this reason instead of "no scenario yet".
NOT_REPRODUCED = {
    4003: (
        "the 2.5.0 runtime raises it only when Zoom's meeting server answers the session socket with 'invalid "
        "parameters!' and no retry, i.e. it refuses connection parameters it issued itself (Zoom's docs say to "
        "report it to Zoom); no browser, network or account condition makes a correct client send parameters "
        "the server refuses"
    ),
}


# Where the docs and the 2.5.0 runtime part ways on a code: what the docs say, what 2.5.0 does, and the evidence
# (read in dist/index.esm.js, with byte offsets of the minified names; measured against a scripted back end).
# `harness explain` prints it; docs/fidelity.md ("Connection and reconnect") has the long form.
RUNTIME_NOTES: dict[int, dict[str, str]] = {
    5002: {
        "docs": (
            "Called a function that requires the user to be in a session, but the session is closed "
            "(typings; Zoom's error table): before a join, after leaving."
        ),
        "runtime": (
            "2.5.0 also answers it, {type: 'IMPROPER_MEETING_STATE', reason: 'closed'}, for the whole of a "
            "reconnect: in the task that detects the loss it resets the session (status closed, reconnecting flag "
            "set, participant list emptied) before connection-change Reconnecting reaches the app, and the session "
            "is joined again only with the rejoin's join response. The same during a move between subsessions, "
            "and after a reconnect that gives up (connection-change Fail 200 'connection error': one rejoin only)."
        ),
        "evidence": (
            "read: the in-session guard cm @196746 checks meetingStatus !== 'joined' first; the failover reset "
            "WP(state, true) @605778 ends with $h(No.Closed) @607080, dispatched synchronously with the detection "
            "(meetingMainEpics4 @976843); public events are delivered on rxjs asapScheduler @620289. measured "
            "(socket closed, heartbeat silence, server-asked reconnect, failed rejoin): 5002 in the Reconnecting "
            "handler and until the rejoin's Connected, and after Fail."
        ),
    },
    5003: {
        "docs": "Called a function that requires the user to be in a session, but the session is reconnecting.",
        "runtime": (
            "2.5.0 never lets an app meet it. The guard's second branch needs the session joined and the "
            "reconnecting flag set together, and the rejoin's join response sets joined and clears the flag in one "
            "synchronous batch, before any event handler, promise callback or timer of the app runs. While "
            "reconnecting, calls get 5002 'closed'; right after the rejoin's Connected, 6002 (own-record readers) "
            "or success."
        ),
        "evidence": (
            "read: cm @196746 (5002, then 5003 @197007, then 5004); setInMeetingInfo and setIsMeetingReset(false) "
            "in one batch with the join response @974154-974347, the only place the flag is cleared. measured: in "
            "every rejoin's Connected handler the guard passed (switchSpeaker answered 6000), never 5003."
        ),
    },
}


def unreachable_reason(flags: str) -> str | None:
    if "MSDK only" in flags:
        return "Meeting SDK only: hidden from the Video SDK Web reference"
    if "ZCC only" in flags:
        return "Zoom Contact Center only: hidden from the Video SDK Web reference"
    if "Legacy Safari" in flags:
        return "only on legacy Safari, which this harness does not drive"
    if "Legacy Chrome" in flags:
        return "only on legacy Chrome versions, older than any browser this harness drives"
    return None


def main(tsv: str) -> None:
    rows = []
    with open(tsv, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            flags = "" if row["flags"] == "-" else row["flags"]
            rows.append(
                {
                    "code": int(row["code"]),
                    "constant": row["constant"],
                    "category": "" if row["category"] == "-" else row["category"],
                    "raised_by": [] if row["raised_by"] == "-" else row["raised_by"].split(","),
                    "flags": flags,
                    "in_runtime_enum": "NOT in 2.5.0 runtime enum" not in flags,
                    "unreachable": unreachable_reason(flags) or MEASURED_UNREACHABLE.get(int(row["code"])),
                    "not_reproduced": NOT_REPRODUCED.get(int(row["code"])),
                    "runtime": RUNTIME_NOTES.get(int(row["code"])),
                }
            )
    # Members of the 2.5.0 runtime ExceptionCode enum that the published error table lacks.
    extra = {6219: "SHARE_CAMERA_MESSAGE_ERROR", 6220: "SCREEN_SHARE_WHITEBOARD_CONFLICT", 7105: "CMD_RATE_LIMIT"}
    known = {r["code"] for r in rows}
    for code, constant in extra.items():
        if code not in known:
            rows.append(
                {
                    "code": code,
                    "constant": constant,
                    "category": "",
                    "raised_by": [],
                    "flags": "runtime only",
                    "in_runtime_enum": True,
                    "unreachable": None,
                    "not_reproduced": None,
                    "runtime": None,
                }
            )
    rows.sort(key=lambda r: r["code"])
    OUT.write_text(json.dumps({"version": "2.5.0", "codes": rows}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} codes to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/import_catalog.py path/to/exception-codes.tsv")
    main(sys.argv[1])
