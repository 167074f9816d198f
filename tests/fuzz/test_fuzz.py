"""The differential fuzzer in `make test`: seeded claims decided by the independent
reference (tests/fuzz/reference.py) and by symderiv. symderiv must never say
`holds` where the reference says false; `fails` where the reference says true
is counted and bounded; `unchecked` is allowed and counted. Every disagreement
ever found is replayed from tests/fuzz/regressions.json. The reference itself is
checked against hand-worked facts, with planted wrong answers it must reject."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest

from .expr import (
    Case,
    T,
    add,
    badd,
    entry,
    frob,
    grad,
    had,
    kron,
    loss,
    mat,
    mm,
    norm2,
    num,
    ones,
    scale,
    ssum,
    sub,
    tr,
    vec,
    vecop,
)
from .generator import generate
from .reference import decide
from .run import Tally, judge, summary, symderiv_verdict

SEED = 20261128
COUNT = 2000  # about 20 s on the reference machine (2 cores); the large batch is `make fuzz`
FALSE_FAILS_MAX = Fraction(5, 100)  # of the reference-true claims: wrong `fails` are bugs too, bounded here
REGRESSIONS = Path(__file__).with_name("regressions.json")
# A ratchet: true regression cases symderiv still calls `fails` (known engine bugs, listed in the
# findings); lower it as they are fixed, never raise it.
KNOWN_FALSE_FAILS = 39

A, B, X, W, Y, G = (mat(c) for c in "ABXWYG")
x, y, b, w = vec("x"), vec("y"), vec("b"), vec("w")


def _layer(rhs, lhs=None, conv="XW", decls=None):
    prod = {"XW": mm(X, W), "WX": mm(W, X)}[conv]
    return Case("", None, lhs or grad(loss(), b), rhs, "true", "hand", decls=decls or {},
                defs={"Y": badd(prod, b, "row" if conv == "XW" else "col")}, bias="b", upstream="G", output="Y")


# (case, expected reference verdict): worked by hand, independently of the reference's code
HAND = [
    (Case("", None, tr(mm(A, B)), tr(mm(B, A)), "true", "hand"), True),
    (Case("", None, tr(mm(A, B)), tr(mm(T(A), B)), "mutant", "hand"), False),  # square only, then wrong values
    (Case("", None, T(mm(A, B)), mm(T(B), T(A)), "true", "hand"), True),
    (Case("", None, T(mm(A, B)), mm(T(A), T(B)), "mutant", "hand"), False),
    (Case("", None, frob(A, B), tr(mm(T(A), B)), "true", "hand"), True),
    (Case("", None, had(A, B), had(B, A), "true", "hand"), True),
    (Case("", None, grad(mm(mm(T(x), A), x), x), mm(add(A, T(A)), x), "true", "hand"), True),
    (Case("", None, grad(mm(mm(T(x), A), x), x), scale(num(2), mm(A, x)), "mutant", "hand"), False),
    (Case("", None, grad(mm(mm(T(x), A), x), x), scale(num(2), mm(A, T(x))), "mutant", "hand"), False),  # x would be 1×1
    (Case("", None, norm2(had(x, x)), mm(had(x, x), T(had(x, x))), "mutant", "hand"), False),  # an outer product
    (Case("", None, grad(tr(mm(mm(A, X), B)), X), mm(T(A), T(B)), "true", "hand"), True),
    (Case("", None, grad(tr(mm(mm(A, X), B)), X), mm(T(B), T(A)), "mutant", "hand"), False),
    (Case("", None, grad(norm2(sub(mm(X, w), y)), w), scale(num(2), mm(T(X), sub(mm(X, w), y))), "true", "hand"), True),
    (Case("", None, grad(norm2(sub(mm(X, w), y)), w), scale(num(2), mm(X, sub(mm(X, w), y))), "mutant", "hand"), False),
    (Case("", None, entry(mm(A, B), "i", "j"), ssum("k", mm(entry(A, "i", "k"), entry(B, "k", "j"))), "true", "hand"), True),
    (Case("", None, entry(mm(A, B), "i", "j"), ssum("k", mm(entry(A, "k", "i"), entry(B, "k", "j"))), "mutant", "hand"),
     False),
    (Case("", None, vecop(mm(mm(A, X), B)), mm(kron(T(B), A), vecop(X)), "true", "hand"), True),
    (Case("", None, vecop(mm(mm(A, X), B)), mm(kron(A, T(B)), vecop(X)), "mutant", "hand"), False),
    (_layer(mm(T(ones()), G)), True),  # column sums of G
    (_layer(mm(T(G), ones())), True),  # the same vector written as a column
    (_layer(G), False),  # the batch sum missing
    (_layer(mm(G, ones())), False),  # row sums
    (_layer(G, decls={"W": (2, 1)}), False),  # one output: ∂L/∂b is 1×1, G is N×1
    (_layer(mm(T(ones()), G), decls={"W": (2, 1)}), True),
    (_layer(mm(G, ones()), conv="WX"), True),  # Y = WX + b: one bias entry per row of Y
    (_layer(mm(T(ones()), G), conv="WX"), False),
    (Case("", None, had(A, B), had(B, A), "true", "hand", decls={"A": (1, 3)}), True),  # B is 1×3 by A's declaration
    (Case("", None, mm(x, x), mm(T(x), x), "true", "hand", decls={"x": (1, 1)}), True),  # a declared 1 is not forced
    (Case("", None, mm(x, x), mm(T(x), x), "mutant", "hand"), False),  # …an undeclared one is
    (_layer(mm(G, X), lhs=grad(loss(), W), decls={"W": (2, 1)}), False),  # G X needs a batch of one: N is not declared
    (_layer(mm(T(X), G), lhs=grad(loss(), W)), True),
    (_layer(mm(G, T(X)), lhs=grad(loss(), W)), False),
    (_layer(mm(G, T(X)), lhs=grad(loss(), W), conv="WX"), True),
]


@pytest.mark.parametrize("case,expected", HAND, ids=[f"hand{i}" for i in range(len(HAND))])
def test_reference_agrees_with_hand_worked_facts(case: Case, expected: bool) -> None:
    verdict, why = decide(case, random.Random(0))
    assert verdict is expected, why


def test_reference_sees_a_size_forced_to_one() -> None:
    verdict, why = decide(HAND[8][0], random.Random(1))
    assert verdict is False and "size 1" in why


@pytest.fixture(scope="module")
def tally() -> Tally:
    t = Tally()
    for case in generate(SEED, COUNT):
        judge(case, t)
    print("\n" + summary(t))
    return t


def _show(rows: list[dict]) -> str:
    return "\n".join(f"  {r['claim']!r} context={r['context']!r}: symderiv {r['symderiv']} ({r['symderiv_reason'][:120]}); "
                     f"reference {r['reference']} ({r['reference_why'][:120]})" for r in rows[:15])


def test_generator_makes_both_kinds(tally: Tally) -> None:
    c = tally.counts
    assert c["claims"] == COUNT
    assert c["ref_true"] > COUNT // 4 and c["ref_false"] > COUNT // 4, summary(tally)
    assert c["ref_skipped"] < COUNT // 50, summary(tally)


def test_reference_confirms_the_generators_identities(tally: Tally) -> None:
    """Two independent constructions agree: every identity built by a rule is true for the reference."""
    assert tally.counts["intent_true_ref_False"] == 0, summary(tally)
    assert tally.counts["intent_mutant_ref_False"] > tally.counts["intent_mutant"] // 2, summary(tally)


def test_no_false_holds(tally: Tally) -> None:
    assert not tally.false_holds, f"{len(tally.false_holds)} false holds:\n{_show(tally.false_holds)}"


def test_no_crashes(tally: Tally) -> None:
    """check_claim returns a verdict for every generated claim; it never raises."""
    crashes = [e for e in tally.errors if e["symderiv"] == "crash"]
    assert tally.counts["symderiv_crash"] == 0, f"{tally.counts['symderiv_crash']} crashes:\n{_show(crashes)}"


def test_false_fails_bounded(tally: Tally) -> None:
    bound = FALSE_FAILS_MAX * tally.counts["ref_true"]
    assert len(tally.false_fails) <= bound, f"{len(tally.false_fails)} false fails (bound {bound}):\n{_show(tally.false_fails)}"


def test_harness_catches_a_planted_false_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: an engine that says `holds` to everything is caught."""
    from . import run

    monkeypatch.setattr(run, "symderiv_verdict", lambda claim, context: ("holds", "planted"))
    t = Tally()
    for case in generate(SEED, 60):
        run.judge(case, t)
    assert t.false_holds and t.counts["ref_false"] == len(t.false_holds)


