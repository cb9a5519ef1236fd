"""What scoring returns (methodology §6), and the fingerprint of the answers it came from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DimensionScore:
    key: str
    today: int
    needed: int
    gap: int
    # From 2026.2: [min, max] of today and of needed over every respondent.
    today_range: tuple[int, int] | None = None
    needed_range: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "today": self.today,
            "needed": self.needed,
            "gap": self.gap,
        }
        if self.today_range is not None and self.needed_range is not None:
            out["today_range"] = list(self.today_range)
            out["needed_range"] = list(self.needed_range)
        return out


@dataclass(frozen=True)
class Respondent:
    role: str
    outcomes_owner: str
    conflict_resolver: str
    cto_capacity: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "outcomes_owner": self.outcomes_owner,
            "conflict_resolver": self.conflict_resolver,
            "cto_capacity": self.cto_capacity,
        }


@dataclass(frozen=True)
class Perception:
    """Where the respondents stand (2026.2 §7)."""

    respondents: tuple[Respondent, ...]
    cto_capacity_used: int
    disputed: tuple[str, ...]
    divergent_dimensions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "respondents": [r.to_dict() for r in self.respondents],
            "cto_capacity_used": self.cto_capacity_used,
            "disputed": list(self.disputed),
            "divergent_dimensions": list(self.divergent_dimensions),
        }


@dataclass(frozen=True)
class Facts:
    """What the method decided on the way, kept so the words explaining a result read it
    instead of deciding it again. Not part of §6."""

    # C, the CTO capacity the rules used.
    cto_capacity_used: int
    # The §3 cross-functional areas among the CEO's ai_functions, in §3 order.
    cross_functional_hits: tuple[str, ...]
    # The dimensions whose gap reached the mandate-shift mark, in §2 order.
    shifted_dimensions: tuple[str, ...]
    # Confidence after step 1 of §5, before divergence lowers it (2026.2).
    confidence_before_divergence: str


@dataclass(frozen=True)
class Result:
    methodology: str
    recommendation: str
    reporting_line: str
    confidence: str
    two_seat_signals: dict[str, bool]
    one_seat_signals: dict[str, bool]
    flags: list[str]
    dimensions: list[DimensionScore]
    overlap: dict[str, str]
    overlap_actions: list[str]
    facts: Facts
    perception: Perception | None = None

    @property
    def two_seat_count(self) -> int:
        return sum(self.two_seat_signals.values())

    @property
    def one_seat_count(self) -> int:
        return sum(self.one_seat_signals.values())

    def to_dict(self) -> dict[str, Any]:
        """The result exactly as §6 of its version lays it out, keys in the same order."""
        out: dict[str, Any] = {
            "methodology": self.methodology,
            "recommendation": self.recommendation,
            "reporting_line": self.reporting_line,
            "confidence": self.confidence,
            "two_seat_signals": dict(self.two_seat_signals),
            "one_seat_signals": dict(self.one_seat_signals),
            "flags": list(self.flags),
            "dimensions": [d.to_dict() for d in self.dimensions],
            "overlap": dict(self.overlap),
            "overlap_actions": list(self.overlap_actions),
        }
        if self.perception is not None:
            out["perception"] = self.perception.to_dict()
        return out


def canonical_json(document: object) -> str:
    """One fixed spelling of an assessment, so equal answers always hash alike."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def answers_sha256(document: Mapping[str, object]) -> str:
    """Hex SHA-256 of :func:`canonical_json`; printed on every memo to tie it to its answers."""
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
