"""Emails built from templates: `<name>_subject.txt`, `<name>.txt` and `<name>.html`, in the
branding of the firm they are sent for.

Every email is from the firm's sender name on the app's own address (DEFAULT_FROM_EMAIL):
mail from a firm's domain sent by this server would fail SPF and DKIM. Replies go to the
firm's reply-to address, or to the address the caller gives (the advisor's). The firm's logo
travels inside the message as an inline image referenced by its Content-ID, which mail
clients show without fetching anything (many block data: URLs and remote images).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.mime.image import MIMEImage
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string

from advisory.logos import logo_read
from advisory.models import Email, Firm

logger = logging.getLogger(__name__)


def sender_for(firm: Firm) -> str:
    """``"Firm sender name" <app address>``, quoted as the name needs; Django encodes it."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    # The name is validated on input; this is a second guard: no header can be split.
    name = " ".join("".join(c if c.isprintable() else " " for c in firm.from_name).split())
    return str(Address(display_name=name, addr_spec=address))


class BrandedEmail(EmailMultiAlternatives):
    """An email whose HTML part carries the firm's logo as an inline image.

    The HTML alternative becomes multipart/related (RFC 2387) with the image beside it:
    multipart/alternative [text/plain, multipart/related [text/html, image/png]], inside
    multipart/mixed when there are attachments (a memo's PDF).
    """

    def __init__(self, *args: object, inline_image: MIMEImage | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.inline_image = inline_image

    def _create_alternatives(self, msg):  # Django's hook for building the alternatives
        if self.inline_image is None or not self.alternatives:
            return super()._create_alternatives(msg)
        encoding = self.encoding or settings.DEFAULT_CHARSET
        alternative = SafeMIMEMultipart(_subtype=self.alternative_subtype, encoding=encoding)
        if self.body:
            alternative.attach(msg)
        for content, mimetype in self.alternatives:
            part = self._create_mime_attachment(content, mimetype)
            if mimetype == "text/html":
                related = SafeMIMEMultipart(_subtype="related", encoding=encoding)
                related.attach(part)
                related.attach(self.inline_image)
                part = related
            alternative.attach(part)
        return alternative


def logo_content_id(logo: str) -> str:
    """The Content-ID the HTML body refers to the logo by: fixed by the logo's file, so an
    email recorded now and sent later (or again) still finds its image."""
    digest = hashlib.sha256(logo.encode()).hexdigest()[:16]
    return f"logo-{digest}@logo.invalid"


@dataclass(frozen=True)
class EmailDraft:
    """An email as its templates made it: what the outbox records, or a page previews."""

    to: str
    subject: str
    text: str
    html: str
    from_email: str
    reply_to: str = ""
    # The firm's logo in storage, shown inline in the HTML body ("" for none).
    logo: str = ""
    attachment_name: str = ""
    attachment: bytes = b""


def email_from_templates(
    *, name: str, context: Mapping[str, object], to: str, firm: Firm, reply_to: str = ""
) -> EmailDraft:
    logo = firm.logo.name if firm.logo else ""
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "brand": {
            "name": firm.name,
            "accent": firm.accent_color,
            "logo_src": f"cid:{logo_content_id(logo)}" if logo else "",
        },
    }
    subject = render_to_string(f"{name}_subject.txt", context)
    return EmailDraft(
        to=to,
        subject=" ".join(subject.split()),
        text=render_to_string(f"{name}.txt", context),
        html=render_to_string(f"{name}.html", context),
        from_email=sender_for(firm),
        reply_to=firm.reply_to or reply_to,
        logo=logo,
    )


def _logo_image(logo: str) -> MIMEImage | None:
    content = logo_read(logo) if logo else None
    if logo and content is None:
        logger.warning("Logo %s could not be read; sending without it", logo)
    if not content:
        return None
    image = MIMEImage(content, "png")
    image.add_header("Content-ID", f"<{logo_content_id(logo)}>")
    image.add_header("Content-Disposition", "inline", filename="logo.png")
    return image


def email_message(email: Email) -> EmailMultiAlternatives:
    """The message an outbox row stands for, ready for Django's mail backend."""
    message = BrandedEmail(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"Message-ID": email.message_id},
        inline_image=_logo_image(email.logo) if email.body_html else None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, bytes(email.attachment), "application/pdf")
    return message
