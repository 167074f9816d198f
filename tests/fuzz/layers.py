"""Linear-layer claims for the fuzzer, in the three conventions Y = XW + b,
Y = XWᵀ + b and Y = WX + b, with and without bias, with undeclared, named
(N x D, N = 3), numeric or one-output (n = 1) sizes, an abstract loss (G = ∂L/∂Y)
or a concrete one (½‖Y − T‖²). True formulas, and the usual wrong ones."""

from __future__ import annotations

import random
from fractions import Fraction

from .expr import (
    Case,
    T,
    badd,
    delta,
    egrad,
    entry,
    grad,
    ident,
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
    vec,
    vecop,
)


def _formulas(conv: str, X, W, Gm) -> dict[str, tuple]:
    """name -> (lhs, true rhs, [wrong rhs...]) for a layer in convention conv."""
    if conv == "XW":
        out = {
            "dW": (grad(loss(), W), mm(T(X), Gm), [mm(Gm, T(X)), mm(T(Gm), X), T(mm(T(X), Gm))]),
            "dX": (grad(loss(), X), mm(Gm, T(W)), [mm(Gm, W), mm(T(W), Gm), mm(W, T(Gm))]),
        }
    elif conv == "XWt":
        out = {
            "dW": (grad(loss(), W), mm(T(Gm), X), [mm(T(X), Gm), mm(X, T(Gm)), mm(Gm, T(X))]),
            "dX": (grad(loss(), X), mm(Gm, W), [mm(Gm, T(W)), mm(W, Gm)]),
        }
    else:
        out = {
            "dW": (grad(loss(), W), mm(Gm, T(X)), [mm(T(X), Gm), mm(X, T(Gm)), mm(T(Gm), X)]),
            "dX": (grad(loss(), X), mm(T(W), Gm), [mm(Gm, T(W)), mm(W, Gm), mm(T(Gm), W)]),
        }
    return out


def _bias(conv: str, Gm, rng: random.Random):
    """∂L/∂b: the sum of G over the batch (true), and the wrong readings."""
    one = ones()
    if conv in ("XW", "XWt"):
        good = mm(T(one), Gm) if rng.random() < 0.6 else mm(T(Gm), one)
        bad = [Gm, mm(Gm, one), mm(T(one), T(Gm)), T(Gm)]
    else:
        good = mm(Gm, one) if rng.random() < 0.7 else mm(T(one), T(Gm))
        bad = [Gm, mm(T(one), Gm), mm(T(Gm), one), T(Gm)]
    return good, bad


def _entries(conv: str, X, W, Y, Gm, b, bound, rng):
    """Index-notation forms: (family, lhs, true rhs, [wrong rhs...])."""
    i, j, p, q = "i", "j", "p", "q"
    out = []
    g = Gm
    if conv == "XW":
        out.append(("d-w-entry", egrad(loss(), W, p, q), ssum(i, mm(entry(X, i, p), entry(g, i, q)), bound),
                    [ssum(i, mm(entry(X, i, q), entry(g, i, p)), bound), ssum(i, mm(entry(X, p, i), entry(g, i, q)), bound)]))
        out.append(("jacobian-entry", egrad(entry(Y, i, j), W, p, q), mm(entry(X, i, p), delta(j, q)),
                    [mm(entry(X, i, q), delta(j, p)), mm(entry(X, p, i), delta(j, q))]))
        out.append(("d-x-entry", egrad(loss(), X, i, p), ssum(j, mm(entry(g, i, j), entry(W, p, j))),
                    [ssum(j, mm(entry(g, i, j), entry(W, j, p)))]))
        if b:
            out.append(("d-b-entry", egrad(loss(), b, q), ssum(i, entry(g, i, q), bound),
                        [entry(g, q, q), ssum(i, entry(g, q, i))]))
    elif conv == "XWt":
        out.append(("d-w-entry", egrad(loss(), W, p, q), ssum(i, mm(entry(g, i, p), entry(X, i, q)), bound),
                    [ssum(i, mm(entry(X, i, p), entry(g, i, q)), bound)]))
        out.append(("jacobian-entry", egrad(entry(Y, i, j), W, p, q), mm(entry(X, i, q), delta(j, p)),
                    [mm(entry(X, i, p), delta(j, q))]))
        if b:
            out.append(("d-b-entry", egrad(loss(), b, q), ssum(i, entry(g, i, q), bound), [ssum(i, entry(g, q, i))]))
    else:
        out.append(("d-w-entry", egrad(loss(), W, p, q), ssum(j, mm(entry(g, p, j), entry(X, q, j)), bound),
                    [ssum(j, mm(entry(g, q, j), entry(X, p, j)), bound)]))
        out.append(("jacobian-entry", egrad(entry(Y, i, j), W, p, q), mm(delta(i, p), entry(X, q, j)),
                    [mm(delta(j, p), entry(X, q, i))]))
        if b:
            out.append(("d-b-entry", egrad(loss(), b, p), ssum(j, entry(g, p, j), bound), [ssum(j, entry(g, j, p), bound)]))
    return out


