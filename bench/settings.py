"""Settings for the web benchmark: the app's own, plus a trivial view and bench-only paths.

Nothing here changes how the app behaves except what a load test must: rate limits off (16
clients from one address would be throttled), emails kept in memory, collected static files
in ``var/bench/``.
"""

from __future__ import annotations

from advisory.settings import *  # noqa: F403
from advisory.settings import VAR_DIR

ROOT_URLCONF = "bench.urls"
RATELIMIT_ENABLE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = VAR_DIR / "bench" / "staticfiles"
