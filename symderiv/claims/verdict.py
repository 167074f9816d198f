"""`check_claim`, the one way a claim is read: parse (parser.py) → bind the
context and the shapes with the provenance of every size and decide at each
assignment of the sizes (decide.py) → explain (explain.py), in the layout asked
for and, for derivatives, the other one. Readings that cannot be decided
faithfully (a default layer without the claim's letters, the swapped layer
Z = AW + B, differentials dY = dX W) are unchecked here."""

from __future__ import annotations

import time
from typing import Any

from ..derivation import Verdict
from ..errors import BadInput
from .context import LAYER_CONTEXTS, Context, build_context, dname_case, foreign_letters, mentions_layer, renumber
from .decide import decide
from .evaluate import time_limit
from .explain import ClaimResult, counterexample, reason, shown_sizes, sizes_phrase
from .parser import ClaimParseError, parse
from .readings import decide_read
from .report import text
from .suggest import suggest
from .tree import Add, At, Claim, Deriv, Div, DName, Mul, Neg, Num, Ones, Sub, SumOp, Transpose, Var, walk

TIME_LIMIT = 8.0  # seconds per layout: a safety net for the largest shapes
SUGGEST_AFTER = 2.0  # no suggestion search when the check itself was slow
SUGGEST_LIMIT = 3.0
LAYOUTS = ("gradient", "numerator")


SWAPPED_LAYER = "Z = A W + B, A: m x k, W: k x n, B: 1 x n"


def _names_a_and_z(claim: Claim) -> bool:
    letters = {n.letter.upper() for n in walk(claim) if isinstance(n, Var) and n.style != "greek"}
    return {"A", "Z"} <= letters


def _differentials(claim: Claim, ctx: Context) -> bool:
    """dY with dX or dW of what Y is defined from: the differential notation of matrix
    calculus, not backprop's gradients (dX = dY Wᵀ goes from Y back to X)."""
    defs = dict(ctx.defs)
    first = claim.parts[0] if claim.parts else None
    names = {n.letter for p in claim.parts[1:] for n in walk(p) if isinstance(n, DName)}
    if isinstance(first, DName) and first.letter in defs:
        y = first.letter
        deps, todo = set(), [y]
        while todo:
            for v in walk(defs[todo.pop()]):
                if isinstance(v, Var) and v.style == "plain":
                    x = v.letter if v.sub is None else v.letter.upper()
                    if x not in deps:
                        deps.add(x)
                        if x in defs:
                            todo.append(x)
        return bool(names & deps)
    return False


def _unchecked(text_: str, claim: Claim, ctx: Context, layout: str, reason: str) -> ClaimResult:
    return ClaimResult(text_, Verdict.UNCHECKED, "unsupported", reason,
                       layouts={"gradient": "unchecked", "numerator": "unchecked"}, layout=layout,
                       context=ctx.describe(), statement=text(claim))


def _layout_sensitive(claim: Claim) -> bool:
    return any(isinstance(n, (Deriv, DName)) for n in walk(claim))


def _indexed(claim: Claim) -> bool:
    """An index-notation claim (an entry or a sum), the kind the prover takes."""
    return any(isinstance(n, SumOp) or (isinstance(n, Var) and n.sub is not None) for n in walk(claim))


INDEX_PROOF = "index notation, as symderiv prove does"
MATRIX_PROOF = "matrix calculus with the sizes symbolic: sympy's rules, not symderiv's engine"


