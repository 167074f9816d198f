"""Labels of ashwinreddy-wiki.md: Y = XW with X ∈ ℝ^{N×D}, W ∈ ℝ^{D×M}; \\pdv is the physics package's
derivative macro, never defined in the page. The one display is the chain rule through the four-index
∂Y/∂W with an unspecified product ×: nothing a checker can decide."""

from __future__ import annotations

try:
    from ._truth import Entry, build, main
except ImportError:
    from _truth import Entry, build, main

DOC = "ashwinreddy-wiki.md"
SIZES = [dict(N=2, D=3, M=4), dict(N=3, D=2, M=1)]
ENTRIES = [
    Entry(r"$Y=XW$ with inputs", True, "the layer and its sizes", verdict="definition"),
    Entry(r"\pdv{L}{W} = \pdv{L}{Y}\times\pdv{Y}{W}", False,
          "the chain rule through a four-index Jacobian with an unspecified product", verdict="skip"),
]


def labels() -> dict:
    return build(DOC, "Y = XW", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))
