"""`verify`: derive the affine layer's gradients by differentiation, build the
closed forms independently, compare exactly, and record it all as a Derivation."""

from __future__ import annotations

import time
from typing import Any

import symengine as se

from . import derive, jacobian, parallel, steps
from .compare import Difference, compare_grids
from .derivation import Check, Counterexample, Derivation, Verdict
from .errors import TooLarge
from .notation import D, Node, Prod, Rel, Sum, Sym, T, dL, entry
from .outcome import Outcome
from .progress import SILENT, Reporter
from .shapes import Layout, Spec

# What a run costs is estimated phase by phase (`costs`), in seconds of one core of the
# reference machine (docs/performance.md); `work` is their sum in microseconds.
EXACT_LIMIT = 120_000_000  # µs of work the exact method runs without --force: 128³ is about 91 s of it
PARALLEL_FROM = 1_000_000  # above this much work the Jacobian part runs in a forked child
HARD_TERMS = 8_000_000  # terms held beyond which even --force is refused (≈ 2 KiB each: 16 GiB of 24)

# µs per unit of each phase, measured (process time) at 64³ and 20000×2×4; see docs/performance.md
_US = {
    "expansion": 7.5,  # per term of A and of the expanded loss
    "term walk": 11.0,  # per term of the loss walked
    "closed forms": 0.7,  # per product in ZᵀG, GWᵀ, 1ᵀG (and the Jacobian's own ZᵀG)
    "closed-form entries": 21.0,  # per entry of those matrices (one Add each)
    "comparisons": 1.0,  # per term of the derived gradients compared
    "Jacobian": 4.6,  # per term of A differentiated for ∂A/∂W
    "Jacobian nonzeros": 4.5,  # per nonzero: assembly, entry check, contraction, the Zᵀ readings
    "slices": 0.6,  # per product in the checked slices Z E_pq
    "slice entries": 5.0,  # per entry of a checked slice
    "steps": 17.0,  # per chain-rule branch written out for the shown partial derivatives
    "chain rule": 3.3,  # ½Σa²: per term of the gradients after ∂L/∂A is put in, and compared
    "writing out": 30.0,  # per term of the polynomials and chain-rule sums a renderer prints (console, at m = 50,000)
}


def units(spec: Spec) -> dict[str, int]:
    """How much each phase of `verify` builds or compares, counted from the sizes alone."""
    m, k, n = spec.m, spec.k, spec.n
    bias = 1 if spec.bias else 0
    cells, t = m * n, k + bias
    L = cells * t  # terms of A, and of the expanded loss Σ g a
    grad_terms = cells * (2 * k + bias)  # terms of ∂L/∂W, ∂L/∂Z, ∂L/∂B together
    slices = k * n if cells * k * n <= jacobian.SLICE_LIMIT else min(k * n, jacobian.SLICE_SAMPLE + 1)
    shown = steps.shown_count
    out = {
        "expansion": 2 * L,
        "term walk": L,
        "closed forms": cells * (3 * k + bias),
        "closed-form entries": 2 * k * n + m * k + bias * n,
        "comparisons": grad_terms,
        "Jacobian": L,
        "Jacobian nonzeros": cells * k,
        "slices": slices * cells * k,
        "slice entries": slices * cells,
        "steps": shown(k * n) * m + shown(m * k) * n + bias * shown(n) * m,  # entries shown × their fan-in
        "chain rule": 0,
    }
    if spec.loss == "sumsq":  # each g_{i,j} becomes a_{i,j}'s t terms, expanded, then compared
        out["chain rule"] = 2 * grad_terms * t + L
    # printed: the compared entries (derived and closed, at most 11 of each matrix) and the shown
    # partial derivatives (their polynomial and their chain-rule sum), each as long as its fan-in
    per_entry = t if spec.loss == "sumsq" else 1
    compared = min(k * n, 11) * m + min(m * k, 11) * n + bias * min(n, 11) * m
    out["writing out"] = (2 * compared + 2 * out["steps"]) * per_entry
    return out


def costs(spec: Spec) -> dict[str, float]:
    """Estimated seconds of one core for each phase."""
    return {phase: count * _US[phase] / 1e6 for phase, count in units(spec).items()}


