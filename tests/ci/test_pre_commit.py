"""The pre-commit hook as pre-commit runs it (its `entry`, split like a command line, with the staged
file names appended), and docs/ci.md's promises: the action's inputs it shows exist, and it pins
nothing that does not exist (no release tag yet)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from . import repo
from .helpers import ROOT

(HOOK,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def run_hook(workspace: Path, files: list[str]) -> subprocess.CompletedProcess:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run([*shlex.split(HOOK["entry"]), *files], cwd=workspace, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": path, "NO_COLOR": "1"})


def test_the_hook_is_declared_for_markdown_and_tex() -> None:
    assert HOOK["id"] == "symderiv-check" and HOOK["language"] == "python"
    assert HOOK["types_or"] == ["markdown", "tex"] and HOOK["entry"].startswith("symderiv check")
    assert HOOK.get("pass_filenames", True) is True


def test_the_hook_fails_on_a_false_equation_and_passes_otherwise(tmp_path: Path) -> None:
    ws = repo.build(tmp_path / "ws")
    bad = run_hook(ws, ["docs/notes.md", "docs/more.md", "README.md"])
    assert bad.returncode == 1 and "docs/notes.md" in bad.stdout and "fails" in bad.stdout
    good = run_hook(ws, ["docs/more.md", "README.md"])
    assert good.returncode == 0, good.stdout + good.stderr
    (ws / "pyproject.toml").write_text("[tool.symderiv]\nstrict = true\n", encoding="utf-8")
    assert run_hook(ws, ["docs/more.md", "README.md"]).returncode == 0
    assert run_hook(ws, ["README.md"]).returncode == 2  # strict: a commit of notes without math is said so


def test_ci_md_pins_nothing_that_does_not_exist() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert not re.search(r"(?:uses: \S+|rev:\s*)(?:v0\.1\.0|main)\b", text)
    tags = subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for pin in re.findall(r"(?:symderiv@|rev: )([\w.]+)", text):
        assert pin == "COMMIT" or pin in tags or re.fullmatch(r"[0-9a-f]{40}", pin), pin
    assert "no release tag exists yet" in text


def test_ci_md_uses_only_inputs_the_action_has() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = text[text.index("```yaml", text.index("### The GitHub Action")) + 7:]
    workflow = yaml.safe_load(block[:block.index("```")])
    (step,) = [s for s in workflow["jobs"]["symderiv"]["steps"] if s.get("uses", "").startswith("symderiv/symderiv@")]
    assert set(step["with"]) <= set(action["inputs"])
    table = set(re.findall(r"^\| `([a-z-]+)` \| ", text[text.index("| input | default |"):], flags=re.M))
    assert table == set(action["inputs"])  # every input documented, nothing documented that is not one
