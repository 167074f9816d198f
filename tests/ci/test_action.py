"""The GitHub composite action (action.yml): its inputs are declared, described and used; no input is
pasted into a script (they travel as environment variables); and its steps, run here as a runner would
run them on a test repository, give the right verdicts, annotations, SARIF and exit code."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from . import repo
from .helpers import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def test_the_action_is_a_composite_with_described_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["name"] and ACTION["description"]
    for name, spec in ACTION["inputs"].items():
        assert re.fullmatch(r"[a-z][a-z0-9-]*", name), name
        assert set(spec) <= {"description", "required", "default"}, name
        assert len(spec["description"]) > 15 and isinstance(spec.get("default", ""), str), name
    assert {"paths", "strict", "sarif-file", "upload-sarif", "check-impl", "context"} <= set(ACTION["inputs"])
    for step in STEPS:
        assert "run" not in step or step.get("shell") == "bash", step["name"]  # composite run steps need a shell


def test_every_input_used_is_declared_and_every_declared_one_used() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([a-z0-9-]+)", text))
    assert used == set(ACTION["inputs"])


def test_no_input_is_pasted_into_a_script() -> None:
    """Script injection: `${{ inputs.x }}` inside `run:` would let an input run shell code."""
    for step in STEPS:
        if "run" in step:
            assert not EXPR.search(step["run"]), step["name"]


def test_it_installs_from_its_own_checkout_and_uploads_sarif() -> None:
    install = next(s for s in STEPS if "pip install" in s.get("run", ""))
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}" and '"$ACTION_PATH"' in install["run"]
    upload = next(s for s in STEPS if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}" and "always()" in upload["if"]


def _value(expr: str, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    if expr.startswith("inputs."):
        return inputs[expr[len("inputs."):]]
    if expr == "github.action_path":
        return str(ROOT)
    found = re.fullmatch(r"steps\.(\w+)\.outputs\.([\w-]+)", expr)
    if found:
        return outputs.get(found.group(2), "")
    raise AssertionError(f"the emulation does not know {expr}")


def run_action(workspace: Path, given: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    """The action's bash steps, in order, as a runner runs them (the Python setup, the pip install and the
    upload are the runner's business and skipped: symderiv is installed here already). Returns the exit
    code of the job, everything printed, and the step outputs."""
    inputs = {k: v.get("default", "") for k, v in ACTION["inputs"].items()} | given
    outputs: dict[str, str] = {}
    printed = ""
    job_code = 0
    for step in STEPS:
        if "run" not in step or "pip install" in step["run"]:
            continue
        cond = step.get("if", "")
        if "inputs.check-impl != ''" in cond and not inputs["check-impl"]:
            continue
        if "steps.check.outputs.exit-code != ''" in cond and "exit-code" not in outputs:
            continue
        env = {k: EXPR.sub(lambda m: _value(m.group(1), inputs, outputs), v) for k, v in step.get("env", {}).items()}
        out_file = workspace.parent / f"github_output_{len(printed)}"
        out_file.write_text("", encoding="utf-8")
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, capture_output=True, text=True, timeout=300,
                              env={**os.environ, **env, "GITHUB_OUTPUT": str(out_file), "PATH": path, "NO_COLOR": "1"})
        printed += proc.stdout + proc.stderr
        for line in out_file.read_text(encoding="utf-8").splitlines():
            k, _, v = line.partition("=")
            outputs[k] = v
        job_code = job_code or proc.returncode
    return job_code, printed, outputs


def test_the_steps_on_a_test_repository(tmp_path: Path) -> None:
    ws = repo.build(tmp_path / "ws")
    code, printed, outputs = run_action(ws, {})
    assert outputs["exit-code"] == "1" and code == 1
    fail_line = repo.line_of_fail(ws)
    assert f"::error file=docs/notes.md,line={fail_line}," in printed
    assert printed.count("::error ") == 1 and printed.count("::warning ") == 1  # vendor/ and node_modules/ not read
    log = json.loads((ws / "symderiv.sarif").read_text(encoding="utf-8"))
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"] for loc in r["locations"]}
    assert uris == {"docs/notes.md"}


def test_the_steps_pass_on_a_repository_without_false_equations(tmp_path: Path) -> None:
    ws = repo.build(tmp_path / "ws")
    code, _, outputs = run_action(ws, {"paths": "docs/more.md README.md", "junit-file": "junit.xml"})
    assert (code, outputs["exit-code"]) == (0, "0") and (ws / "junit.xml").is_file()
    strict, printed, _ = run_action(ws, {"paths": "README.md", "strict": "true"})
    assert strict == 2 and "no equations found" in printed  # strict: checking nothing is not a pass
    bad, printed, _ = run_action(ws, {"strict": "yes"})
    assert bad == 2 and "strict must be true or false" in printed


def test_check_impl_targets(tmp_path: Path) -> None:
    ws = repo.build(tmp_path / "ws")
    targets = "layer.py:backward\n\nlayer.py:backward --m 2 --k 3 --n 2\n"
    ok, printed, _ = run_action(ws, {"paths": "docs/more.md", "check-impl": targets})
    assert ok == 0, printed
    bad, printed, _ = run_action(ws, {"paths": "docs/more.md", "check-impl": "layer.py:backward\nlayer.py:buggy"})
    assert bad == 1, printed


def test_inputs_are_never_evaluated(tmp_path: Path) -> None:
    ws = repo.build(tmp_path / "ws")
    marker = tmp_path / "pwned"
    code, printed, _ = run_action(ws, {"paths": f"docs/more.md $(touch {marker}) *", "context": f"`touch {marker}`"})
    assert not marker.exists()
    assert code == 2  # '$(touch', '*' and the rest are file names that do not exist: exit 2, nothing run


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint() -> None:  # pragma: no cover - where actionlint is available
    subprocess.run(["actionlint", str(ROOT / "action.yml")], check=True)
