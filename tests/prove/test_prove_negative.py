"""Planted wrong closed forms must fail to prove, with a witness and the step where
the derivation diverges; and a delta must not collapse when its range condition
cannot be shown. If these pass while the prover is broken, nothing else can be trusted."""

from __future__ import annotations

import dataclasses

import sympy as sp

from symderiv import LAYOUTS, Spec, Verdict
from symderiv.notation import Ones, Prod, Sym, T
from symderiv.prove.derivation import prove
from symderiv.prove.indexed import Env, index, size
from symderiv.prove.rules import Term, collapse_once, in_range

ZW, ZWT = LAYOUTS["zw"], LAYOUTS["zwt"]
Z, W, G = Sym("Z"), Sym("W"), Sym("G")


def check(d, check_id):
    return next(c for c in d.checks if c.id == check_id)


def test_GtZ_for_ZtG_fails_with_the_shapes_and_the_step() -> None:
    d = prove(Spec(), layout=dataclasses.replace(ZW, grad_W_form=Prod((T(G), Z))))
    c = check(d, "grad_W")
    assert not d.ok and c.verdict == Verdict.FAILS
    assert c.counterexample.kind == "shapes"
    assert c.counterexample.derived_shape == (2, 4) and c.counterexample.expected_shape == (4, 2)
    assert "diverges at step 7 (The entries against the closed forms)" in c.reason
    assert d.steps[6].verdict == Verdict.FAILS
    assert {x.id for x in d.checks if not x.ok} == {"grad_W", "jacobian_vjp"}  # the vjp is ZᵀG too


def test_GtZ_with_square_witness_first_still_fails_for_every_shape() -> None:
    # k = n at the spec's sizes makes GᵀZ type-check there; the prover looks further
    d = prove(Spec(3, 2, 2), layout=dataclasses.replace(ZW, grad_W_form=Prod((T(G), Z))))
    c = check(d, "grad_W")
    assert c.verdict == Verdict.FAILS and c.counterexample.kind == "shapes"


def test_GtZ_values_differ_when_shapes_agree() -> None:
    # the zwt layer (W is n×k) with ZᵀG planted for GᵀZ: shapes k×n against n×k, values differ too
    d = prove(Spec(layout="zwt"), layout=dataclasses.replace(ZWT, grad_W_form=Prod((T(Z), G))))
    assert check(d, "grad_W").verdict == Verdict.FAILS
    assert check(d, "jacobian_vjp").verdict == Verdict.FAILS


def test_missing_bias_sum_fails() -> None:
    d = prove(Spec(), layout=dataclasses.replace(ZW, grad_B_form=G))  # G instead of 𝟏ᵀG: the sum over i is gone
    c = check(d, "grad_B")
    assert c.verdict == Verdict.FAILS and c.counterexample.kind == "shapes"
    assert c.counterexample.derived_shape == (1, 4) and c.counterexample.expected_shape == (3, 4)


def test_row_sums_for_column_sums_fail() -> None:
    d = prove(Spec(), layout=dataclasses.replace(ZW, grad_B_form=T(Prod((G, Ones())))))
    assert check(d, "grad_B").verdict == Verdict.FAILS


def test_swapped_delta_indices_fail_with_a_witness_entry() -> None:
    swapped = Prod((Sym("z", ("i", "p")), Sym("δ", ("j", "p"))))  # δ_{j,p} for δ_{j,q}
    d = prove(Spec(), layout=dataclasses.replace(ZW, jacobian_form=swapped))
    c = check(d, "jacobian_entries")
    assert c.verdict == Verdict.FAILS and c.counterexample.kind == "values"
    i, j, p, q = c.counterexample.entry
    assert (j == q) != (j == p)  # exactly one of the two deltas is 1 there
    assert "diverges at step 8 (The full Jacobian ∂A/∂W, for every shape)" in c.reason


def test_zwt_jacobian_form_on_zw_fails() -> None:
    d = prove(Spec(), layout=dataclasses.replace(ZW, jacobian_form=ZWT.jacobian_form))
    assert check(d, "jacobian_entries").verdict == Verdict.FAILS


def test_GW_for_GWt_is_ill_formed() -> None:
    d = prove(Spec(), layout=dataclasses.replace(ZW, grad_Z_form=Prod((G, W))))
    c = check(d, "grad_Z")
    assert c.verdict == Verdict.FAILS and c.counterexample.kind == "ill-formed"


def test_wrong_slice_fails() -> None:
    d = prove(Spec(layout="zwt"), layout=dataclasses.replace(ZWT, jacobian_slice_form=ZW.jacobian_slice_form))
    assert check(d, "jacobian_slices").verdict == Verdict.FAILS


def test_a_delta_does_not_collapse_outside_its_range() -> None:
    k, n = size("k"), size("n")
    l, p, i = index("l"), index("p"), index("i")
    z = sp.IndexedBase("z")
    env = Env({}, ranges={p: (1, n)})  # p runs to n, the sum to k: nothing says p ≤ k
    term = Term(((l, 1, k),), z[i, l] * sp.KroneckerDelta(l, p))
    assert in_range(p, 1, k, env) is None
    assert collapse_once(term, env) is None
    env_ok = Env({}, ranges={p: (1, k)})
    collapsed, how = collapse_once(term, env_ok)
    assert collapsed.limits == () and collapsed.body == z[i, p] and how.value == p


def test_failing_proofs_still_fit_the_json_schema() -> None:
    import json
    from pathlib import Path

    import jsonschema

    from symderiv.render.json import to_dict

    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schema" / "verify-1.json").read_text())
    swapped = Prod((Sym("z", ("i", "p")), Sym("δ", ("j", "p"))))
    for planted in (dataclasses.replace(ZW, grad_W_form=Prod((T(G), Z))), dataclasses.replace(ZW, grad_Z_form=Prod((G, W))),
                    dataclasses.replace(ZW, jacobian_form=swapped)):
        doc = to_dict(prove(Spec(), layout=planted))
        jsonschema.validate(doc, schema)
        assert doc["ok"] is False and any(c["counterexample"] for c in doc["checks"] if not c["ok"])
