"""What a failing claim probably meant. Every suggestion that names a formula
has been checked exactly in the same context: the known fallacies (Jacobian
for the vector–Jacobian product, a transposed gradient, a wrong product order,
a missing sum over the batch, swapped indices) are rewrites that are tried,
never answers that are looked up."""

from __future__ import annotations

import itertools
from typing import Any

import symengine as se

from .check import Outcome
from .context import Context
from .decide import decide
from .report import text, value_text
from .tree import Add, At, Claim, Deriv, DName, Mul, Neg, Num, Ones, SumOp, Trace, Transpose, Var, Vec, index_parts, walk

MAX_CANDIDATES = 80
CHAIN_OPS = ("", "*", "@", "cdot", "times")


def _has_deriv(node: Any) -> bool:
    return any(isinstance(n, (Deriv, DName)) for n in walk(node))


def _holds(ctx: Context, claim: Claim, layout: str) -> bool:

    try:
        return decide(ctx, claim, layout)[0].verdict == "holds"
    except Exception:  # noqa: BLE001 - a candidate that cannot be evaluated is simply not suggested
        return False


def _flatten(node: Any) -> list[Any]:
    if isinstance(node, Mul) and node.op in CHAIN_OPS:
        return _flatten(node.a) + _flatten(node.b)
    return [node]


def _is_scalar_factor(node: Any) -> bool:
    return isinstance(node, Num) or (isinstance(node, Var) and node.style == "greek")


def _toggle(node: Any) -> Any:
    return node.a if isinstance(node, Transpose) else Transpose(node)


def _product(factors: list[Any]) -> Any:
    out = factors[0]
    for f in factors[1:]:
        out = Mul(out, f, "")
    return out


def _chain_rewrites(source: Any) -> list[tuple[Any, str]]:
    """Permutations and transposes of a product's factors (inside tr(·) too)."""
    wrap = lambda x: x  # noqa: E731
    sign = False
    node = source
    if isinstance(node, Neg):
        node, sign = node.a, True
    if isinstance(node, Trace):
        inner = node.a
        wrap = Trace  # noqa: E731
        node = inner
    factors = _flatten(node)
    scalars = [f for f in factors if _is_scalar_factor(f)]
    mats = [f for f in factors if not _is_scalar_factor(f)]
    if not 1 <= len(mats) <= 4:
        return []
    out: list[tuple[int, Any, str]] = []
    n = len(mats)
    for perm in itertools.permutations(range(n)):
        for mask in itertools.product((False, True), repeat=n):
            if perm == tuple(range(n)) and not any(mask):
                continue
            new = [(_toggle(mats[i]) if t else mats[i]) for i, t in zip(perm, mask)]
            body = _product(scalars + new)
            cand = wrap(body)
            if sign:
                cand = Neg(cand)
            moved = perm != tuple(range(n))
            if moved and all(mask) and perm == tuple(reversed(range(n))):
                why = "the transpose of the correct value (a transposed gradient)"
            elif moved and not any(mask):
                why = "the product order is wrong" if wrap is not Trace else "a trace is invariant only under cyclic shifts"
            elif not moved:
                why = "a factor is transposed" if sum(mask) == 1 else "factors are transposed"
            else:
                why = "the product order and transposes are wrong"
            out.append((int(moved) + sum(mask), cand, why))
    out.sort(key=lambda c: c[0])
    return [(c, why) for _, c, why in out[:MAX_CANDIDATES]]


def _index_swaps(source: Any) -> list[tuple[Any, str]]:
    out = []
    for node in walk(source):
        if (isinstance(node, Var) and node.sub and node.style == "plain") or isinstance(node, At):
            parts = index_parts(node.sub)
            if len(parts) == 2 and parts[0] != parts[1]:
                swapped = At(node.a, f"{parts[1]},{parts[0]}") if isinstance(node, At) else \
                    Var(node.letter, f"{parts[1]},{parts[0]}", node.style)
                cand = _replace(source, node, swapped)
                out.append((cand, f"the indices of {text(node)} are swapped: {text(swapped)}"))
    return out


def _replace(tree: Any, old: Any, new: Any) -> Any:
    if tree is old:
        return new
    if isinstance(tree, (Var, Num, Ones)) or not hasattr(tree, "__dataclass_fields__"):
        return tree
    fields = {}
    for name in tree.__dataclass_fields__:
        v = getattr(tree, name)
        fields[name] = _replace(v, old, new) if hasattr(v, "__dataclass_fields__") else v
    return type(tree)(**fields)


def _with(claim: Claim, link: int, side: int, node: Any) -> Claim:
    a, b = claim.parts[link], claim.parts[link + 1]
    return Claim((node, b) if side == 0 else (a, node), ("=",))


