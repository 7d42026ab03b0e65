#!/usr/bin/env python3
"""circ against SciPy on the same 100,000-process transfer-coefficient networks.

For each pattern, runs circ's `network_peer` example, which generates the network, times circ's
load and its iterative solve, and writes the assembled square system; then solves that same
system with SciPy's `spsolve` (SuperLU) and prints both times and their ratio, measured in one
run. Two patterns: banded (each process sends to the next 50, as a supply chain does) and random
(destinations anywhere, where SuperLU's fill-in explodes); each spsolve runs under a time limit.

Set-up (SciPy from pip, in a virtual environment outside the repository):

    python3 -m venv /tmp/circ-venv && /tmp/circ-venv/bin/pip install scipy
    /tmp/circ-venv/bin/python benches/peers/scipy_spsolve.py [SIZES] [LIMIT_SECONDS]

SIZES is a comma-separated list of process counts (default 10000,100000); each spsolve runs
under LIMIT_SECONDS (default 60), once with SuperLU's default COLAMD ordering and once with the
natural order, which suits the banded pattern.
"""

import json
import multiprocessing as mp
import pathlib
import queue as queue_module
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
import scipy.io
import scipy.sparse.linalg


def spsolve_times(path_a, path_b, ordering, queue):
    a = scipy.io.mmread(path_a).tocsc()
    b = np.loadtxt(path_b)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        x = scipy.sparse.linalg.spsolve(a, b, permc_spec=ordering)
        times.append(time.perf_counter() - t)
    queue.put((sorted(times)[1], x))


def timed_spsolve(tmp, ordering, limit):
    """The median of three spsolve times and the solution, or None past `limit` seconds."""
    queue = mp.Queue()
    child = mp.Process(target=spsolve_times,
                       args=(f"{tmp}/system.mtx", f"{tmp}/rhs.txt", ordering, queue))
    child.start()
    # Read before joining: a child blocks on putting a large result until it is read.
    try:
        result = queue.get(timeout=limit)
    except queue_module.Empty:
        result = None
    if child.is_alive():
        child.terminate()
    child.join()
    return result


def compare(root, processes, window, limit):
    with tempfile.TemporaryDirectory(prefix="circ-peer-") as tmp:
        out = subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "circ-benches",
             "--example", "network_peer", "--", tmp, processes, str(window)],
            cwd=root, check=True, capture_output=True, text=True,
        ).stdout
        circ = json.loads(out.strip().splitlines()[-1])
        x_circ = np.loadtxt(f"{tmp}/circ_x.txt")
        results = {o: timed_spsolve(tmp, o, limit) for o in ("COLAMD", "NATURAL")}
    # The solver circ chooses (network::sparse::auto).
    ours = circ["auto_s"]
    pattern = "random" if window == 0 else f"banded (next {window})"
    print(f"\n{pattern} pattern: {circ['processes']} processes, {circ['unknowns']} unknowns, "
          f"{circ['nonzeros']} nonzeros")
    print(f"  circ, its choice ({circ['auto_choice']}): {ours:.4f} s")
    print(f"  circ Gauss-Seidel alone:        {circ['gauss_seidel_s']:.4f} s ({circ['gauss_seidel_iterations']} sweeps)")
    print(f"  circ BiCGSTAB alone:            {circ['bicgstab_s']:.4f} s ({circ['bicgstab_iterations']} iterations)")
    print(f"  circ end to end (parse JSON, validate, assemble, solve): {circ['load_s']:.4f} s; "
          f"assembly alone {circ['assemble_s']:.4f} s")
    for ordering, result in results.items():
        name = f"SciPy spsolve ({ordering}):"
        if result is None:
            print(f"  {name:<31} did not finish within {limit:.0f} s "
                  f"(ratio above {limit / ours:.0f}x)")
            continue
        spsolve, x = result
        agree = float(np.max(np.abs(x - x_circ)) / np.max(np.abs(x)))
        print(f"  {name:<31} {spsolve:.4f} s, ratio spsolve / circ {spsolve / ours:.1f}x; "
              f"solutions agree to {agree:.1e}")


def main() -> None:
    sizes = sys.argv[1].split(",") if len(sys.argv) > 1 else ["10000", "100000"]
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    root = pathlib.Path(__file__).resolve().parents[2]
    print(f"SciPy {scipy.__version__}, NumPy {np.__version__}; spsolve median of 3, "
          f"circ median of 5, in one run")
    for processes in sizes:
        compare(root, processes, 50, limit)
        compare(root, processes, 0, limit)


if __name__ == "__main__":
    main()
