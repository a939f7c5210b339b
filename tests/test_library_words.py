"""Library errors never word a command-line flag: the CLI adds its flag, the web its own words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from docgen.cli.common import FLAGS, problem_line, said
from docgen.errors import REMEDIES, DocgenError
from docgen.problems import Problem
from docgen.registry import Registry, RegistryError

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"
# The command line words its flags; the importer is being split in its own issue.
EXEMPT = ("cli", "importer")
# The web's table that finds a flag in an older message and words it away for the page.
EXEMPT_FILES = ("web/wording.py",)
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _library_strings() -> list[str]:
    """Every Chinese string literal outside the command line: what a user can be shown."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in EXEMPT or rel.as_posix() in EXEMPT_FILES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and HAN.search(node.value)
                and FLAG.search(node.value)
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]}")
    return found


def test_no_library_message_names_a_flag() -> None:
    assert _library_strings() == []


def test_every_remedy_has_its_flag() -> None:
    assert set(FLAGS) == REMEDIES


def test_the_cli_words_the_remedy(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as refused:
        Registry(tmp_path / "missing.sqlite3")
    assert "--new-registry" in said(refused.value) and "--" not in str(refused.value)
    p = Problem("督办单需要此项", field="supervision.code（代字）", remedy="code")
    assert problem_line(p).endswith("（--code）") and str(p).endswith("督办单需要此项")
    assert said(DocgenError("无")) == "无"
