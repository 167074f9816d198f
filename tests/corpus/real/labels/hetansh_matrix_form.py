"""Labels of hetansh-matrix-form.md: z = Wx + b with x ∈ ℝ^{n×1}, W ∈ ℝ^{m×n}, a = σ(z) entrywise with σ
generic, L = L(a) a generic (here nonlinear) function of a; gradients laid out like their variable."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, col, fprime, grad, had, loss, main, mat, same
except ImportError:
    from _truth import Entry, build, col, fprime, grad, had, loss, main, mat, same

DOC = "hetansh-matrix-form.md"
SIZES = [dict(n=3, m=2), dict(n=2, m=4)]
sig = sp.Function("sigma")


def layer(s):
    x, W, b = col("x", s["n"]), mat("w", s["m"], s["n"]), col("b", s["m"])
    Zs, As = col("z", s["m"]), col("a", s["m"])
    z = W * x + b
    dLda = grad(loss(As), As)
    L = loss(z.applyfunc(sig))
    dLdz = had(dLda.subs(dict(zip(As, Zs.applyfunc(sig)))), fprime(sig, Zs))  # the claim's right side, at free z
    truth_dz = grad(loss(Zs.applyfunc(sig)), Zs)
    return x, W, b, z, Zs, L, dLdz, truth_dz


def dz(s):
    x, W, b, z, Zs, L, dLdz, truth = layer(s)
    return same(truth, dLdz)


def grads(which):
    def c(s):
        x, W, b, z, Zs, L, dLdz, truth = layer(s)
        g = truth.subs(dict(zip(Zs, z)))
        if which == "b":
            return same(grad(L, b), g)
        if which == "W":
            return same(grad(L, W), g * x.T)
        if which == "x":
            return same(grad(L, x), W.T * g)
        if which == "shape_dz":
            return g.shape == (s["m"], 1)
        if which == "shape_xT":
            return x.T.shape == (1, s["n"])
        return grad(L, W).shape == (s["m"], s["n"])
    return c


SIZE = "a size statement about a derivative"
ENTRIES = [
    Entry(r"x \in \mathbb{R}^{n \times 1}", True, "the input's size", verdict="definition"),
    Entry(r"W \in \mathbb{R}^{m \times n}", True, "the weights' size", verdict="definition"),
    Entry(r"b \in \mathbb{R}^{m \times 1}", True, "the bias' size", verdict="definition"),
    Entry("z = Wx + b", True, "the layer", verdict="definition"),
    Entry(r"a = \sigma(z)", True, "the activation", verdict="definition"),
    Entry("L = L(a)", True, "the loss, a function of a", verdict="definition"),
    Entry(r"a = \sigma(z)", True, "the activation again", verdict="definition", nth=2),
    Entry(r"\frac{\partial L}{\partial z}", True, "(∂L/∂a) ⊙ σ'(z)", check=dz, to=r"\sigma'(z)", after="the chain rule gives"),
    Entry("z = Wx + b", True, "the layer again", verdict="definition", nth=2),
    Entry(r"\frac{\partial L}{\partial b}", True, "∂L/∂b = ∂L/∂z", check=grads("b"), to=r"\frac{\partial L}{\partial z}",
          after="has its own bias entry"),
    Entry(r"\frac{\partial L}{\partial W}", True, "(∂L/∂z) xᵀ", check=grads("W"), to="x^T", after="an outer product"),
    Entry(r"\frac{\partial L}{\partial z} \in \mathbb{R}^{m \times 1}", False, SIZE, check=grads("shape_dz")),
    Entry(r"x^T \in \mathbb{R}^{1 \times n}", False, "a size statement", check=grads("shape_xT")),
    Entry(r"\Rightarrow", False, SIZE, check=grads("shape_dW"), to=r"\frac{\partial L}{\partial W} \in"),
    Entry(r"\frac{\partial L}{\partial x}", True, "Wᵀ (∂L/∂z)", check=grads("x"), to=r"\frac{\partial L}{\partial z}",
          after="the chain rule gives it as"),
    Entry("z = Wx + b", True, "the summary's layer", verdict="definition", nth=3),
    Entry(r"a = \sigma(z)", True, "the summary's activation", verdict="definition", nth=3),
    Entry(r"\frac{\partial L}{\partial z}", True, "(∂L/∂a) ⊙ σ'(z)", check=dz, to=r"\sigma'(z)", after="and backward:"),
    Entry(r"\frac{\partial L}{\partial W}", True, "(∂L/∂z) xᵀ", check=grads("W"), to="x^T", after="and backward:"),
    Entry(r"\frac{\partial L}{\partial b}", True, "∂L/∂z", check=grads("b"), to=r"\frac{\partial L}{\partial z}",
          after="and backward:"),
    Entry(r"\frac{\partial L}{\partial x}", True, "Wᵀ (∂L/∂z)", check=grads("x"), to=r"\frac{\partial L}{\partial z}",
          after="and backward:"),
]


def labels() -> dict:
    return build(DOC, "z = Wx + b, a = σ(z), L = L(a) generic; column vectors", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))