@pytest.fixture(scope="module")
def replayed() -> list[dict]:
    """Every regression case with symderiv's verdict today."""
    rows = json.loads(REGRESSIONS.read_text(encoding="utf-8")) if REGRESSIONS.exists() else []
    out = []
    for r in rows:
        verdict, reason = symderiv_verdict(r["claim"], r["context"])
        out.append({**r, "symderiv": verdict, "symderiv_reason": reason, "reference_why": r["why"]})
    return out


def test_regressions_never_hold_when_false(replayed: list[dict]) -> None:
    wrong = [r for r in replayed if r["reference"] is False and r["symderiv"] == "holds"]
    assert not wrong, f"{len(wrong)} regression cases hold although false:\n{_show(wrong)}"


def test_regressions_never_crash(replayed: list[dict]) -> None:
    crashed = [r for r in replayed if r["symderiv"] == "crash"]
    assert not crashed, f"{len(crashed)} regression cases crash:\n{_show(crashed)}"


def test_regressions_true_claims_mostly_not_failing(replayed: list[dict]) -> None:
    cases = [r for r in replayed if r["reference"] is True]
    wrong = [r for r in cases if r["symderiv"] == "fails"]
    assert len(wrong) <= KNOWN_FALSE_FAILS, f"{len(wrong)} of {len(cases)} true regression cases fail:\n{_show(wrong)}"


def test_regression_file_is_well_formed(replayed: list[dict]) -> None:
    assert replayed, "tests/fuzz/regressions.json is missing or empty"
    assert all(r["reference"] in (True, False) and r["claim"] for r in replayed)
