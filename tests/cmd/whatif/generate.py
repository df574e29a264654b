#!/usr/bin/env python3
"""Writes the logs of tests/cmd/whatif.md (README, "What would it have cost?").

    python3 tests/cmd/whatif/generate.py            # rewrites the logs beside it
    python3 tests/cmd/whatif/generate.py --check    # exit 1 if a log differs

The figures the tests expect are worked out from these counts by hand from the pricing
guide and the built-in cards (Ultra 8 credits, Core 3, SDXL 0.9, SD 1.6 0.9 until
2025-07-24, Creative Upscale 60 and Conservative 40 from 2025-08-01; 1 credit = $0.01),
never by stabcost:

- october.jsonl.gz: 1,000 Ultra and 500 Creative Upscale calls, dealt round the 31 days
  of October 2026 in turn, all charged.
- repeats.jsonl: 100 Core calls on 2026-10-05 with one prompt_hash.
- july-2025.jsonl: 10 Ultra calls on each of 2025-07-20, 2025-07-28 and 2025-08-05 (SD
  1.6 was discontinued on 2025-07-24).
- prompts.csv: Core calls with their prompt's text: "a red bicycle" on 2026-10-01,
  10-03 and 11-15, and failed on 10-04; "a blue car" on 10-02 and 10-09.
"""
import gzip
import io
import json
import os
import sys

ULTRA = "/v2beta/stable-image/generate/ultra"
CORE = "/v2beta/stable-image/generate/core"
CREATIVE = "/v2beta/stable-image/upscale/creative"
HERE = os.path.dirname(os.path.abspath(__file__))


def call(day, n, endpoint, **more):
    """The n-th call of a day (YYYY-MM-DD): a second apart from 09:00 UTC."""
    hh, rest = divmod(9 * 3600 + n, 3600)
    mm, ss = divmod(rest, 60)
    return {"ts": f"{day}T{hh:02d}:{mm:02d}:{ss:02d}Z", "endpoint": endpoint, "status": 200, **more}


def october():
    days = [f"2026-10-{d:02d}" for d in range(1, 32)]
    per_day = {d: [] for d in days}
    for count, endpoint in [(1000, ULTRA), (500, CREATIVE)]:
        for j in range(count):
            per_day[days[j % len(days)]].append(endpoint)
    return [call(d, n, e) for d in days for n, e in enumerate(per_day[d])]


def jsonl(records):
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()


def prompts_csv():
    rows = [
        ("2026-10-01T09:00:00Z", 200, "a red bicycle"),
        ("2026-10-02T09:00:00Z", 200, "a blue car"),
        ("2026-10-03T09:00:00Z", 200, "a red bicycle"),
        ("2026-10-04T09:00:00Z", 500, "a red bicycle"),
        ("2026-10-09T09:00:00Z", 200, "a blue car"),
        ("2026-11-15T09:00:00Z", 200, "a red bicycle"),
    ]
    out = io.StringIO()
    out.write("ts,endpoint,status,prompt\n")
    for ts, status, prompt in rows:
        out.write(f'{ts},{CORE},{status},"{prompt}"\n')
    return out.getvalue().encode()


def gz(data):
    buf = io.BytesIO()
    # mtime=0: the same bytes on every run.
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return buf.getvalue()


LOGS = {
    "october.jsonl.gz": gz(jsonl(october())),
    "repeats.jsonl": jsonl(
        [call("2026-10-05", n, CORE, prompt_hash="9f2c41d07be3a5e8") for n in range(100)]
    ),
    "july-2025.jsonl": jsonl(
        [call(d, n, ULTRA) for d in ["2025-07-20", "2025-07-28", "2025-08-05"] for n in range(10)]
    ),
    "prompts.csv": prompts_csv(),
}


def main():
    check = "--check" in sys.argv[1:]
    differ = False
    for name, data in LOGS.items():
        path = os.path.join(HERE, name)
        if check:
            with open(path, "rb") as f:
                if f.read() != data:
                    print(f"{name} differs from what generate.py writes", file=sys.stderr)
                    differ = True
        else:
            with open(path, "wb") as f:
                f.write(data)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
