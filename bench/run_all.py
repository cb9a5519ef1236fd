"""Runs every benchmark in turn, each in its own process with a time limit: `make bench`.

    python bench/run_all.py [--quick] [--only render,throughput,web,latency,scoring]

The services come from the environment (`make bench` passes what bin/test-services chose);
each benchmark moves to its own database, Redis databases and files (see bench/common.py).
--quick runs each with a fraction of the work, to check that they run, not to quote.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name, script, seconds allowed, full arguments, quick arguments
BENCHMARKS = [
    ("render", "render.py", 900, [], ["--runs", "3", "--cold-runs", "1"]),
    ("throughput", "throughput.py", 3900, [], ["--memos", "12", "--timeout", "300"]),
    ("web", "web.py", 900, [], ["--duration", "3", "--rounds", "1"]),
    ("latency", "memo_latency.py", 600, [], ["--runs", "2"]),
    ("scoring", "scoring.py", 600, [], ["--runs", "1"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fraction of the work each")
    parser.add_argument("--only", default="", help="comma-separated names to run")
    args = parser.parse_args()
    chosen = set(filter(None, args.only.split(",")))
    failed = []
    for name, script, limit, full, quick in BENCHMARKS:
        if chosen and name not in chosen:
            continue
        command = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        print(f"\n=== {name}: {' '.join(command[1:])} (limit {limit} s)", flush=True)
        started = time.monotonic()
        process = subprocess.Popen(command)
        try:
            ok = process.wait(timeout=limit) == 0
        except subprocess.TimeoutExpired:
            # SIGTERM first: the benchmark stops the server or workers it started.
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(f"=== {name}: stopped after {limit} s", flush=True)
            ok = False
        print(f"=== {name}: {'done' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
        if not ok:
            failed.append(name)
    if failed:
        print(f"\nBenchmarks that did not finish: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