def layer_case(rng: random.Random) -> Case:
    conv = rng.choice(["XW", "XWt", "WX"])
    xn, wn, yn = rng.choice("XH"), rng.choice("WV"), rng.choice("YZ")
    bn = rng.choice("bc")
    X, W, Y = mat(xn), mat(wn), mat(yn)
    has_bias = rng.random() < 0.6
    concrete = not has_bias and rng.random() < 0.25
    b = vec(bn) if has_bias else None
    prod = {"XW": mm(X, W), "XWt": mm(X, T(W)), "WX": mm(W, X)}[conv]
    wtxt = {"XW": f"{xn} {wn}", "XWt": f"{xn} {wn}^T", "WX": f"{wn} {xn}"}[conv]
    defs = {yn: badd(prod, b, "col" if conv == "WX" else "row") if b else prod}
    ctx = [f"{yn} = {wtxt}" + (f" + {bn}" if b else "")]
    case = Case("", None, None, None, "true", f"layer-{conv}", defs=defs, output=yn)
    if b:
        case.bias = bn
    # sizes: undeclared, named, numeric, or one output
    how = rng.choice(["none", "none", "named", "numeric", "one", "one"])
    nb, d, m = rng.sample(range(2, 7), 3)
    if how == "one":
        m = 1
    if how == "named" and rng.random() < 0.15:
        nb = 1  # a batch of one, declared
    shape_x = (nb, d) if conv != "WX" else (d, nb)
    shape_w = {"XW": (d, m), "XWt": (m, d), "WX": (m, d)}[conv]
    bound = None
    if how == "named":
        case.sizes = {"N": nb, "D": d}
        case.decls[xn] = ("N", "D") if conv != "WX" else ("D", "N")
        ctx.append(f"{xn}: " + (" x ".join(case.decls[xn])) + f", N = {nb}, D = {d}")
        bound = "N"
    elif how == "numeric":
        case.decls[xn], case.decls[wn] = shape_x, shape_w
        ctx.append(f"{xn}: {shape_x[0]}x{shape_x[1]}, {wn}: {shape_w[0]}x{shape_w[1]}")
    elif how == "one":
        case.decls[wn] = shape_w
        ctx.append(f"{wn}: {shape_w[0]}x{shape_w[1]}")
    if concrete:
        tn = "T"
        case.defs["L"] = N2(sub(Y, mat(tn)))
        ctx.append(r"L = \frac{1}{2}\|" + f"{yn} - {tn}" + r"\|_F^2")
        Gm = sub(Y, mat(tn)) if rng.random() < 0.5 else sub(prod, mat(tn))
    else:
        case.upstream = "G"
        Gm = mat("G")
    case.context = ", ".join(ctx)
    options = []
    for name, (lhs, good, bad) in _formulas(conv, X, W, Gm).items():
        options.append((f"layer-{conv}-{name}", lhs, good, bad))
    if b:
        good, bad = _bias(conv, Gm, rng)
        options.append((f"layer-{conv}-db", grad(loss(), b), good, bad))
    if not concrete:
        for fam, lhs, good, bad in _entries(conv, X, W, Y, Gm, b, bound, rng):
            options.append((f"layer-{conv}-{fam}", lhs, good, bad))
    if how == "numeric" and conv != "XWt":  # the flattened Jacobian (column-major vec), gradient convention
        eye = ident(m)
        good, bad = (kron(eye, T(X)), [kron(eye, X), kron(T(X), eye), kron(X, eye)]) if conv == "XW" else \
            (kron(X, eye), [kron(T(X), eye), kron(eye, X), kron(eye, T(X))])
        options.append((f"layer-{conv}-vec-jacobian", grad(vecop(Y), vecop(W)), good, bad))
    fam, lhs, good, bad = rng.choice(options)
    case.family, case.lhs, case.rhs = fam + f"-{how}", lhs, good
    if rng.random() < 0.3:
        case.rhs, case.intent, case.mutation = rng.choice(bad), "mutant", "layer-wrong-formula"
    return case


