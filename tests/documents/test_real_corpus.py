"""The real notes (tests/corpus/real): public documents by other authors, their equations and mistakes
kept character for character, each equation labelled by a sympy script of its own (labels/, which
imports nothing from symderiv). `check` must never accept a false one; where it rejects a true one
or says nothing, the gap must be listed below with its reason, and the list may only shrink; the
number of strict equations decided right may only go up (RATCHET). Figures: tests/corpus/real/measure.py."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[1] / "corpus" / "real"
sys.path.insert(0, str(REAL))
sys.path.insert(0, str(REAL / "labels"))
measure = importlib.import_module("measure")

DOCS = measure.documents()

# Strict equations decided right today; raise it when the checker gets better, never lower it.
# 13 on b8ad506; 55 with one reader of math (2026-12-04); 66 with stacked rows, ↦, ⟹, 1/N;
# 69 with dX = ∂L/∂X and cases as definitions; 71 with a stacked bias declared after it (2026-12-05);
# 72 with a labelled weight's entry as a variable, 74 with δ^l = ∂C/∂z^l read as the gradient it names,
# 76 with activations written entry by entry, 84 with the output layer L read as the instance l = L,
# 87 with layer l+1 read as layer l one label up (the backward recursion); 95 with a fourteenth document
# (nndl-solutions-chap2.md, 6 of its 12) and layers written entry by entry with a labelled matrix and vectors;
# 96 with inline math over lines holding matrices, and chains judged up to an ellipsis
RATCHET = 96

# (document, line) → why the checker rejects a true equation there or gives no finding at all.
# Remove an entry once the gap is closed (the test says which).
KNOWN_GAPS: dict[tuple[str, int], str] = {}  # every false rejection and silent line of b8ad506 is closed

# document → the exception `check` raises on it (a traceback, where the contract wants findings). While a
# document is listed, its labelled equations are not compared; once it no longer crashes the test says so:
# remove it here and list the gaps it then shows (if any) in KNOWN_GAPS.
KNOWN_CRASHES: dict[str, str] = {}  # the three KeyErrors in claims/infer._orient are fixed


@pytest.fixture(scope="module")
def figures() -> list:
    return [measure.measure(d) for d in DOCS]


def test_the_corpus_is_large_enough_and_mixed() -> None:
    assert len(DOCS) >= 12
    assert {d.suffix for d in DOCS} == {".md", ".tex"}


def test_authors_published_mistakes_are_in_it() -> None:
    fails = sum(e["verdict"] == "fails" for d in DOCS for e in measure.labels_of(d)["equations"])
    assert fails >= 15


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_each_document_names_its_source(doc: Path) -> None:
    first = doc.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("<!-- source: " if doc.suffix == ".md" else "% source: ")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_labels_are_well_formed(doc: Path) -> None:
    n = len(doc.read_text(encoding="utf-8").splitlines())
    lab = measure.labels_of(doc)
    assert lab["document"] == doc.name and len(lab["sizes"]) >= 1
    for e in lab["equations"]:
        a, b = e["lines"]
        assert 1 <= a <= b <= n
        assert e["verdict"] in ("holds", "fails", "definition", "skip") and isinstance(e["strict"], bool) and e["why"]
        assert not (e["verdict"] == "skip" and e["strict"])


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_the_label_script_reproduces_the_labels(doc: Path) -> None:
    """Labels cannot drift: the committed file is exactly what the document's sympy script computes."""
    script = importlib.import_module(doc.stem.replace("-", "_"))
    assert "symderiv" not in Path(script.__file__).read_text(encoding="utf-8")
    assert script.labels() == measure.labels_of(doc)


def test_the_truth_kit_catches_a_planted_mistake() -> None:
    """Negative control for the label scripts: a wrong transpose, a wrong order and a true identity."""
    import sympy as sp
    from _truth import decide, grad, loss, mat, same

    def case(kind: str):
        def check(s: dict) -> bool:
            X, W = mat("x", s["n"], s["d"]), mat("w", s["d"], s["m"])
            Ys = mat("y", s["n"], s["m"])
            G = grad(loss(Ys), Ys).subs(dict(zip(Ys, X * W)))
            rhs = {"true": lambda: X.T * G, "transpose": lambda: X * G.T, "order": lambda: G * X}[kind]
            return same(grad(loss(X * W), W), rhs())
        return check

    sizes = [dict(n=2, d=3, m=2), dict(n=3, d=2, m=1)]
    assert decide(case("true"), sizes) == "holds"
    assert decide(case("transpose"), sizes) == "fails"
    assert decide(case("order"), sizes) == "fails"
    assert not same(sp.Matrix([[1, 2]]), sp.Matrix([[1], [2]]))


def test_no_false_equation_is_accepted(figures: list) -> None:
    bad = [f"{f.name}:{line}" for f in figures for line in f.false_acc]
    assert bad == [], f"`holds` on equations their labels say are false: {bad}"


def test_crashes_are_only_the_known_ones(figures: list) -> None:
    now = {f.name: f.crashed for f in figures if f.crashed}
    assert sorted(now.keys() - KNOWN_CRASHES.keys()) == [], f"check crashes on: {now}"
    closed = sorted(KNOWN_CRASHES.keys() - now.keys())
    assert closed == [], f"no longer crashing: remove from KNOWN_CRASHES and list their gaps: {closed}"


def test_gaps_are_only_the_known_ones(figures: list) -> None:
    now = {(f.name, line) for f in figures if not f.crashed for line in f.false_rej + f.silent}
    new = sorted(now - KNOWN_GAPS.keys())
    closed = sorted(KNOWN_GAPS.keys() - now)
    assert new == [], f"new false rejections or silent equations (fix them; do not list them): {new}"
    assert closed == [], f"these gaps are closed: remove them from KNOWN_GAPS: {closed}"


def test_strict_right_only_goes_up(figures: list) -> None:
    right = sum(f.strict_right for f in figures)
    assert right >= RATCHET, f"{right} strict equations decided right, fewer than the ratchet's {RATCHET}"
    if right > RATCHET:
        print(f"strict-right is {right}: raise RATCHET in {__file__}")


def test_measure_prints_the_table(figures: list) -> None:
    text = measure.table(figures)
    assert text.splitlines()[0].split()[:3] == ["document", "found", "judged"] and "total" in text
    assert json.dumps([f.name for f in figures])
