"""Labels of leeeroyy-readme.md: the README states the three results of leeeroyy-affine.tex without the
layer (Y = XW + B, b a row repeated over the N rows of X, as the .tex defines it), so they are decided
under that layer but are not strict here."""

from __future__ import annotations

try:
    from ._truth import Entry, build, main
    from .leeeroyy_affine import SIZES, headline
except ImportError:
    from _truth import Entry, build, main
    from leeeroyy_affine import SIZES, headline

DOC = "leeeroyy-readme.md"
X = r"\frac{\partial L}{\partial \mathbf{X}} = \frac{\partial L}{\partial \mathbf{Y}} \mathbf{W}^T"
W = r"\frac{\partial L}{\partial \mathbf{W}} = \mathbf{X}^T \frac{\partial L}{\partial \mathbf{Y}}"
B = r"\frac{\partial L}{\partial \mathbf{b}} = \mathbf{1}^T \frac{\partial L}{\partial \mathbf{Y}}"
NOTE = "; the layer is only in the .tex, not in this README"
ENTRIES = [
    Entry(X, False, "(∂L/∂Y) Wᵀ" + NOTE, check=headline("X")),
    Entry(W, False, "Xᵀ (∂L/∂Y)" + NOTE, check=headline("W")),
    Entry(B, False, "1ᵀ (∂L/∂Y)" + NOTE, check=headline("b")),
    Entry(X, False, "(∂L/∂Y) Wᵀ" + NOTE, check=headline("X"), nth=2),
    Entry(W, False, "Xᵀ (∂L/∂Y)" + NOTE, check=headline("W"), nth=2),
    Entry(B, False, "1ᵀ (∂L/∂Y)" + NOTE, check=headline("b"), nth=2),
]


def labels() -> dict:
    return build(DOC, "Y = XW + B as in the .tex (not stated here)", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))
