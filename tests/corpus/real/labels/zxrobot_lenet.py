"""Labels of zxrobot-lenet.md. Fully connected part: three layers z^l = W^l a^{l-1} + b^l, a^l = σ(z^l) with σ
a generic entrywise function, C = ½‖a^L − y‖², column vectors; a statement about a general layer l is
decided at l = L − 1 and at l = L. Convolution part: the document's own example, a 3×3 input correlated
with a 2×2 kernel (its entry equations are the definition), under a nonlinear cost of the 2×2 output;
δ_{kl} stands for ∂C/∂z_{kl}."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, col, fprime, grad, had, loss, main, mat, same
except ImportError:
    from _truth import Entry, build, col, fprime, grad, had, loss, main, mat, same

DOC = "zxrobot-lenet.md"
SIZES = [dict(n0=2, n1=3, n2=4, n3=2), dict(n0=3, n1=2, n2=1, n3=3)]
sig = sp.Function("sigma")
delta_fn = sp.Function("delta")


def fc(s):
    n = [s["n0"], s["n1"], s["n2"], s["n3"]]
    a = [col("x", n[0])]
    W, b, z, Zs = [None], [None], [None], [None]
    for k in (1, 2, 3):
        W.append(mat(f"W{k}", n[k], n[k - 1]))
        b.append(col(f"b{k}", n[k]))
        Zs.append(col(f"z{k}", n[k]))  # free stand-in of z^k
        z.append(W[k] * a[k - 1] + b[k])
        a.append(z[k].applyfunc(sig))
    y = col("y", n[3])
    C = sum((e**2 for e in (a[3] - y)), sp.Integer(0)) / 2
    return dict(W=W, b=b, z=z, a=a, y=y, C=C)


def delta(f, l):
    """δ^l = ∂C/∂z^l, by differentiating C with z^l replaced by a free vector."""
    Z = col(f"Z{l}", len(f["z"][l]))
    a = [None] * 4
    a[l] = Z.applyfunc(sig)
    for k in range(l + 1, 4):
        a[k] = (f["W"][k] * a[k - 1] + f["b"][k]).applyfunc(sig)
    C = sum((e**2 for e in (a[3] - f["y"])), sp.Integer(0)) / 2
    return grad(C, Z).subs(dict(zip(Z, f["z"][l])))


def out_delta_sigma(s):
    f = fc(s)
    return same(delta(f, 3), had(f["a"][3] - f["y"], f["z"][3].applyfunc(sig)))


def dW_with_L(s, l):
    f = fc(s)
    return same(grad(f["C"], f["W"][l]), delta(f, 3) * f["a"][2].T)


def db_with_L(s, l):
    f = fc(s)
    return same(grad(f["C"], f["b"][l]), delta(f, 3))


def z_with_delta(s):
    f = fc(s)
    return same(f["z"][3], f["W"][3] * f["z"][2].applyfunc(delta_fn) + f["b"][3])


def recursion_with_delta(s):
    f = fc(s)
    return same(delta(f, 2), had(f["W"][3].T * delta(f, 3), fprime(delta_fn, f["z"][2])))


def dW_general(s):
    f = fc(s)
    return all(same(grad(f["C"], f["W"][l]), delta(f, l) * f["a"][l - 1].T) for l in (2, 3))


def db_general(s):
    f = fc(s)
    return all(same(grad(f["C"], f["b"][l]), delta(f, l)) for l in (2, 3))


# the convolution example
A = mat("a", 3, 3)
K = mat("w", 2, 2)
Z2 = sp.Matrix(2, 2, lambda i, j: sum(A[i + k, j + m] * K[k, m] for k in range(2) for m in range(2)))
COST = loss(Z2)
ZS = mat("z", 2, 2)
D = grad(loss(ZS), ZS).subs(dict(zip(ZS, Z2)))  # δ_{kl} = ∂C/∂z_{kl}
GA = grad(COST, A)
GW = grad(COST, K)


def a_(i, j):
    return A[i - 1, j - 1]


def w_(i, j):
    return K[i - 1, j - 1]


def d_(i, j):
    return D[i - 1, j - 1]


NABLA = {
    (1, 1): lambda: d_(1, 1) * w_(1, 1),
    (1, 2): lambda: d_(1, 1) * w_(1, 2) + d_(1, 2) * w_(1, 1),
    (1, 3): lambda: d_(1, 2) * w_(1, 2),
    (2, 1): lambda: d_(1, 1) * w_(2, 1) + d_(2, 1) * w_(1, 1),
    (2, 2): lambda: d_(1, 1) * w_(2, 2) + d_(1, 2) * w_(2, 1) + d_(2, 1) * w_(1, 2) + d_(2, 2) * w_(1, 1),
    (2, 3): lambda: d_(1, 2) * w_(2, 2) + d_(2, 2) * w_(1, 2),
    (3, 1): lambda: d_(2, 1) * w_(2, 1),
    (3, 2): lambda: d_(2, 1) * w_(2, 2) + d_(2, 2) * w_(2, 1),
    (3, 3): lambda: d_(2, 2) * w_(2, 2),
}
DW = [  # the four published lines, in order: (the entry they name, their right side)
    ((1, 1), lambda: a_(1, 1) * d_(1, 1) + a_(1, 2) * d_(1, 2) + a_(2, 1) * d_(2, 1) + a_(2, 2) * d_(2, 2)),
    ((1, 2), lambda: a_(1, 2) * d_(1, 1) + a_(1, 3) * d_(1, 2) + a_(2, 2) * d_(2, 1) + a_(2, 3) * d_(2, 2)),
    ((2, 1), lambda: a_(2, 1) * d_(1, 1) + a_(2, 2) * d_(1, 2) + a_(3, 1) * d_(2, 1) + a_(3, 3) * d_(2, 2)),
    ((1, 2), lambda: a_(2, 2) * d_(1, 1) + a_(2, 3) * d_(1, 2) + a_(3, 2) * d_(2, 1) + a_(3, 3) * d_(2, 2)),
]


def conv_delta_recursion(_s):
    """δ^l = δ^{l+1} * rot180(W^{l+1}) with a^l = σ(z^l): the full correlation gives ∂C/∂a^l, not ∂C/∂z^l."""
    Zl = mat("u", 3, 3)
    Al = Zl.applyfunc(sig)
    Zn = sp.Matrix(2, 2, lambda i, j: sum(Al[i + k, j + m] * K[k, m] for k in range(2) for m in range(2)))
    C = loss(ZS).subs(dict(zip(ZS, Zn)))
    Dn = grad(loss(ZS), ZS).subs(dict(zip(ZS, Zn)))
    P = sp.zeros(4, 4)
    P[1:3, 1:3] = Dn
    R = sp.Matrix(2, 2, lambda i, j: K[1 - i, 1 - j])
    full = sp.Matrix(3, 3, lambda i, j: sum(P[i + k, j + m] * R[k, m] for k in range(2) for m in range(2)))
    return same(grad(C, Zl), full)


def conv_dW(_s):
    valid = sp.Matrix(2, 2, lambda i, j: sum(A[i + k, j + m] * D[k, m] for k in range(2) for m in range(2)))
    return same(GW, valid)


CHAIN = "a chain rule with Jacobian factors (no layout fixed)"
ENTRIES = [
    Entry(r"$$z^l=W^la^{l-1}+b^l$$", True, "the layer", verdict="definition"),
    Entry(r"$$a^l=\sigma (z^l)$$", True, "the activation", verdict="definition"),
    Entry(r"$$C=\frac{1}{2}||a^L-y||^2$$", True, "the cost", verdict="definition"),
    Entry(r"Write $\delta^l=", True, "δ^l named", verdict="definition"),
    Entry(r"$$\delta ^L=", True, "σ^l(z^l) where σ'(z^L) belongs: (a^L − y) ⊙ σ(z^L) is not ∂C/∂z^L", check=out_delta_sigma),
    Entry(r"=\delta^L(a^{L-1})^T$$", False, "a general layer l given the output layer's δ^L(a^{L-1})ᵀ (right only for l = L)",
          check=lambda s: dW_with_L(s, 2)),
    Entry(r"=\delta^L\bigodot1=\delta^L$$", False, "a general layer l given the output layer's δ^L (right only for l = L)",
          check=lambda s: db_with_L(s, 2)),
    Entry(r"=\delta^{l+1}\frac{\partial z^{l+1}}{\partial z^l}$$", False, CHAIN, verdict="skip"),
    Entry(r"$$z^{l+1}=W^{l+1}a^l+b^{l+1}=W^{l+1}\delta(z^l)", False, "δ(z^l) where σ(z^l) belongs", check=z_with_delta),
    Entry(r"$$\delta^l=(W^{l+1})^T\delta^{l+1}\bigodot\delta'(z^l)$$", False, "δ'(z^l) where σ'(z^l) belongs",
          check=recursion_with_delta),
    Entry(r"=\delta^l(a^{l-1})^T$$", False, "δ^l a^{l-1}ᵀ (lower-case w^l for W^l)", check=dW_general),
    Entry(r"\frac{\partial z^l}{\partial b^l}=\delta^l$$", True, "∂C/∂b^l = δ^l", check=db_general),
    Entry(r"$$W^l=W^l-\eta", False, "an update step, not an equation", verdict="skip"),
    Entry(r"$$b^l=b^l-\eta", False, "an update step, not an equation", verdict="skip"),
    Entry(r"\frac{\eta}{batch_size}", False, "an update step, not an equation", verdict="skip"),
    Entry(r"$$a^l=\sigma(z^l)=\sigma(a^{l-1}*W^l+b^l)$$", False, "the convolution layer (* is a correlation)",
          verdict="definition"),
    Entry(r"$$\delta^l=\frac{\partial C}{\partial z^l}", False, CHAIN, verdict="skip",
          after="## Backpropagation through a convolution"),
    Entry(r"$$z^{l+1}=a^l*W^{l+1}$$", False, "the convolution", verdict="definition"),
    Entry(r"$\begin{pmatrix}", False, "the example as a correlation of two matrices", verdict="skip", to=r"z_{21}&z_{22}",
          after=r"$$z^{l+1}=a^l*W^{l+1}$$"),
    Entry(r"$$z_{11}=", True, "the example, entry by entry", verdict="definition"),
    Entry(r"$$z_{12}=", True, "the example, entry by entry", verdict="definition"),
    Entry(r"$$z_{21}=", True, "the example, entry by entry", verdict="definition"),
    Entry(r"$$z_{22}=", True, "the example, entry by entry", verdict="definition"),
    Entry(r"$$\nabla a^l=", False, CHAIN, verdict="skip"),
] + [
    Entry(rf"$$\nabla a_{{{i}{j}}}=", True, f"∂C/∂a_{i}{j} = Σ δ_kl ∂z_kl/∂a_{i}{j}",
          check=lambda s, i=i, j=j: same(GA[i - 1, j - 1], NABLA[(i, j)]()))
    for (i, j) in NABLA
] + [
    Entry(r"$\begin{pmatrix}", False, "the correlation with the turned kernel, as inline matrices", verdict="skip",
          to=r"w_{12}&w_{11}", after="As a cross-correlation"),
    Entry(r"=\delta^{l+1}*rot180(W^{l+1})$$", False,
          "σ'(z^l) is dropped: the padded correlation gives ∂C/∂a^l; δ^l is that ⊙ σ'(z^l)", check=conv_delta_recursion),
    Entry(r"$$z^{l+1}=a^{l}*W^{l+1}+b$$", False, "the convolution with bias", verdict="definition"),
    Entry(r"$$\frac{\partial C}{\partial W^{l+1}}=a^l*\delta ^{l+1}$$", False, "valid correlation of a^l with δ^{l+1}",
          check=conv_dW),
] + [
    Entry(rf"$$\frac{{\partial C}}{{\partial W^{{l+1}}_{{{i}{j}}}}}=", True,
          f"∂C/∂W_{i}{j} = Σ a_(k+{i-1})(l+{j-1}) δ_kl" + (" — a_33 written for a_32" if n == 3 else "")
          + (" — the right side is ∂C/∂W_22, labelled W_12" if n == 4 else ""),
          check=lambda s, n=n, i=i, j=j: same(GW[i - 1, j - 1], DW[n - 1][1]()), nth=2 if n == 4 else 1)
    for n, ((i, j), _) in enumerate(DW, start=1)
] + [
    Entry(r"$\frac{\partial C}{\partial W^{l+1}}=$ $\begin{pmatrix}", False, "the same as inline matrices", verdict="skip",
          to=r"\delta_{21}&\delta_{22}\\", after=r"W^{l+1}_{12}}=a_{22}"),
]


def labels() -> dict:
    return build(DOC, "three layers for the fully connected part; the 3×3 ⋆ 2×2 example for the convolution", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))
