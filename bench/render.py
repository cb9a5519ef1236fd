"""Memo rendering: the product's full render against bare WeasyPrint and against Chromium.

The product's render is ``memo_render`` on a stored memo version, exactly as the worker runs it:
load the version and the firm, score the answers, fill the template and draw the chart, lay
it out with WeasyPrint, write the file and record the result. Bare WeasyPrint renders the same
final HTML with the same fetcher, base URL and PDF options, so the difference is the product's
own overhead. Chromium prints the same HTML through Playwright with a browser kept open,
loading the same static files through a route.

Warm figures are medians of repeated runs in one process after a warm-up; cold figures are
the first render in a fresh process (medians over several processes).

    python bench/render.py [--runs 15] [--cold-runs 5]
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    DEMO_CLIENT,
    bench_env,
    bench_firm_and_advisor,
    db_retry,
    figure,
    median,
    new_memo_versions,
    print_load_after,
    print_machine,
    setup_django,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OVERHEAD_TARGET = 1.05  # issue 15: the product against bare WeasyPrint, CPU


class Timing(NamedTuple):
    """Wall-clock and CPU seconds of one render in this process. CPU time hardly moves with
    other work on the machine; wall time does."""

    wall: float
    cpu: float
    pages: int = 0


class Stopwatch:
    def __enter__(self) -> Stopwatch:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timing = Timing(time.perf_counter() - self._wall, time.process_time() - self._cpu)


# --- The three renderers. --------------------------------------------------------------------


def demo_engagement_id() -> int:
    """The bench firm's copy of the demo client, with one engagement."""
    from advisory.models import Client, Engagement, Person

    firm, advisor = bench_firm_and_advisor()
    client, _ = Client.objects.get_or_create(
        firm=firm,
        name=DEMO_CLIENT,
        defaults={"sector": "Financial services", "country": "United States", "employees": 2400},
    )
    Person.objects.get_or_create(
        client=client,
        email="ceo@granite.example",
        defaults={"name": "Granite CEO", "role": Person.Role.CEO},
    )
    engagement, _ = Engagement.objects.get_or_create(
        firm=firm,
        client=client,
        defaults={"lead_advisor": advisor, "title": "CTO and CAIO mandate review"},
    )
    return engagement.pk


def product_render(engagement_id: int) -> Timing:
    """Seconds for the worker's whole job on a fresh queued version (the file is removed after)."""
    from reports.models import MemoVersion
    from reports.services.memos import memo_render

    (version_id,) = new_memo_versions([engagement_id])
    with Stopwatch() as watch:
        memo_render(version_id=version_id)
    version = MemoVersion.objects.get(pk=version_id)
    if version.state != MemoVersion.State.READY:
        raise RuntimeError(f"memo version {version_id} ended {version.state}")
    version.pdf.delete(save=False)
    return watch.timing._replace(pages=version.page_count or 0)


def final_html(engagement_id: int) -> str:
    """The exact HTML the product hands WeasyPrint for the demo memo."""
    from reports.models import MemoVersion
    from reports.services.memos import memo_input
    from reports.services.rendering import memo_html

    (version_id,) = new_memo_versions([engagement_id])
    version = MemoVersion.objects.select_related(
        "engagement__firm", "engagement__client", "engagement__lead_advisor"
    ).get(pk=version_id)
    return memo_html(memo_input(version))


def html_stage(engagement_id: int) -> float:
    """Seconds for the product's part before WeasyPrint: load, score, template, chart."""
    from reports.models import MemoVersion
    from reports.services.memos import memo_input
    from reports.services.rendering import memo_html

    (version_id,) = new_memo_versions([engagement_id])
    started = time.perf_counter()
    version = MemoVersion.objects.select_related(
        "engagement__firm", "engagement__client", "engagement__lead_advisor"
    ).get(pk=version_id)
    memo_html(memo_input(version))
    return time.perf_counter() - started


def bare_weasyprint(html: str, *, tagged: bool = True) -> Timing:
    """Seconds for WeasyPrint alone on the final HTML, with the product's fetcher and options."""
    from weasyprint import HTML

    from reports.fetcher import StaticOnlyFetcher, static_url
    from reports.services.rendering import _pdf_options

    options = _pdf_options() if tagged else {}
    with Stopwatch() as watch:
        pdf = HTML(string=html, base_url=static_url(""), url_fetcher=StaticOnlyFetcher()).write_pdf(
            **options
        )
    if not pdf.startswith(b"%PDF"):
        raise RuntimeError("WeasyPrint did not produce a PDF")
    return watch.timing


