"""rekenregels is pure Python: it never imports Django or the platform (also an import-linter contract)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import rekenregels

BRON = Path(rekenregels.__file__).parent
VERBODEN = ("django", "perspectief")


def test_geen_import_van_django_of_het_platform_in_de_broncode():
    for bestand in BRON.rglob("*.py"):
        boom = ast.parse(bestand.read_text(encoding="utf-8"))
        for knoop in ast.walk(boom):
            if isinstance(knoop, ast.Import):
                namen = [alias.name for alias in knoop.names]
            elif isinstance(knoop, ast.ImportFrom) and knoop.level == 0:
                namen = [knoop.module or ""]
            else:
                continue
            for naam in namen:
                assert naam.split(".")[0] not in VERBODEN, f"{bestand.name} importeert {naam}"


def test_importeren_laadt_geen_django():
    code = (
        "import sys, rekenregels, rekenregels.cli; "
        "geladen = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'perspectief')); "
        "print(','.join(geladen))"
    )
    proces = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert proces.stdout.strip() == ""


def test_import_linter_contract():
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    lint_imports = Path(sys.executable).with_name("lint-imports")
    proces = subprocess.run(
        [str(lint_imports), "--config", str(pyproject)],
        capture_output=True,
        text=True,
        check=False,
        cwd=pyproject.parent,
    )
    assert "rekenregels" in proces.stdout, proces.stdout + proces.stderr
    assert proces.returncode == 0, proces.stdout + proces.stderr
