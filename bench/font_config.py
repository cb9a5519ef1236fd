"""A/B: one kept WeasyPrint font configuration per thread against a new one per memo.

Prints the median CPU time of 40 renders of the demo memo and the worker-process memory
growth over them. Run: `.venv/bin/python bench/font_config.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

MODE_ENV = "FONT_CONFIG_MODE"
RENDERS = 40


def rss_mb() -> float:
    status = open("/proc/self/status").read()  # noqa: SIM115 - read once
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def measure(mode: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisory.settings")
    django.setup()
    from weasyprint.text.fonts import FontConfiguration

    from assessments.samples import REGULATED_LENDER
    from reports.services import rendering

    if mode == "fresh":
        rendering.font_config = FontConfiguration  # the old behaviour: a new one per memo
    memo = rendering.MemoInput(
        answers=REGULATED_LENDER, client_name="Granite Lending", firm_name="Harbour & Vale Advisory"
    )
    for _ in range(3):
        rendering.memo_pdf(memo)
    before, cpu = rss_mb(), []
    for _ in range(RENDERS):
        started = time.process_time()
        rendering.memo_pdf(memo)
        cpu.append(time.process_time() - started)
    cpu.sort()
    print(
        f"{mode:6s} median CPU {cpu[len(cpu) // 2] * 1000:5.0f} ms per memo, "
        f"memory growth over {RENDERS} memos {rss_mb() - before:+5.1f} MB"
    )


def main() -> None:
    if mode := os.environ.get(MODE_ENV):
        measure(mode)
        return
    for mode in ("fresh", "kept"):
        subprocess.run(
            [sys.executable, __file__], env={**os.environ, MODE_ENV: mode}, check=True, timeout=600
        )


if __name__ == "__main__":
    main()