def _jacobian(ctx: Context, claim: Claim, o: Outcome, layout: str) -> str | None:
    a, b = claim.parts[o.link], claim.parts[o.link + 1]
    shapes = (o.lhs_shape or (), o.rhs_shape or ())
    if len(shapes[0]) == 4 and len(shapes[1]) == 2:
        jac, other, shape = a, b, shapes[0]
    elif len(shapes[1]) == 4 and len(shapes[0]) == 2:
        jac, other, shape = b, a, shapes[1]
    else:
        return None
    if not isinstance(jac, Deriv):
        return None
    num, den = jac.num, jac.den
    dims = "×".join(map(str, shape))
    msg = (f"{text(jac)} is the full Jacobian, a 4-index array of shape {dims} (output indices first), "
           f"with entries ∂{text(num).lower()}_{{i,j}}/∂{text(den).lower()}_{{p,q}}; it is not a matrix.")
    if isinstance(num, Var) and num.letter == ctx.output and ctx.upstream and isinstance(den, Var):
        G = Var(ctx.upstream)
        target = Deriv(Var("L"), den)
        for cand in (Mul(other, G), Mul(G, other), Mul(Transpose(other), G), Mul(G, Transpose(other))):
            if _holds(ctx, Claim((target, cand), ("=",)), layout):
                return (msg + f" {text(other)} is what remains after contracting it with the upstream gradient "
                        f"{ctx.upstream} = ∂L/∂{num.letter}: the vector–Jacobian product that backprop computes, "
                        f"{text(target)} = {text(cand)} (this holds).")
    return msg


def _entry_mixup(ctx: Context, claim: Claim, o: Outcome, layout: str) -> str | None:
    for side in (0, 1):
        d = claim.parts[o.link + side]
        if not (isinstance(d, Deriv) and isinstance(d.den, Var) and d.den.sub):
            continue
        parts = index_parts(d.den.sub)
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            continue
        other_side = claim.parts[o.link + 1 - side]
        for i in range(1, 9):
            for j in range(1, 9):
                if [str(i), str(j)] == parts:
                    continue
                cand = Deriv(d.num, Var(d.den.letter, f"{i},{j}", d.den.style), d.kind)
                if _holds(ctx, Claim((cand, other_side), ("=",)), layout):
                    return (f"the right-hand side is {text(cand)}, the derivative for another entry: "
                            f"{text(d)} is {value_text(o.lhs if side == 0 else o.rhs)}.")
    return None


def _missing_terms(claim: Claim, o: Outcome) -> str | None:
    a, b = claim.parts[o.link], claim.parts[o.link + 1]
    if o.lhs is None or o.rhs is None:
        return None
    truth, claimed = (o.lhs, o.rhs) if _has_deriv(a) or not _has_deriv(b) else (o.rhs, o.lhs)
    t_terms = set(se.expand(truth).args) if se.expand(truth).is_Add else {se.expand(truth)}
    c_terms = set(se.expand(claimed).args) if se.expand(claimed).is_Add else {se.expand(claimed)}
    missing, extra = t_terms - c_terms, c_terms - t_terms
    deriv = a if isinstance(a, Deriv) else b if isinstance(b, Deriv) else None
    bias = deriv is not None and isinstance(deriv.den, Var) and deriv.den.letter.lower() == "b"
    if missing and not extra:
        total = value_text(sum(missing, se.Integer(0)))
        msg = f"terms are missing: {total}."
        if bias:
            msg += " The bias is shared by all rows, so its gradient sums the upstream gradient over the batch."
        return msg
    if extra and not missing:
        return f"there are extra terms: {value_text(sum(extra, se.Integer(0)))}."
    return None


def _flattening(ctx: Context, claim: Claim, layout: str) -> str | None:
    """vec(·) claims: which flattening (and layout) makes them true."""

    for order, name in (("C", "row-major (C-order) flattening, vec(W) = the rows of W one after another"),):
        for lay in (layout, "numerator" if layout == "gradient" else "gradient"):
            try:
                ok = decide(ctx, claim, lay, order)[0].verdict == "holds"
            except Exception:  # noqa: BLE001
                ok = False
            if ok:
                where = "" if lay == layout else f" and {lay} layout (the Jacobian with output rows)" \
                    if lay == "numerator" else f" and the {lay} convention"
                return (f"It holds with {name}{where}; symderiv's vec is column-major "
                        f"(vec(Y) stacks the columns of Y, so vec(X W) = (I ⊗ X) vec(W)).")
    return None


def _index_count(node: Any) -> dict[str, int]:
    from .check import index_letters

    counts: dict[str, int] = {}
    for n in walk(node):
        for p in index_letters(n):
            counts[p] = counts.get(p, 0) + 1
    return counts


