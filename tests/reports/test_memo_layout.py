"""The memo a board acts on, read back from the PDF: decision first, page by page.

Word positions and text both come from poppler's ``pdftotext``, read once per memo: the
module renders nine memos and every test reads them.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date

import pytest

from assessments.presenter import Departure
from assessments.questionnaire import DIMENSIONS
from assessments.samples import SAMPLES
from reports.services.rendering import MemoInput, memo_pdf
from tests.assessments.factories import envelope, perspective
from tests.assessments.test_explanations import INTERNAL_TERMS

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@dataclass(frozen=True)
class Page:
    height: float
    words: list[tuple[float, float, str]]  # (top, bottom, text)

    @property
    def text(self) -> str:
        return " ".join(word for _, _, word in self.words)

    @property
    def filled_to(self) -> float:
        """How far down the page the body reaches, as a share of its height (the running
        header and footer left out)."""
        body = [bottom for top, bottom, _ in self.words if 0.06 < top / self.height < 0.93]
        return max(body, default=0) / self.height


@functools.cache
def _pdftotext(pdf: bytes, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pages_of(pdf: bytes) -> list[Page]:
    out = _pdftotext(pdf, "-bbox")
    pages = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(top), float(bottom), html.unescape(text))
            for top, bottom, text in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>',
                page[2],
            )
        ]
        pages.append(Page(height=float(page[1]), words=words))
    return pages


def text_of(pdf: bytes) -> str:
    return " ".join(_pdftotext(pdf).split())


STRUCTURE_TITLES = (
    "One seat: the CTO leads AI",
    "A fractional Chief AI Officer",
    "A full-time Chief AI Officer",
)
COMMENTARY = (
    "We met the CEO and the CTO in October. Both agree that nobody owns the business results "
    "of AI today.\n\nWe suggest the board discusses the reporting line before the budget round."
)


def _with_leaders(answers: dict) -> dict:
    return envelope(
        answers,
        perspective(
            "cto", answers, leadership__cto_capacity=5, accountability__outcomes_owner="nobody"
        ),
        perspective("board", answers, dimension__risk_lens__needed=5),
    )


# Every sample, with and without commentary, and with the CTO's and a director's views.
SCENARIOS = {
    **{
        f"{name}": MemoInput(answers=a, client_name="Granite Lending")
        for name, a in SAMPLES.items()
    },
    **{
        f"{name}-commentary": MemoInput(
            answers=a,
            client_name="Granite Lending",
            firm_name="Harbour & Vale Advisory",
            advisor_name="Avery Quinn",
            commentary=COMMENTARY,
            board_meeting=date(2027, 1, 20),
        )
        for name, a in SAMPLES.items()
    },
    **{
        f"{name}-perspectives": MemoInput(
            answers=_with_leaders(dict(a)), client_name="Granite Lending", commentary=COMMENTARY
        )
        for name, a in SAMPLES.items()
    },
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: memo_pdf(memo).pdf for name, memo in SCENARIOS.items()}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_typical_memo_is_at_most_six_pages_and_no_page_is_nearly_empty(rendered, name) -> None:
    pages = pages_of(rendered[name])
    assert len(pages) <= 6
    for number, page in enumerate(pages[:-1], start=1):
        assert page.filled_to >= 1 / 3, f"page {number} of {name} is {page.filled_to:.0%} full"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_decision_sentence_sits_in_the_top_third_of_page_one(rendered, name) -> None:
    first = pages_of(rendered[name])[0]
    words = first.words
    text = [w for _, _, w in words]
    start = next(i for i in range(len(text)) if text[i : i + 3] == ["The", "board", "is"])
    end = next(i for i in range(start, len(text)) if text[i].endswith("."))
    assert words[end][1] / first.height <= 1 / 3
    sentence = " ".join(text[start : end + 1])
    assert sentence.startswith("The board is asked to agree that Granite Lending ")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_memo_speaks_board_language(rendered, name) -> None:
    body = text_of(rendered[name])
    assert not INTERNAL_TERMS.search(body), INTERNAL_TERMS.search(body)
    assert "cto-caio-" in body  # the version references are there, in the footer and the note


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_options_name_all_three_structures_and_mark_one(rendered, name) -> None:
    pages = pages_of(rendered[name])
    (page,) = [p for p in pages if "three options" in p.text]
    for title in (
        "One seat: the CTO leads AI",
        "A fractional Chief AI Officer",
        "A full-time Chief AI Officer",
    ):
        assert title in page.text
    assert page.text.count("RECOMMENDED") == 1
    assert "THE METHOD'S RESULT" not in page.text


def test_no_dimension_row_is_split_and_a_continued_table_repeats_its_header(rendered) -> None:
    for name, pdf in rendered.items():
        pages = pages_of(pdf)
        for dimension in DIMENSIONS:
            pole = " ".join(dimension.caio_pole.split()[-3:])
            holding = [p for p in pages if pole in p.text and dimension.name.split()[0] in p.text]
            assert holding, f"{name}: the row of {dimension.name} is split or missing"
        table_pages = [
            p for p in pages if any(d.caio_pole.split()[-1] in p.text for d in DIMENSIONS)
        ]
        for page in table_pages:
            assert "THE CAIO'S MANDATE" in page.text, f"{name}: a continued table lost its header"
            rows = [d for d in DIMENSIONS if " ".join(d.caio_pole.split()[-3:]) in page.text]
            assert len(rows) != 1, f"{name}: the table leaves {rows[0].name} alone on a page"


def test_an_empty_commentary_leaves_no_trace(rendered) -> None:
    text = text_of(rendered["growing_saas"])
    assert "advisor's view" not in text.lower()
    assert "no commentary" not in text.lower()
    assert "The advisor's view" in text_of(rendered["growing_saas-commentary"])


def test_a_departure_leads_with_the_advisors_recommendation_beside_the_methods() -> None:
    reason = (
        "The board prefers to test the seat part-time for a year before it commits to a "
        "permanent executive."
    )
    memo = MemoInput(
        answers=SAMPLES["regulated_lender"],
        client_name="Granite Lending",
        departure=Departure("fractional_caio", "ceo", reason),
    )
    pdf = memo_pdf(memo).pdf
    text = text_of(pdf)
    first = pages_of(pdf)[0].text
    ours = (
        "The board is asked to agree that Granite Lending brings in a fractional Chief AI Officer"
    )
    assert ours in first
    assert "departs from the method's result" in first
    method = "appoints a full-time Chief AI Officer reporting directly to the CEO, a recommendation"
    assert method in first
    assert reason in " ".join(first.split())
    assert text.index(ours) < text.index("appoints a full-time Chief AI Officer")
    options = [p for p in pages_of(pdf) if "three options" in p.text][0].text
    assert options.count("RECOMMENDED") == 1 and options.count("THE METHOD'S RESULT") == 1


def test_next_steps_are_dated_back_from_the_board_meeting(rendered) -> None:
    text = text_of(rendered["regulated_lender-commentary"])
    steps = text[text.index("Next steps") : text.index("Appendix A")]
    assert "By 6 January 2027" in steps  # two weeks before
    assert "At the board meeting, 20 January 2027" in steps
    assert "By 19 February 2027" in steps  # thirty days after
    undated = text_of(rendered["regulated_lender"])
    assert (
        "Before the board meets" in undated and "2027" not in undated.split("Next steps")[1][:600]
    )


def test_each_next_step_is_given_once(rendered) -> None:
    for name, pdf in rendered.items():
        text = text_of(pdf)
        steps = text[text.index("Next steps") : text.index("Appendix A")]
        sentences = [s.strip() for s in re.split(r"(?<=\.)\s", steps) if len(s.strip()) > 30]
        assert len(sentences) == len(set(sentences)), name


def test_the_leaders_views_have_a_section_of_their_own(rendered) -> None:
    text = text_of(rendered["growing_saas-perspectives"])
    section = text[text.index("Where the leaders see it differently") :]
    assert "The CEO names nobody; the CTO names nobody" not in section
    assert "The CTO rates their own load 5 out of 5" in section
    assert "What every leader answered" in text
