#!/usr/bin/env python3
"""bench/soak's plot and verdict: soak_plot.py WARM OUT.svg soak-STORE.csv...

Draws RSS, live sessions, p50 and p99 per minute for each store (an SVG, no
plotting library needed) and prints a Markdown verdict: after the first WARM
minutes, is each minute's mean RSS within 5 % of the first minute's after warm-up,
and each minute's p99 within 20 % of the median p99 after warm-up. With Redis, the
Redis server's RSS is drawn and judged the same way. With HEAP=1 (a build
counting the heap's live bytes), the live heap is drawn too, and its drift and
RSS's ratio to it are printed below the table: RSS that grows over a level live
heap is the allocator's, not the program's."""

import csv
import statistics
import sys

warm, out, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
runs = {}
for path in files:
    store = path.rsplit("soak-", 1)[1].removesuffix(".csv")
    with open(path) as f:
        runs[store] = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]

panels = [
    ("tailor RSS (MiB, mean of the minute)", lambda r: r["rss_bytes"] / 2**20),
    ("tailor RSS less the memory store's sessions (MiB)",
     lambda r: (r["rss_bytes"] - r["store_bytes"]) / 2**20 if r.get("store_bytes") else None),
    ("tailor's live heap (MiB, HEAP=1: what the program holds)",
     lambda r: r["heap_bytes"] / 2**20 if r.get("heap_bytes") else None),
    ("Redis RSS (MiB)", lambda r: r["redis_rss_bytes"] / 2**20 or None),
    ("live sessions (thousands)", lambda r: r["sessions"] / 1000),
    ("req/s", lambda r: r["req_per_s"]),
    ("p50 latency (ms)", lambda r: r["p50_us"] / 1000),
    ("p99 latency (ms)", lambda r: r["p99_us"] / 1000),
]
colours = {"memory": "#1f6fb4", "redis": "#c2410c"}
W, H, pad = 420, 220, 48
drawn = []
for title, value in panels:
    points = {s: [(r["minute"], v) for r in rows if (v := value(r)) is not None]
              for s, rows in runs.items()}
    points = {s: ps for s, ps in points.items() if ps}
    if points:
        drawn.append((title, points))
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{(len(drawn) + 1) // 2 * H + 30}" '
       'font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/>']
for i, (title, points) in enumerate(drawn):
    x0, y0 = (i % 2) * W, (i // 2) * H + 30
    top = max((v for ps in points.values() for _, v in ps), default=1) * 1.15 or 1
    last = max((m for ps in points.values() for m, _ in ps), default=1)
    sx = lambda m: x0 + pad + (m - 1) / max(last - 1, 1) * (W - pad - 16)
    sy = lambda v: y0 + H - pad + 8 - v / top * (H - pad - 20)
    svg.append(f'<text x="{x0 + pad}" y="{y0 + 14}" font-weight="bold">{title}</text>')
    svg.append(f'<line x1="{x0 + pad}" y1="{sy(0)}" x2="{x0 + W - 16}" y2="{sy(0)}" stroke="#888"/>')
    svg.append(f'<line x1="{x0 + pad}" y1="{sy(0)}" x2="{x0 + pad}" y2="{sy(top)}" stroke="#888"/>')
    for frac in (0, 0.5, 1):
        v = top / 1.15 * frac
        svg.append(f'<text x="{x0 + pad - 4}" y="{sy(v) + 4}" text-anchor="end">{f"{v:,.0f}" if top >= 100 else f"{v:.3g}"}</text>')
    svg.append(f'<text x="{x0 + W - 16}" y="{sy(0) + 16}" text-anchor="end">minute {last:.0f}</text>')
    wx = sx(warm + 0.5)
    svg.append(f'<line x1="{wx}" y1="{sy(0)}" x2="{wx}" y2="{sy(top)}" stroke="#bbb" stroke-dasharray="4 3"/>')
    for store, ps in points.items():
        path = " ".join(f"{sx(m):.1f},{sy(v):.1f}" for m, v in ps)
        svg.append(f'<polyline fill="none" stroke="{colours.get(store, "#333")}" stroke-width="2" points="{path}"/>')
legend = "  ".join(f'<tspan fill="{colours.get(s, "#333")}">■ {s}</tspan>' for s in runs)
svg.append(f'<text x="{pad}" y="16">{legend}  (dashed: end of warm-up)</text></svg>')
with open(out, "w") as f:
    f.write("\n".join(svg) + "\n")

def drift(after, column):
    """The first minute's value after warm-up, and the farthest any later minute is from it."""
    base = after[0][column]
    return base, (max(abs(r[column] - base) for r in after) / base if base else 0)


print("| store | minutes | req/s (median) | RSS after warm-up | RSS drift | Redis RSS drift "
      "| p99 median after warm-up | p99 farthest minute | flat? | 4xx/errors (wrk) | 5xx (tailor) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
for store, rows in runs.items():
    after = [r for r in rows if r["minute"] > warm] or rows
    base, rss_drift = drift(after, "rss_bytes")
    redis_base, redis_drift = drift(after, "redis_rss_bytes")
    p99s = [r["p99_us"] for r in after]
    med = statistics.median(p99s)
    worst = max(p99s, key=lambda p: abs(p - med))
    flat = rss_drift <= 0.05 and redis_drift <= 0.05 and abs(worst - med) <= 0.20 * med
    rps = statistics.median(r["req_per_s"] for r in rows)
    errors = sum(r["errors"] for r in rows)
    server = rows[-1]["server_errors"]
    redis = f"{redis_drift * 100:.1f} %" if redis_base else "–"
    print(f"| {store} | {len(rows)} | {rps:.0f} | {base / 2**20:.1f} MiB | {rss_drift * 100:.1f} % | {redis} "
          f"| {med / 1000:.2f} ms | {(worst - med) / med * 100:+.0f} % | {'yes' if flat else 'no'} "
          f"| {errors:.0f} | {server:.0f} |")

for store, rows in runs.items():
    after = [r for r in rows if r["minute"] > warm] or rows
    if not all(r.get("heap_bytes") for r in after):
        continue
    base, heap_drift = drift(after, "heap_bytes")
    ratios = [r["rss_bytes"] / r["heap_bytes"] for r in after]
    print(f"\n{store}, live heap after warm-up: {base / 2**20:.1f} MiB at minute {after[0]['minute']:.0f}, "
          f"drift {heap_drift * 100:.1f} %; RSS / live heap {ratios[0]:.2f} then "
          f"{min(ratios):.2f}–{max(ratios):.2f} (last minute {ratios[-1]:.2f}).")
