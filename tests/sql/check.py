#!/usr/bin/env python3
"""`stabcost rates --format sql` and the README's query, run in DuckDB over a log, give
exactly `stabcost usage`'s totals (tests/sql/run sets this up; .ci/run runs it).

usage: check.py STABCOST README

The log is generated here (seeded): calls from 2025-07-15 to 2025-08-15, across the
2025-08-01 price change and SD 1.6's discontinuation, and from 2025-04-10 to 2025-04-24,
across SD 3.0's re-routing to SD 3.5, to every kind of endpoint, with
models in any case (none, or '', on a path with a default model), steps (Stable Audio
2.0's base plus a price per step, SDXL's rule, counts out of range) and samples, offsets
that change the UTC day, full URLs, failures, calls no card prices and calls to Stable
Audio 3.0 from before it was sold (its rows start on its own first day). Both sides must agree on every service's calls,
credits and dollars, to the last digit.
"""
import json
import random
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb

ENDPOINTS = [
    "/v2beta/stable-image/generate/ultra",
    "/v2beta/stable-image/generate/core",
    "/v2beta/stable-image/generate/sd3",
    "/v2beta/stable-image/generate/sd3",
    "/v1/generation/stable-diffusion-xl-1024-v1-0/text-to-image",
    "/v1/generation/stable-diffusion-xl-1024-v1-0/image-to-image",
    "/v1/generation/stable-diffusion-v1-6/text-to-image",
    "/v2beta/stable-image/upscale/fast",
    "/v2beta/stable-image/upscale/conservative",
    "/v2beta/stable-image/upscale/creative",
    "/v2beta/stable-image/edit/erase",
    "/v2beta/stable-image/edit/remove-background",
    "/v2beta/stable-image/control/style-transfer",
    "/v2beta/audio/stable-audio-2/text-to-audio",
    "/v2beta/audio/stable-audio-2/text-to-audio",
    "/v2beta/audio/stable-audio-2/audio-to-audio",
    "/v2beta/audio/stable-audio-2/inpaint",
    "/v2beta/audio/stable-audio/text-to-audio",
    "/v2beta/audio/results/abc123",
    "/v2beta/3d/stable-fast-3d",
    "/v2beta/results/abc123",
    "/v2beta/stable-image/generate/made-up",
]
MODELS = ["sd3.5-large", "SD3.5-Large-Turbo", "medium", "sd3.5-flash", "sd3-ultra", None,
          "sd3-large", "SD3-Large-Turbo", "sd3-medium"]
# Stable Audio 2.x is priced by model (2.0 by its steps); no model, or '', is the default.
AUDIO_MODELS = ["stable-audio-2", "Stable-Audio-2.5", "text-to-audio", "stable-audio-3", "", None]


def generate(path, rows=3000, seed=14):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for _ in range(rows):
            day = 15 + rnd.randrange(32)
            month, dom = (7, day) if day <= 31 else (8, day - 31)
            if rnd.random() < 0.15:  # around SD 3.0's re-routing to 3.5 on 2025-04-17
                month, dom = 4, 10 + rnd.randrange(15)
            hh, mm = rnd.randrange(24), rnd.randrange(60)
            offset = rnd.choice(["Z", "Z", "-05:00", "+09:30"])
            call = {"ts": f"2025-{month:02d}-{dom:02d}T{hh:02d}:{mm:02d}:00{offset}"}
            endpoint = rnd.choice(ENDPOINTS)
            if rnd.random() < 0.1:
                endpoint = "https://api.stability.ai" + endpoint + "?trace=1"
            call["endpoint"] = endpoint
            if "/sd3" in endpoint:
                model = rnd.choice(MODELS)
                if model:
                    call["model"] = model
            if "/stable-audio-2/" in endpoint:
                model = rnd.choice(AUDIO_MODELS)
                if model is not None:
                    call["model"] = model
                steps = rnd.choice([None, 30, 50, 77, 100, 20, 8])
                if steps is not None:
                    call["steps"] = steps
            if "/v1/" in endpoint:
                steps = rnd.choice([None, 10, 30, 31, 40, 50, 60])
                samples = rnd.choice([None, 1, 2, 4])
                if steps is not None:
                    call["steps"] = steps
                if samples is not None:
                    call["samples"] = samples
            status = rnd.choice([200] * 12 + [201, 400, 429, 500, None])
            if status is not None:
                call["status"] = status
            f.write(json.dumps(call) + "\n")


def readme_query(readme):
    """The ```sql block after the `<!-- usage-query -->` marker in the README."""
    text = Path(readme).read_text()
    marker = text.index("<!-- usage-query -->")
    match = re.search(r"```sql\n(.*?)```", text[marker:], re.S)
    return match.group(1)


def main():
    stabcost, readme = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "calls.jsonl"
        generate(log)
        prices = subprocess.run([stabcost, "rates", "--format", "sql"], check=True, capture_output=True, text=True).stdout
        report = json.loads(
            subprocess.run([stabcost, "usage", str(log), "--format", "json"], capture_output=True, text=True).stdout
        )
        want = {l["service"]: (l["calls"], Decimal(l["credits"]), Decimal(l["usd"])) for l in report["lines"] if l["calls"]}

        con = duckdb.connect()
        con.execute(prices)
        con.execute(
            f"CREATE VIEW calls AS SELECT * FROM read_json('{log}', format = 'newline_delimited', columns = "
            "{ts: 'VARCHAR', endpoint: 'VARCHAR', model: 'VARCHAR', status: 'INTEGER', steps: 'INTEGER', samples: 'INTEGER'})"
        )
        rows = con.execute(readme_query(readme)).fetchall()
        got = {s: (n, Decimal(str(c)).normalize(), Decimal(str(u)).normalize()) for s, n, c, u in rows}
        want = {s: (n, c.normalize(), u.normalize()) for s, (n, c, u) in want.items()}

    if got != want:
        for s in sorted(set(got) | set(want)):
            if got.get(s) != want.get(s):
                print(f"{s}: DuckDB {got.get(s)}, stabcost usage {want.get(s)}", file=sys.stderr)
        sys.exit(1)
    calls = sum(n for n, _, _ in got.values())
    credits = sum(c for _, c, _ in got.values())
    unpriced = report["records"]["unpriced"]
    print(f"sql: DuckDB and stabcost usage agree on {len(got)} services: {calls} calls, {credits} credits "
          f"({unpriced} unpriced calls left out by both)")


main()
