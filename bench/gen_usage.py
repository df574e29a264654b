#!/usr/bin/env python3
# A copy of shared/tools/gen_usage.py (beside the repository), kept here so that
# tests/usage.rs and bench/usage work from a clean clone. Keep the two identical.
"""Synthetic Stability API usage log, one JSON object per call (JSONL), or CSV.

usage: gen_usage.py ROWS OUT [--csv] [--seed N]
Fields: ts (RFC 3339, UTC), endpoint (API path), model (only on the sd3 endpoint),
status (HTTP), tag (the product feature that made the call). About 4% of calls fail
(4xx/5xx: not charged). Prints the exact expected totals (credits of charged calls,
by service) to stderr as JSON, worked out here from the guide's prices, not by stabcost."""
import json, random, sys
from decimal import Decimal as D

PRICES = {  # path -> (service, credits); sd3 models priced by model
    "/v2beta/stable-image/generate/ultra": ("ultra", D(8)),
    "/v2beta/stable-image/generate/core": ("core", D(3)),
    "/v2beta/stable-image/edit/remove-background": ("remove-background", D(5)),
    "/v2beta/stable-image/edit/inpaint": ("inpaint", D(5)),
    "/v2beta/stable-image/edit/erase": ("erase", D(5)),
    "/v2beta/stable-image/control/sketch": ("sketch", D(5)),
    "/v2beta/stable-image/upscale/fast": ("upscale-fast", D(2)),
    "/v2beta/stable-image/upscale/conservative": ("upscale-conservative", D(40)),
    "/v2beta/stable-image/upscale/creative": ("upscale-creative", D(60)),
    "/v2beta/3d/stable-fast-3d": ("fast-3d", D(10)),
}
SD3 = {"sd3.5-large": ("sd35-large", D("6.5")), "sd3.5-large-turbo": ("sd35-large-turbo", D(4)),
       "sd3.5-medium": ("sd35-medium", D("3.5"))}
TAGS = ["avatars", "catalog", "marketing", "thumbnails"]

def main():
    args = sys.argv[1:]
    rows, out = int(args[0]), args[1]
    as_csv = "--csv" in args
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 7
    rnd = random.Random(seed)
    paths = list(PRICES) + ["/v2beta/stable-image/generate/sd3"] * 3
    totals, charged, failed = {}, 0, 0
    with open(out, "w") as f:
        if as_csv:
            f.write("ts,endpoint,model,status,tag\n")
        for i in range(rows):
            day = 1 + (i * 30) // rows
            ts = f"2026-10-{day:02d}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}Z"
            p = rnd.choice(paths)
            model = rnd.choice(list(SD3)) if p.endswith("/sd3") else None
            status = 200 if rnd.random() > 0.04 else rnd.choice([400, 403, 429, 500])
            tag = rnd.choice(TAGS)
            if as_csv:
                f.write(f"{ts},{p},{model or ''},{status},{tag}\n")
            else:
                o = {"ts": ts, "endpoint": p, "status": status, "tag": tag}
                if model:
                    o["model"] = model
                f.write(json.dumps(o, separators=(",", ":")) + "\n")
            if status == 200:
                svc, cr = SD3[model] if model else PRICES[p]
                totals[svc] = totals.get(svc, D(0)) + cr
                charged += 1
            else:
                failed += 1
    total = sum(totals.values(), D(0))
    json.dump({"rows": rows, "charged": charged, "failed": failed, "credits": str(total),
               "usd": str(total / 100), "by_service": {k: str(v) for k, v in sorted(totals.items())}},
              sys.stderr)
    sys.stderr.write("\n")

main()