def _prove_for_all_sizes(claim: Claim, ctx: Context, layer: str, layout: str,
                         matrices: bool = True) -> tuple[str, str] | None:
    """(the sizes a claim was proved for, every value of them; how), or None. An index-notation claim goes
    to the prover as written; a matrix-level gradient `∂L/∂W = M` goes as its entry `[∂L/∂W]_{pq} = (M)_{pq}`:
    equal entries at every p, q and every size is the matrix claim for every size (vectors are not tried);
    a free-letter matrix-calculus claim (∂ tr(AXB)/∂X = AᵀBᵀ) goes to the matrix-calculus prover."""
    if layout != "gradient":
        return None
    if _indexed(claim):
        sizes = _proved(claim, ctx, layer)
        return (sizes, INDEX_PROOF) if sizes else None
    if matrices and not _loss_gradient(claim.parts[0]):
        from ..prove.matrix import prove_matrix_claim  # sympy, only for claims that may be proved

        try:
            sizes = prove_matrix_claim(claim, ctx)
        except Exception:  # noqa: BLE001 - the prover only ever adds "proved"
            sizes = None
        return (sizes, MATRIX_PROOF) if sizes else None
    if not matrices or len(claim.parts) != 2 or claim.rels != ("=",) or not _loss_gradient(claim.parts[0]):
        return None
    lhs = claim.parts[0]
    if isinstance(lhs, DName):
        lhs = Deriv(Var("L"), Var(lhs.letter))
    try:
        rhs = _entry(claim.parts[1], ctx)
    except ValueError:
        return None
    sizes = _proved(Claim((At(lhs, "pq"), rhs), claim.rels, claim.bold), ctx, layer)
    return (sizes, INDEX_PROOF) if sizes else None


def _entry(node: Any, ctx: Context) -> Any:
    """(M)_{pq} with the entry taken inside sums, differences and number factors (the prover reads the
    entry of a product of matrices); dY, the output's gradient, is the upstream G."""
    if isinstance(node, (Add, Sub)):
        return type(node)(_entry(node.a, ctx), _entry(node.b, ctx))
    if isinstance(node, Neg):
        return Neg(_entry(node.a, ctx))
    if isinstance(node, Mul) and isinstance(node.a, Num):
        return Mul(node.a, _entry(node.b, ctx), "")
    if isinstance(node, Mul) and isinstance(node.a, Mul) and isinstance(node.a.a, Num):  # 2 Xᵀ G = (2 Xᵀ) G
        return Mul(node.a.a, _entry(Mul(node.a.b, node.b, node.op), ctx), "")
    if isinstance(node, Div) and isinstance(node.b, Num) and node.b.value != 0:
        return Mul(Num(1 / node.b.value), _entry(node.a, ctx), "")
    if any(isinstance(n, (Ones, Num, Div, Neg, Add, Sub)) for n in walk(node)):
        raise ValueError("a product with sums or numbers inside")
    return At(_upstream(node, ctx), "pq")


def _upstream(node: Any, ctx: Context) -> Any:
    if isinstance(node, DName) and ctx.output is not None and node.letter.upper() == ctx.output.upper() and ctx.upstream:
        return Var(ctx.upstream)
    if isinstance(node, Transpose):
        return Transpose(_upstream(node.a, ctx))
    if isinstance(node, Mul):
        return Mul(_upstream(node.a, ctx), _upstream(node.b, ctx), node.op)
    return node


def _loss_gradient(node: Any) -> bool:
    """∂L/∂W, dW, ∇_W L: the generic loss's gradient by a whole matrix or vector (no entry)."""
    if isinstance(node, DName):
        return node.sub is None
    return isinstance(node, Deriv) and isinstance(node.num, Var) and node.num.letter == "L" \
        and node.num.sub is None and isinstance(node.den, Var) and node.den.sub is None


def _proved(claim: Claim, ctx: Context, layer: str) -> str | None:
    from ..prove.claims import prove_claim  # sympy, only for claims that may be proved

    try:
        proof = prove_claim(claim, ctx, layer)
    except Exception:  # noqa: BLE001 - the prover only ever adds "proved"; its failure leaves the verdict as checked
        return None
    if proof is None or not proof.proved:
        return None
    return ", ".join(proof.sizes) if proof.sizes else "every size"


