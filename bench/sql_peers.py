#!/usr/bin/env python3
"""bench/sql's helpers: Spark running the README's warehouse steps on a log, and checking
and summing up the run.

usage: sql_peers.py spark PRICES_SQL QUERY_SQL LOG [--timing FILE]
       sql_peers.py check NAME OUTPUT EXPECTED_JSON
       sql_peers.py summary OUT_DIR ROWS

spark does what the README's Spark block does (local mode, every core; the table loaded
statement by statement, a view over the JSON lines with the schema given, the query),
with its table in a warehouse directory of its own so that every run loads it afresh;
--timing appends the seconds of each step (session start, table, query) to FILE. check
reads a command's printed table (stabcost's CSV, DuckDB's boxes or Spark's rows) and
compares the calls and credits per service with the totals gen_usage.py printed; summary
prints bench/sql's table from hyperfine's JSON export.
"""
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "sql"))
from check import table  # noqa: E402  the parser tests/sql/check.py reads engines with


def spark(prices, query, log, timing=None):
    from pyspark.sql import SparkSession

    start = time.perf_counter()
    warehouse = tempfile.mkdtemp(prefix="stabcost-spark-")
    spark = (SparkSession.builder.master("local[*]")
             .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
             .config("spark.sql.warehouse.dir", warehouse)
             .getOrCreate())
    session = time.perf_counter()
    for statement in open(prices).read().split(";"):
        if statement.strip():
            spark.sql(statement)
    spark.sql(f"""CREATE TEMPORARY VIEW calls (ts STRING, endpoint STRING, model STRING,
                  service STRING, status STRING, steps STRING, samples STRING)
                  USING json OPTIONS (path '{log}')""")
    loaded = time.perf_counter()
    rows = spark.sql(open(query).read()).collect()
    done = time.perf_counter()
    for r in rows:
        print(f"|{r['service']}|{r['calls']}|{r['credits']}|{r['usd']}|")
    if timing:
        # The JVM does the work, out of sight of hyperfine's and time(1)'s accounts of
        # the Python process: its peak RSS and CPU seconds, from /proc.
        jvm = spark.sparkContext._gateway.proc.pid  # spark-submit execs the JVM
        hwm = next(int(l.split()[1]) for l in open(f"/proc/{jvm}/status") if l.startswith("VmHWM:"))
        fields = open(f"/proc/{jvm}/stat").read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        with open(timing, "a") as f:
            f.write(f"spark {session - start:.3f} {loaded - session:.3f} {done - loaded:.3f}\n")
            f.write(f"spark-jvm {hwm} {cpu:.2f}\n")
    spark.stop()
    import shutil
    shutil.rmtree(warehouse, ignore_errors=True)


def check(name, output, expected):
    text = open(output).read()
    if name == "stabcost":
        got = {}
        for r in csv.DictReader(text.splitlines()):
            # The total row is the one whose first cell is empty (docs/formats.md).
            if r["service"] not in ("", "(unknown)") and int(r["calls"]):
                got[r["service"]] = (int(r["calls"]), Decimal(r["credits"]).normalize())
    else:
        got = {s: (n, c) for s, (n, c, _) in table(text).items()}
    want = json.load(open(expected))
    bad = [f"{s}: got {got.get(s, (0, None))[1]} want {v}" for s, v in want["by_service"].items()
           if got.get(s, (0, None))[1] != Decimal(v).normalize()]
    bad += [f"{s}: not expected" for s in got if s not in want["by_service"]]
    calls = sum(n for n, _ in got.values())
    if calls != want["charged"]:
        bad.append(f"charged calls: got {calls} want {want['charged']}")
    if bad:
        sys.exit(f"{name}: totals differ from gen_usage.py's:\n  " + "\n  ".join(bad))
    print(f"{name}: totals match gen_usage.py's ({calls} charged calls)", file=sys.stderr)


def summary(out, rows):
    rows = int(rows)
    results = json.load(open(f"{out}/hyperfine.json"))["results"]
    memory = dict(line.split(maxsplit=1) for line in open(f"{out}/memory.txt"))
    base = next(r["median"] for r in results if r["command"] == "stabcost")
    w = max(len(r["command"]) for r in results) + 2
    print(f"{'command':<{w}}{'median':>9}{'min':>9}{'cpu':>8}{'rows/s':>13}{'vs stabcost':>12}{'peak RSS':>11}")
    lines = [line.split() for line in open(f"{out}/inproc.txt")]
    jvm = [(int(l[1]), float(l[2])) for l in lines if l[0] == "spark-jvm"]
    for r in results:
        name = r["command"]
        rss = int(memory.get(name, "0").split()[0]) / 1024
        cpu = r["user"] + r["system"]
        if name == "spark" and jvm:
            # Python's share, and the JVM's: the larger process's peak, both CPUs.
            rss = max(rss, max(h for h, _ in jvm) / 1024)
            cpu += statistics.median(c for _, c in jvm)
        flag = "  * noisy" if r["median"] > 1.15 * r["min"] else ""
        print(f"{name:<{w}}{r['median']:>8.3f}s{r['min']:>8.3f}s{cpu:>7.2f}s"
              f"{rows / r['median']:>13,.0f}{r['median'] / base:>11.1f}x{rss:>8.0f} MiB{flag}")
    steps = [list(map(float, l[1:])) for l in lines if l[0] == "spark"]
    if steps:
        s, t, q = (statistics.median(x) for x in zip(*steps))
        print(f"  (spark, inside Python, medians of {len(steps)} runs: session start {s:.1f}s, "
              f"table and view {t:.1f}s, query {q:.1f}s = {rows / q:,.0f} rows/s)")
    load = Path(f"{out}/duckdb-load.txt")
    if load.exists():
        print(f"  (duckdb-table: loading the log into the table took {load.read_text().strip()}s, once)")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "spark":
        timing = args[args.index("--timing") + 1] if "--timing" in args else None
        spark(args[0], args[1], args[2], timing)
    elif cmd == "check":
        check(*args)
    elif cmd == "summary":
        summary(*args)
    else:
        sys.exit(__doc__)


main()
