"""``manage.py render_memo FILE --client NAME --output PATH [--commentary TEXT]``: one memo
from one assessment (an answers object, or an envelope with perspectives), scored with the
newest methodology.

It goes through the same rendering service as the Celery task, with no database record. FILE
is a path, or ``-`` for standard input. Invalid input is listed on standard error, one problem
per line, and the command exits 1 without writing anything.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.management.commands.assess import parse_document, repeated_keys
from assessments.methodology import NEWEST, method_for
from reports.services.rendering import MemoInput, memo_pdf

EXIT_INVALID_ANSWERS = 1


class Command(BaseCommand):
    help = (
        "Render the board memo for one assessment (an answers object or an envelope with "
        "perspectives) to a PDF file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="answers JSON file, or - for standard input")
        parser.add_argument("--client", required=True, help="client name shown in the memo")
        parser.add_argument("--output", required=True, help="where to write the PDF")
        parser.add_argument("--firm", default="", help="firm name for the title block")
        parser.add_argument("--advisor", default="", help="advisor name for the title block")
        parser.add_argument("--commentary", default="", help="advisor's commentary (plain text)")
        parser.add_argument("--paper", choices=["A4", "Letter"], default="A4")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
            answers = parse_document(raw)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"could not read answers from {source}: {error}") from None

        errors = method_for(NEWEST).validate(answers) + repeated_keys(answers)
        if errors:
            for error in errors:
                self.stderr.write(error.message)
            sys.exit(EXIT_INVALID_ANSWERS)

        if not options["client"].strip():
            raise CommandError("--client must not be empty")
        memo = MemoInput(
            answers=dict(answers),
            methodology_version=NEWEST,
            client_name=options["client"].strip(),
            firm_name=options["firm"],
            advisor_name=options["advisor"],
            commentary=options["commentary"],
            paper_size=options["paper"],
        )
        rendered = memo_pdf(memo)
        output = Path(options["output"])
        try:
            output.write_bytes(rendered.pdf)
        except OSError as error:
            raise CommandError(f"could not write {output}: {error}") from None
        self.stderr.write(
            f"Wrote {output}: {rendered.page_count} pages, {rendered.size_bytes:,} bytes, "
            f"{rendered.render_ms} ms"
        )
