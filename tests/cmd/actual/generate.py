#!/usr/bin/env python3
"""Writes the logs of tests/cmd/actual.md (README, "Are we on plan?"), each call a JSON line.

    python3 tests/cmd/actual/generate.py            # rewrites the logs beside it
    python3 tests/cmd/actual/generate.py --check    # exit 1 if a log differs

The figures the tests expect are worked out from these counts by hand (Core 3 credits,
Remove Background 5, Conservative Upscale 40; 1 credit = $0.01), never by stabcost:

- october-2026.jsonl.gz: catalog 2,000 Core calls; marketing 600 Core, 100 Remove
  Background and 100 Conservative Upscale; avatars 4,000 Core; each kind dealt round
  the 31 days of October 2026 in turn, so every day has calls.
- october-to-the-10th.jsonl.gz: 100 Core calls a day, Oct 1-10, tagged catalog.
- two-days.jsonl: 10 Core calls a day on Oct 9 and 10, tagged catalog.
- spike.jsonl.gz: 10 Core calls a day, Oct 1-20, tagged catalog; 100 Core calls on
  Oct 21, tagged avatars.
"""
import gzip
import io
import json
import os
import sys

CORE = "/v2beta/stable-image/generate/core"
RMBG = "/v2beta/stable-image/edit/remove-background"
UPSCALE = "/v2beta/stable-image/upscale/conservative"
HERE = os.path.dirname(os.path.abspath(__file__))


def call(day, n, endpoint, tag):
    """The n-th call of a day: a second apart from 08:00 UTC."""
    hh, rest = divmod(8 * 3600 + n, 3600)
    mm, ss = divmod(rest, 60)
    return {
        "ts": f"2026-10-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z",
        "endpoint": endpoint,
        "status": 200,
        "tag": tag,
    }


def dealt(kinds, days):
    """Each (count, endpoint, tag) dealt round `days` in turn, in time order."""
    per_day = {d: [] for d in days}
    for count, endpoint, tag in kinds:
        for j in range(count):
            per_day[days[j % len(days)]].append((endpoint, tag))
    out = []
    for d in days:
        out.extend(call(d, n, e, t) for n, (e, t) in enumerate(per_day[d]))
    return out


def daily(days, count, tag):
    return [call(d, n, CORE, tag) for d in days for n in range(count)]


LOGS = {
    "october-2026.jsonl.gz": dealt(
        [
            (2000, CORE, "catalog"),
            (600, CORE, "marketing"),
            (100, RMBG, "marketing"),
            (100, UPSCALE, "marketing"),
            (4000, CORE, "avatars"),
        ],
        list(range(1, 32)),
    ),
    "october-to-the-10th.jsonl.gz": daily(range(1, 11), 100, "catalog"),
    "two-days.jsonl": daily([9, 10], 10, "catalog"),
    "spike.jsonl.gz": daily(range(1, 21), 10, "catalog") + daily([21], 100, "avatars"),
}


def text(records):
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()


def packed(name, data):
    if not name.endswith(".gz"):
        return data
    buf = io.BytesIO()
    # mtime 0 and no file name: the same bytes on every run.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as z:
        z.write(data)
    return buf.getvalue()


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, records in LOGS.items():
        path = os.path.join(HERE, name)
        data = text(records)
        if check:
            try:
                with open(path, "rb") as f:
                    have = f.read()
            except FileNotFoundError:
                have = None
            if have is None or (gzip.decompress(have) if name.endswith(".gz") else have) != data:
                stale.append(name)
        else:
            with open(path, "wb") as f:
                f.write(packed(name, data))
    if stale:
        print("stale (run python3 tests/cmd/actual/generate.py): " + ", ".join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
