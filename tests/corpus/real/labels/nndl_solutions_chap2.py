"""Labels of nndl-solutions-chap2.md under Nielsen's conventions, which the notebook uses: z^l = w^l a^{l-1} + b^l
(w^l_{jk} joins unit k of layer l−1 to unit j of layer l), a^l = σ(z^l), the cost C any function of the output
a^L (a nonlinear one here), δ^l_j = ∂C/∂z^l_j, ∇_a C = ∂C/∂a^L, Σ'(z) the diagonal matrix of σ'(z). A
three-layer network at two size choices; a statement about a general layer l is decided at every l it can
name. Exercise 3's statements are decided for the identity activation it states."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, col, had, loss, main, mat, same, sigmoid
except ImportError:
    from _truth import Entry, build, col, had, loss, main, mat, same, sigmoid

DOC = "nndl-solutions-chap2.md"
SIZES = [dict(n0=2, n1=3, n2=4, n3=2), dict(n0=3, n1=2, n2=3, n3=4)]
L = 3


def _identity(x):
    return x


def net(s, act=sigmoid):
    n = [s["n0"], s["n1"], s["n2"], s["n3"]]
    w = [None] + [mat(f"w{l}", n[l], n[l - 1]) for l in (1, 2, 3)]
    b = [None] + [col(f"b{l}", n[l]) for l in (1, 2, 3)]
    a, z = [col("x", n[0])], [None]
    for l in (1, 2, 3):
        z.append(w[l] * a[l - 1] + b[l])
        a.append(z[l].applyfunc(act))
    return dict(n=n, w=w, b=b, a=a, z=z, act=act, C=loss(a[L]))


def cost_from(N, l):
    """C as a function of a free z^l (Z), and Z."""
    Z = col(f"Z{l}", N["n"][l])
    a = Z.applyfunc(N["act"])
    for m in range(l + 1, L + 1):
        a = (N["w"][m] * a + N["b"][m]).applyfunc(N["act"])
    return loss(a), Z


def delta(N, l):
    C, Z = cost_from(N, l)
    return sp.Matrix([sp.diff(C, e) for e in Z]).subs(dict(zip(Z, N["z"][l])))


def grad_a(N):
    A = col("A", N["n"][L])
    return sp.Matrix([sp.diff(loss(A), e) for e in A]).subs(dict(zip(A, N["a"][L])))


def dact(N, z):
    t = sp.Symbol("t_")
    d = sp.diff(N["act"](t), t)
    return z.applyfunc(lambda e: d.subs(t, e))


def Sigma(N, l):
    return sp.diag(*dact(N, N["z"][l]))


def bp1_both(s):
    N = net(s)
    return same(delta(N, L), had(dact(N, N["z"][L]), grad_a(N))) and same(delta(N, L), Sigma(N, L) * grad_a(N))


def hadamard_sum(s):
    n = s["n0"]
    X, Y = col("X", n), col("Y", n)
    total = sum((X[k] * Y[k] for k in range(n)), sp.Integer(0))
    return same(had(X, Y), had(Y, X)) and same(had(X, Y), total) and same(had(X, Y), sp.diag(*X) * Y)


def bp2_sigma_and_bp1(s):
    N = net(s)
    return all(same(delta(N, l), Sigma(N, l) * N["w"][l + 1].T * delta(N, l + 1)) for l in (1, 2)) and bp1_both(s)


def unrolled(s):
    N = net(s)
    rhs = Sigma(N, 1) * N["w"][2].T * Sigma(N, 2) * N["w"][3].T * Sigma(N, 3) * grad_a(N)
    return same(delta(N, 1), rhs)


def bp3(s):
    N = net(s)
    return all(same(sp.Matrix([sp.diff(N["C"], e) for e in N["b"][l]]), delta(N, l)) for l in (1, 2, 3))


def bp4(s):
    N = net(s)
    for l in (1, 2, 3):
        d = delta(N, l)
        W = N["w"][l]
        if not all(same(sp.diff(N["C"], W[j, k]), N["a"][l - 1][k] * d[j]) for j in range(W.rows) for k in range(W.cols)):
            return False
    return True


def chain_w(s):
    N = net(s)
    for l in (1, 2, 3):
        d, W, z = delta(N, l), N["w"][l], N["z"][l]
        if not all(same(sp.diff(N["C"], W[j, k]), d[j] * sp.diff(z[j], W[j, k]))
                   for j in range(W.rows) for k in range(W.cols)):
            return False
    return True


def dz_dw(s):
    N = net(s)
    return all(same(sp.diff(N["z"][l][j], N["w"][l][j, k]), N["a"][l - 1][k])
               for l in (1, 2, 3) for j in range(N["n"][l]) for k in range(N["n"][l - 1]))


def bias_solved(s):
    N = net(s)
    return all(same(N["b"][l], N["z"][l] - N["w"][l] * N["a"][l - 1]) for l in (1, 2, 3))


def bp2_component(s):
    N = net(s)
    for l in (1, 2):
        d, up, W = delta(N, l), delta(N, l + 1), N["w"][l + 1]
        sp_ = dact(N, N["z"][l])
        for j in range(N["n"][l]):
            if not same(d[j], sum((W[k, j] * up[k] for k in range(N["n"][l + 1])), sp.Integer(0)) * sp_[j]):
                return False
    return True


def linear_sentence(s):
    N = net(s, _identity)
    t = sp.Symbol("t_")
    return same(sp.diff(_identity(t), t), sp.Integer(1)) and all(same(N["a"][l], N["z"][l]) for l in (1, 2, 3))


def linear_output(s):
    N = net(s, _identity)
    return same(delta(N, L), grad_a(N))


def linear_hidden(s):
    N = net(s, _identity)
    return all(same(delta(N, l), N["w"][l + 1].T * delta(N, l + 1)) for l in (1, 2))


SIGMA_ = "Σ'(z) (the diagonal of σ') is not defined in the notebook"
MODIFIED = "a network where one neuron has its own activation f: another model than the chapter's"
ENTRIES = [
    Entry(r"* Rewriting **BP1**", False, "BP1 holds; " + SIGMA_, check=bp1_both),
    Entry(r"Take $X = ", True, "X ⊙ Y is the vector (x_k y_k), not the number Σ_k x_k y_k", check=hadamard_sum,
          to=r"& & & x_n\end{pmatrix}"),
    Entry(r"* For the last form", False, "BP2 with Σ' and BP1; " + SIGMA_, check=bp2_sigma_and_bp1),
    Entry(r"\begin{eqnarray}", False, "the unrolled recursion, with an ellipsis; " + SIGMA_, check=unrolled,
          to=r"\end{eqnarray}"),
    Entry(r"* **BP3**: $", True, "∂C/∂b^l_j = δ^l_j", check=bp3),
    Entry(r"The error is defined as", True, "δ^l_j named", verdict="definition"),
    Entry(r"$$\delta_j^l = \sum_k", False, "∂b/∂z of a bias that is not a function of z", verdict="skip"),
    Entry(r"only the term with $k = j$", False, "an index condition", verdict="skip"),
    Entry(r"$$\delta_j^l = \frac{\partial C}{\partial b_j^l}", False, "∂b/∂z of a bias that is not a function of z",
          verdict="skip"),
    Entry(r"As $z^l_j =", False, "the layer, its bias solved for (holds), and ∂b/∂z = 1 treating b as a function of z",
          check=bias_solved),
    Entry(r"$$\frac{\partial C}{\partial b^l_j} = \delta^l_j$$", True, "BP3", check=bp3),
    Entry(r"* **BP4**: $", True, "∂C/∂w^l_jk = a^{l-1}_k δ^l_j", check=bp4),
    Entry(r"$$\frac{\partial C}{\partial w_{jk}^l} = \frac{\partial C}{\partial z_j^l}", True,
          "one term: w_jk reaches C through z_j only", check=chain_w),
    Entry(r"The first factor,", True, "δ^l_j named again, the layer, and ∂z_j/∂w_jk = a_k", check=dz_dw),
    Entry(r"$$\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j$$", True, "BP4", check=bp4),
    Entry(r"The forward pass is unchanged except", False, MODIFIED, verdict="skip"),
    Entry(r"* when the neuron sits in the output layer", False, MODIFIED, verdict="skip"),
    Entry(r"* when it sits in a hidden layer", False, "an inequality", verdict="skip"),
    Entry(r"$$\delta^l_j = \sum_k w^{l+1}_{kj}", True, "BP2 in components, before the change", check=bp2_component),
    Entry(r"$$\delta^l_i = \sum_k w^{l+1}_{ki}", False, MODIFIED, verdict="skip"),
    Entry(r"$$\delta^l_j = \sum_k w^{l+1}_{kj}", False, MODIFIED, verdict="skip", nth=2),
    Entry(r"For the identity activation", True, "σ(z) = z stated: σ' = 1 and a = z", check=linear_sentence),
    Entry(r"$$\delta^{L} = \nabla_a C$$", True, "identity activation: δ^L = ∇_a C", check=linear_output),
    Entry(r"$$\delta^{l} = (w^{l+1})^T \delta^{l+1}$$", True, "identity activation: δ^l = (w^{l+1})ᵀ δ^{l+1}",
          check=linear_hidden),
]


def labels() -> dict:
    return build(DOC, "Nielsen: z^l = w^l a^{l-1} + b^l, a = σ(z), C a function of a^L; three layers", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))
