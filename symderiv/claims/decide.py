"""Bind and decide: the shapes of a claim's letters with the provenance of every
size (declared by a person, or chosen by symderiv), the assignments of the chosen
sizes a claim is checked at, and the verdict over all of them.

A size symderiv chose stands for every size: a claim holds only if it holds at two
or more assignments, each chosen size at least 2 and different from the other
chosen sizes (square and unit shapes hide transposition errors), and a claim that
is well-formed only when a vector or matrix has size 1 fails as ill-formed."""

from __future__ import annotations

from dataclasses import dataclass, field

from .check import Outcome, check
from .context import MAX_SIZE, Context
from .infer import Typing, infer
from .tree import Claim, Mul, Ones, SumOp, Var, index_parts, walk

PREFERRED = {"m": 3, "k": 2, "n": 4}  # the default layer's sizes, as `verify` uses them


@dataclass
class Sizes:
    """Which sizes a claim was checked at, and where each came from."""

    declared: dict[str, int] = field(default_factory=dict)  # named sizes a person gave
    chosen: list[str] = field(default_factory=list)  # size names symderiv chose (visible ones)
    assignments: list[dict[str, int]] = field(default_factory=list)  # every assignment checked
    hidden: bool = False  # some chosen size has no name (a free matrix's dimension)
    shapes: list[dict[str, tuple[int, int]]] = field(default_factory=list)  # letters' shapes per assignment


def largest_literal_index(claim: Claim) -> int:
    """The largest number written as an index (b_{3}, w_{2,3}, E_{12}): sizes tried must reach it."""
    best = 2
    for n in walk(claim):
        sub = getattr(n, "sub", None)
        if isinstance(sub, str) and not (isinstance(n, Var) and n.letter == "I"):
            best = max([best] + [int(p) for p in index_parts(sub) if p.isdigit() and len(p) <= 2])
        if isinstance(n, SumOp) and isinstance(n.hi, int) and n.hi <= MAX_SIZE:
            best = max(best, n.hi)  # Σ_{i=1}^{3} x_{ip}: the entries it sums must exist
    return best


def largest_constant(claim: Claim) -> int:
    """The largest constant a sum names (Σ_{i=4}^{N}, Σ_{i=1}^{3}): a claim not proved for all sizes
    is also checked where every chosen size is past it, so an empty or short sum cannot hide a term."""
    best = 0
    for n in walk(claim):
        if isinstance(n, SumOp):
            best = max([best, n.lo] + ([n.hi] if isinstance(n.hi, int) else []))
    return best


def assignments(t: Typing, lowest: int = 2) -> list[dict[str, int]]:
    """The declared sizes, with the chosen ones given two assignments: distinct values
    ≥ max(2, lowest), avoiding the declared values where possible; the second assignment
    changes every chosen size (a rotation of the first, or a fresh value for a single one)."""
    c = t.classes
    fixed = dict(c.fixed)
    roots = t.chosen
    if not roots:
        return [fixed]
    declared = {c.value(i) for i in range(len(c.parent))} - {None, 1}
    order = [3, 2, 4] + list(range(5, MAX_SIZE + 1))
    pool = [v for v in order if v >= lowest and v not in declared]
    pool += [v for v in order if v >= lowest and v in declared]  # only when nothing else is left
    prefs = [next((PREFERRED[n] for n in sorted(c.names[r]) if n in PREFERRED), None) for r in roots]
    reserved = {p for p in prefs if p is not None and p >= lowest and p not in declared}
    first: list[int] = []
    for pref in prefs:
        if pref is not None and pref in reserved and pref not in first:
            first.append(pref)
        else:
            free = [v for v in pool if v not in first and v not in reserved] or [v for v in pool if v not in first]
            first.append(free[0] if free else max(2, lowest))
    if len(first) > 1:
        second = first[1:] + first[:1]
    else:
        spare = [v for v in pool if v != first[0]]
        second = [spare[0] if spare else first[0] + 1]
    out = []
    for values in (first, second):
        a = dict(fixed)
        for r, v in zip(roots, values):
            for name in c.names[r]:
                a[name] = v
        out.append(a)
    return out


def describe_sizes(t: Typing, checked: list[dict[str, int]]) -> Sizes:
    c = t.classes
    names = [n for r in t.chosen for n in sorted(c.names[r])]
    out = Sizes(declared=dict(c.fixed), chosen=[n for n in names if not n.startswith("_")],
                assignments=[{k: v for k, v in a.items() if not k.startswith("_")} for a in checked],
                hidden=any(n.startswith("_") for n in names))
    letters = sorted(x for x in t.matrices if x not in t.scalars)
    for a in checked:
        shapes = {}
        for x in letters:
            try:
                shapes[x] = t.shape(x, a)
            except KeyError:
                continue
        out.shapes.append(shapes)
    return out


