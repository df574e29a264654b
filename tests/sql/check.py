#!/usr/bin/env python3
"""The README's warehouse commands, run as written in DuckDB, PostgreSQL and Spark, give
exactly `stabcost usage --group-by service`'s figures (tests/sql/run sets the engines up;
.ci/run runs it).

usage: check.py STABCOST README [ENGINE...]

For each engine, the ```sh block after the README's `<!-- sql: ENGINE -->` marker is run
by bash in a directory of its own holding the log as calls.jsonl, with `stabcost` on the
PATH, and the table it prints is read. It must equal, for every service, the calls,
credits and dollars of `stabcost usage calls.jsonl --group-by service --format json`, to
the last digit, on three logs made here (seeded):

  a. calls from 2025-07-15 to 2025-08-15, across the 2025-08-01 price change and SD 1.6's
     end, some from 2025-04-10 to 2025-04-24 (SD 3.0's calls re-routed to SD 3.5 from
     the 17th) and from 2026-05-15 to 2026-05-24 (Stable Audio 3.0 sold from the 20th):
     every kind of endpoint, full URLs and trailing slashes, models in any case (none,
     or '', on a path with a default model), SDXL's steps and samples and Stable Audio
     2.0's base plus a price per step, calls that name their `service`, times with offsets that
     change the UTC day, bare dates, Unix seconds (numbers and text), calls with no
     time, statuses as text, failures, calls no card prices, and statuses, steps or
     samples `usage` cannot read (malformed records, which the SQL leaves out too);
  b. calls with no `steps`, `samples`, `model` or `service` field at all;
  c. log a, priced with tests/sql/ten-decimals.toml (STABCOST_RATES), whose prices have
     10 decimals.

The engines run in the time zone of Chicago (TZ, PGTZ), so a day taken in the session's
time zone instead of UTC would show. The README's DuckDB query block must be the query
`stabcost rates --format sql --query` writes.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ["duckdb", "postgres", "spark"]

SD3 = "/v2beta/stable-image/generate/sd3"
ENDPOINTS = [
    "/v2beta/stable-image/generate/ultra",
    "/v2beta/stable-image/generate/core",
    SD3,
    SD3,
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
MODELS = ["sd3.5-large", "SD3.5-Large-Turbo", "medium", "sd3.5-flash", "Large", "sd3-ultra", "",
          "sd3-large", "SD3-Large-Turbo", "sd3-medium"]
# Stable Audio 2.x is priced by model (2.0 by its steps); no model, or '', is the default.
AUDIO_MODELS = ["stable-audio-2", "Stable-Audio-2.5", "text-to-audio", "stable-audio-3", "", None]
# Names a call's `service` field may give: ids and aliases in any case, and one no card has.
SERVICES = ["ultra", "RMBG", "sd3.5-large", "Stable-Image-Core", "sdxl", "sd16", "style-transfer",
            "stable-fast-3d", "sd3-large", "stable-audio-3", "made-up-service"]
UNIX_AROUND_CHANGE = [1753999999, 1754006399, 1754006400, 1753920000, 1754092800]


def when(rnd):
    """A time from 2025-07-15 to 2025-08-15, written in one of the ways `usage` reads, or
    none."""
    day = 15 + rnd.randrange(32)
    year, (month, dom) = 2025, ((7, day) if day <= 31 else (8, day - 31))
    hh, mm = rnd.randrange(24), rnd.randrange(60)
    kind = rnd.random()
    if rnd.random() < 0.15:  # around SD 3.0's re-routing to SD 3.5 on 2025-04-17
        month, dom = 4, 10 + rnd.randrange(15)
    elif rnd.random() < 0.08:  # around Stable Audio 3.0's first day, 2026-05-20
        year, month, dom = 2026, 5, 15 + rnd.randrange(10)
    if year == 2026 and 0.08 <= kind < 0.13:
        kind = 0.5  # the Unix times are all of 2025
    if kind < 0.05:
        return None
    if kind < 0.08:
        return f"{year}-{month:02d}-{dom:02d}"
    if kind < 0.11:
        return rnd.choice(UNIX_AROUND_CHANGE) + rnd.choice([0, 0.5])
    if kind < 0.13:
        return str(rnd.choice(UNIX_AROUND_CHANGE))
    offset = rnd.choice(["Z", "Z", "-05:00", "+09:30", ".250Z"])
    sep = rnd.choice(["T", "T", " "])
    return f"{year}-{month:02d}-{dom:02d}{sep}{hh:02d}:{mm:02d}:00{offset}"


def generate_full(path, rows=4000, seed=14):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for _ in range(rows):
            call = {}
            ts = when(rnd)
            if ts is not None:
                call["ts"] = ts
            if rnd.random() < 0.1:
                call["service"] = rnd.choice(SERVICES)
                if rnd.random() < 0.3:
                    call["endpoint"] = ""
                endpoint = "/v1/" if call["service"] in ("sdxl", "sd16") else ""
            else:
                endpoint = rnd.choice(ENDPOINTS)
                if rnd.random() < 0.1:
                    endpoint = "https://api.stability.ai" + endpoint + "?trace=1"
                elif rnd.random() < 0.05:
                    endpoint += "/"
                call["endpoint"] = endpoint
                if rnd.random() < 0.05:
                    call["service"] = rnd.choice(SERVICES)  # the endpoint says what was called
                if "/sd3" in endpoint:
                    model = rnd.choice(MODELS + [None])
                    if model is not None:
                        call["model"] = model
                if "/stable-audio-2/" in endpoint:
                    model = rnd.choice(AUDIO_MODELS)
                    if model is not None:
                        call["model"] = model
                    steps = rnd.choice([None, 30, 50, 77, 100, 20, 8, "60"])
                    if steps is not None:
                        call["steps"] = steps
            if "/v1/" in endpoint:
                steps = rnd.choice([None, 10, 30, 31, 40, 50, 60, "40"])
                samples = rnd.choice([None, 1, 2, 4, "3"])
                if steps is not None:
                    call["steps"] = steps
                if samples is not None:
                    call["samples"] = samples
            status = rnd.choice([200] * 12 + [201, "200", 400, 429, "503", 500, None])
            if status is not None:
                call["status"] = status
            # Values `usage` cannot read, where the price needs them: malformed records,
            # which the SQL must leave out as well.
            if rnd.random() < 0.01:
                call["status"] = rnd.choice(["abc", "600", "2000", 20])
            elif "/v1/" in endpoint and rnd.random() < 0.03:
                call[rnd.choice(["steps", "samples"])] = rnd.choice(["auto", "0", "-1", 4.5])
            elif "/v1/" not in endpoint and "/sd3" not in endpoint and "audio" not in endpoint \
                    and rnd.random() < 0.03:
                # ... and where it does not: the call is priced, as usage prices it.
                call[rnd.choice(["steps", "samples", "model"])] = rnd.choice(["auto", {"n": 1}, [1, 2]])
            f.write(json.dumps(call) + "\n")
            if rnd.random() < 0.002:
                f.write("\n")


def generate_bare(path, rows=2000, seed=15):
    """Calls with a time, an endpoint and a status, and no other field."""
    rnd = random.Random(seed)
    endpoints = [e for e in ENDPOINTS if e != SD3]
    with open(path, "w") as f:
        for _ in range(rows):
            day = 15 + rnd.randrange(32)
            month, dom = (7, day) if day <= 31 else (8, day - 31)
            call = {"ts": f"2025-{month:02d}-{dom:02d}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00Z",
                    "endpoint": rnd.choice(endpoints + [SD3]),
                    "status": rnd.choice([200] * 12 + [404, 500])}
            f.write(json.dumps(call, separators=(",", ":")) + "\n")


def readme_blocks(readme):
    """{engine: its ```sh block} and the ```sql block after `<!-- usage-query -->`."""
    text = Path(readme).read_text()
    blocks = {}
    for m in re.finditer(r"<!-- sql: (\w+) -->\s*```sh\n(.*?)```", text, re.S):
        blocks[m.group(1)] = m.group(2)
    marker = text.index("<!-- usage-query -->")
    query = re.search(r"```sql\n(.*?)```", text[marker:], re.S).group(1)
    return blocks, query


def table(text):
    """{service: (calls, credits, usd)} from an engine's printed table: DuckDB's boxes,
    psql's aligned columns or Spark's show()."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"[│|]", line)]
        cells = [c for c in cells if c]
        if len(cells) == 4 and cells[1].isdigit():
            s, n, c, u = cells
            rows[s] = (int(n), Decimal(c).normalize(), Decimal(u).normalize())
    return rows


def usage(stabcost, log, env):
    out = subprocess.run([stabcost, "usage", str(log), "--group-by", "service", "--format", "json"],
                         capture_output=True, text=True, env=env)
    report = json.loads(out.stdout)
    want = {l["service"]: (l["calls"], Decimal(l["credits"]).normalize(), Decimal(l["usd"]).normalize())
            for l in report["lines"] if l["calls"]}
    return want, report["records"]


def main():
    stabcost, readme = Path(sys.argv[1]).resolve(), sys.argv[2]
    engines = sys.argv[3:] or ENGINES
    blocks, readme_query = readme_blocks(readme)
    query = subprocess.run([stabcost, "rates", "--format", "sql", "--query"], check=True,
                           capture_output=True, text=True).stdout
    body = query[query.index("WITH c AS"):]
    if readme_query != body:
        sys.exit("the README's query (after <!-- usage-query -->) is not the one "
                 "`stabcost rates --format sql --query` writes, from `WITH c AS` on")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        full, bare = tmp / "full.jsonl", tmp / "bare.jsonl"
        generate_full(full)
        generate_bare(bare)
        for key in ("model", "steps", "samples", "service"):
            assert f'"{key}"' not in bare.read_text(), key
        logs = [("a: across 2025-08-01, steps, samples, service", full, None),
                ("b: no steps, samples, model or service", bare, None),
                ("c: log a with 10-decimal prices", full, HERE / "ten-decimals.toml")]
        for label, log, card in logs:
            env = dict(os.environ)
            env.pop("STABCOST_RATES", None)
            if card:
                env["STABCOST_RATES"] = str(card)
            want, records = usage(stabcost, log, env)
            env["PATH"] = f"{stabcost.parent}{os.pathsep}{env['PATH']}"
            env["TZ"] = env["PGTZ"] = "America/Chicago"
            for engine in engines:
                work = tmp / f"{engine}-{log.stem}-{'card' if card else 'built-in'}"
                work.mkdir()
                shutil.copy(log, work / "calls.jsonl")
                if engine == "postgres":
                    # A database of its own, as a user's first run has: the table is new.
                    env["PGDATABASE"] = work.name.replace("-", "_")
                    for sql in (f"DROP DATABASE IF EXISTS {env['PGDATABASE']}", f"CREATE DATABASE {env['PGDATABASE']}"):
                        subprocess.run(["psql", "-q", "-d", "postgres", "-c", sql], check=True,
                                       env={**env, "PGOPTIONS": "-c client_min_messages=warning"})
                start = time.monotonic()
                r = subprocess.run(["bash", "-euo", "pipefail", "-c", blocks[engine]], cwd=work, env=env,
                                   capture_output=True, text=True, timeout=900)
                seconds = time.monotonic() - start
                got = table(r.stdout)
                if r.returncode != 0 or got != want:
                    failed = True
                    print(f"{engine}, log {label}: exit {r.returncode}", file=sys.stderr)
                    for s in sorted(set(got) | set(want)):
                        if got.get(s) != want.get(s):
                            print(f"  {s}: {engine} {got.get(s)}, stabcost usage {want.get(s)}", file=sys.stderr)
                    print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr)
                    continue
                calls = sum(n for n, _, _ in got.values())
                credits = sum(c for _, c, _ in got.values())
                print(f"sql: {engine} agrees with stabcost usage on log {label}: {len(got)} services, "
                      f"{calls} calls, {credits} credits ({records['unpriced']} unpriced, {records['undated']} "
                      f"undated, {records['malformed']} malformed) in {seconds:.1f}s")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
