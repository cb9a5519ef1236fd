from __future__ import annotations

import xml.etree.ElementTree as ET

from assessments.chart import dimension_chart_svg
from assessments.methodology import NEWEST, method_for
from assessments.questionnaire import DIMENSIONS
from tests.assessments.factories import valid_answers

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_names_every_dimension_and_describes_today_and_needed() -> None:
    result = method_for(NEWEST).score(valid_answers())
    svg = dimension_chart_svg(result.dimensions)
    root = ET.fromstring(svg)  # noqa: S314
    assert root.get("role") == "img"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for dimension in DIMENSIONS:
        assert dimension.name in texts
    assert "CTO mandate" in texts and "CAIO mandate" in texts
    desc = root.find(f"{SVG}desc").text
    assert "Primary focus: today 2, needed 4 (2 points towards AI leadership)" in desc
    assert root.find(f"{SVG}title").text


def test_chart_refuses_a_hostile_accent_colour() -> None:
    result = method_for(NEWEST).score(valid_answers())
    svg = dimension_chart_svg(result.dimensions, accent='red"/><script>alert(1)</script>')
    assert "<script" not in svg
    assert "#1f4e79" in svg
    ET.fromstring(svg)  # noqa: S314


def test_chart_uses_the_firm_accent() -> None:
    result = method_for(NEWEST).score(valid_answers())
    assert 'fill="#aa3300"' in dimension_chart_svg(result.dimensions, accent="#aa3300")


def test_the_narrow_chart_keeps_its_words_at_full_size_on_a_phone() -> None:
    result = method_for(NEWEST).score(valid_answers())
    root = ET.fromstring(dimension_chart_svg(result.dimensions, narrow=True))  # noqa: S314
    # 360 units wide: drawn at a phone's 360 px or so, 13 units stay 13 px.
    assert root.get("viewBox").split()[2] == "360"
    assert root.get("font-size") == "13"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for dimension in DIMENSIONS:
        assert dimension.name in texts


def test_the_memo_chart_is_unchanged_by_the_phone_layout() -> None:
    result = method_for(NEWEST).score(valid_answers())
    assert dimension_chart_svg(result.dimensions).startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 '
    )
