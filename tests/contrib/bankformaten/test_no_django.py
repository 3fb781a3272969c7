"""The bank formats package is plain Python: no module in it imports Django."""

from __future__ import annotations

import ast
from pathlib import Path

import perspectief.contrib.bankformaten as package


def test_no_django_imports() -> None:
    folder = Path(package.__file__).parent
    files = sorted(folder.glob("*.py"))
    assert len(files) >= 10
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] in {"django", "celery"} for name in names), path.name
