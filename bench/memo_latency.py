"""Memo latency as the advisor sees it: from "Prepare the memo" to "Ready" on the screen, and
from the CEO's submission to a draft memo ready to preview.

gunicorn serves the app and one real Celery worker (prefork, renderer warmed) renders, both on
the bench database and a private Redis. Chromium, signed in as the advisor, opens an
engagement whose CEO has submitted, clicks "Prepare the memo" and waits until the new
version's row says "Ready" (the page polls for it); the render's own start and end come
from the version's row. Then CEOs submit (through the service, as the page does) and the
clock runs until the worker has prepared and rendered their draft.

    python bench/memo_latency.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Playwright's sync API runs an event loop in this thread; the ORM calls made here beside it
# are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from bench.common import (
    PrivateRedis,
    bench_firm_and_advisor,
    db_retry,
    figure,
    median,
    percentile,
    print_load_after,
    print_machine,
    setup_django,
)
from bench.render import CHROMIUM, CHROMIUM_ARGS
from bench.throughput import Worker, purge_broker
from bench.web import WEB_ENV, Gunicorn, advisor_session, free_port


def form_raw(value: object) -> str | list[str]:
    """An answer as the questionnaire page posts it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [str(v) for v in value] or [""]
    return str(value)


def answered_engagement(name: str, *, submit: bool):
    """An engagement whose CEO has answered the demo sample (and submitted, if asked)."""
    from advisory.models import Client, Engagement, Person
    from assessments.samples import REGULATED_LENDER
    from assessments.services.answers import answer_save, assessment_for, assessment_submit

    firm, advisor = bench_firm_and_advisor()
    client = Client.objects.create(firm=firm, name=name, employees=2400)
    Person.objects.create(
        client=client, name="Cleo Mendes", email=f"ceo@{client.pk}.example", role="ceo"
    )
    engagement = Engagement.objects.create(
        firm=firm, client=client, lead_advisor=advisor, title="Who should lead AI"
    )
    assessment = assessment_for(engagement)
    for code, value in REGULATED_LENDER.items():
        answer_save(assessment=assessment, code=code, raw=form_raw(value))
    if submit:
        assert assessment_submit(assessment=assessment) == []
    return engagement, assessment


def ready_versions(engagement_id: int) -> list:
    from reports.models import MemoVersion

    return list(
        MemoVersion.objects.filter(engagement_id=engagement_id, state=MemoVersion.State.READY)
    )


def on_screen(page, base: str, engagement_id: int, runs: int) -> list[dict[str, float]]:
    """Clicks "Prepare the memo" ``runs`` times; per click, seconds to "Ready" on screen and
    how long after the render finished the screen said so."""
    from reports.models import MemoVersion

    results = []
    page.goto(f"{base}/engagements/{engagement_id}/")
    for _ in range(runs):
        before = set(
            MemoVersion.objects.filter(engagement_id=engagement_id).values_list("pk", flat=True)
        )
        again = page.get_by_text("Prepare a new version from the submitted answers")
        if again.count() and not again.locator("xpath=..").get_attribute("open") is not None:
            again.click()
        clicked = time.time()
        page.get_by_role("button", name="Prepare the memo").click()
        version = None
        while version is None:
            version = (
                MemoVersion.objects.filter(engagement_id=engagement_id)
                .exclude(pk__in=before)
                .first()
            )
            time.sleep(0.01)
        # The page itself notes the moment the row says "Ready", checked on every frame:
        # Playwright's own waiting polls every half second after its first few tries.
        selector = f'tr[data-version="{version.pk}"] .memo-state[data-state="ready"]'
        shown = (
            page.wait_for_function(
                "selector => document.querySelector(selector) ? Date.now() : 0",
                arg=selector,
                polling="raf",
                timeout=60_000,
            ).json_value()
            / 1000
        )
        version.refresh_from_db()
        rendered = version.rendered_at.timestamp()
        results.append(
            {
                "total": shown - clicked,
                "render": (version.rendered_at - version.render_started_at).total_seconds(),
                "lag": shown - rendered,
            }
        )
        page.wait_for_load_state("load")  # the page reloads itself once nothing is pending
        page.wait_for_timeout(300)
    return results


def drafts(runs: int) -> list[float]:
    """Seconds from a CEO's submission to their draft memo ready to preview."""
    from django.db import transaction

    from assessments.services.answers import assessment_submit

    waits = []
    for n in range(runs):
        engagement, assessment = answered_engagement(
            f"Latency Draft {time.time_ns()}-{n}", submit=False
        )
        with transaction.atomic():
            assert assessment_submit(assessment=assessment) == []
            submitted = time.time()
        while not ready_versions(engagement.pk):
            time.sleep(0.01)
        waits.append(time.time() - submitted)
    return waits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    print("Memo latency (gunicorn, 1 warm worker process, Chromium polling the engagement page)")
    print_machine()
    redis = PrivateRedis()
    try:
        setup_django(**WEB_ENV)
        return run(args)
    finally:
        redis.stop()


def run(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    call_command("collectstatic", interactive=False, verbosity=0)
    engagement, _ = db_retry(
        lambda: answered_engagement(f"Latency Co {datetime.now():%H%M%S%f}", submit=True)
    )
    session = advisor_session()
    purge_broker()
    worker = Worker(1)
    server = Gunicorn(free_port(), 3)
    try:
        worker.wait_ready(timeout=120)
        server.wait_ready()
        base = f"http://127.0.0.1:{server.port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context()
            context.add_cookies(
                [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
            )
            page = context.new_page()
            screen = on_screen(page, base, engagement.pk, args.runs)
            browser.close()
        waits = drafts(args.runs)
    finally:
        server.stop()
        worker.stop()

    totals = [r["total"] for r in screen]
    print(f"\n  {args.runs} requests on screen; {args.runs} CEO submissions")
    figure("request -> 'Ready' on screen, p50", f"{median(totals) * 1000:.0f} ms", "<= 1000 ms")
    figure("request -> 'Ready' on screen, p90", f"{percentile(totals, 0.9) * 1000:.0f} ms")
    figure(
        "  of which the render itself, p50", f"{median(r['render'] for r in screen) * 1000:.0f} ms"
    )
    figure(
        "render finished -> 'Ready' on screen, p50",
        f"{median(r['lag'] for r in screen) * 1000:.0f} ms",
        "<= 300 ms",
    )
    figure(
        "render finished -> 'Ready' on screen, worst",
        f"{max(r['lag'] for r in screen) * 1000:.0f} ms",
    )
    figure("CEO submits -> draft memo ready, p50", f"{median(waits) * 1000:.0f} ms")
    print_load_after()
    return 0


if __name__ == "__main__":
    sys.exit(main())
