"""The board member's download link: no account, the token is the key."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from advisory.links import LinkState
from advisory.views.errors import rate_limited
from reports.services.delivery import (
    delivery_copy,
    delivery_newer_version,
    delivery_record_download,
    delivery_resolve,
    memo_filename,
)


@require_GET
def memo_download(request: HttpRequest, token: str) -> HttpResponse:
    if is_ratelimited(
        request,
        group="memo.download",
        key="ip",
        rate=settings.MEMO_DOWNLOAD_RATE,
        increment=True,
    ):
        return rate_limited(request)
    outcome = delivery_resolve(token)
    delivery = outcome.delivery
    if delivery is None:
        return render(request, "reports/link_invalid.html", {"reason": "unknown"}, status=404)
    firm = delivery.memo_version.engagement.firm
    if outcome.state == LinkState.SUPERSEDED:
        context = {"firm": firm, "delivery": delivery, "newer": delivery_newer_version(delivery)}
        return _private(render(request, "reports/link_superseded.html", context, status=410))
    if not outcome.usable:
        context = {"reason": outcome.state, "firm": firm, "delivery": delivery}
        return _private(render(request, "reports/link_invalid.html", context, status=410))
    copy = delivery_copy(delivery)
    if copy is None:
        context = {"reason": "missing", "firm": firm}
        return _private(render(request, "reports/link_invalid.html", context, status=404))
    delivery_record_download(delivery=delivery, copy=copy)
    filename = memo_filename(delivery.memo_version)
    response = HttpResponse(copy.pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    """Pages behind a personal link stay out of caches, and their address out of referrers."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