def work(spec: Spec) -> int:
    """The estimated work of a run, every phase included, in µs of one core."""
    return int(sum(count * _US[phase] for phase, count in units(spec).items()))


def terms_held(spec: Spec) -> int:
    """Terms held in memory at the peak: the expanded loss (128³: 2.1 million terms, 4.4 GiB),
    and for ½Σa² the expanded gradients."""
    u = units(spec)
    return u["term walk"] + (u["comparisons"] * (spec.k + spec.bias) if spec.loss == "sumsq" else 0)


def check_limits(spec: Spec, force: bool) -> None:
    w, held = work(spec), terms_held(spec)
    shape = f"{spec.m}×{spec.k}×{spec.n}"
    if held > HARD_TERMS:
        raise TooLarge(
            f"{shape} with loss {spec.loss} would hold about {held:,} terms at once, over the hard limit of {HARD_TERMS:,}",
            hint="they would not fit in memory; use smaller sizes",
        )
    if w > EXACT_LIMIT and not force:
        raise TooLarge(
            f"{shape} with loss {spec.loss} needs about {w / 1e6:,.0f} s of computation (estimated over every phase), "
            f"over the exact-method limit of {EXACT_LIMIT / 1e6:,.0f} s",
            hint="pass --force to run it anyway",
        )


def _closed(build: Any) -> Any:
    """A closed form built by matrix products; a product of incompatible shapes
    (possible only in a planted, wrong closed form) is kept as the error."""
    try:
        return build()
    except ValueError as exc:  # symengine's ShapeError
        return exc


def _grad_check(name: str, form: Node, derived: Any, closed: Any) -> tuple[Check, Any]:
    statement = Rel(dL(Sym(name)), form)
    if isinstance(closed, Exception):
        return Check(
            f"grad_{name}", statement, Verdict.FAILS, Verdict.HOLDS, f"the closed form is ill-formed: {closed}",
            Counterexample("ill-formed", note=str(closed)),
        ), None
    marks, diff = compare_grids(derived, closed)
    if diff is None:
        return Check(f"grad_{name}", statement, Verdict.HOLDS, Verdict.HOLDS, "every entry agrees exactly"), marks
    return Check(
        f"grad_{name}", statement, Verdict.FAILS, Verdict.HOLDS, _why(diff), _counterexample(name, diff)
    ), marks


def _why(diff: Difference) -> str:
    if diff.kind == "ill-formed":
        return "the closed form is ill-formed"
    if diff.kind == "shapes":
        return f"the derived gradient is {_x(diff.derived_shape)} but the closed form is {_x(diff.expected_shape)}"
    r, c = diff.index
    return f"entry ({r + 1},{c + 1}) differs"


def _x(shape: Any) -> str:
    return "×".join(map(str, shape))


def _counterexample(name: str, diff: Difference) -> Counterexample:
    if diff.kind == "ill-formed":
        return Counterexample("ill-formed")
    if diff.kind == "shapes":
        return Counterexample("shapes", derived_shape=diff.derived_shape, expected_shape=diff.expected_shape)
    r, c = diff.index
    idx = (c + 1,) if name == "B" else (r + 1, c + 1)
    return Counterexample(
        "values", (r + 1, c + 1), dL(entry(name.lower(), *idx)), diff.derived, diff.expected
    )


