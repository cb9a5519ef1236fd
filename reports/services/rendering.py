"""Answers in, board memo out: the one rendering path for the worker, the command and previews.

The memo is a Django template (autoescaped), laid out by WeasyPrint with a fetcher that can only
read the project's bundled static files. Nothing here touches the database: callers pass a
:class:`MemoInput` and get the PDF bytes and figures back.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from assessments.chart import dimension_chart_svg
from assessments.methodology import NEWEST, answers_sha256, method_for
from assessments.presenter import Departure, ResultInWords, ceo_answers, present
from assessments.questionnaire import (
    DIMENSIONS_BY_KEY,
    PERSPECTIVE_SECTIONS,
    QUESTIONNAIRE_VERSION,
    SECTIONS,
    display_value,
)
from reports.fetcher import StaticOnlyFetcher, static_url

# Bump when the memo's wording or layout changes, so every memo says which template made it.
TEMPLATE_VERSION = "memo-2026.3"

PAPER_SIZES = {"A4": "A4", "Letter": "letter"}
DEFAULT_ACCENT = "#1f4e79"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LOGO_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_MAX_LOGO_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class MemoInput:
    """Everything one memo is made from."""

    # The assessment as scored: a flat answers object, or an envelope with perspectives.
    answers: Mapping[str, Any]
    client_name: str
    methodology_version: str = NEWEST
    questionnaire_version: int = QUESTIONNAIRE_VERSION
    firm_name: str = ""
    advisor_name: str = ""
    commentary: str = ""
    accent: str = DEFAULT_ACCENT
    paper_size: str = "A4"
    number: int | None = None
    prepared_on: date = field(default_factory=date.today)
    logo: bytes | None = None
    answers_sha256: str = ""
    # The advisor's own recommendation, when it departs from the method's.
    departure: Departure | None = None
    board_meeting: date | None = None

    @property
    def sha256(self) -> str:
        return self.answers_sha256 or answers_sha256(self.answers)


@dataclass(frozen=True)
class RenderedMemo:
    pdf: bytes
    sha256: str
    page_count: int
    size_bytes: int
    render_ms: int


def logo_data_url(content: bytes | None) -> str:
    """The firm's logo inlined as a data: URL, or "" for a missing or unsupported file.

    Only PNG and JPEG are inlined: raster images cannot point anywhere else.
    """
    if not content or len(content) > _MAX_LOGO_BYTES:
        return ""
    for magic, mime in _LOGO_TYPES.items():
        if content.startswith(magic):
            return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
    return ""


def _appendix(answers: Mapping[str, Any], *, skip: Set[str] = frozenset()) -> list[dict[str, Any]]:
    return [
        {
            "title": section.title,
            # Free text reads better as a paragraph than squeezed into a table cell.
            "rows": [
                {"label": q.label, "value": display_value(q.code, answers.get(q.code))}
                for q in section.questions
                if q.kind != "text" and q.code not in skip
            ],
            "texts": [
                {"label": q.label, "value": display_value(q.code, answers.get(q.code))}
                for q in section.questions
                if q.kind == "text"
            ],
        }
        for section in SECTIONS
    ]


def _short(code: str, value: object) -> str:
    """An answer as a table cell: a scale as its number, a choice as its label."""
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and code.startswith(("dimension.", "leadership.cto_capacity"))
    ):
        return str(value)
    return display_value(code, value)


def _row_label(question: Any) -> str:
    if question.dimension:
        name = DIMENSIONS_BY_KEY[question.dimension].name
        return f"{name}: {'today' if question.code.endswith('.today') else 'in 24 months'}"
    return question.label


def _perspective_table(words: ResultInWords) -> dict[str, Any] | None:
    """Every leader's answers to the questions they all answered, one column each (the CEO
    first): side by side they say in one page what a list per leader says in several."""
    perception = words.perception
    if perception is None or not perception.has_perspectives:
        return None
    leaders = perception.leaders
    questions = [q for s in PERSPECTIVE_SECTIONS for q in s.questions if q.kind != "text"]
    return {
        "leaders": leaders,
        "codes": {q.code for q in questions},
        "rows": [
            {
                "label": _row_label(q),
                "values": [_short(q.code, leader.answers.get(q.code)) for leader in leaders],
            }
            for q in questions
        ],
        "texts": [
            (leader, leader.answers["context.concerns"])
            for leader in leaders[1:]
            if str(leader.answers.get("context.concerns") or "").strip()
        ],
    }


def memo_context(memo: MemoInput) -> dict[str, Any]:
    """The template context for one memo: the result in words is the presenter's, the same
    one the results page shows."""
    result = method_for(memo.methodology_version).score(memo.answers)
    words = present(
        result,
        memo.answers,
        client_name=memo.client_name,
        departure=memo.departure,
        meeting=memo.board_meeting,
    )
    answers = ceo_answers(memo.answers)
    table = _perspective_table(words)
    accent = memo.accent if _COLOUR.match(memo.accent or "") else DEFAULT_ACCENT
    sha = memo.sha256
    concerns = answers.get("context.concerns") or ""
    return {
        "memo": memo,
        "client_name": memo.client_name,
        "firm_name": memo.firm_name,
        "advisor_name": memo.advisor_name,
        "prepared_on": memo.prepared_on,
        "board_meeting": memo.board_meeting,
        "number": memo.number,
        "accent": accent,
        "page_size": PAPER_SIZES.get(memo.paper_size, "A4"),
        "logo_url": logo_data_url(memo.logo),
        "result": result,
        "words": words,
        "two_seat_total": len(result.two_seat_signals),
        "one_seat_total": len(result.one_seat_signals),
        "chart_svg": mark_safe(  # noqa: S308 - the chart escapes every text it draws
            dimension_chart_svg(result.dimensions, accent=accent, id_prefix="memo-chart")
        ),
        "commentary": memo.commentary,
        "concerns": concerns if isinstance(concerns, str) else "",
        "perspective_table": table,
        # With perspectives, the answers everyone gave are in the side-by-side table.
        "appendix": _appendix(answers, skip=table["codes"] if table else frozenset()),
        "methodology_version": result.methodology,
        "questionnaire_version": memo.questionnaire_version,
        "template_version": TEMPLATE_VERSION,
        "answers_sha256": sha,
        "answers_sha12": sha[:12],
        "memo_reference": _reference(memo.number, sha[:12], result.methodology),
    }


_REFERENCE_SAFE = re.compile(r"[^A-Za-z0-9 .·\-]")


def _reference(number: int | None, sha12: str, methodology: str) -> str:
    """The footer's reference; it goes into a CSS string, so only plain characters pass."""
    version = f"v{number}" if number else "draft"
    text = f"Memo {version} · answers {sha12} · method {methodology} · {TEMPLATE_VERSION}"
    return _REFERENCE_SAFE.sub("", text)


