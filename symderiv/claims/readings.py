"""The readings a careful reader gives a claim's letters, and the verdict over all of them.

A letter's kind comes from evidence, never from the alphabet: a bold or transposed
letter is a vector, a Greek letter with no evidence may be a scalar or a vector, and a
lower-case letter that could only have length 1 as a vector (½(wᵀx − y)²: y) is read
as a scalar. A repeated index with no Σ (y_{ij} = x_{ik} a_{kj}) is read summed
(Einstein) and free. Readings in which the claim is ill-formed are dropped; where the
others agree, that is the verdict, and where they disagree the claim is unchecked,
naming both."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from .check import Outcome, free_indices, index_letters
from .context import Context
from .decide import decide
from .infer import Typing
from .tree import GREEK, Add, Claim, Deriv, Mul, Neg, Norm, Sub, SumOp, Trace, Transpose, Var, index_parts, walk

MAX_AMBIGUOUS = 3  # Greek letters read both ways (2³ readings at most)


@dataclass
class Reading:
    claim: Claim
    ctx: Context
    says: tuple[str, ...] = ()  # what this reading takes that another does not: "β a vector"


@dataclass
class Read:
    """The verdict over every reading, with the reading it was decided in."""

    outcome: Outcome
    typing: Typing
    reading: Reading
    single: bool = True  # one reading was left (the proof may speak for it)


def rewrite(node: Any, fn: Callable[[Any], Any]) -> Any:
    """The tree with `fn` applied to every node, children first (fn returns a node)."""
    if isinstance(node, tuple):
        return tuple(rewrite(x, fn) for x in node)
    if not is_dataclass(node) or isinstance(node, type):
        return node
    changes = {f.name: rewrite(getattr(node, f.name), fn) for f in fields(node)
               if is_dataclass(getattr(node, f.name)) or isinstance(getattr(node, f.name), tuple)}
    return fn(replace(node, **changes) if changes else node)


def _context_trees(ctx: Context) -> list[Any]:
    return [e for _, e in ctx.defs] + ([ctx.loss] if ctx.loss is not None else [])


def greek_letters(claim: Claim, ctx: Context) -> tuple[list[str], list[str]]:
    """Greek letters the evidence makes vectors (transposed, indexed, bold elsewhere), and those it
    leaves open (a scalar or a vector). Declared ones, δ, the upstream name and λ₁ are left alone."""
    trees = [claim, *_context_trees(ctx)]
    nodes = [n for t in trees for n in walk(t)]
    greek = [n for n in nodes if isinstance(n, Var) and n.style == "greek"]
    names = list(dict.fromkeys(n.letter for n in greek))
    declared = set(ctx.shapes) | set(ctx.scalars) | {ctx.upstream} | set(ctx.defined)
    bold = set(claim.bold)
    vector, open_ = [], []
    for name in names:
        if name in declared or name == "delta" or name not in GREEK:
            continue
        subs = [n.sub for n in greek if n.letter == name and n.sub is not None]
        if any(not p.isalpha() for s in subs for p in index_parts(s)):
            continue  # λ_1, λ_2: named scalars, not entries
        transposed = any(isinstance(n, Transpose) and isinstance(n.a, Var) and n.a.style == "greek"
                         and n.a.letter == name for n in nodes)
        if transposed or subs or GREEK[name] in bold:
            vector.append(name)
        else:
            open_.append(name)
    return vector, open_


def _as_vectors(node: Any, names: set[str]) -> Any:
    def fn(n: Any) -> Any:
        if isinstance(n, Var) and n.style == "greek" and n.letter in names:
            return Var(GREEK[n.letter], n.sub, "plain")
        return n
    return rewrite(node, fn)


def _greek_reading(claim: Claim, ctx: Context, names: set[str]) -> tuple[Claim, Context]:
    if not names:
        return claim, ctx
    new_claim = _as_vectors(claim, names)
    defs = [(x, _as_vectors(e, names)) for x, e in ctx.defs]
    loss = _as_vectors(ctx.loss, names) if ctx.loss is not None else None
    return new_claim, replace(ctx, defs=defs, loss=loss)


def _einstein(claim: Claim) -> Claim | None:
    """Each link with a product that repeats an index no Σ binds, that index summed over the
    product (Einstein's convention); None when there is none."""
    free, _ = free_indices(claim)
    total: dict[str, int] = {}
    for x in walk(claim):
        for p in index_letters(x):
            total[p] = total.get(p, 0) + 1
    changed = False
    parts = []
    for part in claim.parts:
        def fn(n: Any) -> Any:
            nonlocal changed
            if not isinstance(n, Mul) or n.op not in ("", "*", "cdot"):
                return n
            counts: dict[str, int] = {}
            for x in walk(n):
                for p in index_letters(x):
                    counts[p] = counts.get(p, 0) + 1
            inner = {v for x in walk(n) if isinstance(x, SumOp) for v in x.vars}
            rep = tuple(p for p, k in counts.items() if k == 2 and total.get(p) == 2 and p in free and p not in inner)
            if not rep:
                return n
            changed = True
            return SumOp(rep, 1, None, n)
        parts.append(_outer_products(part, fn))
    return Claim(tuple(parts), claim.rels, claim.bold) if changed else None


def _outer_products(node: Any, fn: Callable[[Any], Any]) -> Any:
    """Apply fn to the outermost products of a sum of terms (x_{ik} a_{kj} + b_{ij})."""
    if isinstance(node, (Add, Sub)):
        return type(node)(_outer_products(node.a, fn), _outer_products(node.b, fn))
    if isinstance(node, Neg):
        return Neg(_outer_products(node.a, fn))
    return fn(node)


def readings(claim: Claim, ctx: Context) -> list[Reading] | str:
    """Every reading to decide, the conventional one first; a string when there are too many."""
    vector, open_ = greek_letters(claim, ctx)
    if len(open_) > MAX_AMBIGUOUS:
        return (f"{len(open_)} Greek letters ({', '.join(GREEK[n] for n in open_)}) could each be a scalar or a "
                "vector; declare them in --context (β: scalar, or β: 3 for a vector)")
    out: list[Reading] = []
    for choice in itertools.product((False, True), repeat=len(open_)):
        as_vec = set(vector) | {n for n, v in zip(open_, choice) if v}
        c, x = _greek_reading(claim, ctx, as_vec)
        says = tuple(f"{GREEK[n]} as a {'vector' if v else 'scalar'}" for n, v in zip(open_, choice))
        out.append(Reading(c, x, says))
    more = []
    for r in out:
        e = _einstein(r.claim)
        if e is not None:
            more.append(Reading(e, r.ctx, r.says + ("a repeated index summed (Einstein's convention)",)))
            r.says = r.says + ("a repeated index free (not summed)",)
    return out + more


def _never_scalar(claim: Claim, ctx: Context) -> set[str]:
    """Letters the notation shows are vectors: bold, transposed, indexed (y_i), Greek."""
    out = set(claim.bold) | set(GREEK.values())
    for t in [claim, *_context_trees(ctx)]:
        for n in walk(t):
            if isinstance(n, Var) and n.sub is not None:
                out.add(n.letter)
            if isinstance(n, Deriv) and isinstance(n.den, Var):
                out.add(n.den.letter)  # ∂/∂v: what a derivative is taken with respect to keeps its kind
            inside = []
            if isinstance(n, (Norm, Trace)):  # ‖y‖, tr(x): a vector or a matrix
                inside = [n.a]
            elif isinstance(n, Mul) and n.op in ("odot", "otimes"):
                inside = [n.a, n.b]
            elif isinstance(n, Transpose):
                inside = [n.a]
            for x in inside:
                while isinstance(x, (Neg, Transpose)):
                    x = x.a
                terms = [x]
                while terms:  # through sums and Hadamard products, not through products (aᵀx is 1×1)
                    y = terms.pop()
                    if isinstance(y, (Add, Sub)) or (isinstance(y, Mul) and y.op in ("odot",)):
                        terms += [y.a, y.b]
                    elif isinstance(y, Neg):
                        terms.append(y.a)
                    elif isinstance(y, Var):
                        out.add(y.letter)
    return out | set(ctx.shapes) | set(ctx.defined) | {ctx.upstream or ""}


def ill_formed(o: Outcome, t: Typing) -> bool:
    return o.kind == "ill-formed" or bool(t.forced) or o.context_ill_formed


def decide_one(reading: Reading, layout: str) -> tuple[Outcome, Typing, Reading]:
    """Decide one reading; a lower-case letter that could only have length 1 as a vector
    (and that nothing shows is a vector) is read again as a scalar."""
    ctx, says = reading.ctx, reading.says
    for _ in range(3):
        o, t = decide(ctx, reading.claim, layout)
        if not t.forced_letters:
            break
        keep = _never_scalar(reading.claim, ctx)
        scal = [v for v in t.forced_letters if v not in keep and len(v) == 1 and v.islower()]
        if not scal or not ill_formed(o, t):
            break
        ctx = replace(ctx, scalars=set(ctx.scalars) | set(scal))
        says = says + tuple(f"{v} as a scalar" for v in scal)
    return o, t, Reading(reading.claim, ctx, says)


def _verdict_words(o: Outcome) -> str:
    if o.verdict == "holds":
        return "it holds"
    if o.verdict == "fails":
        return f"it fails ({o.reason})" if o.kind != "values" else "it fails (the values differ)"
    return f"it cannot be checked ({o.reason})"


def _mentions(ctx: Context, letter: str) -> bool:
    return letter in ctx.shapes or letter in ctx.scalars or letter in ctx.defined or any(
        isinstance(n, Var) and n.letter == letter for t in _context_trees(ctx) for n in walk(t))


def declared_greek(claim: Claim, ctx: Context) -> Claim:
    """A bold Greek letter the context declares (δ = ∂L/∂Y, β: 3, λ: scalar) is that letter."""
    out = ctx.output
    if ctx.upstream == "G" and out and out.islower() and ctx.loss is None and not _mentions(ctx, "g") \
            and any(isinstance(n, Var) and n.letter == "g" and n.style == "plain" for n in walk(claim)) \
            and not any(isinstance(n, Var) and n.letter == "G" for n in walk(claim)):
        # y = x ⊙ x: the upstream gradient of a vector y is written g (as G is for a matrix Y)
        claim = rewrite(claim, lambda n: Var("G", n.sub, n.style) if isinstance(n, Var) and n.letter == "g"
                        and n.style == "plain" else n)
    named = {GREEK[n]: n for n in (set(ctx.shapes) | set(ctx.scalars) | {ctx.upstream or ""}) if n in GREEK}
    if not named or not any(isinstance(n, Var) and n.letter in named for n in walk(claim)):
        return claim

    def fn(n: Any) -> Any:
        if isinstance(n, Var) and n.style == "plain" and n.letter in named:
            return Var(named[n.letter], n.sub, "greek")
        return n
    return rewrite(claim, fn)


def decide_read(ctx: Context, claim: Claim, layout: str) -> Read:
    """The verdict of a claim over every reading of it (see the module docstring)."""
    claim = declared_greek(claim, ctx)
    rs = readings(claim, ctx)
    if isinstance(rs, str):
        o, t = decide(ctx, claim, layout)
        return Read(Outcome("unchecked", "unsupported", rs, sizes=o.sizes), t, Reading(claim, ctx), True)
    done = [decide_one(r, layout) for r in rs]
    if len(done) == 1:
        o, t, r = done[0]
        return Read(o, t, r, True)
    valid = [d for d in done if not ill_formed(d[0], d[1])]
    if not valid:
        o, t, r = done[0]
        return Read(o, t, r, True)
    verdicts = {o.verdict for o, _, _ in valid}
    if len(verdicts) == 1:
        o, t, r = valid[0]
        return Read(o, t, r, len(valid) == 1)
    parts = [f"with {', '.join(r.says) or 'the letters as written'}, {_verdict_words(o)}" for o, _, r in valid]
    o0, t0, r0 = valid[0]
    said = " ".join(s for _, _, r in valid for s in r.says)
    how = []
    if "as a" in said:
        how.append("declare the letter in --context (β: scalar, or β: 3 for a vector)")
    if "index" in said:
        how.append("write the Σ")
    msg = ("the claim can be read more than one way, and the readings disagree: " + "; ".join(parts)
           + ". Say which is meant: " + (" or ".join(how) or "declare the shapes in --context"))
    return Read(Outcome("unchecked", "unsupported", msg, sizes=o0.sizes), t0, r0, False)
