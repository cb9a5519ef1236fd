"""The methodology's versions side by side, and the purity the layers contract promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assessments.methodology import METHODS, NEWEST, UnknownMethodology, method_for

ROOT = Path(__file__).resolve().parents[2]


def test_every_version_is_published_under_its_own_string() -> None:
    assert "cto-caio-2026.1" in METHODS
    assert NEWEST in METHODS
    for version, method in METHODS.items():
        assert method.version == version


def test_an_unknown_version_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownMethodology) as refused:
        method_for("cto-caio-1999.9")
    for version in METHODS:
        assert version in str(refused.value)


def test_the_methodology_imports_nothing_from_django_or_the_project() -> None:
    code = (
        "import sys; import assessments.methodology; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('django', 'advisory', 'reports', 'celery') or (m.startswith('assessments.') "
        "and not m.startswith('assessments.methodology'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_words_for_a_result_import_no_django() -> None:
    code = (
        "import sys; import assessments.presenter, assessments.form_values; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_layers_contract_forbids_every_other_module_of_assessments() -> None:
    import pkgutil
    import tomllib

    import assessments

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["source_modules"] == ["assessments.methodology"]
    ]
    others = {
        f"assessments.{module.name}"
        for module in pkgutil.iter_modules(assessments.__path__)
        if module.name != "methodology"
    }
    assert others <= set(contract["forbidden_modules"])
    assert {"django", "advisory", "reports"} <= set(contract["forbidden_modules"])
