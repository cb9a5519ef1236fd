"""Emails built from templates: `<name>_subject.txt`, `<name>.txt` and `<name>.html`, in the
branding of the firm they are sent for.

Every email is from the firm's sender name on the app's own address (DEFAULT_FROM_EMAIL):
mail from a firm's domain sent by this server would fail SPF and DKIM. Replies go to the
firm's reply-to address, or to the address the caller gives (the advisor's). The firm's logo
travels inside the message as an inline image referenced by its Content-ID, which mail
clients show without fetching anything (many block data: URLs and remote images).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from email.headerregistry import Address
from email.mime.image import MIMEImage
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string

from advisory.logos import logo_read
from advisory.models import Firm

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


def _logo_image(firm: Firm) -> tuple[MIMEImage | None, str]:
    content = logo_read(firm.logo.name) if firm.logo else None
    if firm.logo and content is None:
        logger.warning("Logo of firm %s could not be read; sending without it", firm.pk)
    if not content:
        return None, ""
    content_id = make_msgid(domain="logo.invalid")
    image = MIMEImage(content, "png")
    image.add_header("Content-ID", content_id)
    image.add_header("Content-Disposition", "inline", filename="logo.png")
    return image, content_id.strip("<>")


def email_from_templates(
    *, name: str, context: Mapping[str, object], to: str, firm: Firm, reply_to: str = ""
) -> EmailMultiAlternatives:
    image, content_id = _logo_image(firm)
    context = {
        **context,
        "brand": {
            "name": firm.name,
            "accent": firm.accent_color,
            "logo_src": f"cid:{content_id}" if content_id else "",
        },
    }
    subject = render_to_string(f"{name}_subject.txt", context)
    reply = firm.reply_to or reply_to
    message = BrandedEmail(
        subject=" ".join(subject.split()),
        body=render_to_string(f"{name}.txt", context),
        from_email=sender_for(firm),
        to=[to],
        reply_to=[reply] if reply else None,
        inline_image=image,
    )
    message.attach_alternative(render_to_string(f"{name}.html", context), "text/html")
    return message
