"""``manage.py assess`` end to end, as a user runs it: its arguments, standard input, JSON out
and exit codes. Three tests run it as a real subprocess; the rest run ``manage.py``'s own
entry point in this process, which saves a second of Python and Django start-up per test."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import execute_from_command_line

from assessments.methodology import NEWEST, method_for
from tests.assessments.factories import neutral_answers, valid_answers

ROOT = Path(__file__).resolve().parents[2]


def run_assess_process(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "advisory.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_assess(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """What ``manage.py assess ARGS`` prints and exits with, run in this process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    given = io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8")
    returncode = 0
    with (
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(sys, "stdin", given)
        try:
            execute_from_command_line(["manage.py", "assess", *args])
        except SystemExit as exit_:
            returncode = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(args, returncode, stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def write_json(tmp_path: Path):
    def write(document: Any, name: str = "answers.json") -> str:
        path = tmp_path / name
        path.write_text(json.dumps(document), encoding="utf-8")
        return str(path)

    return write


def test_single_answers_file_prints_its_result(write_json) -> None:
    answers = valid_answers()
    done = run_assess_process(write_json(answers))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == method_for(NEWEST).score(answers).to_dict()
    assert done.stderr == ""


def test_list_prints_results_in_input_order(write_json) -> None:
    batch = [
        valid_answers(),
        neutral_answers(),
        neutral_answers(profile__ai_spend_usd=9_000_000, profile__ai_headcount=50),
    ]
    done = run_assess(write_json(batch))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["recommendation"] for r in results] == [
        "fractional_caio",
        "single_seat",
        "full_time_caio",
    ]
    assert results == [method_for(NEWEST).score(a).to_dict() for a in batch]


def test_standard_input_with_dash() -> None:
    answers = neutral_answers(profile__employees=6_000, profile__ai_role="core")
    done = run_assess_process("-", stdin=json.dumps(answers))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reporting_line"] == "ceo"


def test_compact_output_is_one_line(write_json) -> None:
    done = run_assess("--compact", write_json([valid_answers(), valid_answers()]))
    assert done.returncode == 0
    assert done.stdout.count("\n") == 1
    assert len(json.loads(done.stdout)) == 2


def test_invalid_answers_print_errors_and_exit_1(write_json) -> None:
    answers = valid_answers(profile__employees=0, profile__ai_role="robots")
    del answers["overlap.ai_security"]
    answers["profile.revenue"] = 1
    done = run_assess(write_json(answers))
    assert done.returncode == 1
    output = json.loads(done.stdout)
    assert list(output) == ["errors"]
    assert [e["code"] for e in output["errors"]] == [
        "profile.employees",
        "profile.ai_role",
        "overlap.ai_security",
        "profile.revenue",
    ]
    assert output["errors"][0] == {
        "code": "profile.employees",
        "message": "profile.employees: expected a whole number of at least 1, got 0",
    }
    assert "invalid" in done.stderr and "Traceback" not in done.stderr


def test_mixed_list_keeps_positions_and_exits_1(write_json) -> None:
    batch: list[Any] = [
        valid_answers(),
        valid_answers(leadership__cto_capacity=7),
        "not answers",
        neutral_answers(),
    ]
    done = run_assess(write_json(batch))
    assert done.returncode == 1
    results = json.loads(done.stdout)
    assert len(results) == 4
    assert results[0] == method_for(NEWEST).score(batch[0]).to_dict()
    assert results[1] == {
        "errors": [
            {
                "code": "leadership.cto_capacity",
                "message": "leadership.cto_capacity: expected a whole number from 1 to 5, got 7",
            }
        ]
    }
    # 2026.2 §7: an input that is not an object is "assessment" (2026.1 said "").
    assert [e["code"] for e in results[2]["errors"]] == ["assessment"]
    assert results[3] == method_for(NEWEST).score(batch[3]).to_dict()
    assert "2 of 4" in done.stderr


def test_nan_in_the_file_is_an_answer_error_not_a_crash(tmp_path: Path) -> None:
    text = json.dumps(valid_answers()).replace("1200000", "NaN")
    path = tmp_path / "nan.json"
    path.write_text(text)
    done = run_assess(str(path))
    assert done.returncode == 1
    assert [e["code"] for e in json.loads(done.stdout)["errors"]] == ["profile.ai_spend_usd"]


def test_a_code_given_twice_is_refused() -> None:
    text = json.dumps(valid_answers())[:-1] + ', "profile.employees": 9000}'
    done = run_assess("-", stdin=text)
    assert done.returncode == 1
    errors = json.loads(done.stdout)["errors"]
    assert errors == [
        {
            "code": "profile.employees",
            "message": "profile.employees: given more than once; give each answer once",
        }
    ]


def test_empty_list_gives_empty_list() -> None:
    done = run_assess("-", stdin="[]")
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


@pytest.mark.parametrize("text", ['{"profile.employees": ', "", "[1, 2", "\xff\xfe garbage"])
def test_malformed_json_exits_2_with_a_message(text: str) -> None:
    done = run_assess("-", stdin=text)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "is not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_exits_2_with_a_message(tmp_path: Path) -> None:
    done = run_assess_process(str(tmp_path / "nowhere.json"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr and "nowhere.json" in done.stderr
    assert "Traceback" not in done.stderr


# --- Versions side by side (§8) and perspectives (§7). ---------------------------------------


def test_the_newest_methodology_scores_by_default(write_json) -> None:
    done = run_assess(write_json(valid_answers()))
    assert json.loads(done.stdout)["methodology"] == NEWEST == "cto-caio-2026.2"


def test_an_older_version_scores_as_it_always_did(write_json) -> None:
    # A full CTO roadmap: 2026.2 sends the new seat to the CEO, 2026.1 to the CTO first.
    answers = valid_answers(leadership__cto_capacity=4)
    old = run_assess(write_json(answers), "--methodology", "cto-caio-2026.1")
    new = run_assess(write_json(answers), "--methodology", "cto-caio-2026.2")
    assert old.returncode == new.returncode == 0
    old_result, new_result = json.loads(old.stdout), json.loads(new.stdout)
    assert old_result == method_for("cto-caio-2026.1").score(answers).to_dict()
    assert "perception" not in old_result
    assert (old_result["reporting_line"], new_result["reporting_line"]) == ("cto_then_ceo", "ceo")


def test_an_unknown_version_exits_2_and_lists_the_known_ones(write_json) -> None:
    done = run_assess(write_json(valid_answers()), "--methodology", "cto-caio-1999.1")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "cto-caio-1999.1" in done.stderr
    assert "cto-caio-2026.1" in done.stderr and "cto-caio-2026.2" in done.stderr


def test_an_envelope_with_perspectives_is_scored(write_json) -> None:
    from tests.assessments.factories import envelope, perspective

    ceo = neutral_answers()
    document = envelope(ceo, perspective("cto", ceo, leadership__cto_capacity=5))
    done = run_assess(write_json([document, ceo]))
    assert done.returncode == 0
    results = json.loads(done.stdout)
    assert results[0]["perception"]["cto_capacity_used"] == 5
    assert results[1]["perception"]["cto_capacity_used"] == 3


def test_perspective_errors_carry_their_prefix_and_repeats_are_caught(write_json) -> None:
    ceo = json.dumps(neutral_answers())
    raw = (
        '{"answers": ' + ceo + ', "perspectives": ['
        '{"role": "cto", "role": "cfo", "answers": {"leadership.cto_capacity": 9}}]}'
    )
    path = Path(write_json({})).with_name("raw.json")
    path.write_text(raw, encoding="utf-8")
    done = run_assess(str(path))
    assert done.returncode == 1
    found = [e["code"] for e in json.loads(done.stdout)["errors"]]
    assert "perspectives.0.leadership.cto_capacity" in found
    assert "perspectives.0.accountability.outcomes_owner" in found  # missing
    assert "perspectives.0.role" in found  # given twice


def test_2026_1_refuses_an_envelope(write_json) -> None:
    from tests.assessments.factories import envelope, perspective

    document = envelope(neutral_answers(), perspective("cto"))
    done = run_assess(write_json(document), "--methodology", "cto-caio-2026.1")
    assert done.returncode == 1
    assert "answers" in [e["code"] for e in json.loads(done.stdout)["errors"]]
