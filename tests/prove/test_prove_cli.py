"""`symderiv prove` on the command line: exit codes, the JSON schema with method
index and for_all_shapes, LaTeX that compiles with pdflatex, Markdown, bad input in
one line, and `verify` not paying for sympy at start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from symderiv.cli import app
from tests.test_render_latex import compile_tex, needs_tex, squash
from tests.test_render_markdown import katex_errors, math_spans, needs_katex

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "verify-1.json").read_text())
runner = CliRunner()


@pytest.mark.parametrize("args", [[], ["--layout", "zwt", "--no-bias"], ["--loss", "sumsq"]])
def test_json_is_valid_with_method_index(args: list[str]) -> None:
    result = runner.invoke(app, ["prove", "--json", *args])
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["method"] == "index" and doc["for_all_shapes"] is True and doc["ok"] is True
    assert doc["shapes"] == {"m": "m", "k": "k", "n": "n"}
    checks = {c["id"]: c for c in doc["checks"]}
    assert checks["jacobian_A_W_is_Zt"]["verdict"] == "fails" and checks["jacobian_A_W_is_Zt"]["ok"]
    assert checks["grad_W"]["statement"] == ("∂L/∂W = GᵀZ" if "zwt" in args else "∂L/∂W = ZᵀG")


def test_verify_json_says_it_is_not_for_all_shapes() -> None:
    doc = json.loads(runner.invoke(app, ["verify", "--json"]).stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["for_all_shapes"] is False and doc["method"] == "exact"


def test_console_ends_in_the_entry_formulas() -> None:
    result = runner.invoke(app, ["prove", "--no-color"])
    assert result.exit_code == 0
    out = result.stdout
    for formula in ("Σ_{i=1..m} g_{i,q} z_{i,p}", "Σ_{j=1..n} g_{p,j} w_{q,j}", "Σ_{i=1..m} g_{i,q}", "z_{i,p} δ_{j,q}"):
        assert formula in out
    assert "symderiv prove — every m, k, n" in out and "method: index" in out


@pytest.mark.parametrize("args", [["--layout", "xy"], ["--loss", "l1"], ["--fragment"], ["--json", "--latex", "-"]])
def test_bad_input_is_one_line_and_exit_2(args: list[str]) -> None:
    script = Path(sys.executable).parent / "symderiv"
    run = subprocess.run([str(script), "prove", *args], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("symderiv: error: ") and run.stderr.count("\n") == 1


def test_markdown_to_stdout() -> None:
    result = runner.invoke(app, ["prove", "--markdown", "-"])
    assert result.exit_code == 0
    assert "symderiv prove --layout zw --bias --loss generic" in result.stdout
    assert r"\sum_{i=1}^{m} g_{i,q} z_{i,p}" in result.stdout


def test_sympy_is_loaded_only_by_prove() -> None:
    code = "import sys, symderiv, symderiv.cli, symderiv.verify; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@needs_tex
@pytest.mark.renderers
@pytest.mark.parametrize("args", [[], ["--layout", "zwt", "--no-bias", "--loss", "sumsq"]])
def test_latex_compiles(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "proof.tex"
    result = runner.invoke(app, ["prove", "--quiet", "--latex", str(path), *args])
    assert result.exit_code == 0
    compiled = compile_tex(path.read_text(encoding="utf-8"), tmp_path / "build")
    assert compiled.ok, compiled.log[-2000:]
    text = squash(compiled.text())
    assert "symderivprove" in text and "rejected,asexpected" in text


@needs_katex
@pytest.mark.renderers
@pytest.mark.parametrize("layout,bias,loss", [("zw", True, "generic"), ("zwt", False, "sumsq")])
def test_markdown_formulas_render_in_katex(layout: str, bias: bool, loss: str) -> None:
    from symderiv import Spec
    from symderiv.prove.derivation import prove
    from symderiv.render import markdown

    spans = math_spans(markdown.render(prove(Spec(layout=layout, bias=bias, loss=loss))))
    assert len(spans) > 20
    errors = katex_errors(spans)
    assert not errors, [(spans[e["index"]][0][:200], e["error"]) for e in errors]
