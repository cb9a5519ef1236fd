"""Copies of a memo's PDF with a mark on every page: a director's name on the copy they
download, DRAFT on a version not yet approved.

The version's own file is never touched. A copy is that file with an incremental update
after it: the original bytes come first, unchanged, and the update adds one form (the mark,
laid out by WeasyPrint on a transparent page of the same size) drawn on top of each page.
The mark is an artifact in the PDF's terms (``/Artifact … BDC``), like a running footer:
outside the structure tree, so the copy stays the same tagged document with the same
reading order, and its text is still extractable.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.formats import date_format
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

from reports.fetcher import StaticOnlyFetcher, static_url
from reports.services.rendering import font_config

# The name the mark's form goes by in each page's resources: nothing WeasyPrint writes.
_FORM = "/MemoMark"
_DRAW = (
    b"Q\n/Artifact <</Type /Pagination /Subtype /Watermark>> BDC\n"
    b"q " + _FORM.encode() + b" Do Q\nEMC\n"
)


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


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode())


def _marked(pdf: bytes, template: str, context: dict[str, object]) -> MarkedCopy:
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    mark = PdfReader(io.BytesIO(_mark_pdf(template, context, float(box.width), float(box.height))))
    mark_page = mark.pages[0]
    writer = PdfWriter(reader, incremental=True)

    form = DecodedStreamObject()
    form.set_data(mark_page.get_contents().get_data())
    form = form.flate_encode()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): mark_page.mediabox,
            NameObject("/Resources"): mark_page["/Resources"].clone(writer),
        }
    )
    form_ref = writer._add_object(form)
    # The page's own content runs between "q" and "Q", so whatever it leaves in the graphics
    # state (WeasyPrint flips the y axis) does not reach the mark.
    before = _stream(writer, b"q\n")
    after = _stream(writer, _DRAW)
    for page in writer.pages:
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        if contents is None:
            items = []
        elif isinstance(contents.get_object(), ArrayObject):
            items = list(contents.get_object())
        else:
            items = [contents]
        page[NameObject("/Contents")] = ArrayObject([before, *items, after])
        resources = _own_resources(page)
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[NameObject(_FORM)] = form_ref
    out = io.BytesIO()
    writer.write(out)
    content = out.getvalue()
    return MarkedCopy(pdf=content, sha256=hashlib.sha256(content).hexdigest())


def _own_resources(page: DictionaryObject) -> DictionaryObject:
    """The page's resource dictionary; one it inherits from the page tree becomes its own
    copy, so adding the mark's form changes this page only."""
    if "/Resources" in page:
        return page["/Resources"].get_object()
    node, inherited = page, DictionaryObject()
    while "/Parent" in node:
        node = node["/Parent"].get_object()
        if "/Resources" in node:
            inherited = DictionaryObject(node["/Resources"].get_object())
            break
    page[NameObject("/Resources")] = inherited
    return inherited


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
