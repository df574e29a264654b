#!/usr/bin/env python3
"""The peers `stabcost usage` is measured against (bench/usage runs this under hyperfine).

usage: usage_peers.py polars|duckdb LOG [--check EXPECTED_JSON] [--timing FILE]
       usage_peers.py check-csv NAME OUTPUT_CSV EXPECTED_JSON
       usage_peers.py summary OUT_DIR ROWS

Both engines run the same query, idiomatically and with their default (multi-threaded)
settings: read the log (JSONL, or CSV when LOG ends in .csv) with the schema given, as a
user who knows the log's fields would (inferring it costs polars a few percent; DuckDB
nothing measurable), and for polars with its streaming engine (its fastest here, and the
one it recommends for data larger than memory; POLARS_ENGINE=auto or in-memory to try
the others), join it with a small price table keyed on the API endpoint
(and, for the shared sd3 endpoint, on the model), keep the 2xx calls, and sum the credits
per service. Money is exact: credits are held as integers in hundredths of a credit
(`centi`: 6.5 credits = 650), the finest step any built-in price needs (SDXL's
0.9 x steps / 30 = 0.03 x steps), summed as 64-bit integers and printed as decimals. Both
engines get the same representation, so neither pays for a decimal type the other avoids.

The result is printed as CSV (service,calls,credits) on stdout. --check compares it with
the totals gen_usage.py printed and exits 1 on any difference. --timing appends the
in-process seconds of the query alone (no interpreter start-up, no import) to FILE.
check-csv checks another command's `--format csv` output the same way; summary prints
bench/usage's table from hyperfine's JSON export.
"""
import json
import os
import sys
import time
from decimal import Decimal

SD3 = "/v2beta/stable-image/generate/sd3"
# endpoint, model key ("" unless the endpoint is the shared sd3 one), service, credits.
# The prices of the built-in card (rates/stability.toml), for the endpoints the log uses and
# a few more, so the table is a realistic small dimension table, not a tailored one.
PRICES = [
    ("/v2beta/stable-image/generate/ultra", "", "ultra", "8"),
    ("/v2beta/stable-image/generate/core", "", "core", "3"),
    (SD3, "sd3.5-large", "sd35-large", "6.5"),
    (SD3, "sd3.5-large-turbo", "sd35-large-turbo", "4"),
    (SD3, "sd3.5-medium", "sd35-medium", "3.5"),
    (SD3, "sd3.5-flash", "sd35-flash", "2.5"),
    ("/v2beta/stable-image/edit/erase", "", "erase", "5"),
    ("/v2beta/stable-image/edit/inpaint", "", "inpaint", "5"),
    ("/v2beta/stable-image/edit/outpaint", "", "outpaint", "4"),
    ("/v2beta/stable-image/edit/remove-background", "", "remove-background", "5"),
    ("/v2beta/stable-image/edit/search-and-replace", "", "search-and-replace", "5"),
    ("/v2beta/stable-image/edit/search-and-recolor", "", "search-and-recolor", "5"),
    ("/v2beta/stable-image/edit/replace-background-and-relight", "", "replace-background-and-relight", "8"),
    ("/v2beta/stable-image/control/sketch", "", "sketch", "5"),
    ("/v2beta/stable-image/control/structure", "", "structure", "5"),
    ("/v2beta/stable-image/control/style", "", "style", "5"),
    ("/v2beta/stable-image/control/style-transfer", "", "style-transfer", "8"),
    ("/v2beta/stable-image/upscale/fast", "", "upscale-fast", "2"),
    ("/v2beta/stable-image/upscale/conservative", "", "upscale-conservative", "40"),
    ("/v2beta/stable-image/upscale/creative", "", "upscale-creative", "60"),
    ("/v2beta/audio/stable-audio-2/text-to-audio", "", "stable-audio-2", "20"),
    ("/v2beta/audio/stable-audio-2/audio-to-audio", "", "stable-audio-2", "20"),
    ("/v2beta/3d/stable-fast-3d", "", "fast-3d", "10"),
    ("/v2beta/3d/stable-point-aware-3d", "", "spar3d", "4"),
]
SCALE = 100  # hundredths of a credit


def centi(credits):
    v = Decimal(credits) * SCALE
    assert v == v.to_integral_value(), credits
    return int(v)


def is_csv(path):
    return path.removesuffix(".gz").endswith(".csv")


def run_polars(path):
    import polars as pl

    prices = pl.DataFrame(
        {
            "endpoint": [p[0] for p in PRICES],
            "model_key": [p[1] for p in PRICES],
            "service": [p[2] for p in PRICES],
            "centi": [centi(p[3]) for p in PRICES],
        },
        schema={"endpoint": pl.String, "model_key": pl.String, "service": pl.String, "centi": pl.Int64},
    )
    schema = {"ts": pl.String, "endpoint": pl.String, "model": pl.String, "status": pl.Int64, "tag": pl.String}
    start = time.perf_counter()
    if is_csv(path):
        logs = pl.scan_csv(path, schema=schema)
    else:
        logs = pl.scan_ndjson(path, schema=schema)
    out = (
        logs
        .filter(pl.col("status").is_between(200, 299))
        .with_columns(
            model_key=pl.when(pl.col("endpoint") == SD3).then(pl.col("model")).otherwise(pl.lit(""))
        )
        .join(prices.lazy(), on=["endpoint", "model_key"], how="inner")
        .group_by("service")
        .agg(calls=pl.len(), centi=pl.col("centi").sum())
        .sort("service")
        .collect(engine=os.environ.get("POLARS_ENGINE", "streaming"))
    )
    seconds = time.perf_counter() - start
    return [(s, c, n) for s, c, n in out.select("service", "calls", "centi").iter_rows()], seconds