def memo_html(
    memo: MemoInput, *, static_base: str | None = None, style_nonce: str = "", draft: bool = False
) -> str:
    """The memo as HTML. For the PDF, assets point at the fetcher's static origin; a browser
    preview passes its own ``static_base`` (STATIC_URL), a CSP nonce for the one style block,
    and ``draft`` to mark a version not yet approved.
    """
    context = memo_context(memo)
    context["static_base"] = static_base if static_base is not None else static_url("")
    context["style_nonce"] = style_nonce
    context["for_pdf"] = static_base is None
    context["draft"] = draft and static_base is not None
    return render_to_string(settings.MEMO_TEMPLATE, context)


def _pdf_options() -> dict[str, Any]:
    # PDF/UA-1 makes WeasyPrint tag the structure, set the language and show the title.
    return {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

_per_thread = threading.local()


def font_config() -> FontConfiguration:
    """One font configuration per thread, kept: building it anew for every memo loads the
    bundled fonts again (about a sixth of a render's CPU) and grows the worker's memory.
    Per thread, because fontconfig state is not safe to share between threads."""
    if not hasattr(_per_thread, "font_config"):
        from weasyprint.text.fonts import FontConfiguration

        _per_thread.font_config = FontConfiguration()
    return _per_thread.font_config


def memo_pdf(memo: MemoInput, *, fetcher: StaticOnlyFetcher | None = None) -> RenderedMemo:
    """Renders one memo to PDF bytes through the static-only fetcher."""
    from weasyprint import HTML

    started = time.perf_counter()
    html = memo_html(memo)
    document = HTML(
        string=html, base_url=static_url(""), url_fetcher=fetcher or StaticOnlyFetcher()
    ).render(font_config=font_config(), **_pdf_options())
    pdf = document.write_pdf(**_pdf_options())
    elapsed = round((time.perf_counter() - started) * 1000)
    return RenderedMemo(
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=len(document.pages),
        size_bytes=len(pdf),
        render_ms=elapsed,
    )


def renderer_warm_up() -> None:
    """Renders one sample memo and throws it away, so Pango, the fonts, the stylesheets and
    the templates are loaded before a worker's first real memo."""
    from assessments.samples import GROWING_SAAS

    memo_pdf(MemoInput(answers=GROWING_SAAS, client_name="Warm-up", firm_name="Warm-up"))
