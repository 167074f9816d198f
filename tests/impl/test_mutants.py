"""An adversary for the oracle: random mutants of a right backward (an entry nudged, a
scale, an extra term, a row dropped), built here by hand, must all be caught in both
modes at the output that was mutated, while the unmutated function passes."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from symderiv.impl import check_impl

KINDS = ("nudge", "scale", "extra term", "drop row")


def right(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.sum(axis=0)


def mutant(kind: str, output: int, where: tuple[int, int], amount: Fraction):
    def backward(Z, W, b, G):
        outs = list(right(Z, W, b, G))
        x = outs[output].copy()
        idx = (where[0] % x.shape[0],) + ((where[1] % x.shape[1],) if x.ndim == 2 else ())
        if kind == "nudge":
            x[idx] = x[idx] + float(amount)
        elif kind == "scale":
            x = x * float(amount)
        elif kind == "extra term":  # a plausible slip: G's first column leaks into the entry
            x[idx] = x[idx] + G[0, 0] * float(amount)
        else:
            x = x.copy()
            x[idx[0]] = x[idx[0]] * 0
        outs[output] = x
        return tuple(outs)
    return backward


amounts = st.fractions(min_value=-8, max_value=8, max_denominator=4).filter(lambda a: a not in (0, 1))


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(KINDS), output=st.integers(0, 2), where=st.tuples(st.integers(0, 5), st.integers(0, 5)),
       amount=amounts, mode=st.sampled_from(["symbolic", "integer"]))
def test_random_mutants_are_caught_where_they_were_made(kind, output, where, amount, mode) -> None:
    report = check_impl(mutant(kind, output, where, amount), kind, mode=mode, extra_shapes=False)
    name = ("dZ", "dW", "db")[output]
    assert report.findings[name] is not None, (kind, name, amount, report.text())
    assert [n for n, f in report.findings.items() if f is not None] == [name]


def test_the_unmutated_function_passes_in_both_modes() -> None:
    for mode in ("symbolic", "integer"):
        assert check_impl(right, "right", mode=mode).ok
