"""The command line: through typer's CliRunner and through a real subprocess of
the installed console script. Exit codes, streams, JSON against its schema."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import symderiv.cli.verify as cli_verify
from symderiv import LAYOUTS, Spec, verify
from symderiv.cli import app

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "verify-1.json").read_text())
SCRIPT = Path(sys.executable).parent / "symderiv"
runner = CliRunner()


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def test_default_json_is_valid_and_ok() -> None:
    result = runner.invoke(app, ["verify", "--m", "3", "--k", "2", "--n", "4", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["ok"] is True and doc["shapes"] == {"m": 3, "k": 2, "n": 4}
    checks = {c["id"]: c for c in doc["checks"]}
    assert {"grad_W", "grad_Z", "grad_B", "jacobian_A_W_is_Zt"} <= set(checks)
    assert checks["jacobian_A_W_is_Zt"]["verdict"] == "fails"
    assert checks["jacobian_A_W_is_Zt"]["expected"] == "fails"
    assert checks["grad_W"]["verdict"] == "holds"


@pytest.mark.parametrize(
    "args,grad_W",
    [(["--layout", "zwt"], "∂L/∂W = GᵀZ"), (["--no-bias"], "∂L/∂W = ZᵀG"), (["--loss", "sumsq"], "∂L/∂W = ZᵀG")],
)
def test_variants(args: list[str], grad_W: str) -> None:
    result = runner.invoke(app, ["verify", "--json", *args])
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    checks = {c["id"]: c for c in doc["checks"]}
    assert checks["grad_W"]["statement"] == grad_W and checks["grad_W"]["verdict"] == "holds"
    assert ("grad_B" in checks) == ("--no-bias" not in args)


def test_failing_derivation_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    planted = dataclasses.replace(LAYOUTS["zw"], grad_Z=lambda Z, W, G: G * W)
    monkeypatch.setattr(cli_verify, "run_verify", lambda spec, **kw: verify(spec, layout=planted))
    result = runner.invoke(app, ["verify", "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert {c["id"]: c["verdict"] for c in doc["checks"]}["grad_Z"] == "fails"


@pytest.mark.parametrize(
    "args",
    [["--m", "0"], ["--m", "x"], ["--layout", "nope"], ["--loss", "nope"], ["--n", "-3"], ["--k", "2.5"],
     ["--bogus"], ["--m", "300", "--k", "300", "--n", "300"], ["--fragment"], ["--m", "200", "--k", "200", "--n", "200"]],
)
def test_bad_input_exits_2_with_one_line(args: list[str]) -> None:
    proc = run("verify", *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symderiv: error: ")
    assert "Traceback" not in proc.stderr


def test_size_limit_message_says_where_and_why() -> None:
    proc = run("verify", "--m", "160", "--k", "160", "--n", "160")  # over the work limit: --force would run it
    assert proc.returncode == 2 and "limit of 120 s" in proc.stderr and "--force" in proc.stderr
    hard = run("verify", "--m", "300", "--k", "300", "--n", "300", "--force")  # over what memory holds: never
    assert hard.returncode == 2 and "memory" in hard.stderr and "--force" not in hard.stderr


def test_console_script_prints_the_derivation() -> None:
    proc = run("verify", "--m", "3", "--k", "2", "--n", "4")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for needle in ("1. The matrices", "a₁₁ = z₁₁ w₁₁ + z₁₂ w₂₁ + b₁", "∂L/∂W = ZᵀG", "∂A/∂W = Zᵀ", "3×4×2×4"):
        assert needle in out
    assert "\x1b[" not in out  # not a terminal: no colour
    assert proc.stderr == ""


def test_python_m_and_no_steps_and_quiet() -> None:
    proc = subprocess.run([sys.executable, "-m", "symderiv", "verify", "--no-steps"], capture_output=True, text=True)
    assert proc.returncode == 0 and "1. The matrices" not in proc.stdout and "grad_W" in proc.stdout
    quiet = run("verify", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_json_stdout_is_only_json() -> None:
    proc = run("verify", "--json", "--m", "2", "--k", "3", "--n", "1")
    assert proc.returncode == 0
    jsonschema.validate(json.loads(proc.stdout), SCHEMA)


def test_output_is_deterministic() -> None:
    a, b = run("verify", "--m", "3", "--k", "2", "--n", "4"), run("verify", "--m", "3", "--k", "2", "--n", "4")
    assert a.stdout == b.stdout
    ja, jb = (json.loads(run("verify", "--json").stdout) for _ in range(2))
    ja.pop("seconds"), jb.pop("seconds")
    assert ja == jb


COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])(?:;[0-9;]*)?m")  # a foreground colour, not bold/italic


def test_color_forced_and_no_color() -> None:
    assert COLOUR.search(run("verify", "--no-steps", "--color").stdout)
    assert "\x1b[" not in run("verify", "--no-steps", "--no-color").stdout
    # following the terminal (forced here), NO_COLOR turns colour off; --color still forces it
    assert COLOUR.search(run("verify", "--no-steps", env={"FORCE_COLOR": "1"}).stdout)
    assert not COLOUR.search(run("verify", "--no-steps", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout)
    assert COLOUR.search(run("verify", "--no-steps", "--color", env={"NO_COLOR": "1"}).stdout)


def test_defaults_are_3_2_4() -> None:
    doc = json.loads(run("verify", "--json").stdout)
    assert doc["shapes"] == {"m": 3, "k": 2, "n": 4}


@pytest.mark.parametrize("args", [["--json", "--latex", "-"], ["--json", "--markdown", "-"], ["--latex", "-", "--markdown", "-"]])
def test_two_outputs_on_stdout_conflict(args: list[str]) -> None:
    proc = run("verify", *args)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symderiv: error: ") and "stdout" in lines[0]


def test_internal_error_exits_3_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(spec, **kw):
        raise RuntimeError("planted bug")

    monkeypatch.delenv("SYMDERIV_DEBUG", raising=False)
    monkeypatch.setattr(cli_verify, "run_verify", broken)
    result = runner.invoke(app, ["verify", "--json"])
    assert result.exit_code == 3
    assert result.stdout == ""
    err = result.stderr.splitlines()
    assert len(err) == 1 and err[0].startswith("symderiv: error: internal error: RuntimeError: planted bug")
    assert "Traceback" not in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.strip().startswith("symderiv ")
    assert "--layout" in run("verify", "--help").stdout


def test_large_shapes_are_abridged() -> None:
    proc = run("verify", "--m", "20", "--k", "3", "--n", "20")
    assert proc.returncode == 0
    assert "more)" in proc.stdout and "⋮" in proc.stdout
    assert len(proc.stdout.splitlines()) < 400


def test_api_matches_cli() -> None:
    d = verify(Spec(2, 3, 4, layout="zwt", bias=False))
    doc = json.loads(run("verify", "--json", "--m", "2", "--k", "3", "--n", "4", "--layout", "zwt", "--no-bias").stdout)
    assert [c.id for c in d.checks] == [c["id"] for c in doc["checks"]]
    assert [c.verdict.value for c in d.checks] == [c["verdict"] for c in doc["checks"]]
