"""``manage.py render_memo`` as a user runs it: a separate process, files in and out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.assessments.factories import valid_answers
from tests.pdf import pages_text

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "render_memo", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_renders_a_memo_from_a_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(valid_answers()))
    output = tmp_path / "memo.pdf"
    result = run(str(answers), "--client", "Fjord Shipping", "--output", str(output))
    assert result.returncode == 0, result.stderr
    pages = pages_text(output.read_bytes())
    text = " ".join(pages)
    assert "Fjord Shipping brings in a fractional Chief AI Officer" in " ".join(text.split())
    assert "Memo draft" in text
    assert len(pages) <= 8


def test_invalid_answers_are_listed_on_stderr_and_nothing_is_written(tmp_path: Path) -> None:
    answers = valid_answers({"profile.employees": 0})
    del answers["profile.ai_role"]
    output = tmp_path / "memo.pdf"
    result = run("-", "--client", "X", "--output", str(output), stdin=json.dumps(answers))
    assert result.returncode == 1
    assert "profile.employees" in result.stderr and "profile.ai_role" in result.stderr
    assert not output.exists()
