"""Rows and columns written as slices: X_{i,:} is row i of X (1×c), X_{:,j} column j (r×1), as in
NumPy, MATLAB and Goodfellow et al.'s notation. Each claim's truth is computed here with sympy, on
matrices of symbols built independently of symderiv, at several shapes with a 1 in each dimension,
then compared with the verdict: a true claim holds, a false one fails (never a false hold)."""

from __future__ import annotations

import pytest
import sympy as sp

from symderiv.claims import check_claim

SHAPES = [(3, 2, 4), (2, 4, 3), (1, 2, 3), (3, 1, 2), (2, 3, 1)]


def _layer(m: int, k: int, n: int) -> dict[str, sp.Matrix]:
    Z = sp.Matrix(m, k, lambda i, j: sp.Symbol(f"z{i}{j}"))
    W = sp.Matrix(k, n, lambda i, j: sp.Symbol(f"w{i}{j}"))
    G = sp.Matrix(m, n, lambda i, j: sp.Symbol(f"g{i}{j}"))
    B = sp.Matrix(1, n, lambda _, j: sp.Symbol(f"b{j}"))
    A = Z * W + sp.ones(m, 1) * B
    L = sum(G.multiply_elementwise(A))  # the loss whose upstream gradient is G
    grad = {name: X.applyfunc(lambda x: sp.diff(L, x)) for name, X in (("Z", Z), ("W", W), ("B", B))}
    return {"Z": Z, "W": W, "G": G, "B": B, "A": A, "dZ": grad["Z"], "dW": grad["W"], "dB": grad["B"]}


def _sum(rows: list[sp.Matrix]) -> sp.Matrix:
    out = rows[0]
    for r in rows[1:]:
        out = out + r
    return out


# (claim, the free index's owner ("row of X" / "col of X") or None, lhs(M, i), rhs(M, i)); i is 0-based
CASES = [
    ("dL/dW_{:,j} = Z^T G_{:,j}", ("col", "W"), lambda M, j: M["dW"][:, j], lambda M, j: M["Z"].T * M["G"][:, j]),
    ("dL/dW_{:,j} = Z^T G_{:,1}", ("col", "W"), lambda M, j: M["dW"][:, j], lambda M, j: M["Z"].T * M["G"][:, 0]),
    ("dL/dW_{:,j} = Z G_{:,j}", ("col", "W"), lambda M, j: M["dW"][:, j], lambda M, j: M["Z"] * M["G"][:, j]),
    ("dL/dW_{j,:} = Z_{:,j}^T G", ("row", "W"), lambda M, j: M["dW"][j, :], lambda M, j: M["Z"][:, j].T * M["G"]),
    ("dL/dW_{j,:} = G^T Z_{:,j}", ("row", "W"), lambda M, j: M["dW"][j, :], lambda M, j: M["G"].T * M["Z"][:, j]),
    ("dL/dZ_{i,:} = G_{i,:} W^T", ("row", "Z"), lambda M, i: M["dZ"][i, :], lambda M, i: M["G"][i, :] * M["W"].T),
    ("dL/dZ_{i,:} = G_{i,:} W", ("row", "Z"), lambda M, i: M["dZ"][i, :], lambda M, i: M["G"][i, :] * M["W"]),
    ("dL/dZ_{i,:} = W G_{i,:}^T", ("row", "Z"), lambda M, i: M["dZ"][i, :], lambda M, i: M["W"] * M["G"][i, :].T),
    ("dL/dZ_{:,p} = G W_{p,:}^T", ("col", "Z"), lambda M, p: M["dZ"][:, p], lambda M, p: M["G"] * M["W"][p, :].T),
    ("dL/dZ_{:,p} = G W_{:,p}", ("col", "Z"), lambda M, p: M["dZ"][:, p], lambda M, p: M["G"] * M["W"][:, p]),
    ("dL/dW = \\sum_i Z_{i,:}^T G_{i,:}", None, lambda M, _: M["dW"],
     lambda M, _: _sum([M["Z"][i, :].T * M["G"][i, :] for i in range(M["Z"].rows)])),
    ("dL/dW = 2 \\sum_i Z_{i,:}^T G_{i,:}", None, lambda M, _: M["dW"],
     lambda M, _: 2 * _sum([M["Z"][i, :].T * M["G"][i, :] for i in range(M["Z"].rows)])),
    ("dL/dW = \\sum_i Z_{i,:} G_{i,:}^T", None, lambda M, _: M["dW"],
     lambda M, _: _sum([M["Z"][i, :] * M["G"][i, :].T for i in range(M["Z"].rows)])),
    ("dL/dB = \\sum_i G_{i,:}", None, lambda M, _: M["dB"], lambda M, _: _sum([M["G"][i, :] for i in range(M["G"].rows)])),
    ("dL/dB = \\sum_j G_{:,j}^T", None, lambda M, _: M["dB"],
     lambda M, _: _sum([M["G"][:, j].T for j in range(M["G"].cols)])),
    ("A_{i,:} = Z_{i,:} W + B", ("row", "Z"), lambda M, i: M["A"][i, :], lambda M, i: M["Z"][i, :] * M["W"] + M["B"]),
    ("A_{i,:} = Z_{i,:} W", ("row", "Z"), lambda M, i: M["A"][i, :], lambda M, i: M["Z"][i, :] * M["W"]),
    ("A_{:,j} = Z W_{:,j} + B_{:,j}", ("col", "W"), lambda M, j: M["A"][:, j],
     lambda M, j: M["Z"] * M["W"][:, j] + sp.ones(M["Z"].rows, 1) * M["B"][:, j]),
]


def _true(case: tuple) -> bool:
    _, free, lhs, rhs = case
    for m, k, n in SHAPES:
        M = _layer(m, k, n)
        count = 1 if free is None else (M[free[1]].rows if free[0] == "row" else M[free[1]].cols)
        for i in range(count):
            try:
                a, b = lhs(M, i), rhs(M, i)
            except sp.ShapeError:
                return False
            if a.shape != b.shape or sp.expand(a - b) != sp.zeros(*a.shape):
                return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_slice_claim_gets_the_verdict_its_truth_gives(case: tuple) -> None:
    verdict = check_claim(case[0]).verdict.value
    assert verdict == ("holds" if _true(case) else "fails"), verdict


def test_the_table_holds_true_and_false_claims() -> None:
    truths = [_true(c) for c in CASES]
    assert 5 <= sum(truths) <= len(CASES) - 5  # a negative control on each side


@pytest.mark.parametrize("claim", ["dL/dW_{:,:} = Z^T G", "dL/dW_{i:} = Z^T G", "dL/dW_{:} = Z^T G"])
def test_a_slice_with_no_index_is_never_a_hold(claim: str) -> None:
    assert check_claim(claim).verdict.value != "holds"


def test_a_bold_slice_is_read_as_a_plain_one() -> None:
    lhs = "\\frac{\\partial L}{\\partial \\mathbf{W}_{:,j}}"
    assert check_claim(lhs + " = \\mathbf{Z}^T \\mathbf{G}_{:,j}").verdict.value == "holds"
    assert check_claim(lhs + " = \\mathbf{Z}^T \\mathbf{G}_{:,2}").verdict.value == "fails"
