"""Labels of compphysics-backprop.md, under the notes' own definition z_j^l = Σ_i w_ij^l a_i^{l-1} + b_j^l
(w_ij joins unit i of layer l−1 to unit j of layer l, so z^l = (W^l)ᵀ a^{l-1} + b^l as the notes say),
a = f(z) the sigmoid, C = ½ Σ (a_i^L − t_i)²; a three-layer network (L = 3), the general layer l decided
at l = 2; every index statement is decided for all its index values."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.exceptions import ShapeError

try:
    from ._truth import Entry, build, col, main, mat, same, sigmoid
except ImportError:
    from _truth import Entry, build, col, main, mat, same, sigmoid

DOC = "compphysics-backprop.md"
SIZES = [dict(M0=2, M1=3, M2=2, M3=3), dict(M0=3, M1=2, M2=3, M3=2), dict(M0=3, M1=4, M2=2, M3=2)]


def forward(W, b, a_prev, start):
    a = a_prev
    for l in range(start, 4):
        a = (W[l].T * a + b[l]).applyfunc(sigmoid)
    return a


def net(s):
    M = [s["M0"], s["M1"], s["M2"], s["M3"]]
    W = [None] + [mat(f"w{l}", M[l - 1], M[l]) for l in (1, 2, 3)]
    b = [None] + [col(f"b{l}", M[l]) for l in (1, 2, 3)]
    a = [col("x", M[0])]
    z = [None]
    for l in (1, 2, 3):
        z.append(W[l].T * a[l - 1] + b[l])
        a.append(z[l].applyfunc(sigmoid))
    t = col("t", M[3])
    C = sum(((a[3] - t)[i] ** 2 for i in range(M[3])), sp.Integer(0)) / 2
    return dict(M=M, W=W, b=b, a=a, z=z, t=t, C=C)


def cost_of_z(n, l):
    """C with z^l replaced by a free vector Z, and Z."""
    Z = col(f"Z{l}", n["M"][l])
    aL = forward(n["W"], n["b"], Z.applyfunc(sigmoid), l + 1) if l < 3 else Z.applyfunc(sigmoid)
    return sum(((aL - n["t"])[i] ** 2 for i in range(n["M"][3])), sp.Integer(0)) / 2, Z


def delta(n, l):
    C, Z = cost_of_z(n, l)
    return sp.Matrix([sp.diff(C, e) for e in Z]).subs(dict(zip(Z, n["z"][l])))


def fp(z):
    return sigmoid(z) * (1 - sigmoid(z))


def w(n, l, i, j):
    W = n["W"][l]
    if not (0 <= i < W.rows and 0 <= j < W.cols):
        raise ShapeError(f"w_{i + 1}{j + 1}^{l} does not exist")
    return W[i, j]


def dz_dw(s):
    n = net(s)
    return all(same(sp.diff(n["z"][2][j], w(n, 2, i, j)), n["a"][1][i]) for i in range(n["M"][1]) for j in range(n["M"][2]))


def dz_da(s):
    n = net(s)
    A = col("A", n["M"][1])
    z2 = n["W"][2].T * A + n["b"][2]
    return all(same(sp.diff(z2[j], A[i]), w(n, 2, j, i)) for i in range(n["M"][1]) for j in range(n["M"][2]))


def sigmoid_prime(_s):
    zz = sp.Symbol("zz")
    a = sigmoid(zz)
    return same(sp.diff(a, zz), a * (1 - a))


def dC_dw_L(rhs):
    """∂C/∂w_jk^L against a published right side rhs(n, j, k), for every j, k that index w^L."""
    def check(s):
        n = net(s)
        for j in range(n["M"][2]):
            for k in range(n["M"][3]):
                if not same(sp.diff(n["C"], w(n, 3, j, k)), rhs(n, j, k)):
                    return False
        return True
    return check


def aL(n, j):
    if j >= n["M"][3]:
        raise ShapeError(f"a_{j + 1}^L does not exist")
    return n["a"][3][j]


def rhs_first(n, j, k):
    return (aL(n, j) - n["t"][j]) * sp.diff(aL(n, j), w(n, 3, j, k))


def rhs_chain(n, j, k):
    return aL(n, j) * (1 - aL(n, j)) * n["a"][2][k] if k < n["M"][2] else _missing()


def rhs_delta(n, j, k):
    return delta(n, 3)[j] * n["a"][2][k] if (j < n["M"][3] and k < n["M"][2]) else _missing()


def _missing():
    raise ShapeError("an index out of its layer")


def da_dw(s):
    n = net(s)
    for j in range(min(n["M"][2], n["M"][3])):
        for k in range(n["M"][3]):
            if not same(sp.diff(aL(n, j), w(n, 3, j, k)), rhs_chain(n, j, k)):
                return False
    return True


def delta_L_formula(s):
    n = net(s)
    A = col("A", n["M"][3])
    dCdA = sp.Matrix([sp.diff(sum(((A - n["t"])[i] ** 2 for i in range(n["M"][3])), sp.Integer(0)) / 2, e) for e in A])
    dCdA = dCdA.subs(dict(zip(A, n["a"][3])))
    d = [aL(n, j) * (1 - aL(n, j)) * (aL(n, j) - n["t"][j]) for j in range(n["M"][3])]
    return all(same(d[j], fp(n["z"][3][j]) * dCdA[j]) and same(d[j], delta(n, 3)[j]) for j in range(n["M"][3]))


def delta_L_is_dC_dz(s):
    n = net(s)
    return same(delta(n, 3), sp.Matrix([fp(n["z"][3][j]) * (aL(n, j) - n["t"][j]) for j in range(n["M"][3])]))


def delta_L_is_dC_db(s):
    n = net(s)
    return same(delta(n, 3), sp.Matrix([sp.diff(n["C"], e) for e in n["b"][3]]))


def chain_sum(s):
    n = net(s)
    C3, Z3 = cost_of_z(n, 3)
    d3 = delta(n, 3)
    Z2 = col("Y2", n["M"][2])
    z3_of = n["W"][3].T * Z2.applyfunc(sigmoid) + n["b"][3]
    J = sp.Matrix(n["M"][3], n["M"][2], lambda k, j: sp.diff(z3_of[k], Z2[j])).subs(dict(zip(Z2, n["z"][2])))
    return same(delta(n, 2), J.T * d3)


def recursion(index):
    def check(s):
        n = net(s)
        d2, d3 = delta(n, 2), delta(n, 3)
        for j in range(n["M"][2]):
            rhs = sum((d3[k] * (w(n, 3, k, j) if index == "kj" else w(n, 3, j, k)) for k in range(n["M"][3])), sp.Integer(0))
            if not same(d2[j], rhs * fp(n["z"][2][j])):
                return False
        return True
    return check


W_KJ = "w_kj^{l+1} where the notes' own z_j^{l+1} = Σ_i w_ij a_i gives w_jk^{l+1}"
W_JK = "with w_jk joining unit j of layer L−1 to unit k of layer L (the notes' convention): ∂C/∂w_jk = δ_k a_j^{L-1}"
ENTRIES = [
    Entry(r"{\cal C}(\boldsymbol{W})  =", True, "the cost", verdict="definition"),
    Entry(r"z_j^l = \sum_{i=1}^{M_{l-1}}w_{ij}^la_i^{l-1}+b_j^l,", True, "the layer", verdict="definition"),
    Entry(r"\boldsymbol{z}^l = \left(\boldsymbol{W}^l\right)^T", True, "the layer in matrix form", verdict="definition"),
    Entry(r"a_j^l = f(z_j^l) = \frac{1}{1+\exp{-(z_j^l)}}.", True, "the sigmoid", verdict="definition"),
    Entry(r"\frac{\partial z_j^l}{\partial w_{ij}^l} = a_i^{l-1},", True, "∂z_j/∂w_ij = a_i", check=dz_dw),
    Entry(r"\frac{\partial z_j^l}{\partial a_i^{l-1}} = w_{ji}^l.", True, "w_ij, not w_ji", check=dz_da),
    Entry(r"\frac{\partial a_j^l}{\partial z_j^{l}} = a_j^l(1-a_j^l)", True, "σ' = σ(1 − σ)", check=sigmoid_prime),
    Entry(r"{\cal C}(\boldsymbol{W^L})  =  \frac{1}{2}", True, "the cost at the output (y ≡ a^L)", verdict="definition"),
    Entry(r"=  \left(a_j^L - t_j\right)\frac{\partial a_j^L}{\partial w_{jk}^{L}},", True, W_JK + "; w_jk^L moves a_k^L",
          check=dC_dw_L(rhs_first)),
    Entry(r"\frac{\partial a_j^L}{\partial w_{jk}^{L}} = \frac{\partial a_j^L}{\partial z_{j}^{L}}", True,
          "w_jk^L does not enter a_j^L unless j = k; ∂z_j/∂w_ij = a_i", check=da_dw),
    Entry(r"=  \left(a_j^L - t_j\right)a_j^L(1-a_j^L)a_k^{L-1},", True, W_JK,
          check=dC_dw_L(lambda n, j, k: aL(n, j) * (1 - aL(n, j)) * (aL(n, j) - n["t"][j]) * n["a"][2][k]
                        if k < n["M"][2] else _missing())),
    Entry(r"\delta_j^L = a_j^L(1-a_j^L)\left(a_j^L - t_j\right) = f'(z_j^L)", True,
          "δ_j^L named, and σ'(z)(a − t) = f'(z) ∂C/∂a", check=delta_L_formula),
    Entry(r"\boldsymbol{\delta}^L = f'(\boldsymbol{z}^L)\circ", True, "entrywise", check=delta_L_is_dC_dz),
    Entry(r"=  \delta_j^La_k^{L-1}.", True, W_JK, check=dC_dw_L(rhs_delta)),
    Entry(r"\delta_j^L =\frac{\partial {\cal C}}{\partial z_j^L}= \frac{\partial {\cal C}}{\partial a_j^L}", True,
          "δ_j^L = ∂C/∂z_j^L", check=delta_L_is_dC_dz),
    Entry(r"\delta_j^L = \frac{\partial {\cal C}}{\partial b_j^L}\frac{\partial b_j^L}{\partial z_j^L}", False,
          "∂b/∂z of a bias that is not a function of z", verdict="skip"),
    Entry(r"=  \delta_j^La_k^{L-1},", True, W_JK, check=dC_dw_L(rhs_delta), after="The starting equations"),
    Entry(r"\delta_j^L = f'(z_j^L)\frac{\partial {\cal C}}{\partial (a_j^L)},", True, "f'(z_j) ∂C/∂a_j",
          check=delta_L_is_dC_dz, after="The starting equations"),
    Entry(r"\delta_j^L = \frac{\partial {\cal C}}{\partial b_j^L},", True, "∂C/∂b_j^L", check=delta_L_is_dC_db),
    Entry(r"\delta_j^l =\frac{\partial {\cal C}}{\partial z_j^l}.", True, "δ^l named", verdict="definition"),
    Entry(r"\delta_j^l =\sum_k \frac{\partial {\cal C}}{\partial z_k^{l+1}}", True, "the chain rule over the units of l+1",
          check=chain_sum),
    Entry(r"z_j^{l+1} = \sum_{i=1}^{M_{l}}w_{ij}^{l+1}a_i^{l}+b_j^{l+1},", True, "the layer again", verdict="definition"),
    Entry(r"\delta_j^l =\sum_k \delta_k^{l+1}w_{kj}^{l+1}f'(z_j^l),", True, W_KJ, check=recursion("kj")),
    Entry(r"\delta_j^L = f'(z_j^L)\frac{\partial {\cal C}}{\partial (a_j^L)}.", True, "f'(z_j) ∂C/∂a_j", check=delta_L_is_dC_dz),
    Entry(r"\delta_j^l = \sum_k \delta_k^{l+1}w_{kj}^{l+1}f'(z_j^l).", True, W_KJ, check=recursion("kj")),
    Entry(r"w_{jk}^l\leftarrow", False, "an update step", verdict="skip"),
    Entry(r"b_j^l \leftarrow", False, "an update step", verdict="skip"),
]


def labels() -> dict:
    return build(DOC, "z_j^l = Σ_i w_ij^l a_i^{l-1} + b_j^l, sigmoid, squared error; three layers", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))
