"""One run, several outputs: the terminal format and --sarif / --junit / --json-file files from the same
findings; unwritable targets refused before the work; `check -` reads stdin under --stdin-filename."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from .helpers import CONTEXT, FAILS, HOLDS, UNCHECKED, symderiv


def notes(folder: Path) -> None:
    (folder / "notes.md").write_text(CONTEXT + HOLDS + "\n" + FAILS + "\n" + UNCHECKED, encoding="utf-8")


def test_one_run_writes_every_report(tmp_path: Path) -> None:
    notes(tmp_path)
    r = symderiv("check", "notes.md", "--output-format", "github", "--sarif", "out.sarif", "--junit", "junit.xml",
                 "--json-file", "out.json", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.startswith("::error file=notes.md,line=5") and "::warning file=notes.md" in r.stdout
    assert sorted(ln.split()[2] for ln in r.stderr.splitlines() if "wrote" in ln) == ["junit.xml", "out.json", "out.sarif"]
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in data["summary"].items() if k != "coverage"} == \
        {"holds": 1, "fails": 1, "unchecked": 1, "definition": 0, "errors": 0}
    assert data["summary"]["coverage"]["equations"] == 3
    assert [f["path"] for f in data["files"]] == ["notes.md"]
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert sorted(x["level"] for x in log["runs"][0]["results"]) == ["error", "warning"]
    suite = ET.parse(tmp_path / "junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")


def test_quiet_writes_the_files_silently(tmp_path: Path) -> None:
    notes(tmp_path)
    r = symderiv("check", "notes.md", "-q", "--sarif", "out.sarif", cwd=tmp_path)
    assert r.returncode == 1 and r.stdout == "" and r.stderr == "" and (tmp_path / "out.sarif").stat().st_size > 0


def test_an_unwritable_report_is_refused_before_the_work(tmp_path: Path) -> None:
    notes(tmp_path)
    r = symderiv("check", "notes.md", "--sarif", "no/such/folder/x.sarif", "--junit", "j.xml", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("symderiv: error: cannot write no/such/folder/x.sarif")
    assert not (tmp_path / "j.xml").exists() and r.stdout == ""  # nothing half-done
    same = symderiv("check", "notes.md", "--sarif", "x", "--junit", "x", cwd=tmp_path)
    assert same.returncode == 2 and "same file" in same.stderr
    dash = symderiv("check", "notes.md", "--sarif", "-", cwd=tmp_path)
    assert dash.returncode == 2 and "--output-format sarif" in dash.stderr


def test_stdin_with_a_filename(tmp_path: Path) -> None:
    text = CONTEXT + FAILS
    r = symderiv("check", "-", "--stdin-filename", "./docs/notes.md", "--output-format", "json", stdin=text, cwd=tmp_path)
    assert r.returncode == 1
    (f,) = json.loads(r.stdout)["files"]
    assert f["path"] == "docs/notes.md" and f["findings"][0]["verdict"] == "fails"
    good = symderiv("check", "-", stdin=CONTEXT + HOLDS, cwd=tmp_path)
    assert good.returncode == 0 and good.stdout.startswith("-\n")
    latex = "\\begin{equation}\\frac{\\partial L}{\\partial W} = G X^\\top\\end{equation}\n"
    tex = symderiv("check", "-", "--stdin-filename", "a.tex", "--context", "Y = X W; X: 2 x 3; W: 3 x 4", stdin=latex,
                   cwd=tmp_path)
    assert tex.returncode == 1, tex.stdout  # read as LaTeX by its name
    assert symderiv("check", "-", "notes.md", stdin="", cwd=tmp_path).returncode == 2
    assert symderiv("check", "notes.md", "--stdin-filename", "x.md", cwd=tmp_path).returncode == 2


def test_stdin_reads_the_configuration_of_the_named_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.symderiv]\ncontext = "Y = X W; X: 2 x 3; W: 3 x 4"\n', encoding="utf-8")
    r = symderiv("check", "-", "--stdin-filename", "n.md", stdin=FAILS, cwd=tmp_path)
    assert r.returncode == 1  # the configured context made the claim checkable (without it: unchecked, exit 0)
