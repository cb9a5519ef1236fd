"""The CTO–CAIO mandate methodology: every published version, side by side.

Pure code: plain values in, dataclasses out; nothing here imports Django or any other part of
the project (an import-linter contract in ``make lint`` keeps it so). A version is picked by
the string recorded with what it made, so nothing that scores an assessment assumes "the"
version: stored results and memos use their own, new assessments use :data:`NEWEST`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assessments.methodology import v2026_1, v2026_2
from assessments.methodology.result import Result, answers_sha256, canonical_json
from assessments.methodology.validation import AnswerError

__all__ = [
    "METHODS",
    "NEWEST",
    "AnswerError",
    "Method",
    "Result",
    "UnknownMethodology",
    "answers_sha256",
    "canonical_json",
    "method_for",
]


@dataclass(frozen=True)
class Method:
    version: str
    validate: Callable[[object], list[AnswerError]]
    score: Callable[[Mapping[str, Any]], Result]
    thresholds: Any
    two_seat_signals: tuple[str, ...]
    one_seat_signals: tuple[str, ...]
    flags: tuple[str, ...]
    # Whether the version reads other leaders' perspectives (§7 of 2026.2).
    perspectives: bool

    def assess(self, document: object) -> Result | list[AnswerError]:
        """The result for a valid input, or every problem with it."""
        errors = self.validate(document)
        return errors or self.score(document)  # type: ignore[arg-type]


METHODS: dict[str, Method] = {
    method.version: method
    for method in (
        Method(
            version=v2026_1.VERSION,
            validate=v2026_1.validate,
            score=v2026_1.score,
            thresholds=v2026_1.THRESHOLDS,
            two_seat_signals=v2026_1.TWO_SEAT_SIGNALS,
            one_seat_signals=v2026_1.ONE_SEAT_SIGNALS,
            flags=v2026_1.FLAGS,
            perspectives=False,
        ),
        Method(
            version=v2026_2.VERSION,
            validate=v2026_2.validate,
            score=v2026_2.score,
            thresholds=v2026_2.THRESHOLDS,
            two_seat_signals=v2026_2.TWO_SEAT_SIGNALS,
            one_seat_signals=v2026_2.ONE_SEAT_SIGNALS,
            flags=v2026_2.FLAGS,
            perspectives=True,
        ),
    )
}
# New assessments are scored with this one.
NEWEST: str = v2026_2.VERSION


class UnknownMethodology(KeyError):
    """A version string no published methodology has."""

    def __str__(self) -> str:
        return f"unknown methodology {self.args[0]!r}; known: {', '.join(METHODS)}"


def method_for(version: str) -> Method:
    try:
        return METHODS[version]
    except (KeyError, TypeError):
        raise UnknownMethodology(version) from None