def _einstein(ctx: Context, claim: Claim, o: Outcome, layout: str) -> str | None:
    """A free index repeated on one side only: summed, in Einstein's convention?"""
    from .check import free_indices

    free, _ = free_indices(claim)
    a, b = claim.parts[o.link], claim.parts[o.link + 1]
    ca, cb = _index_count(a), _index_count(b)
    for side, (mine, theirs) in enumerate(((ca, cb), (cb, ca))):
        repeated = tuple(p for p in free if mine.get(p, 0) >= 2 and p not in theirs)
        if repeated and len(claim.parts) == 2:
            node = claim.parts[o.link + side]
            cand = _with(claim, o.link, side, SumOp(repeated, 1, None, node))
            if _holds(ctx, cand, layout):
                idx = ", ".join(repeated)
                return (f"It holds if the repeated index {idx} is summed (Einstein's convention): {text(cand)}. "
                        f"symderiv reads an index that no sum binds as free, for all its values.")
    return None


def suggest(ctx: Context, claim: Claim, o: Outcome, other: Outcome, layout: str) -> str | None:
    """One or two sentences about a failing claim, or None."""
    if o.verdict != "fails":
        return None
    notes: list[str] = []
    if other.verdict == "holds" and layout == "gradient":
        notes.append("It holds in numerator layout (the transpose of the gradient convention; "
                     "use --convention numerator), but not in the gradient convention, where ∂L/∂W has W's shape.")
    elif other.verdict == "holds":
        notes.append("It holds in the gradient convention (denominator layout: ∂L/∂W has W's shape), "
                     "but not in numerator layout.")
    if o.symmetric:
        L = o.symmetric
        general = _unsymmetrized(ctx, claim, o, layout, L)
        if general:
            notes.append(f"Did you mean {general}? {text(claim.parts[o.link + 1])} is that when {L} is symmetric "
                         f"({L}ᵀ = {L}); in general it is not.")
        else:
            notes.append(f"It holds only when {L} is symmetric ({L}ᵀ = {L}); in general it does not.")
    jac = _jacobian(ctx, claim, o, layout) if o.kind == "shapes" else None
    if jac:
        notes.append(jac)
        return " ".join(notes)
    if notes and (other.verdict == "holds" or o.symmetric):
        return " ".join(notes)
    a, b = claim.parts[o.link], claim.parts[o.link + 1]
    if any(isinstance(n, Vec) for n in walk(claim)):
        flat = _flattening(ctx, claim, layout)
        if flat:
            notes.append(flat)
            return " ".join(notes)
    einstein = _einstein(ctx, claim, o, layout)
    if einstein:
        notes.append(einstein)
        return " ".join(notes)
    side = 0 if (_has_deriv(b) and not _has_deriv(a)) else 1
    source = claim.parts[o.link + side]
    candidates = _chain_rewrites(source)
    if o.kind == "shapes" and o.lhs_shape and o.rhs_shape and len(o.lhs_shape) == 2 and len(o.rhs_shape) == 2:
        want = o.lhs_shape if side == 1 else o.rhs_shape
        have = o.rhs_shape if side == 1 else o.lhs_shape
        if want[0] == 1 and want[1] == have[1]:
            candidates.insert(0, (Mul(Transpose(Ones()), source), "the sum over the batch is missing: the bias is "
                                  "shared by all rows, so its gradient is the column sums 𝟏ᵀ(·)"))
    candidates += _index_swaps(source)
    for cand, why in candidates[:MAX_CANDIDATES]:
        new = _with(claim, o.link, side, cand)
        if text(new.parts[0]) == text(new.parts[1]):
            continue  # X = X says nothing
        if _holds(ctx, new, layout):
            if any(isinstance(n, Ones) for n in walk(source)):
                why = "the bias gradient sums over the batch: column sums 𝟏ᵀG, not row sums G𝟏"
            notes.append(f"Probably meant {text(new)}: {why}.")
            return " ".join(notes)
    if o.kind == "values":
        extra = _entry_mixup(ctx, claim, o, layout) or _missing_terms(claim, o)
        if extra:
            notes.append(extra[0].upper() + extra[1:])
    return " ".join(notes) or None






def _unsymmetrized(ctx: Context, claim: Claim, o: Outcome, layout: str, letter: str) -> str | None:
    """2Aβ for ∂(βᵀAβ)/∂β: the general form (A + Aᵀ)β, when it holds (the 2 dropped, A → A + Aᵀ)."""
    side = claim.parts[o.link + 1]

    def swap(n: Any) -> Any:
        """Along the left spine of a product, 2 A (or 2 · A) becomes (A + Aᵀ)."""
        if isinstance(n, Mul) and isinstance(n.a, Num) and n.a.value == 2 and isinstance(n.b, Var) \
                and n.b.letter == letter and n.b.sub is None:
            return Add(n.b, Transpose(n.b))
        if isinstance(n, Mul):
            a = swap(n.a)
            return n if a is n.a else Mul(a, n.b, n.op)
        return n

    cand = swap(side)
    if cand is side:
        return None
    if _holds(ctx, Claim((claim.parts[o.link], cand), ("=",)), layout):
        return text(cand)
    return None