def check_claim(
    text_: str,
    context: str | None = None,
    shapes: dict[str, Any] | None = None,
    layout: str = "gradient",
    sizes: dict[str, int] | None = None,
    layer: str = "zw",
    prove_matrices: bool = True,
) -> ClaimResult:
    """Decide whether `text_` is true. `context` is e.g. 'Y = X W + b, X: 2x3';
    None means the layer A = ZW + B when the claim is about it (Z, W, G, L), else
    no context. `sizes` are the m, k, n a person gave (those not given are chosen by
    symderiv, 3, 2, 4 first, and varied); `shapes` may add named sizes {'N': 2} and
    letter shapes {'X': (2, 3)}. `prove_matrices` False: a matrix-level gradient that holds is not also
    handed to the prover (index-notation claims still are): `check` saves that time on long documents."""
    if layout not in LAYOUTS:
        raise BadInput(f"unknown layout {layout!r}", hint="choose gradient or numerator")
    if layer not in LAYER_CONTEXTS:
        raise BadInput(
            f"unknown layout {layer!r}", hint="choose zw or zwt for the layer, gradient or numerator for the convention"
        )
    sizes = {k: v for k, v in (sizes or {}).items() if v is not None}
    try:
        claim = parse(text_)
    except ClaimParseError as exc:
        ctx_text = context if context is not None else "(not read: the claim did not parse)"
        return ClaimResult(
            text_,
            Verdict.UNCHECKED,
            "parse",
            f"cannot parse the claim: {exc}",
            layouts={"gradient": "unchecked", "numerator": "unchecked"},
            layout=layout,
            context=ctx_text,
            line=exc.line,
            column=exc.column,
        )
    defaulted = context is None and mentions_layer(claim)
    if context is None:
        context = LAYER_CONTEXTS[layer] if defaulted else ""
    ctx = build_context(context, sizes, shapes)
    claim = dname_case(renumber(claim, ctx.numbered), ctx)
    foreign = [x for x in foreign_letters(claim) if x not in ctx.shapes] if defaulted else []
    if foreign:
        return _unchecked(text_, claim, ctx, layout,
                          f"the claim is read in the default layer ({context}), which has no {', '.join(foreign)}: "
                          f"give the layer the claim is about, such as --context 'Y = X W + b'")
    if _differentials(claim, ctx):
        return _unchecked(text_, claim, ctx, layout,
                          "dY next to dX or dW reads as differentials (dY = dX W + X dW), while symderiv reads dW "
                          "as the gradient ∂L/∂W; write gradients as ∂L/∂W")
    started = time.perf_counter()
    with time_limit(TIME_LIMIT):
        read = decide_read(ctx, claim, layout)
    outcome, t = read.outcome, read.typing
    claim, ctx = read.reading.claim, read.reading.ctx
    if defaulted and layer == "zw" and outcome.verdict == "fails" and _names_a_and_z(claim):
        # Z = AW + b (A the previous layer's activation) is as common as this tool's A = ZW + B
        with time_limit(TIME_LIMIT):
            alt, _ = decide(build_context(SWAPPED_LAYER, sizes, shapes), claim, layout)
        if alt.verdict == "holds":
            return _unchecked(text_, claim, ctx, layout,
                              f"it fails in the default layer ({context}) but holds in the layer "
                              f"Z = A W + B (A the input, Z the output): say which with --context")
    other = "numerator" if layout == "gradient" else "gradient"
    if _layout_sensitive(claim):
        with time_limit(TIME_LIMIT):
            other_outcome = decide_read(ctx, claim, other).outcome
    else:
        other_outcome = outcome
    layouts = {layout: outcome.verdict, other: other_outcome.verdict}
    result = ClaimResult(
        claim=text_,
        verdict=Verdict(outcome.verdict),
        kind=outcome.kind,
        reason=reason(outcome, claim),
        counterexample=counterexample(outcome, claim),
        layouts={k: layouts[k] for k in LAYOUTS},
        layout=layout,
        context=ctx.describe(),
        sizes=shown_sizes(t, outcome.sizes),
        checked=t.sizes_checked,
        statement=text(claim),
    )
    result.upstream_of = ctx.output if ctx.upstream == "G" else None
    if outcome.verdict == "holds":
        at = sizes_phrase(t.sizes_checked)
        base = outcome.reason if outcome.lhs_shape is not None else "both sides are equal, exactly"
        result.reason = f"{base} ({at})" if at else base
        result.proof = "sizes"
        if read.reading.says:
            result.reason += f" (reading {', '.join(read.reading.says)})"
        proved = _prove_for_all_sizes(claim, ctx, layer, layout, prove_matrices) if read.single else None
        if proved is not None:
            result.proof = "all-sizes"
            result.reason = f"proved for all sizes {proved[0]} ({proved[1]}); also {result.reason}"
    if time.perf_counter() - started < SUGGEST_AFTER:
        with time_limit(SUGGEST_LIMIT):
            result.suggestion = suggest(ctx, claim, outcome, other_outcome, layout)
    return result
