#!/usr/bin/env python3
"""Side by side: circ's dynamic stock kernels against flodym on the same case, 200 years × 100
products, inflow-driven and stock-driven, Normal lifetimes (each product its own mean and sd),
flodym's default timing (`middle`).

For each model it runs, each in its own process under /usr/bin/time -v:
  - flodym: builds the stock and lifetime model, then times `compute()` (median of REPEATS runs,
    each on fresh objects so that the survival table is computed every time);
  - circ: `target/release/examples/stocks_peer` (benches/examples/stocks_peer.rs), which times
    the same computation for all products (median of REPEATS runs).
It checks that both give the same stock, inflow and outflow, and prints time and peak-memory
ratios: the computation alone (median), the whole process (wall time, including Python's imports),
and peak resident memory (whole process, and the growth of the peak during the computation).

Run from the repository root:
    python3 -m venv /tmp/flodym-venv && /tmp/flodym-venv/bin/pip install flodym==1.1.0
    cargo build --release -p circ-benches --example stocks_peer
    /tmp/flodym-venv/bin/python benches/peers/flodym_compare.py
"""

import json
import math
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
CIRC = ROOT / "target" / "release" / "examples" / "stocks_peer"
YEARS, PRODUCTS, REPEATS = 200, 100, 20


def make_case(path):
    """Deterministic inputs: per product a mean lifetime of 10–60 years (sd 30 % of it), an
    inflow that grows and oscillates, and a logistic stock path that only grows."""
    mean = [10.0 + 50.0 * p / (PRODUCTS - 1) for p in range(PRODUCTS)]
    sd = [0.3 * m for m in mean]
    inflow = [[100.0 + p + 0.5 * t + 20.0 * math.sin(0.1 * t + p) for p in range(PRODUCTS)]
              for t in range(YEARS)]
    stock = [[(1000.0 + 10.0 * p) / (1.0 + math.exp(-(t - 80.0 - p / 5.0) / 15.0)) + 10.0
              for p in range(PRODUCTS)] for t in range(YEARS)]
    case = {"years": YEARS, "products": PRODUCTS, "timing": "middle", "dist": "normal",
            "mean": mean, "sd": sd, "inflow": inflow, "stock": stock}
    path.write_text(json.dumps(case))


def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_flodym(case_path, model, out_path):
    """The flodym side, run in a child process (see main)."""
    import numpy as np
    import flodym as fd

    case = json.loads(pathlib.Path(case_path).read_text())
    dims = fd.DimensionSet(dim_list=[
        fd.Dimension(name="Time", letter="t", items=list(range(2000, 2000 + case["years"]))),
        fd.Dimension(name="Product", letter="p", items=[f"p{i}" for i in range(case["products"])]),
    ])
    pdims = dims.get_subset(("p",))
    mean = fd.FlodymArray(dims=pdims, values=np.array(case["mean"]))
    sd = fd.FlodymArray(dims=pdims, values=np.array(case["sd"]))
    given = np.array(case["inflow" if model == "inflow" else "stock"])

    def make():
        lt = fd.NormalLifetime(dims=dims, inflow_at=case["timing"], mean=mean, std=sd)
        arr = fd.StockArray(dims=dims, values=given.copy())
        if model == "inflow":
            return fd.InflowDrivenDSM(dims=dims, lifetime_model=lt, inflow=arr)
        return fd.StockDrivenDSM(dims=dims, lifetime_model=lt, stock=arr)

    dsm = make()
    dsm.compute()  # warm-up
    before = peak_kib()
    times = []
    for _ in range(REPEATS):
        dsm = make()
        start = time.perf_counter()
        dsm.compute()
        times.append(time.perf_counter() - start)
    times.sort()
    after = peak_kib()
    pathlib.Path(out_path).write_text(json.dumps({
        "seconds_median": times[len(times) // 2],
        "seconds_min": times[0],
        "repeats": REPEATS,
        "peak_kib_before": before,
        "peak_kib_after": after,
        "stock": dsm.stock.values.tolist(),
        "inflow": dsm.inflow.values.tolist(),
        "outflow": dsm.outflow.values.tolist(),
    }))


def timed(cmd):
    """Runs cmd under /usr/bin/time -v: (wall seconds, peak RSS KiB)."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    return wall, rss


def max_rel_diff(a, b):
    scale = max(1.0, max(abs(x) for row in b for x in row))
    return max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb)) / scale


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--flodym":
        run_flodym(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if not CIRC.exists():
        sys.exit(f"build it first: cargo build --release -p circ-benches --example stocks_peer ({CIRC})")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="circ-peer-"))
    case = tmp / "case.json"
    make_case(case)
    print(f"case: {YEARS} years × {PRODUCTS} products, Normal lifetimes, timing middle; "
          f"median of {REPEATS} runs; {os.cpu_count()} cores\n")
    rows = []
    for model in ["inflow", "stock"]:
        f_out, c_out = tmp / f"flodym-{model}.json", tmp / f"circ-{model}.json"
        f_wall, f_rss = timed([sys.executable, __file__, "--flodym", str(case), model, str(f_out)])
        c_wall, c_rss = timed([str(CIRC), str(case), model, str(REPEATS), str(c_out)])
        f, c = json.loads(f_out.read_text()), json.loads(c_out.read_text())
        diff = max(max_rel_diff(c[k], f[k]) for k in ["stock", "inflow", "outflow"])
        if diff > 1e-9:
            sys.exit(f"{model}: circ and flodym disagree by {diff:e} of the series' scale")
        f_grow = f["peak_kib_after"] - f["peak_kib_before"]
        c_grow = c["peak_kib_after"] - c["peak_kib_before"]
        rows.append((model, f, c, f_wall, c_wall, f_rss, c_rss, f_grow, c_grow, diff))
    for (model, f, c, f_wall, c_wall, f_rss, c_rss, f_grow, c_grow, diff) in rows:
        name = "inflow-driven" if model == "inflow" else "stock-driven"
        print(f"{name} (results agree to {diff:.1e} of scale)")
        print(f"  compute, median    flodym {f['seconds_median'] * 1e3:9.3f} ms   circ {c['seconds_median'] * 1e3:9.3f} ms"
              f"   circ is {f['seconds_median'] / c['seconds_median']:7.1f}× faster")
        print(f"  whole process      flodym {f_wall:9.3f} s    circ {c_wall:9.3f} s"
              f"    circ is {f_wall / c_wall:7.1f}× faster")
        print(f"  peak RSS           flodym {f_rss / 1024:9.1f} MiB circ {c_rss / 1024:9.1f} MiB"
              f"  circ uses {c_rss / f_rss:7.4f} of flodym's ({f_rss / c_rss:.1f}× less)")
        print(f"  peak growth while computing: flodym {f_grow / 1024:.1f} MiB, circ {c_grow / 1024:.2f} MiB\n")


if __name__ == "__main__":
    main()
