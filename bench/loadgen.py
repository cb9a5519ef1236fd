"""A small closed-loop HTTP load generator, used by bench/web.py when wrk is not installed.

Runs as its own process: CONCURRENCY threads, each sending one request after another (a new
connection each time, as gunicorn's sync workers close them) for DURATION seconds to the
paths given, in turn. Prints one JSON line: requests, errors, seconds, latencies p50/p95/p99.

    python bench/loadgen.py SPEC.json
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from pathlib import Path


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text())
    host, port = spec["host"], spec["port"]
    paths, method = spec["paths"], spec["method"]
    headers, body = spec.get("headers", {}), spec.get("body")
    duration, concurrency = float(spec["duration"]), int(spec["concurrency"])
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start = time.perf_counter()
    stop_at = start + duration

    def client(n: int) -> None:
        i = n
        while time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            began = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(host, port, timeout=30)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status >= 400:
                    errors[n] += 1
                    continue
            except OSError:
                errors[n] += 1
                continue
            latencies[n].append(time.perf_counter() - began)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    seconds = time.perf_counter() - start
    done = sorted(x for per in latencies for x in per)

    def pct(f: float) -> float:
        return done[min(len(done) - 1, round(f * (len(done) - 1)))] if done else float("nan")

    print(
        json.dumps(
            {
                "requests": len(done),
                "errors": sum(errors),
                "seconds": seconds,
                "p50": pct(0.50),
                "p95": pct(0.95),
                "p99": pct(0.99),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
