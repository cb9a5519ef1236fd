"""A web process is ready before its first request (bench/web.py measures what that is worth)."""

from __future__ import annotations

from django.template import engines
from django.urls import clear_url_caches, get_resolver

from advisory.warmup import web_warm_up


def test_the_warm_up_compiles_the_templates_and_builds_the_url_tables_both_ways():
    clear_url_caches()
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    web_warm_up()

    resolver = get_resolver()
    # Private, but it is the very thing the first reverse() would otherwise build.
    assert resolver._populated
    assert "questionnaire_step" in resolver.reverse_dict
    compiled = {key.split(":")[0] for key in loader.get_template_cache}
    assert "assessments/questionnaire/step.html" in compiled
