#!/usr/bin/env python3
"""Generate the flodym comparison cases of circ's dynamic stock models.

Writes tests/data/flodym/cases.json: for every lifetime distribution and timing convention,
inflow-driven and stock-driven, with and without lifetime changes, the inputs and the stock,
inflow and outflow that flodym computes. The Rust test core/tests/flodym.rs (run by
`cargo test`) reads the file and compares circ's results, so CI needs no Python.

Run (from the repository root):
    python3 -m venv /tmp/flodym-venv && /tmp/flodym-venv/bin/pip install flodym==1.1.0
    /tmp/flodym-venv/bin/python benches/peers/flodym_generate.py
"""

import json
import math
import pathlib
import sys

import numpy as np
import flodym as fd

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "flodym" / "cases.json"

YEARS = list(range(1990, 2030))  # 40 years
N = len(YEARS)

# Lifetimes: circ's name and parameters, flodym's class and keyword arguments.
LIFETIMES = [
    ("fixed", {"mean": 7.5}, fd.FixedLifetime, {"mean": 7.5}),
    ("normal", {"mean": 12.0, "sd": 4.0}, fd.NormalLifetime, {"mean": 12.0, "std": 4.0}),
    ("folded_normal", {"mean": 3.0, "sd": 5.0}, fd.FoldedNormalLifetime, {"mean": 3.0, "std": 5.0}),
    ("lognormal", {"mean": 15.0, "sd": 9.0}, fd.LogNormalLifetime, {"mean": 15.0, "std": 9.0}),
    ("weibull", {"shape": 1.8, "scale": 14.0}, fd.WeibullLifetime, {"weibull_shape": 1.8, "weibull_scale": 14.0}),
]
TIMINGS = ["end", "middle", "start"]


def inflow_series():
    """A growing, wavy inflow with a dip, so that cohorts differ."""
    return [100.0 + 4.0 * t + 15.0 * math.sin(0.6 * t) for t in range(N)]


def stock_series():
    """A stock that grows along a logistic curve: stock-driven inflows stay positive."""
    return [2000.0 / (1.0 + math.exp(-(t - 15) / 5.0)) + 50.0 for t in range(N)]


def factors(kind):
    """Lifetime factors: none, +50 % for every cohort in stock from 2005 (by year, "nurture"),
    or +50 % for the cohorts entering from 2005 (by cohort, "nature")."""
    f = [1.0 if y < 2005 else 1.5 for y in YEARS]
    return {"none": (None, None), "by_year": (f, None), "by_cohort": (None, f)}[kind]


def run(model, lt_cls, lt_kwargs, timing, change, series):
    dims = fd.DimensionSet(dim_list=[fd.Dimension(name="Time", letter="t", items=YEARS)])
    by_year, by_cohort = factors(change)
    extra = {}
    if by_year is not None:
        extra["lt_factor_by_year"] = np.array(by_year)
    if by_cohort is not None:
        extra["lt_factor_by_cohort"] = np.array(by_cohort)
    lt = lt_cls(dims=dims, inflow_at=timing, **lt_kwargs, **extra)
    values = fd.StockArray(dims=dims, values=np.array(series))
    if model == "inflow_driven":
        dsm = fd.InflowDrivenDSM(dims=dims, lifetime_model=lt, inflow=values)
    else:
        dsm = fd.StockDrivenDSM(dims=dims, lifetime_model=lt, stock=values)
    dsm.compute()
    return dsm


def main():
    cases = []
    for name, params, cls, kwargs in LIFETIMES:
        for timing in TIMINGS:
            for model in ["inflow_driven", "stock_driven"]:
                for change in ["none", "by_year", "by_cohort"]:
                    series = inflow_series() if model == "inflow_driven" else stock_series()
                    dsm = run(model, cls, kwargs, timing, change, series)
                    by_year, by_cohort = factors(change)
                    inflow = dsm.inflow.values.tolist()
                    if min(inflow) < 0:
                        sys.exit(f"{name}/{timing}/{model}/{change}: flodym gave a negative inflow")
                    cases.append({
                        "name": f"{name}/{timing}/{model}/{change}",
                        "lifetime": {"dist": name, **params},
                        "timing": timing,
                        "model": model,
                        "lifetime_factor_by_year": by_year,
                        "lifetime_factor_by_cohort": by_cohort,
                        "given": series,
                        "expected": {
                            "stock": dsm.stock.values.tolist(),
                            "inflow": inflow,
                            "outflow": dsm.outflow.values.tolist(),
                        },
                    })
    doc = {
        "generator": "benches/peers/flodym_generate.py",
        "flodym": fd.__version__ if hasattr(fd, "__version__") else "1.1.0",
        "numpy": np.__version__,
        "years": YEARS,
        "note": "Factors multiply mean and sd (Weibull: scale) from 2005 on. 'given' is the inflow "
                "(inflow_driven) or the stock (stock_driven).",
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