def run_duckdb(path):
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE prices (endpoint VARCHAR, model_key VARCHAR, service VARCHAR, centi BIGINT)")
    con.executemany("INSERT INTO prices VALUES (?, ?, ?, ?)", [(e, m, s, centi(c)) for e, m, s, c in PRICES])
    columns = "{ts: 'VARCHAR', endpoint: 'VARCHAR', model: 'VARCHAR', status: 'BIGINT', tag: 'VARCHAR'}"
    reader = "read_csv" if is_csv(path) else "read_ndjson"
    start = time.perf_counter()
    rows = con.execute(
        f"""
        SELECT p.service, count(*) AS calls, sum(p.centi) AS centi
        FROM {reader}(?, columns = {columns}) AS l
        JOIN prices AS p
          ON l.endpoint = p.endpoint
         AND (CASE WHEN l.endpoint = '{SD3}' THEN l.model ELSE '' END) = p.model_key
        WHERE l.status BETWEEN 200 AND 299
        GROUP BY p.service
        ORDER BY p.service
        """,
        [path],
    ).fetchall()
    seconds = time.perf_counter() - start
    return [(s, c, int(n)) for s, c, n in rows], seconds


def compare(name, got, calls, want):
    """Differences between {service: Decimal credits} + charged calls and gen_usage.py's totals."""
    bad = [f"{s}: got {got.get(s)} want {v}" for s, v in want["by_service"].items() if got.get(s) != Decimal(v)]
    bad += [f"{s}: not expected" for s in got if s not in want["by_service"]]
    if calls != want["charged"]:
        bad.append(f"charged calls: got {calls} want {want['charged']}")
    total = sum(got.values(), Decimal(0))
    if total != Decimal(want["credits"]):
        bad.append(f"total credits: got {total} want {want['credits']}")
    if bad:
        sys.stderr.write(f"{name}: totals differ from gen_usage.py's:\n  " + "\n  ".join(bad) + "\n")
        return False
    sys.stderr.write(f"{name}: totals match gen_usage.py's ({calls} charged calls, {total} credits)\n")
    return True


def check_csv(name, output, expected):
    """Check a `usage --group-by service --format csv` output: it needs a header with a
    service column, a credits column and a calls (or charged) column; a total row is skipped,
    and rows of one service (grouped by more keys) are added up."""
    import csv

    rows = list(csv.reader(open(output)))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    try:
        si = header.index("service")
        ci = header.index("credits")
        ni = next(header.index(h) for h in ("calls", "charged", "calls_charged", "calls charged") if h in header)
    except (ValueError, StopIteration):
        sys.stderr.write(f"{name}: cannot read its CSV (header {header}); totals not checked\n")
        return True
    got, calls = {}, 0
    for r in rows[1:]:
        if not r or r[si].strip().lower() in ("total", ""):
            continue
        got[r[si].strip()] = got.get(r[si].strip(), Decimal(0)) + Decimal(r[ci].strip())
        calls += int(r[ni].strip().replace(",", ""))
    return compare(name, got, calls, json.load(open(expected)))


def summary(out, rows):
    """The table bench/usage prints: median wall time, rows/s, ratio to polars, peak RSS."""
    import statistics

    results = json.load(open(f"{out}/hyperfine.json"))["results"]
    memory = dict(line.split(maxsplit=1) for line in open(f"{out}/memory.txt"))
    inproc = {}
    try:
        for line in open(f"{out}/inproc.txt"):
            e, t = line.split()
            inproc.setdefault(e, []).append(float(t))
    except FileNotFoundError:
        pass
    polars = next((r["median"] for r in results if r["command"] == "polars"), None)
    w = max(len(r["command"]) for r in results) + 2
    print(f"{'command':<{w}}{'median':>9}{'min':>9}{'cpu':>8}{'rows/s':>13}{'vs polars':>10}{'peak RSS':>11}")
    for r in results:
        name = r["command"]
        cpu = r["user"] + r["system"]  # mean CPU seconds (user + system) per run
        rss = int(memory.get(name, "0").split()[0]) / 1024
        ratio = f"{polars / r['median']:>9.2f}x" if polars else f"{'-':>10}"
        # A median well above the fastest run: something else took the CPU during this command.
        flag = "  * noisy" if r["median"] > 1.15 * r["min"] else ""
        print(f"{name:<{w}}{r['median']:>8.3f}s{r['min']:>8.3f}s{cpu:>7.2f}s{rows / r['median']:>13,.0f}{ratio}{rss:>8.1f} MiB{flag}")
    for e, ts in inproc.items():
        print(f"  ({e}: the query alone, inside Python, median {statistics.median(ts):.3f}s = {rows / statistics.median(ts):,.0f} rows/s over {len(ts)} runs)")


def main():
    args = sys.argv[1:]
    if args[0] == "check-csv":
        sys.exit(0 if check_csv(args[1], args[2], args[3]) else 1)
    if args[0] == "summary":
        summary(args[1], int(args[2]))
        return
    engine, path = args[0], args[1]
    expected = args[args.index("--check") + 1] if "--check" in args else None
    timing = args[args.index("--timing") + 1] if "--timing" in args else None
    rows, seconds = {"polars": run_polars, "duckdb": run_duckdb}[engine](path)

    out = ["service,calls,credits"]
    for service, calls, c in rows:
        out.append(f"{service},{calls},{Decimal(c) / SCALE}")
    sys.stdout.write("\n".join(out) + "\n")
    if timing:
        with open(timing, "a") as f:
            f.write(f"{engine} {seconds:.6f}\n")
    if expected:
        got = {s: Decimal(c) / SCALE for s, _, c in rows}
        ok = compare(engine, got, sum(n for _, n, _ in rows), json.load(open(expected)))
        sys.exit(0 if ok else 1)


main()
