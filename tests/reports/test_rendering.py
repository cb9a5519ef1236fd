"""The memo itself: content, safety of typed text, tagging, paper size and branding."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from pypdf import PdfReader

from assessments.methodology import NEWEST as METHODOLOGY_VERSION
from assessments.methodology import answers_sha256
from assessments.questionnaire import DIMENSIONS
from reports.fetcher import STATIC_ORIGIN, StaticOnlyFetcher
from reports.services.rendering import TEMPLATE_VERSION, MemoInput, memo_html, memo_pdf
from tests.assessments.factories import dimensions, valid_answers
from tests.pdf import pages_text, pdf_text

HOSTILE = (
    '<script>alert("x")</script> <img src="http://169.254.169.254/latest"> '
    '<link rel="stylesheet" href="file:///etc/passwd"> & "quotes"'
)
# A 1×1 PNG, to check the firm's logo makes it into the PDF.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def text_of(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


@pytest.fixture(scope="module")
def hostile_render() -> tuple[bytes, StaticOnlyFetcher]:
    fetcher = StaticOnlyFetcher()
    memo = MemoInput(
        answers=valid_answers({"context.concerns": "Concern: " + HOSTILE}),
        client_name="Acme <b>Logistics</b>",
        firm_name="Northgate Advisory",
        advisor_name="Ada Advisor",
        commentary="Commentary: " + HOSTILE + "\n\nSecond paragraph.",
        number=3,
        prepared_on=date(2026, 11, 23),
        logo=PNG,
    )
    return memo_pdf(memo, fetcher=fetcher).pdf, fetcher


def test_hostile_text_is_printed_literally_and_fetches_nothing(hostile_render) -> None:
    pdf, fetcher = hostile_render
    text = text_of(pdf)
    assert '<script>alert("x")</script>' in text
    assert '<img src="http://169.254.169.254/latest">' in text
    assert "Commentary: <script>" in text and "Concern: <script>" in text
    assert "Acme <b>Logistics</b>" in text
    assert fetcher.refused == []
    assert all(url.startswith((STATIC_ORIGIN, "data:")) for url in fetcher.requested)
    assert not any("169.254" in url or url.startswith("file:") for url in fetcher.requested)


def test_memo_is_a_tagged_pdf_with_title_and_language(hostile_render) -> None:
    pdf, _ = hostile_render
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith("Board memo: AI leadership at Acme")


def test_memo_carries_its_versions_and_hash_on_every_page(hostile_render) -> None:
    pdf, _ = hostile_render
    pages = pages_text(pdf)
    answers = valid_answers({"context.concerns": "Concern: " + HOSTILE})
    sha12 = answers_sha256(answers)[:12]
    for number, page in enumerate(pages, start=1):
        page_text = " ".join(page.split())
        assert f"Memo v3 · answers {sha12} · method {METHODOLOGY_VERSION}" in page_text
        assert f"Page {number} of {len(pages)}" in page_text
    text = text_of(pdf)
    assert TEMPLATE_VERSION in text and answers_sha256(answers) in text.replace(" ", "")


def test_memo_embeds_the_firm_logo(hostile_render) -> None:
    pdf, _ = hostile_render
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages[0].images) >= 1


def test_memo_reads_decision_first_with_every_section() -> None:
    pdf = memo_pdf(
        MemoInput(answers=valid_answers(), client_name="Acme Logistics", commentary="Act now.")
    ).pdf
    text = text_of(pdf)
    order = [
        "The decision for the board",
        "The board is asked to agree that Acme Logistics brings in a fractional Chief AI Officer",
        "The advisor's view",
        "Act now.",
        "Why",
        "24 people work on AI; above 20, one leader cannot run that team",
        "The three options",
        "Who answers for AI today",
        "Who is answerable for what AI does for the business?",
        "on seven dimensions",
        "Shared ground",
        "Next steps",
        "Appendix A: the answers as given",
        "How many people does the company employ? 320",
        "Appendix B: everything the method checked",
        "About this memo",
    ]
    # Some headings are set in capitals by the style sheet.
    text = text.lower()
    positions = [text.find(marker.lower()) for marker in order]
    assert -1 not in positions, [m for m, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    for dimension in DIMENSIONS:
        assert dimension.name.lower() in text
    assert "the cto's mandate" in text and "the caio's mandate" in text


def test_a_full_time_case_with_a_page_of_commentary_fits_in_eight_pages() -> None:
    answers = valid_answers(
        {
            **dimensions(1, 4),
            "profile.ai_spend_usd": 9_000_000,
            "profile.ai_role": "core",
            "context.concerns": "We are worried about pace. " * 40,
        }
    )
    rendered = memo_pdf(
        MemoInput(
            answers=answers,
            client_name="Big Co",
            commentary=("Our view, in some detail. " * 25 + "\n\n") * 4,
        )
    )
    assert "appoints a full-time Chief AI Officer" in text_of(rendered.pdf)
    assert rendered.page_count <= 8


def test_letter_paper_when_the_firm_prefers_it() -> None:
    letter = memo_pdf(MemoInput(answers=valid_answers(), client_name="A", paper_size="Letter"))
    box = PdfReader(io.BytesIO(letter.pdf)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)


def test_html_preview_uses_static_urls_and_the_style_nonce() -> None:
    html = memo_html(
        MemoInput(answers=valid_answers(), client_name="Acme", accent="#aa3300"),
        static_base="/static/",
        style_nonce="abc123",
    )
    assert '<link rel="stylesheet" href="/static/css/memo.css">' in html
    assert '<style nonce="abc123">' in html
    assert "--accent: #aa3300;" in html
    assert STATIC_ORIGIN not in html


def test_a_malformed_accent_never_reaches_the_style_block() -> None:
    html = memo_html(MemoInput(answers=valid_answers(), client_name="A", accent="red;}</style>"))
    assert "--accent: #1f4e79;" in html
    assert "red;}" not in html
