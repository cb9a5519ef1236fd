"""The app's URLs plus ``/bench/trivial``: the cheapest Django response, the ceiling for the
web benchmark (it passes through the same middleware but touches no database)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from advisory.urls import urlpatterns as app_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial, name="bench_trivial"), *app_urlpatterns]
