#!/usr/bin/env python3
"""circ against SciPy on the same 100,000-process transfer-coefficient network.

Runs circ's `network_peer` example, which generates the network, times circ's load and its
iterative solve, and writes the assembled square system; then solves that same system with
SciPy's `spsolve` (SuperLU) and prints both times and their ratio, measured in one run.

Set-up (SciPy from pip, in a virtual environment outside the repository):

    python3 -m venv /tmp/circ-venv && /tmp/circ-venv/bin/pip install scipy
    /tmp/circ-venv/bin/python benches/peers/scipy_spsolve.py [PROCESSES]
"""

import json
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
import scipy.io
import scipy.sparse.linalg


def main() -> None:
    processes = sys.argv[1] if len(sys.argv) > 1 else "100000"
    root = pathlib.Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="circ-peer-") as tmp:
        out = subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "circ-benches",
             "--example", "network_peer", "--", tmp, processes],
            cwd=root, check=True, capture_output=True, text=True,
        ).stdout
        circ = json.loads(out.strip().splitlines()[-1])
        a = scipy.io.mmread(f"{tmp}/system.mtx").tocsc()
        b = np.loadtxt(f"{tmp}/rhs.txt")
        x_circ = np.loadtxt(f"{tmp}/circ_x.txt")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        x = scipy.sparse.linalg.spsolve(a, b)
        times.append(time.perf_counter() - t)
    spsolve = sorted(times)[1]
    agree = float(np.max(np.abs(x - x_circ)) / np.max(np.abs(x)))
    residual = float(np.linalg.norm(a @ x_circ - b) / np.linalg.norm(b))
    print(f"network: {circ['processes']} processes, {circ['unknowns']} unknowns, "
          f"{circ['nonzeros']} nonzeros (SciPy {scipy.__version__})")
    print(f"circ BiCGSTAB solve:     {circ['bicgstab_s']:.4f} s ({circ['bicgstab_iterations']} iterations)")
    print(f"circ Gauss-Seidel solve: {circ['gauss_seidel_s']:.4f} s ({circ['gauss_seidel_iterations']} sweeps)")
    print(f"SciPy spsolve:           {spsolve:.4f} s")
    print(f"ratio spsolve / circ:    {spsolve / circ['bicgstab_s']:.1f}x")
    print(f"circ end to end (parse JSON, validate, assemble, solve): {circ['load_s']:.4f} s")
    print(f"solutions agree to {agree:.1e} (max relative difference); circ's residual {residual:.1e}")


if __name__ == "__main__":
    main()
