"""`prove` for every layout, bias and loss: every true statement is proved for all
m, k, n, the fallacy ∂A/∂W = Zᵀ is rejected, and the derived entry formulas are the
ones math.md writes down (instantiated at concrete shapes and compared exactly)."""

from __future__ import annotations

import itertools

import pytest
import sympy as sp

from symderiv import Spec, Verdict
from symderiv.prove.derivation import prove, prove_with_formulas
from symderiv.prove.rules import as_expr

SPECS = [Spec(layout=lay, bias=bias, loss=loss)
         for lay, bias, loss in itertools.product(("zw", "zwt"), (True, False), ("generic", "sumsq"))]
z, w, g, a, b = (sp.IndexedBase(x) for x in "zwgab")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.layout}-{'bias' if s.bias else 'nobias'}-{s.loss}")
def test_every_statement_is_proved_for_all_shapes(spec: Spec) -> None:
    d = prove(spec)
    assert d.ok and d.method == "index" and d.for_all_shapes
    ids = [c.id for c in d.checks]
    assert ids == ["grad_W", "grad_Z"] + (["grad_B"] if spec.bias else []) + [
        "jacobian_entries", "jacobian_A_W_is_Zt", "jacobian_vjp", "jacobian_slices"]
    for c in d.checks:
        if c.id == "jacobian_A_W_is_Zt":
            assert c.verdict == Verdict.FAILS and "four indices" in c.reason and "δ" in c.reason
        else:
            assert c.verdict == Verdict.HOLDS and "every m, k, n" in c.reason


def _at(expr, sizes: dict[str, int], idx: dict[str, int]):
    subs = {sp.Symbol(k, integer=True, positive=True): v for k, v in {**sizes, **idx}.items()}
    return sp.expand(expr.xreplace(subs).doit())


# math.md, entry (p,q) of each closed form, written out here with concrete loops
def expected_entry(layout: str, name: str, m: int, k: int, n: int, p: int, q: int, up) -> sp.Expr:
    if name == "W" and layout == "zw":
        return sum(z[i, p] * up(i, q) for i in range(1, m + 1))  # ZᵀG
    if name == "W":
        return sum(up(i, p) * z[i, q] for i in range(1, m + 1))  # GᵀZ
    if name == "Z" and layout == "zw":
        return sum(up(p, j) * w[q, j] for j in range(1, n + 1))  # GWᵀ
    if name == "Z":
        return sum(up(p, j) * w[j, q] for j in range(1, n + 1))  # GW
    return sum(up(i, q) for i in range(1, m + 1))  # 𝟏ᵀG, entry q


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.layout}-{'bias' if s.bias else 'nobias'}-{s.loss}")
def test_final_entry_formulas_are_the_textbook_ones(spec: Spec) -> None:
    _, proof = prove_with_formulas(spec)
    up = (lambda i, j: g[i, j]) if spec.loss == "generic" else (lambda i, j: a[i, j])
    for m, k, n in ((3, 2, 4), (1, 2, 4), (3, 1, 4), (3, 2, 1)):
        sizes = {"m": m, "k": k, "n": n}
        for name, terms in proof.derived.items():
            formula = as_expr(terms)
            rows, cols = {"W": (k, n) if spec.layout == "zw" else (n, k), "Z": (m, k), "B": (1, n)}[name]
            for p in range(1, rows + 1):
                for q in range(1, cols + 1):
                    got = _at(formula, sizes, {"q": q} if name == "B" else {"p": p, "q": q})
                    want = expected_entry(spec.layout, name, m, k, n, p, q, up)
                    assert sp.expand(got - want) == 0, (name, m, k, n, p, q, got, want)


def test_jacobian_entry_formula_is_z_delta() -> None:
    for layout in ("zw", "zwt"):
        _, proof = prove_with_formulas(Spec(layout=layout))
        J = as_expr(proof.jacobian)
        i, j, p, q = (sp.Symbol(x, integer=True, positive=True) for x in "ijpq")
        want = z[i, p] * sp.KroneckerDelta(j, q) if layout == "zw" else z[i, q] * sp.KroneckerDelta(j, p)
        assert sp.expand(J - want) == 0


def test_sumsq_upstream_is_A() -> None:
    _, proof = prove_with_formulas(Spec(loss="sumsq"))
    p, q = (sp.Symbol(x, integer=True, positive=True) for x in "pq")
    assert proof.upstream == a[p, q]


def test_steps_show_the_deltas_and_their_collapse() -> None:
    from symderiv.render.text import to_text

    d = prove(Spec())
    step = next(s for s in d.steps if s.title == "∂L/∂W in index notation")
    chain = next(b.node for b in step.blocks if type(b).__name__ == "Display")
    texts = [to_text(part) for part in chain.parts]
    assert "δ" in texts[1] and "δ" not in texts[-1]  # deltas appear, then are gone
    notes = [b.text for b in step.blocks if type(b).__name__ == "Prose"]
    assert any("only l = p is left" in t and "1 to k" in t for t in notes)
    assert any("only j = q is left" in t and "1 to n" in t for t in notes)
