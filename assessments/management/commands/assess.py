"""``manage.py assess FILE [--methodology VERSION]``: score assessments, print JSON.

The contract is in ``specs/product.md`` and §8 of the methodology. FILE holds one assessment
or a JSON list of them. Each valid one becomes its result (§6); each invalid one becomes
``{"errors": [{"code": ..., "message": ...}]}`` in its place, so list positions line up.
The newest methodology scores unless ``--methodology`` names another.

Exit status: 0 when everything was scored, 1 when any input was invalid (the results are
still printed), 2 when FILE could not be read or is not JSON, or the version is unknown
(nothing is printed on stdout).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.methodology import METHODS, NEWEST, AnswerError, Method, method_for

EXIT_INVALID_ANSWERS = 1
EXIT_UNREADABLE = 2


class _Answers(dict[str, Any]):
    """A JSON object that remembers keys it saw more than once (json keeps only the last)."""

    repeated: tuple[str, ...] = ()


def _object_hook(pairs: list[tuple[str, Any]]) -> _Answers:
    answers = _Answers(pairs)
    if len(answers) != len(pairs):
        seen: set[str] = set()
        repeated = []
        for key, _value in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        answers.repeated = tuple(repeated)
    return answers


def parse_document(raw: bytes | str) -> Any:
    """Parse JSON, keeping track of repeated keys; raises ValueError for anything not JSON."""
    return json.loads(raw, object_pairs_hook=_object_hook)


def repeated_keys(document: object) -> list[AnswerError]:
    """Keys given twice anywhere an assessment has them: the flat answers or the envelope,
    the CEO's answers inside it, and each perspective's (json.loads would keep only the last
    of each, silently)."""
    errors = []

    def note(obj: object, prefix: str) -> None:
        for key in getattr(obj, "repeated", ()):
            code = prefix + key
            errors.append(AnswerError(code, f"{code}: given more than once; give each answer once"))

    note(document, "")
    if isinstance(document, dict) and "answers" in document:
        note(document["answers"], "")
        perspectives = document.get("perspectives")
        for index, perspective in enumerate(perspectives if isinstance(perspectives, list) else []):
            note(perspective, f"perspectives.{index}.")
            if isinstance(perspective, dict):
                note(perspective.get("answers"), f"perspectives.{index}.")
    return errors


def assess_one(document: object, method: Method) -> tuple[dict[str, Any], bool]:
    """The result for one assessment, or its errors; the flag says whether it was valid."""
    errors = method.validate(document) + repeated_keys(document)
    if errors:
        return {"errors": [error.as_dict() for error in errors]}, False
    return method.score(document).to_dict(), True  # type: ignore[arg-type]


def assess_document(document: object, method: Method) -> tuple[object, int]:
    """Results for a parsed document (one object or a list), and how many inputs were invalid."""
    if isinstance(document, list):
        outputs = []
        invalid = 0
        for item in document:
            output, ok = assess_one(item, method)
            outputs.append(output)
            invalid += not ok
        return outputs, invalid
    output, ok = assess_one(document, method)
    return output, int(not ok)


def render(output: object, *, compact: bool = False) -> str:
    """JSON text for the output: one result indented, a list with one result per line.

    One line per result keeps a 10,000-item list readable with grep and fast to write: the
    indenting encoder is pure Python and takes longer than the scoring itself.
    """
    if compact:
        return json.dumps(output, separators=(",", ":"))
    if isinstance(output, list):
        if not output:
            return "[]"
        return "[\n" + ",\n".join(json.dumps(item) for item in output) + "\n]"
    return json.dumps(output, indent=2)


class Command(BaseCommand):
    help = (
        "Score CTO-CAIO assessments from FILE ('-' for standard input): one assessment or a "
        "JSON list of them. Prints the results as JSON; exits 1 if any input was invalid and "
        "2 if FILE cannot be read as JSON or the methodology version is unknown."
    )
    # Scoring is pure: no database, so no need to wait for system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="answers JSON file, or - for stdin")
        parser.add_argument(
            "--methodology",
            metavar="VERSION",
            default=NEWEST,
            help=f"methodology version (default {NEWEST}; known: {', '.join(METHODS)})",
        )
        parser.add_argument(
            "--compact",
            action="store_true",
            help="print everything on one line (default: indented, or one result per line)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        version: str = options["methodology"]
        if version not in METHODS:
            raise CommandError(
                f"unknown methodology {version!r}; known versions: {', '.join(METHODS)}",
                returncode=EXIT_UNREADABLE,
            )
        method = method_for(version)
        path: str = options["file"]
        name = "standard input" if path == "-" else path
        raw = self._read(path, name)
        try:
            document = parse_document(raw)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
            raise CommandError(
                f"{name} is not valid JSON: {exc}", returncode=EXIT_UNREADABLE
            ) from None
        output, invalid = assess_document(document, method)
        self.stdout.write(render(output, compact=options["compact"]))
        if invalid:
            total = len(document) if isinstance(document, list) else 1
            raise CommandError(
                f"{invalid} of {total} answer sets are invalid; see the errors in the output",
                returncode=EXIT_INVALID_ANSWERS,
            )

    def _read(self, path: str, name: str) -> bytes | str:
        try:
            if path == "-":
                stdin = sys.stdin
                # Bytes let json detect UTF-8/16/32 itself; a replaced stdin may only do text.
                return stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            message = f"cannot read {name}: {reason}"
            raise CommandError(message, returncode=EXIT_UNREADABLE) from None
