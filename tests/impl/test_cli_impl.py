"""`symderiv check-impl` end to end: the examples give exit 0 and exit 1 (wrong entry and
mistake named), loading errors are one line and exit 2, the user's traceback only with
--traceback, --json is one document valid against docs/schema/impl-1.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "impl-1.json").read_text(encoding="utf-8"))
SCRIPT = Path(sys.executable).parent / "symderiv"
GOOD = str(ROOT / "examples" / "linear_numpy.py")
BAD = str(ROOT / "examples" / "linear_numpy_buggy.py")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), "check-impl", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1"})


def test_correct_example_exits_0() -> None:
    r = run(f"{GOOD}:backward")
    assert r.returncode == 0, r.stderr
    assert "correct" in r.stdout and "fails" not in r.stdout and r.stderr.strip() == ""


@pytest.mark.parametrize("name,extra", [("backward_zwt", ["--layout", "zwt"]), ("backward_nobias", ["--no-bias"])])
def test_correct_variants_exit_0(name: str, extra: list[str]) -> None:
    assert run(f"{GOOD}:{name}", *extra).returncode == 0


def test_buggy_example_exits_1_naming_entry_and_mistake() -> None:
    r = run(f"{BAD}:backward")
    assert r.returncode == 1
    assert "dW     fails: wrong shape at 3×2×4: got (4, 2), expected (2, 4)" in r.stdout
    assert "mistake: transposed" in r.stdout
    assert "db     fails: wrong at 3×2×4: entry (1)" in r.stdout and "mistake: scaled by 1/m" in r.stdout


def test_json_is_one_valid_document() -> None:
    for target, code in ((f"{GOOD}:backward", 0), (f"{BAD}:backward", 1)):
        r = run(target, "--json")
        assert r.returncode == code and r.stderr == ""
        doc = json.loads(r.stdout)
        jsonschema.validate(doc, SCHEMA)
        assert doc["ok"] is (code == 0) and doc["mode"] == "symbolic" and doc["bound"]["target"] == 1e-9
    doc = json.loads(run(f"{BAD}:backward", "--json", "--mode", "integer", "--seed", "5").stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["seed"] == 5 and doc["bound"]["false_pass_at_most"] < 1e-6
    assert doc["outputs"]["dW"]["finding"]["mistake"] == "transposed"
    assert doc["outputs"]["db"]["finding"]["entry"] == [1]


def test_schema_rejects_a_wrong_document() -> None:
    """Negative control: the schema is not vacuous."""
    doc = json.loads(run(f"{GOOD}:backward", "--json").stdout)
    doc["mode"] = "finite differences"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_same_input_same_output() -> None:
    a = run(f"{BAD}:backward", "--mode", "integer", "--json")
    b = run(f"{BAD}:backward", "--mode", "integer", "--json")
    assert a.stdout == b.stdout


def test_quiet_and_no_extra_shapes() -> None:
    r = run(f"{BAD}:backward", "--quiet")
    assert r.returncode == 1 and r.stdout == ""
    doc = json.loads(run(f"{GOOD}:backward", "--json", "--no-extra-shapes", "--m", "5", "--k", "3", "--n", "2").stdout)
    assert doc["shapes"] == [[5, 3, 2]]


@pytest.fixture
def user_files(tmp_path: Path) -> Path:
    (tmp_path / "raises.py").write_text("def backward(Z, W, b, G):\n    return helper()\n\ndef helper():\n"
                                        "    raise ZeroDivisionError('boom')\n")
    (tmp_path / "bad_import.py").write_text("import numpy\nx = 1 / 0\n")
    (tmp_path / "notuple.py").write_text("def backward(Z, W, b, G):\n    return Z\nvalue = 3\n")
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text("def linear_backward(Z, W, b, G):\n    return G @ W.T, Z.T @ G, G.sum(axis=0)\n")
    return tmp_path


@pytest.mark.parametrize("target,needle", [
    ("missing.py:backward", "no such file: missing.py"),
    ("nomodule_xyz:backward", "no module named 'nomodule_xyz'"),
    ("notuple.py:backwrd", "has no attribute 'backwrd' (did you mean 'backward'?)"),
    ("notuple.py:value", "is not callable (it is a int)"),
    ("notuple.py:backward", "returned a ndarray, expected a tuple (dZ, dW, db)"),
    ("bad_import.py:backward", "loading bad_import.py raised ZeroDivisionError: division by zero"),
    ("raises.py:backward", "raises.py:backward raised ZeroDivisionError: boom at m×k×n = 3×2×4"),
    ("no_colon", "cannot read the target"),
])
def test_load_and_call_errors_are_one_line_exit_2(user_files: Path, target: str, needle: str) -> None:
    r = run(target, cwd=user_files)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symderiv: error: ") and needle in lines[0], r.stderr


def test_traceback_only_when_asked(user_files: Path) -> None:
    plain = run("raises.py:backward", cwd=user_files)
    assert "Traceback" not in plain.stderr
    shown = run("raises.py:backward", "--traceback", cwd=user_files)
    assert shown.returncode == 2 and "Traceback" in shown.stderr and "in helper" in shown.stderr
    assert shown.stderr.rstrip().splitlines()[-1].startswith("symderiv: error: ")


def test_package_module_target(user_files: Path) -> None:
    r = run("mypkg.layers:linear_backward", "--m", "5", "--k", "3", "--n", "2", cwd=user_files)
    assert r.returncode == 0, r.stderr + r.stdout


@pytest.mark.parametrize("args", [["--mode", "fuzzy"], ["--trials", "0"], ["--layout", "wz"], ["--m", "0"],
                                  ["--dtype", "int8"], ["--framework", "jax"]], ids=" ".join)
def test_bad_options_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from symderiv.cli import app

    with pytest.raises(SystemExit) as stop:  # in-process, through the same one-line error edge
        app(["check-impl", f"{GOOD}:backward", *args], prog_name="symderiv")
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith("symderiv: error: ") and len(err.splitlines()) == 1, err


def test_verify_start_up_does_not_import_numpy() -> None:
    code = "import sys, symderiv.cli, symderiv.verify; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
