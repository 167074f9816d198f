"""Labels of monishver-mlp.md: h_a = W x + b, h = σ(h_a) (the logistic σ), y_a = V h + c, y = softmax(y_a),
L = −Σ_o t_o log y_o for one column sample. The post's `y − t` results need Σ_o t_o = 1 (a one-hot target,
stated only in its code), so they are decided with that and are not strict; the results that hold for any t
are strict. Products of two columns written with · mean the entrywise product."""

from __future__ import annotations

from functools import cache

import sympy as sp

try:
    from ._truth import Entry, build, col, grad, main, mat, same, sigmoid
except ImportError:
    from _truth import Entry, build, col, grad, main, mat, same, sigmoid

DOC = "monishver-mlp.md"
SIZES = [dict(Ni=3, Nh=2, No=3), dict(Ni=2, Nh=3, No=2)]


def net(s, one_hot=True):
    x, W, b = col("x", s["Ni"]), mat("W", s["Nh"], s["Ni"]), col("b", s["Nh"])
    V, c = mat("V", s["No"], s["Nh"]), col("c", s["No"])
    t = col("t", s["No"])
    if one_hot:
        t[s["No"] - 1] = 1 - sum(t[:s["No"] - 1])
    Ha, H, Ya, Y = col("ha", s["Nh"]), col("hh", s["Nh"]), col("ya", s["No"]), col("yy", s["No"])
    soft = sp.Matrix([sp.exp(Ya[o]) / sum(sp.exp(e) for e in Ya) for o in range(s["No"])])
    L_y = -sum(t[o] * sp.log(Y[o]) for o in range(s["No"]))
    L_ya = L_y.subs(dict(zip(Y, soft)))
    g_ya = grad(L_ya, Ya)
    return dict(x=x, W=W, b=b, V=V, c=c, t=t, Ha=Ha, H=H, Ya=Ya, Y=Y, soft=soft, L_y=L_y, L_ya=L_ya, g_ya=g_ya)


def dy(s):
    n = net(s)
    return same(grad(n["L_y"], n["Y"]), sp.Matrix([-n["t"][o] / n["Y"][o] for o in range(len(n["Y"]))]))


def dya(one_hot):
    def c(s):
        n = net(s, one_hot)
        return same(n["g_ya"], n["soft"] - n["t"])
    return c


def layer2(which, one_hot=True):
    """Gradients of L(y_a), y_a = V H + c, by V, H, c (H a free hidden activation), by the chain rule
    ∂L/∂θ = Σ_k ∂L/∂y_a,k ∂y_a,k/∂θ, both sides as functions of a free y_a (equal for every y_a, so at VH + c)."""
    def c(s):
        return _layer2(which, one_hot, tuple(sorted(s.items())))
    return c


@cache
def _layer2(which, one_hot, key):
    s = dict(key)
    n = net(s, one_hot)
    ya = n["V"] * n["H"] + n["c"]
    g = n["g_ya"]

    def by(theta):
        return theta.applyfunc(lambda v: sum((g[k] * sp.diff(ya[k], v) for k in range(len(ya))), sp.Integer(0)))

    e = n["soft"] - n["t"]
    if which == "V":
        return same(by(n["V"]), e * n["H"].T)
    if which == "h":
        return same(by(n["H"]), n["V"].T * e)
    if which == "c":
        return same(by(n["c"]), e)
    if which == "h_general":  # Vᵀ ∂L/∂y_a, any t
        return same(by(n["H"]), n["V"].T * g)
    raise ValueError(which)


def layer1(which, one_hot=True):
    """Gradients through h = σ(h_a), h_a = W x + b, with an upstream ∂L/∂h of any t."""
    def c(s):
        n = net(s, one_hot)
        ya = n["V"] * n["H"] + n["c"]
        L_H = n["L_ya"].subs(dict(zip(n["Ya"], ya)))
        g_H = grad(L_H, n["H"])
        L_Ha = L_H.subs(dict(zip(n["H"], n["Ha"].applyfunc(sigmoid))))
        g_Ha_claim = sp.Matrix([g_H[k] * sigmoid(n["Ha"][k]) * (1 - sigmoid(n["Ha"][k])) for k in range(len(n["Ha"]))])
        g_Ha_claim = g_Ha_claim.subs(dict(zip(n["H"], n["Ha"].applyfunc(sigmoid))))
        if which == "ha":
            return same(grad(L_Ha, n["Ha"]), g_Ha_claim)
        ha = n["W"] * n["x"] + n["b"]
        L = L_Ha.subs(dict(zip(n["Ha"], ha)))
        g = grad(L_Ha, n["Ha"]).subs(dict(zip(n["Ha"], ha)))
        if which == "W":
            return same(grad(L, n["W"]), g * n["x"].T)
        if which == "b":
            return same(grad(L, n["b"]), g)
        raise ValueError(which)
    return c


