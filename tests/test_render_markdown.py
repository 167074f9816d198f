"""The Markdown renderer against a real math renderer: every `$$` block and every
inline `$…$` of the output goes through KaTeX (node, throwOnError, strict), and the
text holds the gradient entries built here independently."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import symengine as se

from symderiv.derivation import Derivation, Display, Prose, Step
from symderiv.notation import Call, Chain, D, Grid, Half, L, Num, Ones, Poly, Prod, Rel, Shape, Sum, Sym, T, Words, entry
from symderiv.render import markdown
from symderiv.render.latexmath import to_latex
from symderiv.shapes import LAYOUTS, Spec
from symderiv.verify import verify

JS = Path(__file__).parent / "js"
GOLDEN = Path(__file__).parent / "golden"
HAVE_KATEX = bool(shutil.which("node")) and (JS / "node_modules" / "katex").is_dir()
needs_katex = pytest.mark.skipif(
    not HAVE_KATEX, reason="node or katex missing (install: cd tests/js && npm install; see .ci/install-renderers)"
)
pytestmark = pytest.mark.renderers


@functools.cache
def derivation(spec: Spec) -> Derivation:
    return verify(spec)


def math_spans(md: str) -> list[tuple[str, bool]]:
    """(tex, display) for every `$$` block (delimiters on their own lines) and every inline
    `$…$` outside code; raises if a `$$` block is left open."""
    out: list[tuple[str, bool]] = []
    block: list[str] | None = None
    for line in md.splitlines():
        if line == "$$":
            if block is None:
                block = []
            else:
                out.append(("\n".join(block), True))
                block = None
        elif block is not None:
            block.append(line)
        else:
            assert "$$" not in line, f"display math must stand on its own lines: {line}"
            text = re.sub(r"`[^`]*`", "", line).replace("\\$", "")
            out += [(m, False) for m in re.findall(r"\$([^$]+)\$", text)]
    assert block is None, "a $$ block is not closed"
    return out


def katex_errors(formulas: list[tuple[str, bool]]) -> list[dict]:
    payload = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    run = subprocess.run(["node", str(JS / "katex-check.js")], input=payload, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


ALL_OPTIONS = [Spec(3, 2, 4, layout, bias, loss)
               for layout in ("zw", "zwt") for bias in (True, False) for loss in ("generic", "sumsq")]
SHAPES = [Spec(8, 8, 8), Spec(1, 1, 1), Spec(5, 1, 2, "zwt"), Spec(2, 7, 3, loss="sumsq")]


def _id(spec: Spec) -> str:
    return f"{spec.m}x{spec.k}x{spec.n}-{spec.layout}-{'bias' if spec.bias else 'nobias'}-{spec.loss}"


@needs_katex
def test_katex_helper_rejects_broken_math() -> None:
    errors = katex_errors([(r"\frac{a}{b}", True), (r"\frac{a}{", True), (r"\notacommand x", False), ("a_b_c", False)])
    assert [e["index"] for e in errors] == [1, 2, 3]


@needs_katex
@pytest.mark.parametrize("spec", ALL_OPTIONS + SHAPES, ids=_id)
def test_every_formula_renders_in_katex(spec: Spec) -> None:
    spans = math_spans(markdown.render(derivation(spec)))
    displays = [tex for tex, display in spans if display]
    assert len(displays) >= 8 and len(spans) > len(displays)
    errors = katex_errors(spans)
    assert not errors, [(spans[e["index"]][0][:200], e["error"]) for e in errors]


@needs_katex
def test_odd_prose_still_renders() -> None:
    odd = ["grad_W failed: 50% of {x} cost $5 & #1 ~ ^ \\ — fine… “quoted” | pipe *star* [link](x) <b>",
           "x_1_2 and a_b_c and Zᵀᵀ and z₁₂² and ∂L/∂w_(1,2) and 3×4×2×4 and ½ and 𝟏ᵀG ≠ GᵀZ ≈ 0"]
    d = Derivation(Spec(1, 1, 1), [Step("odd_title 100% {∂L/∂W}", [Prose(p) for p in odd] + [
        Display(Rel(Call("tr_x", (Sym("Z"),)), Words("a_b {c} 5% ∂"))), Display(Rel(Sym("long_name"), Sym("δ")))])], [])
    md = markdown.render(d)
    assert "grad\\_W failed: 50% of {x} cost \\$5" in md and "\\*star\\*" in md and "\\|" in md
    spans = math_spans(md)
    errors = katex_errors(spans)
    assert not errors, [(spans[e["index"]][0], e["error"]) for e in errors]


def test_gradient_entries_are_in_the_text() -> None:
    """ZᵀG entry (p,q) = Σ_i z_{i,p} g_{i,q} (math.md), written g before z as the renderer orders factors."""
    m, k, n = 3, 2, 4
    md = markdown.render(derivation(Spec(m, k, n)))
    for p in range(1, k + 1):
        for q in range(1, n + 1):
            entry = " + ".join(f"g_{{{i},{q}}} z_{{{i},{p}}}" for i in range(1, m + 1))
            assert f"| ({p},{q}) | ${entry}$ | ${entry}$ | ✓ |" in md
    assert "✗ $\\partial A/\\partial W = Z^{\\top}$ — **rejected, as expected**" in md
    assert "\\frac{\\partial L}{\\partial w_{1,2}}" in md and "\\delta_{j,q}" in md


def test_github_readable_structure() -> None:
    d = derivation(Spec(3, 2, 4, "zwt", False))
    md = markdown.render(d)
    headings = re.findall(r"^## (\d+)\. ", md, flags=re.M)
    assert headings == [str(i) for i in range(1, len(d.steps) + 1)]
    lines = md.splitlines()
    fences = [i for i, ln in enumerate(lines) if ln == "$$"]
    for opening, closing in zip(fences[::2], fences[1::2]):  # a math block is a paragraph of its own
        assert lines[opening - 1] == "" and lines[closing + 1] == ""
    for span, display in math_spans(md):  # GitHub: no space just inside an inline $…$
        assert display or span == span.strip()
    tables = [ln for ln in lines if ln.startswith("|")]
    for row in tables:
        assert len(re.findall(r"(?<!\\)\|", row)) in (5, 6), row


def test_large_shapes_are_abridged() -> None:
    md = markdown.render(derivation(Spec(8, 8, 8)))
    assert "\\cdots" in md and "\\vdots" in md and "\\ddots" in md and "more entries" in md
    assert "z_{8,8}" in md and "z_{5,5}" not in md


def test_same_derivation_same_bytes() -> None:
    assert markdown.render(verify(Spec(3, 2, 4))) == markdown.render(verify(Spec(3, 2, 4)))


def test_golden_file_matches() -> None:
    expected = (GOLDEN / "verify-3-2-4.md").read_text(encoding="utf-8")
    assert markdown.render(derivation(Spec(3, 2, 4))) == expected, "Markdown output changed: review, then `make golden`"


@needs_katex
def test_a_failing_derivation_renders_and_marks_what_failed() -> None:
    wrong = dataclasses.replace(LAYOUTS["zw"], grad_W=lambda Z, W, G: G.T * Z, grad_Z=lambda Z, W, G: -(G * W.T))
    d = verify(Spec(3, 2, 4), layout=wrong)
    md = markdown.render(d)
    assert "**The shapes differ:** $2 \\times 4$ against $4 \\times 2$." in md
    assert "| `grad_Z` | $\\partial L/\\partial Z = GW^{\\top}$ | fails | holds | no |" in md
    assert "**Some checks did not come out as expected**" in md
    spans = math_spans(md)
    errors = katex_errors(spans)
    assert not errors, [(spans[e["index"]][0][:200], e["error"]) for e in errors]


@needs_katex
def test_every_node_kind_renders_in_katex() -> None:
    z = se.Symbol("z_1_1")
    nodes = [D(L, entry("w", 1, 2)), Prod((T(Sym("Z")), Sym("G"))), Prod((T(Ones()), Sym("G"))),
             Sum("i", 1, Sym("m"), Prod((entry("z", "i", "p"), entry("g", "i", "q")))),
             Prod((Half(), Sum("i,j", None, None, Prod((entry("a", "i", "j"), entry("a", "i", "j")))))),
             Rel(D(Sym("A"), Sym("W")), Shape((3, 4, 2, 4))), Rel(Call("tr", (Sym("Z"),)), Num(0), "≠"),
             Rel(Sym("Z"), Grid(((z, 0), (0, -z**2 / 3)))), Chain((Sym("x"), Poly(z), Words("done")))]
    spans = [(to_latex(n, display), display) for n in nodes for display in (True, False)]
    assert not katex_errors(spans)


@pytest.mark.parametrize("spec", [Spec(3, 2, 4), Spec(8, 8, 8), Spec(2, 3, 2, "zwt", False, "sumsq")], ids=_id)
def test_math_survives_githubs_backslash_escapes(spec: Spec) -> None:
    """GitHub runs Markdown escapes over math: a \\\\ is kept only at the end of a line, and a
    backslash before other ASCII punctuation (\\, \\{ \\_) would be eaten. None may occur."""
    for tex, _ in math_spans(markdown.render(derivation(spec))):
        for line in tex.split("\n"):
            body = line.removesuffix(" \\\\")  # a row break at the end of its line is kept
            assert not re.findall(r"\\[!-/:-@\[-`{-~]", body), line
