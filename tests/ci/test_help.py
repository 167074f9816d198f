"""Help that teaches: each command's -h ends with two or three examples and its docs page; the examples
run, from a copy of examples/, with the exit code their comment promises; `verify` is listed first; a
metavar reads as a word (FILE…, TEXT), never a type placeholder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symderiv.cli.examples import EXAMPLES, ORDER

from .helpers import ROOT, symderiv

BIN = Path(sys.executable).parent


def help_of(command: str) -> str:
    r = subprocess.run([sys.executable, "-m", "symderiv", command, "-h"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("command", ORDER)
def test_help_ends_with_examples_and_the_docs_page(command: str) -> None:
    text = help_of(command)
    tail = text[text.index("Examples (from the examples/ folder"):]
    shown = [ln.strip() for ln in tail.splitlines() if ln.strip().startswith(("symderiv ", "cat "))]
    assert 2 <= len(shown) <= 3 and all(f"symderiv {command} " in s for s in shown), shown
    page = re.search(r"Docs: (docs/[\w.-]+\.md)", tail)
    assert page and (ROOT / page.group(1)).is_file()
    assert "<str>" not in text and "<bool>" not in text and "TEXT..." not in text and "FILE..." not in text


@pytest.mark.parametrize("command", ORDER)
def test_the_examples_run_from_examples(command: str, tmp_path: Path) -> None:
    work = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", work, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    for line in EXAMPLES[command][0]:
        cmd, _, comment = line.partition("#")
        expect = 1 if comment.strip().startswith("fails") else 0
        r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=work, capture_output=True, text=True, timeout=300, env=env)
        assert r.returncode == expect, f"{cmd}: exit {r.returncode}\n{r.stderr[-800:]}"


def test_verify_is_listed_first() -> None:
    text = symderiv("-h").stdout
    listed = re.findall(r"^│ (verify|claims|claim|prove|check-impl|check)\s", text, flags=re.M)
    assert listed == list(ORDER), listed
