"""Settings come from the environment, refuse bad values, and pass the deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisory.env import EnvError, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    skip = ("DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        env={**base, **env},
        timeout=120,
    )


@pytest.mark.parametrize("raw", ["False", "0", "no", "off", ""])
def test_false_strings_are_false(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", True) is False


def test_unreadable_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(EnvError, match="FLAG"):
        env_bool("FLAG")


def test_unreadable_integer_is_refused(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(EnvError, match="COUNT must be a whole number"):
        env_int("COUNT", 1)


def test_debug_is_off_by_default(settings):
    assert settings.DEBUG is False


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        HTTPS="1",
        SECRET_KEY="x" * 20 + "production-secret-that-is-long-enough-4821",
        ALLOWED_HOSTS="memos.example.com",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", HTTPS="1", SECRET_KEY="", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_in_the_environment_stops_the_app(tmp_path):
    result = run_manage("check", DEBUG="sometimes", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_links_default_to_the_port_make_run_serves():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", PORT="18901"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("http://127.0.0.1:18901")


def test_site_url_wins_over_the_port():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        PORT="18901",
        SITE_URL="https://memos.example/",
    )
    assert result.stdout.strip().endswith("https://memos.example")


@pytest.mark.django_db
def test_migrate_creates_the_table_the_database_cache_needs(settings):
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rate_limit_probe",
        }
    }
    migration = importlib.import_module("advisory.migrations.0002_cache_table")
    migration.create_cache_table(None, SimpleNamespace(connection=connection))
    assert "rate_limit_probe" in connection.introspection.table_names()


def test_object_storage_for_memo_files_is_configuration_only():
    code = (
        "from django.conf import settings; d = settings.STORAGES['default']; "
        "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['endpoint_url'], "
        "d['OPTIONS']['default_acl'])"
    )
    result = run_manage(
        "shell", "-c", code, S3_BUCKET="memos-prod", S3_ENDPOINT_URL="https://s3.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == [
        "storages.backends.s3.S3Storage",
        "memos-prod",
        "https://s3.example",
        "private",
    ]
