"""Copies of a memo's PDF with a mark on every page: a director's name on the copy they
download, DRAFT on a version not yet approved.

The version's own file is never touched. A copy is that document with one form (the mark,
laid out by WeasyPrint on a transparent page of the same size) drawn on top of each page,
written out again by qpdf (pikepdf). The mark is an artifact in the PDF's terms
(``/Artifact … BDC``), like a running footer: outside the structure tree, so the copy is
the same tagged document with the same reading order, and its text is still extractable.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date

import pikepdf
from django.template.loader import render_to_string
from django.utils.formats import date_format

from reports.fetcher import StaticOnlyFetcher, static_url
from reports.services.rendering import font_config

# The page's own content runs between "q" and "Q", so whatever it leaves in the graphics
# state (WeasyPrint flips the y axis) does not reach the mark.
_BEFORE = b"q\n"
_AFTER = b"Q\n/Artifact <</Type /Pagination /Subtype /Watermark>> BDC\nq %s Do Q\nEMC\n"


@dataclass(frozen=True)
class MarkedCopy:
    pdf: bytes
    sha256: str


def _mark_pdf(template: str, context: dict[str, object], width: float, height: float) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        template,
        {
            **context,
            "static_base": static_url(""),
            "width_pt": f"{width:.3f}",
            "height_pt": f"{height:.3f}",
        },
    )
    return HTML(string=html, base_url=static_url(""), url_fetcher=StaticOnlyFetcher()).write_pdf(
        font_config=font_config()
    )


def _marked(pdf: bytes, template: str, context: dict[str, object]) -> MarkedCopy:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        left, bottom, right, top = (float(v) for v in doc.pages[0].mediabox)
        mark_pdf = _mark_pdf(template, context, right - left, top - bottom)
        with pikepdf.open(io.BytesIO(mark_pdf)) as mark:
            form = doc.copy_foreign(mark.pages[0].as_form_xobject())
        for page in doc.pages:
            name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/MemoMark"))
            page.contents_add(pikepdf.Stream(doc, _BEFORE), prepend=True)
            page.contents_add(pikepdf.Stream(doc, _AFTER % bytes(name)))
        out = io.BytesIO()
        # The same copy for the same director every time: no random document ID.
        doc.save(out, deterministic_id=True)
    content = out.getvalue()
    return MarkedCopy(pdf=content, sha256=hashlib.sha256(content).hexdigest())


def prepared_for_line(*, name: str, email: str, sent_on: date) -> str:
    """The line a director's copy carries on every page (the download log keeps it too)."""
    return f"Prepared for {name} · {email} · {date_format(sent_on, 'j F Y')}"


def named_copy(pdf: bytes, *, name: str, email: str, sent_on: date) -> MarkedCopy:
    """The memo with the director's name, address and the date it was sent on every page."""
    return _marked(
        pdf,
        "reports/pdf/marks/prepared_for.html",
        {"name": name, "email": email, "sent_on": sent_on},
    )


def draft_copy(pdf: bytes, *, number: int) -> MarkedCopy:
    """The memo marked DRAFT on every page: what an unapproved version downloads as."""
    return _marked(pdf, "reports/pdf/marks/draft.html", {"number": number})