ONE_HOT = "needs Σ t_o = 1 (a one-hot target, stated only in the post's code)"
ENTRIES = [
    Entry(r"h_a &= W @ x + b", False, "the forward pass, with sizes in a second column", verdict="definition",
          to=r"y &= \text{Softmax}(y_a)"),
    Entry(r"L = -\sum_{i=0}^{n} t \log y_i", False, "the loss with prose (scalar → vector) in the math", verdict="skip"),
    Entry(r"\frac{\partial L}{\partial L} = 1 ; \quad", False, "1, and −t/y entrywise", check=dy),
    Entry(r"\frac{\partial L}{\partial y_a} = \frac{\partial L}{\partial y}", False, ONE_HOT, check=dya(True)),
    Entry(r"\frac{\partial L}{\partial V} = ", False, "(y − t) hᵀ; " + ONE_HOT, check=layer2("V")),
    Entry(r"\frac{\partial L}{\partial h} = \frac{\partial L}{\partial y_a}", False, "Vᵀ(y − t); " + ONE_HOT,
          check=layer2("h")),
    Entry(r"\frac{\partial L}{\partial c} = ", False, "y − t; " + ONE_HOT, check=layer2("c")),
    Entry(r"\frac{\partial L}{\partial h_a} = ", False, "entrywise σ(1 − σ), written with ·", check=layer1("ha")),
    Entry(r"\frac{\partial L}{\partial w} = ", False, "(∂L/∂h_a) xᵀ, followed by sizes written as an equation",
          check=layer1("W")),
    Entry(r"\frac{\partial L}{\partial b} = ", False, "∂L/∂h_a, followed by a size", check=layer1("b")),
    Entry(r"- Hidden layer: $$ h = \sigma(Wx + b) $$", True, "the hidden layer", verdict="definition"),
    Entry(r"- Output layer: $$ y = \text{softmax}(Vh + c) $$", True, "the output layer", verdict="definition"),
    Entry(r"- $$ i $$: input index", False, "an index range", verdict="skip"),
    Entry(r"- $$ h $$: hidden index", False, "an index range", verdict="skip"),
    Entry(r"- $$ o $$: output index", False, "an index range", verdict="skip"),
    Entry(r"h_{a,h} = \sum_i W_{h i} x_i + b_h", True, "the hidden pre-activation", verdict="definition"),
    Entry(r"h_h = \sigma(h_{a,h})", True, "the hidden activation", verdict="definition"),
    Entry(r"y_{a,o} = \sum_h V_{o h} h_h + c_o", True, "the output pre-activation", verdict="definition"),
    Entry(r"y_o = \frac{e^{y_{a,o}}}", True, "softmax", verdict="definition"),
    Entry(r"L = -\sum_o t_o \log y_o", True, "the loss", verdict="definition"),
    Entry(r"\frac{\partial L}{\partial y_{a,o}} = y_o - t_o", False, ONE_HOT, check=dya(True)),
    Entry(r"\frac{\partial L}{\partial V_{o h}} = (y_o - t_o) h_h", False, ONE_HOT, check=layer2("V")),
    Entry(r"\frac{\partial L}{\partial h_h} = \sum_o V_{o h} (y_o - t_o)", False, ONE_HOT, check=layer2("h")),
    Entry(r"\frac{\partial L}{\partial h_{a,h}}", True, "(∂L/∂h_h) σ(1 − σ), any target", check=layer1("ha", False),
          to=r"= \frac{\partial L}{\partial h_h} \cdot"),
    Entry(r"\frac{\partial L}{\partial W_{h i}} = ", True, "(∂L/∂h_a,h) x_i, any target", check=layer1("W", False)),
    Entry(r"\frac{\partial L}{\partial h} = V^\top \frac{\partial L}{\partial y_a},", True, "Vᵀ ∂L/∂y_a, any target",
          check=layer2("h_general", False)),
    Entry(r"V \in \mathbb{R}^{N_o \times N_h},", True, "V's size and indices", verdict="definition", to=r"\text{i.e. } V_{o h}"),
    Entry(r"\frac{\partial L}{\partial h_h}", True, "Σ_o V_oh ∂L/∂y_a,o, any target", check=layer2("h_general", False),
          to=r"= \sum_o V_{o h} \frac{\partial L}{\partial y_{a,o}}.", after="the derivative is"),
]


def labels() -> dict:
    return build(DOC, "one sample; sigmoid hidden layer, softmax output, cross-entropy", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))