def verify(spec: Spec, *, force: bool = False, reporter: Reporter = SILENT, layout: Layout | None = None) -> Derivation:
    """Run the whole check for `spec`. `layout` overrides the spec's layout definition
    (tests use it to plant wrong closed forms and see them caught)."""
    check_limits(spec, force)
    start = time.perf_counter()
    layout = layout or spec.layout_def
    layer = derive.build_layer(spec)
    variables = layer.variables()

    shown = {name: steps.shown_cells(*M.shape) for name, M in variables.items()}
    shown_syms = {variables[name][rc] for name, cells in shown.items() for rc in cells}
    jacobian_part = parallel.start(
        lambda: _jacobian_part(spec, layout, layer, shown_syms), worth_it=work(spec) > PARALLEL_FROM
    )

    loss = derive.generic_loss(layer)
    loss_terms = len(loss.args) if loss.is_Add else 1
    wanted = {s for M in variables.values() for s in M}
    partials = derive.differentiate(loss, wanted, reporter, expanded=True)
    grads = {name: derive.gradient_grid(partials, M) for name, M in variables.items()}

    upstream = None
    G_closed = layer.G
    if spec.loss == "sumsq":
        _, upstream, chained = derive.sumsq_upstream(layer)
        reporter.stage("chaining ∂L/∂A into the gradients", len(grads))
        grads = {name: derive.put_in_upstream(g, layer, chained) for name, g in grads.items()}
        A_closed = layout.forward(layer.Z, layer.W)
        if layer.B is not None:
            A_closed = A_closed + se.ones(spec.m, 1) * layer.B
        G_closed = A_closed  # for L = ½ Σ a², ∂L/∂A = A

    forms = {"W": layout.grad_W_form, "Z": layout.grad_Z_form, "B": layout.grad_B_form}
    closed = {
        "W": _closed(lambda: layout.grad_W(layer.Z, layer.W, G_closed)),
        "Z": _closed(lambda: layout.grad_Z(layer.Z, layer.W, G_closed)),
        "B": _closed(lambda: layout.grad_B(G_closed)) if layer.B is not None else None,
    }

    reporter.stage("comparing with the closed forms", len(variables))
    checks, marks = [], {}
    for name in variables:
        check, marks[name] = _grad_check(name, forms[name], grads[name], closed[name])
        checks.append(check)
        reporter.advance(1)

    reporter.stage("the full Jacobian ∂A/∂W", 1)
    jacobian_checks, local, J_shape, J_slice = jacobian_part.result()
    reporter.advance(1)
    checks += jacobian_checks
    outcome = Outcome(spec, layout, layer, loss_terms, upstream, grads, closed, local, shown, J_shape, J_slice)
    built = steps.build(outcome, checks, marks)
    reporter.done()
    return Derivation(spec, built, checks, "exact", time.perf_counter() - start)


def _jacobian_part(spec: Spec, layout: Layout, layer: derive.Layer, shown: set[Any]) -> tuple:
    """Everything about ∂A/∂W, independent of the loss: run beside it (see `parallel`)."""
    local = derive.local_derivatives(layer, set(layer.W) | shown)
    J = jacobian.jacobian_from(local, layer)
    vjp_closed = _closed(lambda: layout.grad_W(layer.Z, layer.W, layer.G))
    checks = _jacobian_checks(spec, layout, layer, J, vjp_closed)
    shown_local = {s: local[s] for s in shown}
    return checks, shown_local, J.shape, (J.slice(0, 0) if J.small else None)


def _jacobian_checks(
    spec: Spec, layout: Layout, layer: derive.Layer, J: jacobian.Jacobian, vjp_closed: Any
) -> list[Check]:
    A, W = Sym("A"), Sym("W")
    aij, wpq = entry("a", "i", "j"), entry("w", "p", "q")
    out = []

    bad = jacobian.entries_difference(J, layer, layout)
    how = "at every index" if J.small else "by its support (where δ ≠ 0) and its values there"
    out.append(
        Check(
            "jacobian_entries",
            Rel(D(aij, wpq), layout.jacobian_form),
            Verdict.HOLDS if bad is None else Verdict.FAILS,
            Verdict.HOLDS,
            f"∂A/∂W is {_x(J.shape)}, compared {how}"
            + ("" if bad is None else f"; entry {tuple(x + 1 for x in bad[0])} differs"),
            None if bad is None else Counterexample("values", tuple(x + 1 for x in bad[0]), None, bad[1], bad[2]),
        )
    )

    out.append(_zt_check(spec, layout, layer, J))

    vjp = jacobian.contract(J, layer.G)
    diff = Difference("ill-formed") if isinstance(vjp_closed, Exception) else compare_grids(vjp, vjp_closed)[1]
    out.append(
        Check(
            "jacobian_vjp",
            Rel(Sum("i,j", None, None, Prod((entry("g", "i", "j"), D(aij, W)))), layout.grad_W_form),
            Verdict.HOLDS if diff is None else Verdict.FAILS,
            Verdict.HOLDS,
            "contracting the Jacobian with G gives the closed form exactly" if diff is None else _why(diff),
            None if diff is None else _counterexample("W", diff),
        )
    )

    bad_slice, count = jacobian.slices_difference(J, layer, layout)
    out.append(
        Check(
            "jacobian_slices",
            Rel(D(A, wpq), layout.jacobian_slice_form),
            Verdict.HOLDS if bad_slice is None else Verdict.FAILS,
            Verdict.HOLDS,
            f"checked for {count} of {J.shape[2] * J.shape[3]} pairs (p,q)"
            + ("" if bad_slice is None else f"; fails at ({bad_slice[0] + 1},{bad_slice[1] + 1})"),
        )
    )
    return out


