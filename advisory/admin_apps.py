"""Django's admin app, with the site that admits staff only (advisory/admin_site.py).

A module of its own: INSTALLED_APPS loads it before the apps are ready, so it must not import
the admin site (which imports the auth views, which import models)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class AdvisoryAdminConfig(AdminConfig):
    default_site = "advisory.admin_site.AdvisoryAdminSite"
