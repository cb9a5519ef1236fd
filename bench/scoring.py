"""Scoring: assessments per second through ``manage.py assess`` and in-process.

Two lists of ``--count`` (10,000) assessments each: flat answer sets (the three samples in
turn), and methodology 2026.2 envelopes, each sample with three perspectives (the CTO, the
CFO and a board member, each differing from the CEO somewhere). ``assess`` runs as a
subprocess on each list, timed by the wall clock from start to exit, output included; a
one-item run shows how much of that is the process starting. In-process, the newest method's
``validate`` then ``score`` run on the same lists.

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


def _view(ceo: dict[str, object], role: str, **changes: object) -> dict[str, object]:
    from assessments.methodology.v2026_2 import PERSPECTIVE_CODES

    answers = {code: ceo[code] for code in PERSPECTIVE_CODES if code in ceo}
    answers.update({code.replace("__", "."): value for code, value in changes.items()})
    return {"role": role, "answers": answers}


def envelopes(count: int) -> list[dict[str, object]]:
    """2026.2 assessments: each sample with three perspectives that disagree somewhere."""
    from assessments.samples import SAMPLES

    built = []
    for ceo in SAMPLES.values():
        built.append(
            {
                "answers": dict(ceo),
                "perspectives": [
                    _view(ceo, "cto", leadership__cto_capacity=5),
                    _view(ceo, "cfo", accountability__outcomes_owner="ceo"),
                    _view(ceo, "board", dimension__risk_lens__needed=5),
                ],
            }
        )
    return [built[n % len(built)] for n in range(count)]


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

    print(
        f"Scoring ({args.count:,} flat answer sets, then {args.count:,} 2026.2 envelopes with "
        "3 perspectives each)"
    )
    print_machine()
    import os

    os.environ.update(bench_env())
    import django

    django.setup()
    from assessments.methodology import NEWEST, method_for

    method = method_for(NEWEST)

    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    one = BENCH_VAR / "answers-one.json"
    one.write_text(json.dumps(answer_sets(1)), encoding="utf-8")
    startup = median(assess_wall_time(one, 1) for _ in range(args.runs))
    print(f"\n  median of {args.runs} runs")
    for label, sets in (
        ("flat answer sets", answer_sets(args.count)),
        ("envelopes, 3 perspectives", envelopes(args.count)),
    ):
        path = BENCH_VAR / f"assess-{len(sets)}.json"
        path.write_text(json.dumps(sets), encoding="utf-8")
        wall = [assess_wall_time(path, args.count) for _ in range(args.runs)]
        in_process = []
        for _ in range(args.runs):
            started = time.perf_counter()
            for document in sets:
                if method.validate(document):
                    raise RuntimeError("a sample assessment does not validate")
                method.score(document)
            in_process.append(time.perf_counter() - started)
        rate = args.count / median(wall)
        figure(f"manage.py assess, {args.count:,} {label}: wall time", f"{median(wall):.2f} s")
        figure(f"manage.py assess, {label}: sets/second (start-up included)", f"{rate:,.0f}")
        figure(
            f"in-process validate+score, {label}: sets/second",
            f"{args.count / median(in_process):,.0f}",
        )
    # Start-up is mostly importing Django and the apps; on a busy machine it dominates.
    figure("manage.py assess: wall time for a 1-set list", f"{startup:.2f} s")
    print_load_after()
    return 0


if __name__ == "__main__":
    sys.exit(main())
