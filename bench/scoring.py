"""Scoring: answer sets per second through ``manage.py assess`` and in-process.

``assess`` runs as a subprocess on a JSON list of 10,000 answer sets (the three samples in
turn), timed by the wall clock from start to exit, output included; a one-item run shows how
much of that is the process starting. In-process, ``validate`` then ``score``
run on the same list.

    python bench/scoring.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    BENCH_VAR,
    bench_env,
    figure,
    median,
    print_load_after,
    print_machine,
)


def answer_sets(count: int) -> list[dict[str, object]]:
    from assessments.samples import SAMPLES

    samples = [dict(answers) for answers in SAMPLES.values()]
    return [samples[n % len(samples)] for n in range(count)]


def assess_wall_time(path: Path, expected: int) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "assess", str(path)],
        env=bench_env(),
        capture_output=True,
        timeout=300,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"assess exited {completed.returncode}: {completed.stderr[-1000:]!r}")
    results = json.loads(completed.stdout)
    if len(results) != expected or "recommendation" not in results[0]:
        raise RuntimeError("assess did not print one result per answer set")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"Scoring ({args.count:,} answer sets: the three samples in turn)")
    print_machine()
    import os

    os.environ.update(bench_env())
    import django

    django.setup()
    from assessments.methodology import NEWEST, method_for

    method = method_for(NEWEST)

    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    sets = answer_sets(args.count)
    big = BENCH_VAR / "answers-list.json"
    big.write_text(json.dumps(sets), encoding="utf-8")
    one = BENCH_VAR / "answers-one.json"
    one.write_text(json.dumps(sets[:1]), encoding="utf-8")

    startup = median(assess_wall_time(one, 1) for _ in range(args.runs))
    wall = [assess_wall_time(big, args.count) for _ in range(args.runs)]
    in_process = []
    for _ in range(args.runs):
        started = time.perf_counter()
        for answers in sets:
            if method.validate(answers):
                raise RuntimeError("a sample answer set does not validate")
            method.score(answers)
        in_process.append(time.perf_counter() - started)

    print(f"\n  median of {args.runs} runs")
    figure("manage.py assess, 10,000 sets: wall time", f"{median(wall):.2f} s")
    rate = args.count / median(wall)
    figure("manage.py assess: sets/second (wall, start-up included)", f"{rate:,.0f}")
    # Start-up is mostly importing Django and the apps; on a busy machine it dominates.
    figure("manage.py assess: wall time for a 1-set list", f"{startup:.2f} s")
    figure("in-process validate+score: sets/second", f"{args.count / median(in_process):,.0f}")
    print_load_after()
    return 0


if __name__ == "__main__":
    sys.exit(main())
