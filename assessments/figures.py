"""Reading a figure as people type it: ``2500000``, ``2,500,000``, ``$2.5M``, ``2.5 million``,
``750k``, ``1.2bn``; or saying exactly why a text is not one figure (another currency, a
range, words, a negative number).

Pure: no Django, no questionnaire. :mod:`assessments.form_values` puts the reasons into
sentences that name the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# The most digits a figure may have: far beyond any company, well within what is stored.
MAX_DIGITS = 30

_MULTIPLIERS: dict[str, int] = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mm": 10**6,
    "mln": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
}
_UNIT = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))

# Spaces people type between groups of thousands, including the non-breaking ones that a
# copy from a spreadsheet or a document brings along.
_SPACES = "\u00a0\u202f\u2009"
_GROUP = r"[, _]"
_NUMBER = rf"(?:\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)(?:\.\d+)?|\.\d+"
_FIGURE = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>(?:{_UNIT})s?)?", re.IGNORECASE)

# Ways of saying "US dollars", stripped before the figure is read.
_USD_BEFORE = re.compile(r"^(?:us\s?\$|usd\s*\$?|\$)\s*", re.IGNORECASE)
_USD_AFTER = re.compile(r"\s*(?:usd|us\s?dollars?|dollars?|\$)$", re.IGNORECASE)

# Other currencies, by sign or name, and the words a message uses for them.
_CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"€|\beur\b|\beuros?\b", "euros"),
    (r"£|\bgbp\b|\bpounds?\b|\bsterling\b", "pounds"),
    (r"¥|\bjpy\b|\byen\b|\bcny\b|\brmb\b|\byuan\b", "yen or yuan"),
    (r"₹|\binr\b|\brupees?\b", "rupees"),
    (r"\bchf\b|\bfrancs?\b", "Swiss francs"),
    (r"\b(?:sek|nok|dkk)\b|\bkr\b|\bkronor\b|\bkroner\b", "kronor or kroner"),
    (
        r"\b(?:ca|c|au|a|nz|hk|s)\$|\b(?:cad|aud|nzd|hkd|sgd)\b",
        "Canadian, Australian or other dollars",
    ),
    (r"[₩₽₺₪₫฿₦₱₴]|\b(?:zar|brl|mxn|pln|krw)\b", "that currency"),
)
_CURRENCY_PATTERNS = tuple((re.compile(p, re.IGNORECASE), words) for p, words in _CURRENCIES)

_RANGE = re.compile(
    rf"(?:{_NUMBER})\s*(?:{_UNIT})?s?\s*(?:-|–|—|to|or)\s*\$?\s*(?:{_NUMBER})", re.IGNORECASE
)
_BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"\d,\d{1,2}(?!\d)")
_DOTTED_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3}){2,}$")


@dataclass(frozen=True)
class NotAFigure:
    """Why a text is not one figure: "words", "range", "negative", "currency",
    "decimal_comma", "dotted_thousands", "not_whole" or "too_long"; ``currency`` names the
    currency that was typed."""

    reason: str
    currency: str = ""


def read_figure(text: str, *, whole: bool, money: bool) -> int | float | NotAFigure:
    """The figure ``text`` says, or why it does not say one.

    ``whole``: only whole numbers (a count of people); ``2.5k`` still reads as 2500.
    ``money``: a US-dollar amount, so ``$`` and ``USD`` are allowed around it. Whole
    results are ints; an amount with cents is a float.
    """
    body = " ".join(text.translate({ord(c): " " for c in _SPACES}).split())
    body = body.replace("\u2212", "-")  # the minus sign a word processor types
    for pattern, words in _CURRENCY_PATTERNS:
        if pattern.search(body):
            return NotAFigure("currency", currency=words)
    usd = _USD_BEFORE.match(body) or _USD_AFTER.search(body)
    if usd and not money:
        return NotAFigure("currency", currency="dollars")
    body = _USD_AFTER.sub("", _USD_BEFORE.sub("", body))
    if body.startswith(("-", "(")):
        return NotAFigure("negative")
    body = body.removeprefix("+").strip()
    if _BETWEEN.search(body) or _RANGE.match(body):
        return NotAFigure("range")
    if _DOTTED_THOUSANDS.match(body):
        return NotAFigure("dotted_thousands")
    match = _FIGURE.fullmatch(body)
    if match is None:
        if _DECIMAL_COMMA.search(body):
            return NotAFigure("decimal_comma")
        return NotAFigure("words")
    digits = re.sub(_GROUP, "", match["number"])
    if len(digits.replace(".", "")) > MAX_DIGITS:
        return NotAFigure("too_long")
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits and a point
        return NotAFigure("words")
    unit = (match["unit"] or "").lower()
    if unit.endswith("s") and unit[:-1] in _MULTIPLIERS:
        unit = unit[:-1]
    number *= _MULTIPLIERS.get(unit, 1)
    if number == number.to_integral_value():
        return int(number)
    if whole:
        return NotAFigure("not_whole")
    return float(number)
