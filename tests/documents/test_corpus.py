"""Every labelled equation of the corpus (tests/corpus, and ../shared/corpus when
present) gets the verdict its labels file gives from the mathematics; never a
`holds` on a line labelled `fails`; ignored and non-math lines give nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import CORPUS, SHARED, cardinal_violations, disagreements, findings, in_range, labels_for

DOCS = sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".tex"))


def test_the_corpus_has_markdown_and_latex() -> None:
    assert {p.suffix for p in DOCS} == {".md", ".tex"}
    assert len(DOCS) >= 4


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_labelled_line_gets_its_verdict(doc: Path) -> None:
    assert disagreements(doc) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_cardinal_rule(doc: Path) -> None:
    assert cardinal_violations(doc) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_labels_cover_both_verdicts_somewhere(doc: Path) -> None:
    verdicts = {e["verdict"] for e in labels_for(doc)["equations"]}
    assert "fails" in verdicts or "unchecked" in verdicts


@pytest.mark.parametrize("name", ["layer-zw.md", "blog-linear.md"])
def test_code_and_prose_give_no_finding(name: str) -> None:
    fs = findings(CORPUS / name)
    for line in labels_for(CORPUS / name)["not_math"]:
        assert in_range(fs, line, line) == []


def test_ignored_lines_give_no_finding() -> None:
    fs = findings(CORPUS / "broken.md")
    for line in labels_for(CORPUS / "broken.md")["ignored"]:
        assert in_range(fs, line, line) == []


def test_a_wrong_matrix_entry_points_at_its_own_line() -> None:
    fs = [f for f in findings(CORPUS / "worked-2x2.md") if f.verdict == "fails" and f.kind == "values"]
    entry = [f for f in fs if "entry (2,2)" in f.reason]
    assert len(entry) == 1 and entry[0].line == 15 and entry[0].source.strip().startswith("Y =")


def test_negative_control_a_planted_mistake_is_caught(tmp_path: Path) -> None:
    """The same document with a true line made false: the checker must notice the change."""
    src = (CORPUS / "layer-zw.md").read_text(encoding="utf-8").replace(r"\pd{L}{W} = Z^\top G \qquad", r"\pd{L}{W} = Z G \qquad")
    doc = tmp_path / "planted.md"
    doc.write_text(src, encoding="utf-8")
    got = [f.verdict for f in in_range(findings(doc), 11, 11)]
    assert got[0] == "fails"


@pytest.mark.skipif(not (SHARED / "affine-notes.md").exists(), reason="../shared/corpus is not beside this clone")
def test_shared_affine_notes() -> None:
    doc = SHARED / "affine-notes.md"
    assert cardinal_violations(doc) == []
    assert disagreements(doc) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_a_wrong_entry_is_reported_at_its_line(doc: Path) -> None:
    fs = findings(doc)
    for eq in labels_for(doc)["equations"]:
        if "at" in eq:
            assert [f.line for f in in_range(fs, *eq["lines"]) if f.verdict == "fails"] == [eq["at"]]
