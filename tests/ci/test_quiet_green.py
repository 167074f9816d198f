"""Never a quiet green: a run that found no documents, or documents without one equation, says so on
stderr (and exits 2 with --strict) instead of passing silently."""

from __future__ import annotations

from pathlib import Path

from .helpers import CONTEXT, HOLDS, symderiv


def test_an_empty_folder_warns_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    plain = symderiv("check", str(tmp_path))
    assert plain.returncode == 0
    assert plain.stderr.startswith("symderiv: warning: no Markdown or LaTeX files found in ")
    strict = symderiv("check", str(tmp_path), "--strict")
    assert strict.returncode == 2 and "warning: no Markdown or LaTeX files" in strict.stderr


def test_notes_without_math_warn(tmp_path: Path) -> None:
    (tmp_path / "prose.md").write_text("# Notes\n\nNo equations here, only words.\n", encoding="utf-8")
    r = symderiv("check", str(tmp_path), "--format", "json")
    assert r.returncode == 0 and "warning: no equations found in the 1 file checked" in r.stderr
    assert symderiv("check", str(tmp_path), "--strict").returncode == 2
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text("[tool.symderiv]\nstrict = true\n", encoding="utf-8")
    assert symderiv("check", str(tmp_path / "prose.md"), cwd=tmp_path).returncode == 2  # strict from the config


def test_a_document_with_math_does_not_warn(tmp_path: Path) -> None:
    """The negative control: the warning is about nothing found, not about every run."""
    (tmp_path / "notes.md").write_text(CONTEXT + HOLDS, encoding="utf-8")
    r = symderiv("check", str(tmp_path), "--strict")
    assert r.returncode == 0 and "warning" not in r.stderr
