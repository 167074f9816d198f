"""`symderiv check` from the command line: exit codes (0 no fails, 1 a fail,
2 unreadable file or bad option), --strict, machine formats on stdout only,
[tool.symderiv] configuration with the command line over it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .helpers import CORPUS, ROOT

GOOD = "<!-- symderiv: context Y = X W; X: 2 x 3; W: 3 x 4 -->\n\n$$\\frac{\\partial L}{\\partial W} = X^\\top G$$\n"
BAD = GOOD + "\n$$\\frac{\\partial L}{\\partial W} = G X^\\top$$\n"
UNCHECKED = GOOD + "\n$$\\frac{\\partial L}{\\partial W} = \\foo{X}$$\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symderiv", "check", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


def test_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "unchecked.md").write_text(UNCHECKED, encoding="utf-8")
    assert run(str(tmp_path / "good.md")).returncode == 0
    bad = run(str(tmp_path / "bad.md"), "--no-color")
    assert bad.returncode == 1 and "fails" in bad.stdout and "1 fails" in bad.stdout
    assert run(str(tmp_path / "unchecked.md")).returncode == 0
    assert run(str(tmp_path / "unchecked.md"), "--strict").returncode == 1
    missing = run(str(tmp_path / "good.md"), str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and missing.stderr.strip().splitlines()[-1].startswith("symderiv: error: cannot read")
    assert "Traceback" not in missing.stderr
    opt = run(str(tmp_path / "good.md"), "--format", "yaml")
    assert opt.returncode == 2 and opt.stderr.startswith("symderiv: error:") and "yaml" in opt.stderr


def test_machine_formats_print_only_their_document(tmp_path: Path) -> None:
    doc = run(str(CORPUS / "layer-zw.md"), "--format", "json")
    assert doc.returncode == 1
    data = json.loads(doc.stdout)
    assert data["schema"] == "symderiv.check/1" and doc.stderr == ""
    gh = run(str(CORPUS / "layer-zw.md"), "--format", "github")
    assert all(line.startswith("::") for line in gh.stdout.splitlines()) and gh.stdout


def test_config_in_pyproject_and_the_command_line_over_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.symderiv]\nstrict = true\nignore = ["skip/*"]\ncontext = "Y = X W; X: 2 x 3; W: 3 x 4"\n', encoding="utf-8")
    (tmp_path / "skip").mkdir()
    (tmp_path / "skip" / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "plain.md").write_text("$$\\frac{\\partial L}{\\partial W} = X^\\top G$$\n", encoding="utf-8")
    (tmp_path / "u.md").write_text("$$\\frac{\\partial L}{\\partial W} = \\foo{X}$$\n", encoding="utf-8")
    r = run(str(tmp_path / "plain.md"), str(tmp_path / "skip"), "--format", "json", cwd=tmp_path)
    data = json.loads(r.stdout)
    assert r.returncode == 0 and [f["path"] for f in data["files"]] == [str(tmp_path / "plain.md")]
    assert data["files"][0]["findings"][0]["verdict"] == "holds"  # the configured context was used
    assert run(str(tmp_path / "u.md"), cwd=tmp_path).returncode == 1  # strict from the config
    assert run(str(tmp_path / "u.md"), "--no-strict", cwd=tmp_path).returncode == 0  # the command line wins
    wrong = run(str(tmp_path / "plain.md"), "--context", "Y = W X; W: 4 x 2; X: 2 x 3", cwd=tmp_path)
    assert wrong.returncode == 1  # X^T G does not fit Y = W X


def test_parallel_jobs_give_the_same_findings(tmp_path: Path) -> None:
    docs = [str(p) for p in sorted(CORPUS.iterdir()) if p.suffix in (".md", ".tex")]
    one = json.loads(run(*docs, "--format", "json", "--jobs", "1").stdout)
    two = json.loads(run(*docs, "--format", "json", "--jobs", "2").stdout)
    assert one == two


def test_the_pre_commit_hook_is_declared() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: symderiv-check" in text
    assert "types_or: [markdown, tex]" in text and "entry: symderiv check" in text


def test_verify_does_not_pay_for_the_document_readers() -> None:
    code = ("import sys, symderiv.cli; "
            "print(sorted(m for m in ('markdown_it', 'mdit_py_plugins', 'pylatexenc', 'symderiv.documents.run') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
