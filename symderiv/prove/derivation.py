"""`prove`: the affine layer's gradients and Jacobian in index notation, for every
shape. sympy differentiates the sums (Kronecker deltas appear), `rules` collapses
each delta under its range condition, `decide` compares with the closed forms'
entry formulas; the result is the same Derivation model `verify` produces."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..derivation import Check, CheckRef, Counterexample, Derivation, Display, Prose, Step, Verdict
from ..notation import Chain, D, Half, Node, Num, Prod, Rel, Shape, Sum, Sym, T, dL, entry
from ..render.text import to_text
from ..shapes import Layout, Spec
from . import rules
from .decide import Side, decide, dims, entry_label
from .indexed import IllFormed, entry_of, from_node, shape_of, to_node
from .statements import Problem, Variable, a_base, g_base, generic_loss, problem, ranges_of, sumsq_loss


@dataclass
class Proof:
    """The formulas behind the Derivation (tests compare them with verify's entries)."""

    problem: Problem
    derived: dict[str, list[rules.Term]] = field(default_factory=dict)  # ∂L/∂X entry formulas, final
    closed: dict[str, Any] = field(default_factory=dict)
    jacobian: list[rules.Term] = field(default_factory=list)
    upstream: Any = None  # sumsq: ∂L/∂a_{p,q}, derived


def _n(expr: Any) -> Node:
    return to_node(expr)


def _chain(head: Node, raw: Any, steps: list[tuple[list[rules.Term], rules.Collapse]]) -> tuple[Node, list[Prose]]:
    parts = [head, _n(raw)] + [_n(rules.as_expr(terms)) for terms, _ in steps]
    notes = [Prose(f"The sum over {c.var} collapses with its δ: only {c.var} = {c.value} is left, "
                   f"which the sum contains because {c.why}.") for _, c in steps]
    return Chain(tuple(parts)), notes


def _entry_sym(expr: Any) -> Sym:
    return Sym(str(expr.base), tuple(str(i) for i in expr.indices))


def prove(spec: Spec | None = None, *, layout: Layout | None = None) -> Derivation:
    """Prove the gradients and the Jacobian of `spec`'s layer for every m, k, n. Only the
    layout, the bias and the loss of `spec` matter; its sizes are where a witness is looked
    for first. `layout` overrides the layout's closed forms (tests plant wrong ones)."""
    return prove_with_formulas(spec, layout=layout)[0]


def prove_with_formulas(spec: Spec | None = None, *, layout: Layout | None = None) -> tuple[Derivation, Proof]:
    spec = spec or Spec()
    start = time.perf_counter()
    lay = layout or spec.layout_def
    prob = problem(lay, spec.bias, spec.loss)
    proof = Proof(prob)
    first = (spec.m, spec.k, spec.n)
    steps = [_layer_step(prob), *_loss_steps(prob, proof), _rule_step(prob)]
    for var in prob.variables:
        steps.append(_gradient_step(prob, var, proof))
    grad_checks = [_grad_check(prob, var, proof, first) for var in prob.variables]
    steps.append(_closed_step(prob, proof, grad_checks))
    jac_step, jac_checks = _jacobian(prob, proof, first)
    steps.append(jac_step)
    checks = _where_diverging(grad_checks + jac_checks, steps)
    d = Derivation(spec, steps, checks, "index", time.perf_counter() - start, for_all_shapes=True)
    return d, proof


# --- the steps ---------------------------------------------------------------------


def _layer_step(prob: Problem) -> Step:
    m, k, n = prob.sizes
    w = dims(prob.env.shapes["W"])
    bias = ", B is 1×n (one row, broadcast over the m rows)" if prob.bias else ""
    return Step("The layer, for every shape", [
        Prose(f"The layer {prob.title} ({prob.layout.description}) for all sizes m, k, n, each a positive whole "
              f"number and otherwise unknown: Z is m×k, W is {w}{bias}, G is m×n. Every index runs from 1 to its "
              "size: i to m, j to n, and the inner index l to k."),
        Prose("Each entry of A is its defining sum, by the definition of the matrix product:"),
        Display(Rel(entry("a", "i", "j"), _n(prob.a_def))),
    ])


def _double_sum(body: Node) -> Node:
    return Sum("i", Num(1), Sym("m"), Sum("j", Num(1), Sym("n"), body))


def _loss_steps(prob: Problem, proof: Proof) -> list[Step]:
    aij, gij = entry("a", "i", "j"), entry("g", "i", "j")
    if prob.loss == "generic":
        return [Step("The loss", [
            Display(Rel(Sym("L"), _double_sum(Prod((gij, aij))))),
            Prose("The g's do not depend on Z, W or B, so ∂L/∂a_(i,j) = g_(i,j): this L stands for any loss whose "
                  "upstream gradient is G, and differentiating it is the chain rule written out."),
        ])]
    p, q = prob.p, prob.q
    m, _, n = prob.sizes
    env = prob.env_for({p: (1, m), q: (1, n)})
    raw = sumsq_loss(prob).diff(a_base()[p, q])
    final, collapses = rules.simplify_terms(raw, env)
    proof.upstream = rules.as_expr(final)
    chain, notes = _chain(D(Sym("L"), entry("a", "p", "q")), raw, collapses)
    return [Step("The loss and its upstream gradient", [
        Display(Rel(Sym("L"), Prod((Half(), _double_sum(Prod((aij, aij))))))),
        Prose("Differentiating L with respect to one entry a_(p,q), treated as a symbol of its own:"),
        Display(chain), *notes,
        Prose("So G = A. By the chain rule each gradient below is the derivative of Σ_i Σ_j g_(i,j) a_(i,j) with "
              "g_(i,j) = ∂L/∂a_(i,j) = a_(i,j) held fixed."),
    ])]


def _rule_step(prob: Problem) -> Step:
    lpk = Sum("l", Num(1), Sym("k"), Prod((entry("z", "i", "l"), entry("δ", "l", "p"))))
    return Step("Two rules of index notation", [
        Prose("An entry differentiated by an entry of the same matrix gives Kronecker deltas (δ_(r,p) is 1 when "
              "r = p and 0 otherwise); by an entry of another matrix, 0:"),
        Display(Rel(D(entry("w", "r", "s"), entry("w", "p", "q")), Prod((entry("δ", "r", "p"), entry("δ", "s", "q"))))),
        Prose("A sum against a delta keeps the one term where the δ is 1, provided that term is in the sum's range:"),
        Display(Rel(lpk, entry("z", "i", "p"))),
        Prose("holds when p is one of 1, …, k. Each collapse below checks its range condition by the algebra: "
              "with p = 1 + u and k = p + h for whole numbers u, h, not negative, p − 1 = u and k − p = h are "
              "not negative, for every k."),
    ])


def _derive(prob: Problem, var: Variable) -> tuple[Any, list[rules.Term], list]:
    env = prob.env_for(ranges_of(var))
    if prob.loss == "generic":
        loss = generic_loss(prob)
    else:
        up = proof_upstream(prob)
        loss = generic_loss(prob, up)
    raw = loss.diff(var.entry)
    final, collapses = rules.simplify_terms(raw, env)
    return raw, final, collapses


def proof_upstream(prob: Problem) -> Any:
    """∂L/∂a_{x,y} for L = ½ Σ a², derived (differentiate, collapse both deltas), as a function of x, y."""
    p, q = prob.p, prob.q
    m, _, n = prob.sizes
    final, _ = rules.simplify_terms(sumsq_loss(prob).diff(a_base()[p, q]), prob.env_for({p: (1, m), q: (1, n)}))
    up = rules.as_expr(final)
    return lambda x, y: up.xreplace({p: x, q: y})


def _gradient_step(prob: Problem, var: Variable, proof: Proof) -> Step:
    raw, final, collapses = _derive(prob, var)
    proof.derived[var.name] = final
    letter = var.name.lower()
    head = dL(_entry_sym(var.entry))
    chain, notes = _chain(head, raw, collapses)
    rows, cols = var.shape
    where = (f"q runs from 1 to {cols}" if len(var.idx) == 1
             else f"p runs from 1 to {rows} and q from 1 to {cols}")
    return Step(f"∂L/∂{var.name} in index notation", [
        Prose(f"{var.name} is {dims(var.shape)}, so in the entry {letter}_{_sub(var.idx)}, {where}. "
              "Differentiate the loss term by term, then collapse the deltas:"),
        Display(chain), *notes,
    ])


def _sub(idx: tuple[Any, ...]) -> str:
    return "(" + ",".join(str(i) for i in idx) + ")"


def _closed_side(prob: Problem, var: Variable, proof: Proof) -> Side:
    env = prob.env_for(ranges_of(var), **({"G": "a"} if prob.loss == "sumsq" else {}))
    try:
        shape = shape_of(var.form, env)
        r, c = var.closed_at
        expr = entry_of(var.form, r, c, env)
    except IllFormed as exc:
        proof.closed[var.name] = exc
        return Side(exc)
    terms, _ = rules.simplify_terms(expr, env)
    proof.closed[var.name] = terms
    return Side(terms, shape)


def _grad_check(prob: Problem, var: Variable, proof: Proof, first: tuple[int, int, int]) -> Check:
    env = prob.env_for(ranges_of(var))
    closed = _closed_side(prob, var, proof)
    statement = Rel(dL(Sym(var.name)), var.form)
    return decide(f"grad_{var.name}", statement, Side(proof.derived[var.name], var.shape), closed,
                  list(var.idx), env, prob.sizes, first, entry_label(var.name.lower()))


def _closed_step(prob: Problem, proof: Proof, checks: list[Check]) -> Step:
    blocks: list = [Prose("Each closed form is read entry by entry from the definitions of the product and the "
                          "transpose alone, never from the derivatives above; then the two entry formulas are "
                          "subtracted and the difference simplified, with m, k, n left symbolic.")]
    for var, check in zip(prob.variables, checks):
        closed = proof.closed.get(var.name)
        r, c = var.closed_at
        if isinstance(closed, list):
            blocks.append(Prose("The derived entry"))
            blocks.append(Display(Rel(dL(_entry_sym(var.entry)), _n(rules.as_expr(proof.derived[var.name])))))
            blocks.append(Prose(f"and the ({r},{c}) entry of {to_text(var.form)}, read from the definitions alone:"))
            blocks.append(Display(_n(rules.as_expr(closed))))
        blocks.append(CheckRef(check.id))
    ok = all(c.ok for c in checks)
    return Step("The entries against the closed forms", blocks, Verdict.HOLDS if ok else Verdict.FAILS)


# --- the Jacobian ---------------------------------------------------------------------


def _jacobian(prob: Problem, proof: Proof, first: tuple[int, int, int]) -> tuple[Step, list[Check]]:
    lay = prob.layout
    m, k, n = prob.sizes
    i, j, p, q = prob.i, prob.j, prob.p, prob.q
    w_rows, w_cols = prob.env.shapes["W"]
    ranges = {i: (1, m), j: (1, n), p: (1, w_rows), q: (1, w_cols)}
    env = prob.env_for(ranges)
    wpq = sp.IndexedBase("w")[p, q]
    raw = prob.a_def.diff(wpq)
    final, collapses = rules.simplify_terms(raw, env)
    proof.jacobian = final
    J = rules.as_expr(final)
    aij, wsym = entry("a", "i", "j"), entry("w", "p", "q")
    chain, notes = _chain(D(aij, wsym), raw, collapses)
    symbols = {"i": i, "j": j, "p": p, "q": q}
    label = lambda where: D(entry("a", *where[:2]), entry("w", *where[2:]))  # noqa: E731
    free = [i, j, p, q]

    try:
        form_terms: Any = rules.flatten(from_node(lay.jacobian_form, symbols, env), env)
    except IllFormed as exc:
        form_terms = exc
    c_entries = decide("jacobian_entries", Rel(D(aij, wsym), lay.jacobian_form), Side(final), Side(form_terms),
                       free, env, prob.sizes, first, label)

    c_fallacy = _fallacy(prob, J, first)

    g_env = prob.env_for({p: (1, w_rows), q: (1, w_cols)})
    contracted = sp.Sum(g_base()[i, j] * J, (j, 1, n), (i, 1, m))
    vjp_terms, _ = rules.simplify_terms(contracted, g_env)
    try:
        closed_vjp: Any = rules.simplify_terms(entry_of(lay.grad_W_form, p, q, g_env), g_env)[0]
        vjp_shape = shape_of(lay.grad_W_form, g_env)
    except IllFormed as exc:
        closed_vjp, vjp_shape = exc, None
    vjp_stmt = Rel(Sum("i,j", None, None, Prod((entry("g", "i", "j"), D(aij, Sym("W"))))), lay.grad_W_form)
    c_vjp = decide("jacobian_vjp", vjp_stmt, Side(vjp_terms, (w_rows, w_cols)), Side(closed_vjp, vjp_shape),
                   [p, q], g_env, prob.sizes, first, entry_label("w"))

    s_env = prob.env_for(ranges)
    s_env.unit = ("E", (p, q))
    try:
        slice_terms: Any = rules.simplify_terms(entry_of(lay.jacobian_slice_form, i, j, s_env), s_env)[0]
    except IllFormed as exc:
        slice_terms = exc
    c_slices = decide("jacobian_slices", Rel(D(Sym("A"), wsym), lay.jacobian_slice_form), Side(final),
                      Side(slice_terms), free, s_env, prob.sizes, first, label)

    blocks: list = [
        Prose("The derivative of the matrix A with respect to the matrix W keeps all four indices: output (i, j) "
              "first, then the weight (p, q). Differentiating the entry a_(i,j):"),
        Display(chain), *notes,
        CheckRef("jacobian_entries"),
        Display(Rel(D(Sym("A"), Sym("W")), Shape(("m", "n", str(w_rows), str(w_cols))))),
        Prose("The popular shortcut equates it with Zᵀ:"),
        CheckRef("jacobian_A_W_is_Zt"),
        Prose("What is true instead: contracting with G (Σ_i Σ_j g_(i,j) times the entry above, both deltas "
              "collapsing) gives the vector–Jacobian product backprop computes, and each slice is a product:"),
        CheckRef("jacobian_vjp"),
        CheckRef("jacobian_slices"),
    ]
    checks = [c_entries, c_fallacy, c_vjp, c_slices]
    verdict = Verdict.HOLDS if all(c.ok for c in checks) else Verdict.FAILS
    return Step("The full Jacobian ∂A/∂W, for every shape", blocks, verdict), checks


def _fallacy(prob: Problem, J: Any, first: tuple[int, int, int]) -> Check:
    """∂A/∂W = Zᵀ, rejected for every shape with n ≥ 2: four indices against two, and the δ in j."""
    j = prob.j
    w_rows, w_cols = prob.env.shapes["W"]
    m, k, _ = prob.sizes
    jac_shape = ("m", "n", str(w_rows), str(w_cols))
    why = (f"∂A/∂W has four indices (i, j, p, q) and shape {dims(jac_shape)}, while Zᵀ has two and shape k×m, "
           "for every m, k and every n ≥ 2 (with one output, n = 1, A and W are columns and ∂a/∂w = Zᵀ is the "
           "gradient-convention Jacobian of a = Zw: verify says so at n = 1)")
    delta = next((f for f in sp.Mul.make_args(J) if isinstance(f, sp.KroneckerDelta) and j in f.args), None)
    if delta is not None:
        other = delta.args[1] if delta.args[0] == j else delta.args[0]
        on, off = J.xreplace({j: other}), J.xreplace({j: other + 1})
        why += (f"; and its entry {to_text(_n(J))} depends on the output column j through δ: it is "
                f"{to_text(_n(on))} at j = {other} and {to_text(_n(off))} at j = {other} + 1, "
                "which no array indexed by two indices can hold")
    at = dict(zip(prob.sizes, first))
    shape = tuple(int(x.xreplace(at)) if hasattr(x, "xreplace") else x for x in (m, prob.sizes[2], w_rows, w_cols))
    probe = {prob.i: 1, prob.j: 2, prob.p: 1, prob.q: 1}
    witness = Counterexample("shapes", (1, 2, 1, 1), D(entry("a", 1, 2), entry("w", 1, 1)),
                             _n(rules.concrete(J, probe)), entry("z", 1, 1), shape, (first[1], first[0]))
    return Check("jacobian_A_W_is_Zt", Rel(D(Sym("A"), Sym("W")), T(Sym("Z"))), Verdict.FAILS, Verdict.FAILS,
                 why, witness, suggestion=(
                     "Zᵀ appears only after contracting with G, the vector–Jacobian product backprop computes:",
                     Rel(Sum("i,j", None, None, Prod((entry("g", "i", "j"), D(entry("a", "i", "j"), Sym("W"))))),
                         prob.layout.grad_W_form),
                     "and each slice is",
                     Rel(D(Sym("A"), entry("w", "p", "q")), prob.layout.jacobian_slice_form),
                 ))


def _where_diverging(checks: list[Check], steps: list[Step]) -> list[Check]:
    """Name, in each check that did not come out as expected, the step where it is decided."""
    out = []
    for c in checks:
        if not c.ok:
            n, title = next(((n, s.title) for n, s in enumerate(steps, 1)
                             if any(isinstance(b, CheckRef) and b.check_id == c.id for b in s.blocks)), (0, ""))
            c = dataclasses.replace(c, reason=f"{c.reason}; the derivation diverges at step {n} ({title})")
        out.append(c)
    return out
