"""The client's address when the app runs behind a reverse proxy.

The proxy writes the address it saw into X-Real-IP (overwriting anything the client sent).
A request that reaches the app some other way, or with a malformed header, falls back to the
socket's address instead of failing.
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a key, not a bind
