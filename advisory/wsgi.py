from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisory.settings")
application = get_wsgi_application()

from advisory.warmup import web_warm_up  # noqa: E402 - needs the app loaded first

web_warm_up()