def zt_claim_is_true(spec: Spec) -> bool:
    """What a correct oracle must say about "∂A/∂W = Zᵀ", from the mathematics alone
    (math.md): ∂a_{i,j}/∂w_{p,q} = z_{i,p} δ_{j,q} depends on j through δ as soon as n ≥ 2,
    which no reading of a 2-index array can hold; with n = 1, A and W are columns and
    ∂a_i/∂w_p = z_{i,p} = (Zᵀ)_{p,i}: Zᵀ is that Jacobian read weight index first."""
    return spec.n == 1


def _zt_check(spec: Spec, layout: Layout, layer: derive.Layer, J: jacobian.Jacobian) -> Check:
    """Decide "∂A/∂W = Zᵀ" by comparing every reading of it as the full Jacobian with the
    derived one: it fails only if each reading has a differing entry or shape."""
    A, W, Z = Sym("A"), Sym("W"), Sym("Z")
    aij, wpq = entry("a", "i", "j"), entry("w", "p", "q")
    zt_shape = (spec.k, spec.m)
    readings = jacobian.zt_readings(J, layer.Z.T.tolist(), layout.w_inner)
    agree = [r for r in readings if r.diff is None]
    parts = [f"read {r.description}, {_reading_finding(r.diff)}" for r in readings]
    if agree:
        reason = f"under at least one reading it agrees with the derived Jacobian ({_x(J.shape)}): " + "; ".join(parts)
        witness = None
    else:
        reason = (f"the full Jacobian ∂A/∂W has shape {_x(J.shape)} but Zᵀ is {_x(zt_shape)}, and no reading equates them: "
                  + "; ".join(parts))
        witness = _zt_witness(readings[0].diff, J.shape, zt_shape)
    return Check(
        "jacobian_A_W_is_Zt",
        Rel(D(A, W), T(Z)),
        Verdict.HOLDS if agree else Verdict.FAILS,
        Verdict.HOLDS if zt_claim_is_true(spec) else Verdict.FAILS,
        reason,
        witness,
        suggestion=(
            "Zᵀ appears only after contracting with G, the vector–Jacobian product backprop computes:",
            Rel(Sum("i,j", None, None, Prod((entry("g", "i", "j"), D(aij, W)))), layout.grad_W_form),
            "and each slice is",
            Rel(D(A, wpq), layout.jacobian_slice_form),
        ),
    )


def _reading_finding(diff: Difference | None) -> str:
    if diff is None:
        return "every entry agrees"
    if diff.kind == "shapes":
        return f"it is {_x(diff.derived_shape)}, not {_x(diff.expected_shape)}"
    i, j, p, q = diff.index
    return f"∂a_({i + 1},{j + 1})/∂w_({p + 1},{q + 1}) differs"


def _zt_witness(diff: Difference, J_shape: tuple, zt_shape: tuple) -> Counterexample:
    """The first differing entry the broadcast reading found (it finds one whenever the claim
    fails: it compares entry by entry and never by shape), with both shapes."""
    i, j, p, q = diff.index
    return Counterexample(
        "values", (i + 1, j + 1, p + 1, q + 1), D(entry("a", i + 1, j + 1), entry("w", p + 1, q + 1)),
        diff.derived, diff.expected, J_shape, zt_shape,
    )