def _combine(outcomes: list[Outcome], t: Typing) -> Outcome:
    """Fails at every assignment checked: fails. Holds at some and fails at others: the claim
    depends on a size nobody declared (it is about particular sizes), so it stays unchecked."""
    verdicts = [o.verdict for o in outcomes]
    if "holds" in verdicts and "fails" in verdicts:
        names = [n for r in t.chosen for n in sorted(t.classes.names[r]) if not n.startswith("_")]
        shown = ", ".join(names) or "a size of a free matrix"
        at = {o.verdict: o.sizes for o in outcomes}
        def side(v: str) -> str:
            return ", ".join(f"{k}={x}" for k, x in sorted(at[v].items()) if not k.startswith("_")) or "some sizes"
        return Outcome(
            "unchecked", "unsupported",
            f"it holds at some sizes and fails at others (holds at {side('holds')}, fails at {side('fails')}; "
            f"{shown} left open): the claim depends on sizes nothing declares; give them with --context "
            f"or --m/--k/--n", sizes=outcomes[0].sizes)
    for o in outcomes:
        if o.verdict == "fails":
            return o
    for o in outcomes:
        if o.verdict == "unchecked":
            return o
    return outcomes[0]


def decide(ctx: Context, claim: Claim, layout: str, vec_order: str = "F") -> tuple[Outcome, Typing]:
    """The verdict of `claim` in `layout` at every assignment of the sizes;
    `Typing.sizes_checked` says which were checked."""
    t = infer(ctx, claim)
    if t.collapsed:
        return Outcome("unchecked", "unsupported", f"the context cannot be used: {t.collapsed}"), t
    first = assignments(t, largest_literal_index(claim))
    if t.forced:
        o = check(ctx, t, claim, layout, first[0], vec_order)
        t.sizes_checked = describe_sizes(t, first[:1])
        if o.verdict == "unchecked":
            return o, t
        return Outcome("fails", "ill-formed", t.forced[0], sizes=first[0]), t
    one_long = _one_long_ones(claim, t)
    if one_long:
        return Outcome("unchecked", "sizes", f"𝟏 can only have length 1 here ({one_long}), where 𝟏, 𝟏ᵀ and the number 1 "
                       "are alike, so a misplaced transpose of 𝟏 cannot show; give 𝟏 its length (𝟏_N) or check at a "
                       "larger size"), t
    past = largest_constant(claim)
    names = [n for r in t.chosen for n in t.classes.names[t.classes.find(r)]]
    if names and past + 1 <= MAX_SIZE and any(a.get(n, past + 1) <= past for a in first for n in names):
        extra = assignments(t, past + 1)[:1]  # every chosen size past the sums' constants
        first = first + [a for a in extra if a not in first]
    outcomes = [check(ctx, t, claim, layout, sizes, vec_order) for sizes in first]
    t.sizes_checked = describe_sizes(t, first)
    if len(outcomes) > 2 and outcomes[-1].verdict == "fails" and outcomes[-1].kind == "values" \
            and all(o.verdict == "holds" for o in outcomes[:-1]):
        o = outcomes[-1]  # it holds only at sizes where a sum is empty or short: false for every larger size
        at = ", ".join(f"{k}={v}" for k, v in sorted(o.sizes.items()) if not k.startswith("_"))
        o.note = (f" (at {at}, past the constant {past} a sum names; it holds at smaller sizes only, "
                  "where that sum is empty or short)")
        return o, t
    out = _combine(outcomes, t)
    if out.verdict == "fails" and out.kind == "ill-formed" and t.chosen and _kronecker(claim):
        # A ⊗ X: its shape is a product of sizes, which the inference does not tie, so the sizes chosen may
        # make it ill-formed where the author's would not (tr(A ⊗ X) with X non-square): not a verdict
        return Outcome("unchecked", "unsupported", "the shapes of a Kronecker product (⊗) are not inferred, and at the "
                       f"sizes symderiv chose: {out.reason}; declare the shapes (--context 'A: 2x2, X: 3x3')"), t
    return out, t


def _one_long_ones(claim: Claim, t: Typing) -> str | None:
    """A 𝟏 written without its length whose length the shapes make 1 (a batch of one declared, N = 1)."""
    c = t.classes
    for n in walk(claim):
        if isinstance(n, Ones) and n.size is None and id(n) in t.helpers:
            r = t.helpers[id(n)][0]
            if c.value(r) == 1 and c.declared[c.find(r)]:  # a 1 symderiv chose is the forced check's (ill-formed)
                names = sorted(x for x in c.names[c.find(r)] if not x.startswith("_"))
                return f"{names[0]} = 1" if names else "its length is fixed at 1"
    return None


def _kronecker(claim: Claim) -> bool:
    return any(isinstance(n, Mul) and n.op == "otimes" for n in walk(claim))