def N2(x):
    """½‖x‖²_F as a tree."""
    return scale(num(Fraction(1, 2)), norm2(x, "_F"))


def default_layer_case(rng: random.Random) -> Case:
    """A claim with no context about the default layer A = ZW + B (m, k, n not given: general sizes)."""
    Z, W, A, G = mat("Z"), mat("W"), mat("A"), mat("G")
    case = Case("", None, None, None, "true", "default-layer", defs={"A": mm(Z, W)}, output="A", upstream="G")
    options = [(f"default-layer-{name}", lhs, good, bad) for name, (lhs, good, bad) in _formulas("XW", Z, W, G).items()]
    options += [(f"default-layer-{fam}", lhs, good, bad) for fam, lhs, good, bad in _entries("XW", Z, W, A, G, None, None, rng)]
    fam, case.lhs, case.rhs, bad = rng.choice(options)
    case.family = fam
    if rng.random() < 0.3:
        case.rhs, case.intent, case.mutation = rng.choice(bad), "mutant", "layer-wrong-formula"
    return case


def two_layer_case(rng: random.Random) -> Case:
    """H = X W_1 + b_1, Y = H W_2 + b_2 (no activation): gradients through two layers."""
    X, W1, W2, H, G = mat("X"), mat("W_1"), mat("W_2"), mat("H"), mat("G")
    b1, b2 = vec("b_1"), vec("b_2")
    defs = {"H": badd(mm(X, W1), b1, "row"), "Y": badd(mm(H, W2), b2, "row")}
    ctx = "H = X W_1 + b_1, Y = H W_2 + b_2"
    case = Case("", ctx, None, None, "true", "two-layer", defs=defs, output="Y", upstream="G", bias="b_1")
    if rng.random() < 0.4:
        nb, d = rng.sample(range(2, 7), 2)
        case.sizes, case.decls["X"] = {"N": nb, "D": d}, ("N", "D")
        case.context += f", X: N x D, N = {nb}, D = {d}"
    back = mm(G, T(W2))
    options = [
        ("two-layer-dW2", grad(loss(), W2), mm(T(H), G), [mm(G, T(H)), mm(T(X), G)]),
        ("two-layer-dH", grad(loss(), H), back, [mm(G, W2), mm(T(W2), G)]),
        ("two-layer-dW1", grad(loss(), W1), mm(T(X), back), [mm(mm(T(X), G), W2), mm(back, T(X)), mm(T(H), G)]),
        ("two-layer-dX", grad(loss(), X), mm(back, T(W1)), [mm(mm(G, W2), W1), mm(back, W1)]),
        ("two-layer-db1", grad(loss(), b1), mm(T(ones()), back), [back, mm(back, ones()), mm(T(ones()), G)]),
    ]
    case.family, case.lhs, case.rhs, bad = rng.choice(options)
    if rng.random() < 0.3:
        case.rhs, case.intent, case.mutation = rng.choice(bad), "mutant", "layer-wrong-formula"
    return case
