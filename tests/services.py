"""Chooses the services the test suite runs against and prints them as VAR=value lines.

PostgreSQL and Redis are used when reachable; otherwise SQLite and the file-system broker.
With REQUIRE_SERVICES=1 an unreachable service is an error, not a fallback.
"""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/advisory"
DEFAULT_REDIS = "redis://127.0.0.1:6379"


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def main() -> int:
    required = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    broker_url = os.environ.get("CELERY_BROKER_URL", f"{DEFAULT_REDIS}/15")
    cache_url = os.environ.get("CACHE_URL", f"{DEFAULT_REDIS}/14")
    chosen: list[str] = []
    if reachable(database_url, 5432):
        chosen.append(f"DATABASE_URL={database_url}")
    elif required:
        print(f"PostgreSQL is not reachable at {database_url}", file=sys.stderr)
        return 1
    else:
        chosen.append("DATABASE_URL=")
    if reachable(broker_url, 6379):
        chosen += [f"CELERY_BROKER_URL={broker_url}", f"CACHE_URL={cache_url}"]
    elif required:
        print(f"Redis is not reachable at {broker_url}", file=sys.stderr)
        return 1
    else:
        chosen += ["CELERY_BROKER_URL=filesystem://", "CACHE_URL="]
    print(" ".join(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
