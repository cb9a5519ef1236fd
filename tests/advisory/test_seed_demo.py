"""The demo data: a firm with a logo and two advisors, one of them an owner; safe to load twice."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from advisory.management.commands.seed_demo import ADVISOR_EMAIL, COLLEAGUE_EMAIL, FIRM_NAME
from advisory.models import Client, Firm, Membership

pytestmark = pytest.mark.django_db(transaction=False)


def test_seed_demo_gives_the_firm_a_logo_and_two_advisors_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    firm = Firm.objects.get(name=FIRM_NAME)
    with default_storage.open(firm.logo.name) as handle:
        assert Image.open(handle).format == "PNG"
    roles = dict(Membership.objects.filter(firm=firm).values_list("user__email", "role"))
    assert roles == {ADVISOR_EMAIL: "owner", COLLEAGUE_EMAIL: "advisor"}
    assert Client.objects.filter(firm=firm).count() == 9