def demo_pdf(engagement_id: int) -> bytes:
    """The demo memo's PDF as the worker makes it."""
    from reports.models import MemoVersion
    from reports.services.memos import memo_input
    from reports.services.rendering import memo_pdf

    (version_id,) = new_memo_versions([engagement_id])
    return memo_pdf(memo_input(MemoVersion.objects.get(pk=version_id))).pdf


def named_copy(pdf: bytes) -> Timing:
    """Seconds for one director's copy: the name laid over every page of the stored file."""
    from datetime import date

    from reports.services.copies import named_copy as copy

    with Stopwatch() as watch:
        copy(pdf, name="Ines Okafor", email="ines.okafor@granite.example", sent_on=date.today())
    return watch.timing


class ChromiumPrinter:
    """A warm Chromium that prints HTML, serving the memo's static origin from static/."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        from reports.fetcher import STATIC_ORIGIN

        self.static_root = (BASE_DIR / "static").resolve()
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        self.page = self.browser.new_page()
        self.page.route(STATIC_ORIGIN + "**", self._serve_static)
        self._origin = STATIC_ORIGIN

    def _serve_static(self, route: Any) -> None:
        relative = route.request.url[len(self._origin) :].split("?", 1)[0]
        path = (self.static_root / relative).resolve()
        if not path.is_relative_to(self.static_root) or not path.is_file():
            route.fulfill(status=404, body="")
            return
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    def print(self, html: str) -> float:
        started = time.perf_counter()
        self.page.set_content(html, wait_until="load")
        pdf = self.page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)
        elapsed = time.perf_counter() - started
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError("Chromium did not produce a PDF")
        return elapsed

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()


# --- Cold runs: one fresh process each. ------------------------------------------------------


def cold_child(kind: str, engagement_id: int, html_path: str) -> dict[str, float]:
    """Runs inside a fresh process: the first render there, nothing warmed up beforehand."""
    html = Path(html_path).read_text(encoding="utf-8")
    if kind == "product":
        timing = product_render(engagement_id)
        return {"first_s": timing.wall, "cpu_s": timing.cpu}
    if kind == "bare":
        timing = bare_weasyprint(html)
        return {"first_s": timing.wall, "cpu_s": timing.cpu}
    started = time.perf_counter()
    printer = ChromiumPrinter()
    launched = time.perf_counter() - started
    try:
        first = printer.print(html)
    finally:
        printer.close()
    return {"first_s": first, "launch_s": launched}


def cold_runs(kind: str, engagement_id: int, html_path: Path, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        completed = subprocess.run(
            [
                sys.executable,
                __file__,
                "--cold-child",
                kind,
                "--engagement",
                str(engagement_id),
                "--html",
                str(html_path),
            ],
            env=bench_env(),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"cold {kind} run failed:\n{completed.stderr[-2000:]}")
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return results


# --- Main. -----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="warm runs of each renderer")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per renderer")
    parser.add_argument("--cold-child", choices=["product", "bare", "chromium"])
    parser.add_argument("--engagement", type=int)
    parser.add_argument("--html")
    args = parser.parse_args()

    if args.cold_child:
        setup_django(migrate=False)
        print(json.dumps(cold_child(args.cold_child, args.engagement, args.html)))
        return 0

    print("Memo rendering (the demo memo: Granite Lending, regulated lender answers)")
    print_machine()
    setup_django()
    from reports.services.rendering import renderer_warm_up

    engagement_id = demo_engagement_id()
    html = final_html(engagement_id)
    html_path = Path(__file__).resolve().parent.parent / "var" / "bench" / "demo-memo.html"
    html_path.write_text(html, encoding="utf-8")

    cold = {
        kind: cold_runs(kind, engagement_id, html_path, args.cold_runs)
        for kind in ("product", "bare")
    }
    cold_product = [r["first_s"] for r in cold["product"]]
    cold_bare = [r["first_s"] for r in cold["bare"]]
    cold_cpu = {kind: median(r["cpu_s"] for r in runs) for kind, runs in cold.items()}

    renderer_warm_up()
    product_render(engagement_id)
    bare_weasyprint(html)
    stored = demo_pdf(engagement_id)
    named_copy(stored)
    product, bare, untagged, html_only, copies = [], [], [], [], []
    for _ in range(args.runs):
        # Interleaved, so drift in the machine's speed touches both alike.
        product.append(db_retry(lambda: product_render(engagement_id)))
        bare.append(bare_weasyprint(html))
        untagged.append(bare_weasyprint(html, tagged=False))
        html_only.append(db_retry(lambda: html_stage(engagement_id)))
        copies.append(named_copy(stored))

    def wall(timings: list[Timing]) -> list[float]:
        return [t.wall for t in timings]

    def cpu(timings: list[Timing]) -> list[float]:
        return [t.cpu for t in timings]

    overhead_warm = median(wall(product)) / median(wall(bare))
    overhead_cpu = median(cpu(product)) / median(cpu(bare))
    overhead_cold = median(cold_product) / median(cold_bare)
    print(
        f"\n  warm: median of {args.runs} runs after a warm-up; cold: median of "
        f"{args.cold_runs} fresh processes (first render, no warm-up)"
    )
    figure("product full render, warm", ms(median(wall(product))))
    figure("bare WeasyPrint (same HTML, fetcher, PDF/UA), warm", ms(median(wall(bare))))
    figure("overhead ratio product/bare, warm", f"{overhead_warm:.2f}", f"<= {OVERHEAD_TARGET}")
    # CPU time is what the product spends itself; wall time also counts other work on the
    # machine, which comes and goes between runs.
    figure("product full render, warm, CPU time", ms(median(cpu(product))))
    figure("bare WeasyPrint, warm, CPU time", ms(median(cpu(bare))))
    figure("overhead ratio product/bare, CPU time", f"{overhead_cpu:.2f}", f"<= {OVERHEAD_TARGET}")
    pages = product[-1].pages
    figure("memo pages (the demo memo)", f"{pages}")
    figure("product full render, warm, CPU time per page", ms(median(cpu(product)) / pages))
    figure("bare WeasyPrint, warm, CPU time per page", ms(median(cpu(bare)) / pages))
    figure("  of which load+score+template+chart", ms(median(html_only)))
    figure("a director's named copy (every page), warm, CPU time", ms(median(cpu(copies))))
    figure("a director's named copy, warm", ms(median(wall(copies))))
    figure(
        "named copy / full render, CPU time",
        f"{median(cpu(copies)) / median(cpu(product)):.3f}",
        "<= 0.10",
    )
    figure("  bare WeasyPrint without PDF/UA tagging", ms(median(wall(untagged))))
    figure("product full render, cold", ms(median(cold_product)))
    figure("bare WeasyPrint, cold", ms(median(cold_bare)))
    figure("overhead ratio product/bare, cold", f"{overhead_cold:.2f}", f"<= {OVERHEAD_TARGET}")
    figure("product full render, cold, CPU time", ms(cold_cpu["product"]))
    figure("bare WeasyPrint, cold, CPU time", ms(cold_cpu["bare"]))
    figure(
        "overhead ratio product/bare, cold, CPU time",
        f"{cold_cpu['product'] / cold_cpu['bare']:.2f}",
        f"<= {OVERHEAD_TARGET}",
    )

    if not CHROMIUM.exists():
        print(f"  Chromium: skipped ({CHROMIUM} not found)")
        print_load_after()
        return 0
    cold_chromium = cold_runs("chromium", engagement_id, html_path, args.cold_runs)
    printer = ChromiumPrinter()
    try:
        printer.print(html)
        chromium = [printer.print(html) for _ in range(args.runs)]
    finally:
        printer.close()
    figure("Chromium print (warm browser, tagged PDF), warm", ms(median(chromium)))
    # WeasyPrint's layout is the cost and the stack is fixed: a reference, not a target.
    figure("product/Chromium, warm (reference)", f"{median(wall(product)) / median(chromium):.2f}")
    cold_first = median(r["first_s"] for r in cold_chromium)
    cold_launch = median(r["launch_s"] for r in cold_chromium)
    figure("Chromium first print after launch, cold", ms(cold_first))
    figure("Chromium launch", ms(cold_launch))
    figure(
        "product/Chromium first print, cold (reference)", f"{median(cold_product) / cold_first:.2f}"
    )
    print_load_after()
    return 0


if __name__ == "__main__":
    sys.exit(main())
