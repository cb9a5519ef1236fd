"""The board member's download link: no account, the token is the key."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from advisory.views.errors import rate_limited
from reports.services.delivery import delivery_record_download, delivery_resolve, memo_filename


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
    if outcome.delivery is None:
        return render(request, "reports/link_invalid.html", {"reason": "unknown"}, status=404)
    if not outcome.usable:
        firm = outcome.delivery.memo_version.engagement.firm
        return render(
            request,
            "reports/link_invalid.html",
            {"reason": outcome.state, "firm": firm},
            status=410,
        )
    delivery = outcome.delivery
    version = delivery.memo_version
    try:
        handle = version.pdf.open("rb")
    except (FileNotFoundError, ValueError):
        return render(request, "reports/link_invalid.html", {"reason": "missing"}, status=404)
    delivery_record_download(delivery=delivery)
    response = FileResponse(handle, content_type="application/pdf", filename=memo_filename(version))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
