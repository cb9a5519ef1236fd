"""Every email the app sends exists as subject, text and HTML, renders with what its sender
passes, and carries the firm's branding."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from advisory.emails import email_from_templates
from advisory.logos import logo_store
from tests.advisory import images

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NAMES = sorted(
    str(path.relative_to(TEMPLATES)).removesuffix("_subject.txt")
    for path in TEMPLATES.glob("*/email/*_subject.txt")
)


def test_every_email_has_a_subject_a_text_and_an_html_body():
    assert len(NAMES) >= 10
    bodies = {
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.glob("*/email/*.*")
        if p.parts[-3] != "includes"  # the letterhead and the button the emails share
    }
    for name in NAMES:
        assert {f"{name}_subject.txt", f"{name}.txt", f"{name}.html"} <= bodies, name
    # Nothing but those three files per email.
    assert len(bodies) == 3 * len(NAMES)


@pytest.fixture
def strict_templates(settings):
    """A variable a template names but its context lacks shows up instead of vanishing."""
    settings.TEMPLATES = [
        {**engine, "OPTIONS": {**engine.get("OPTIONS", {}), "string_if_invalid": "«%s»"}}
        for engine in settings.TEMPLATES
    ]


@pytest.fixture
def context(firm, engagement, ceo, advisor, version, delivery, memo_storage):
    from advisory.tokens import token_new
    from assessments.models import Invitation

    firm.logo.name = logo_store(images.png((200, 80), colour="#7a1f3d"))
    firm.accent_color = "#7a1f3d"
    firm.save()
    engagement.board_meeting_date = timezone.localdate()
    engagement.save()
    invitation = Invitation.objects.create(
        engagement=engagement,
        assessment=version.engagement.assessments.get(),
        person=ceo,
        token_hash=token_new()[1],
        created_by=advisor,
        expires_at=timezone.now(),
    )
    version.failure_reason = "The memo took too long."
    d, _ = delivery
    return {
        "person": ceo,
        "engagement": engagement,
        "firm": firm,
        "advisor": advisor,
        "inviter": advisor,
        "link": "https://memos.example/a/token/",
        "expires_at": timezone.now(),
        "role": "CTO",
        "cover_note": "Read it before Thursday.",
        "attached": True,
        "version": version,
        "assessment": invitation.assessment,
        "respondent": ceo.name,
        "invitation": invitation,
        "invitation_subject": "Your assessment",
        "delivery": d,
        "memo_subject": "Board memo",
        "days": 10,
        "count": 2,
        # Django's password reset.
        "email": advisor.email,
        "user": advisor,
        "protocol": "https",
        "domain": "memos.example",
        "uid": "MQ",
        "token": "set-token",
    }


@pytest.mark.parametrize("name", NAMES)
def test_each_email_renders_in_the_firms_branding(name, context, strict_templates):
    firm = context["firm"]
    if name.startswith("advisory/"):
        # The firm's own emails go to an account: a colleague, or someone resetting.
        context = {**context, "person": context["advisor"]}
    email = email_from_templates(name=name, context=context, to="x@example.com", firm=firm)
    for part in (email.subject, email.text, email.html):
        assert "«" not in part, f"{name} names a variable it is not given: {part}"
    assert email.subject and "\n" not in email.subject
    assert firm.name in email.html  # the letterhead: the logo, named for the firm
    assert firm.accent_color in email.html  # the letterhead's rule, the buttons
    assert email.html.count('src="cid:logo-') == 1  # the logo, inline
    assert email.from_email.startswith(f'"{firm.name}"') or email.from_email.startswith(firm.name)
