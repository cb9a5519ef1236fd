"""Emails built from templates: `<name>_subject.txt`, `<name>.txt` and `<name>.html`."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_from_templates(
    *, name: str, context: Mapping[str, object], to: str, reply_to: str = ""
) -> EmailMultiAlternatives:
    subject = render_to_string(f"{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"{name}.txt", context),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
    message.attach_alternative(render_to_string(f"{name}.html", context), "text/html")
    return message
