"""The done-when set: derivatives transcribed from the Matrix Cookbook (Petersen and
Pedersen, version of November 15, 2012; equation numbers as there), from textbooks and
from math.md, each with the function written in sympy (`f`, from explicit symbol
matrices) so the tests can differentiate it independently. `kind`: gradient (a scalar),
jacobian (vector by vector), entries (matrix by matrix). `covered` False: derive is
expected to refuse (exit 2) because the claims engine cannot check it yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

CB = "Matrix Cookbook (2012)"


def tr(m: Any) -> Any:
    return m.trace()


def s(m: Any) -> Any:
    """A 1×1 matrix as its entry."""
    return m[0, 0] if hasattr(m, "shape") else m


def had(a: Any, b: Any) -> Any:
    return a.multiply_elementwise(b)


def fro2(m: Any) -> Any:
    return sum(e**2 for e in m)


def frob(a: Any, b: Any) -> Any:
    return sum(x * y for x, y in zip(a, b))


def layer(Y: Any, G: Any) -> Any:
    """The generic loss through a layer: L = Σ g_{ij} y_{ij}, so ∂L/∂Y = G (math.md)."""
    return frob(G, Y)


@dataclass(frozen=True)
class Item:
    expression: str
    wrt: str
    context: str
    source: str
    f: Callable[..., Any] | None  # letters → the expression (a scalar, or a matrix for entries/jacobian)
    kind: str = "gradient"
    convention: str = "gradient"
    covered: bool = True


ONE_ROW = None  # marker: nothing

ITEMS: list[Item] = [
    # ---- traces (Cookbook §2.5) ----
    Item("tr(X)", "X", "X: 3x3", f"{CB} eq. 99", lambda X: tr(X)),
    Item(r"\operatorname{tr}(X A)", "X", "X: 2x3, A: 3x2", f"{CB} eq. 100", lambda X, A: tr(X * A)),
    Item("tr(A X B)", "X", "A: 2x3, X: 3x4, B: 4x2", f"{CB} eq. 101", lambda A, X, B: tr(A * X * B)),
    Item("tr(A X^T B)", "X", "A: 2x4, X: 3x4, B: 3x2", f"{CB} eq. 102", lambda A, X, B: tr(A * X.T * B)),
    Item("tr(X^T A)", "X", "X: 3x2, A: 3x2", f"{CB} eq. 103", lambda X, A: tr(X.T * A)),
    Item("tr(A X^T)", "X", "A: 2x3, X: 2x3", f"{CB} eq. 104", lambda A, X: tr(A * X.T)),
    Item("tr(X^2)", "X", "X: 3x3", f"{CB} eq. 106", lambda X: tr(X * X)),
    Item("tr(X^2 B)", "X", "X: 3x3, B: 3x3", f"{CB} eq. 107", lambda X, B: tr(X * X * B)),
    Item("tr(X^T B X)", "X", "X: 3x2, B: 3x3", f"{CB} eq. 108", lambda X, B: tr(X.T * B * X)),
    Item("tr(B X X^T)", "X", "X: 3x2, B: 3x3", f"{CB} eq. 109", lambda X, B: tr(B * X * X.T)),
    Item("tr(X X^T B)", "X", "X: 3x2, B: 3x3", f"{CB} eq. 110", lambda X, B: tr(X * X.T * B)),
    Item("tr(X B X^T)", "X", "X: 3x2, B: 2x2", f"{CB} eq. 111", lambda X, B: tr(X * B * X.T)),
    Item("tr(B X^T X)", "X", "X: 3x2, B: 2x2", f"{CB} eq. 112", lambda X, B: tr(B * X.T * X)),
    Item("tr(X^T X B)", "X", "X: 3x2, B: 2x2", f"{CB} eq. 113", lambda X, B: tr(X.T * X * B)),
    Item("tr(A X B X)", "X", "A: 2x3, X: 3x2, B: 2x3", f"{CB} eq. 114", lambda A, X, B: tr(A * X * B * X)),
    Item("tr(X^T X)", "X", "X: 3x2", f"{CB} eq. 115", lambda X: tr(X.T * X)),
    Item("tr(B^T X^T C X B)", "X", "B: 2x3, X: 4x2, C: 4x4", f"{CB} eq. 116", lambda B, X, C: tr(B.T * X.T * C * X * B)),
    Item("tr(X^T B X C)", "X", "X: 3x2, B: 3x3, C: 2x2", f"{CB} eq. 117", lambda X, B, C: tr(X.T * B * X * C)),
    Item("tr(A X B X^T C)", "X", "A: 2x3, X: 3x4, B: 4x4, C: 3x2", f"{CB} eq. 118",
         lambda A, X, B, C: tr(A * X * B * X.T * C)),
    Item("tr((A X B + C)(A X B + C)^T)", "X", "A: 2x3, X: 3x4, B: 4x2, C: 2x2", f"{CB} eq. 119",
         lambda A, X, B, C: tr((A * X * B + C) * (A * X * B + C).T)),
    Item("tr(X^3)", "X", "X: 3x3", f"{CB} eq. 106 (k = 3)", lambda X: tr(X * X * X)),
    Item("tr(A X^T X)", "X", "A: 2x2, X: 3x2", f"{CB} eq. 112 (B = A)", lambda A, X: tr(A * X.T * X)),
    Item("tr(X) tr(X^T X)", "X", "X: 3x3", "product rule (Magnus & Neudecker, ch. 8)", lambda X: tr(X) * tr(X.T * X)),
    Item("2 tr(X A) - 3 tr(X^T B)", "X", "X: 2x3, A: 3x2, B: 2x3", "linearity (Magnus & Neudecker, ch. 8)",
         lambda X, A, B: 2 * tr(X * A) - 3 * tr(X.T * B)),
    # ---- linear forms (Cookbook §2.4.1) ----
    Item("a^T x", "x", "a: 3, x: 3", f"{CB} eq. 69", lambda a, x: s(a.T * x)),
    Item("x^T a", "x", "a: 3, x: 3", f"{CB} eq. 69", lambda a, x: s(x.T * a)),
    Item("a^T X b", "X", "a: 3, X: 3x2, b: 2", f"{CB} eq. 70", lambda a, X, b: s(a.T * X * b)),
    Item("a^T X^T b", "X", "a: 2, X: 3x2, b: 3", f"{CB} eq. 71", lambda a, X, b: s(a.T * X.T * b)),
    Item("a^T X a", "X", "a: 3, X: 3x3", f"{CB} eq. 72", lambda a, X: s(a.T * X * a)),
    Item("a^T X^T a", "X", "a: 3, X: 3x3", f"{CB} eq. 73", lambda a, X: s(a.T * X.T * a)),
    # ---- quadratic forms (Cookbook §2.4.2) ----
    Item("b^T X^T X c", "X", "b: 2, X: 3x2, c: 2", f"{CB} eq. 77", lambda b, X, c: s(b.T * X.T * X * c)),
    Item("(B x + b)^T C (D x + d)", "x", "B: 3x2, x: 2, b: 3, C: 3x4, D: 4x2, d: 4", f"{CB} eq. 78",
         lambda B, x, b, C, D, d: s((B * x + b).T * C * (D * x + d))),
    Item("b^T X^T D X c", "X", "b: 2, X: 3x2, D: 3x3, c: 2", f"{CB} eq. 80", lambda b, X, D, c: s(b.T * X.T * D * X * c)),
    Item("(X b + c)^T D (X b + c)", "X", "X: 3x2, b: 2, c: 3, D: 3x3", f"{CB} eq. 81",
         lambda X, b, c, D: s((X * b + c).T * D * (X * b + c))),
    Item("x^T B x", "x", "x: 3, B: 3x3", f"{CB} eq. 84", lambda x, B: s(x.T * B * x)),
    Item("b^T X^T X b", "X", "b: 2, X: 3x2", f"{CB} eq. 77 (c = b)", lambda b, X: s(b.T * X.T * X * b)),
    Item("(A x + b)^T C (A x + b)", "x", "A: 3x2, x: 2, b: 3, C: 3x3", f"{CB} eq. 86 (general form)",
         lambda A, x, b, C: s((A * x + b).T * C * (A * x + b))),
    Item("x^T x", "x", "x: 4", f"{CB} eq. 84 (B = I)", lambda x: s(x.T * x)),
    Item("(a^T x)(b^T x)", "x", "a: 3, b: 3, x: 3", "product rule (Magnus & Neudecker, ch. 5)",
         lambda a, b, x: s(a.T * x) * s(b.T * x)),
    Item("(x^T x)^2", "x", "x: 3", "chain rule (Magnus & Neudecker, ch. 5)", lambda x: s(x.T * x) ** 2),
    # ---- norms (Cookbook §2.6; Boyd & Vandenberghe §6.1) ----
    Item(r"\|x\|^2", "x", "x: 3", f"{CB} eq. 131 (squared)", lambda x: fro2(x)),
    Item(r"\|X\|_F^2", "X", "X: 3x2", f"{CB} eq. 138", lambda X: fro2(X)),
    Item(r"\|X w - y\|^2", "w", "X: 4x3, w: 3, y: 4", "Boyd & Vandenberghe, least squares (§6.1)",
         lambda X, w, y: fro2(X * w - y)),
    Item(r"\|A x - b\|^2", "x", "A: 3x2, x: 2, b: 3", f"{CB} eq. 84 (expanded)", lambda A, x, b: fro2(A * x - b)),
    Item(r"\frac{1}{2}\|X W - Y\|_F^2", "W", "X: 3x2, W: 2x4, Y: 3x4", "Goodfellow et al., Deep Learning §5.1.4",
         lambda X, W, Y: fro2(X * W - Y) / 2),
    Item(r"\|A X B + C\|_F^2", "X", "A: 2x3, X: 3x4, B: 4x2, C: 2x2", f"{CB} eq. 119 (as a norm)",
         lambda A, X, B, C: fro2(A * X * B + C)),
    Item(r"\|x - a\|^2", "x", "x: 3, a: 3", f"{CB} eq. 129 (squared)", lambda x, a: fro2(x - a)),
    Item(r"\|X^T\|_F^2", "X", "X: 2x3", f"{CB} eq. 138 (Xᵀ)", lambda X: fro2(X.T)),
    Item(r"\frac{1}{2}\|X w - y\|^2 + \frac{1}{2}\|w\|^2", "w", "X: 4x3, w: 3, y: 4", "ridge regression (Hastie et al. §3.4.1)",
         lambda X, w, y: fro2(X * w - y) / 2 + fro2(w) / 2),
    Item(r"\|X - A\|_F^2", "X", "X: 3x2, A: 3x2", f"{CB} eq. 138 (shifted)", lambda X, A: fro2(X - A)),
    # ---- Frobenius inner products ----
    Item(r"\langle A, X \rangle_F", "X", "A: 3x2, X: 3x2", f"{CB} eq. 103 (as ⟨A, X⟩ = tr(AᵀX))", lambda A, X: frob(A, X)),
    Item(r"\langle X, X \rangle", "X", "X: 3x2", f"{CB} eq. 115 (as ⟨X, X⟩)", lambda X: frob(X, X)),
    Item(r"\langle A X, B \rangle", "X", "A: 2x3, X: 3x4, B: 2x4", "Magnus & Neudecker, ch. 9", lambda A, X, B: frob(A * X, B)),
    # ---- Hadamard products ----
    Item(r"\operatorname{tr}(A (X \odot B))", "X", "A: 2x3, X: 3x2, B: 3x2", f"{CB} §2.8 / Magnus & Neudecker",
         lambda A, X, B: tr(A * had(X, B))),
    Item(r"\langle A, X \odot X \rangle", "X", "A: 3x2, X: 3x2", "Magnus & Neudecker (Hadamard)",
         lambda A, X: frob(A, had(X, X))),
    Item(r"x^T (a \odot x)", "x", "x: 3, a: 3", "Magnus & Neudecker (Hadamard)", lambda x, a: s(x.T * had(a, x))),
    Item(r"\|A \odot X\|_F^2", "X", "A: 3x2, X: 3x2", "Magnus & Neudecker (Hadamard)", lambda A, X: fro2(had(A, X))),
    # ---- the affine layer, both layouts (math.md; Goodfellow et al. §6.5; cs231n) ----
    Item("L", "W", "Y = X W + b, X: 3x2, W: 2x4", "math.md (A = ZW + B), Goodfellow et al. §6.5",
         lambda X, W, b, G: layer(X * W + sp.ones(3, 1) * b, G)),
    Item("L", "X", "Y = X W + b, X: 3x2, W: 2x4", "math.md (∂L/∂Z = GWᵀ)",
         lambda X, W, b, G: layer(X * W + sp.ones(3, 1) * b, G)),
    Item("L", "b", "Y = X W + b, X: 3x2, W: 2x4", "math.md (∂L/∂B = 1ᵀG)",
         lambda X, W, b, G: layer(X * W + sp.ones(3, 1) * b, G)),
    Item("L", "W", "Y = X W^T + b, X: 3x2, W: 4x2", "math.md (nn.Linear: ∂L/∂W = GᵀZ)",
         lambda X, W, b, G: layer(X * W.T + sp.ones(3, 1) * b, G)),
    Item("L", "X", "Y = X W^T + b, X: 3x2, W: 4x2", "math.md (nn.Linear: ∂L/∂Z = GW)",
         lambda X, W, b, G: layer(X * W.T + sp.ones(3, 1) * b, G)),
    Item("L", "W", r"Y = X W, L = \frac{1}{2}\|Y - T\|_F^2, X: 3x2, W: 2x4", "math.md (a concrete loss, G = Y − T)",
         lambda X, W, T: fro2(X * W - T) / 2),
    Item("L", "W", "Y = X W, X: 3x2, W: 2x4", "cs231n notes (backprop for a matrix product)",
         lambda X, W, G: layer(X * W, G)),
    # ---- vector by vector (Cookbook §2.4) ----
    Item("A x", "x", "A: 3x2, x: 2", f"{CB} eq. 69 (∂Ax/∂x, numerator layout = A)", lambda A, x: A * x,
         kind="jacobian", convention="numerator"),
    Item("A x", "x", "A: 3x2, x: 2", f"{CB} eq. 69 (gradient convention = Aᵀ)", lambda A, x: A * x, kind="jacobian"),
    Item("A x + b", "x", "A: 3x2, x: 2, b: 3", "Magnus & Neudecker, ch. 9 (affine map)", lambda A, x, b: A * x + b,
         kind="jacobian", convention="numerator"),
    # ---- matrix by matrix, index notation (math.md) ----
    Item("A", "W", "A = Z W + B, Z: 3x2, W: 2x4", "math.md (∂a_ij/∂w_pq = z_ip δ_jq)",
         lambda Z, W, B: Z * W + sp.ones(3, 1) * B, kind="entries"),
    Item(r"X \odot B", "X", "X: 3x2, B: 3x2", "Magnus & Neudecker (Hadamard)", lambda X, B: had(X, B), kind="entries"),
    Item("X^T A", "X", "X: 3x2, A: 3x4", "Magnus & Neudecker, ch. 9 (transpose)", lambda X, A: X.T * A, kind="entries"),
    Item("A X B", "X", "A: 2x3, X: 3x4, B: 4x2", f"{CB} eq. 73 (∂(AXB)_ij/∂X_mn)", lambda A, X, B: A * X * B,
         kind="entries"),
    # ---- not covered yet: the claims engine cannot check them, so derive must refuse ----
    Item("tr(X^{-1} A)", "X", "X: 3x3, A: 3x3", f"{CB} eq. 63", None, covered=False),
    Item(r"\det(X)", "X", "X: 3x3", f"{CB} eq. 49", None, covered=False),
    Item(r"\log \det(X)", "X", "X: 3x3", f"{CB} eq. 51", None, covered=False),
    Item(r"\|x\|", "x", "x: 3", f"{CB} eq. 131", None, covered=False),
    Item(r"\operatorname{tr}(\exp(X))", "X", "X: 3x3", "elementwise exp", None, covered=False),
    Item(r"\sigma(X w)", "w", "X: 3x2, w: 2", "elementwise σ", None, covered=False),
    Item(r"a^T X^{-1} b", "X", "a: 3, X: 3x3, b: 3", f"{CB} eq. 61", None, covered=False),
]
