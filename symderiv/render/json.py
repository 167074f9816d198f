"""The Derivation as one JSON document (schema `symderiv.verify/1`, documented in
docs/schema/verify-1.json). Expressions print as text with z_{i,j} names."""

from __future__ import annotations

import json
from typing import Any

from ..derivation import Check, Counterexample, Derivation
from .text import to_text

SCHEMA = "symderiv.verify/1"


def _plain(node: Any) -> str:
    return to_text(node, subscripts=False)


def counterexample_dict(cx: Counterexample | None) -> dict[str, Any] | None:
    if cx is None:
        return None
    return {
        "kind": cx.kind,
        "entry": list(cx.entry) if cx.entry else None,
        "label": _plain(cx.label) if cx.label is not None else None,
        "derived": _plain(cx.derived) if cx.derived is not None else None,
        "expected": _plain(cx.expected) if cx.expected is not None else None,
        "derived_shape": list(cx.derived_shape) if cx.derived_shape else None,
        "expected_shape": list(cx.expected_shape) if cx.expected_shape else None,
    }


def check_dict(c: Check) -> dict[str, Any]:
    return {
        "id": c.id,
        "statement": to_text(c.statement),
        "verdict": c.verdict.value,
        "expected": c.expected.value,
        "ok": c.ok,
        "reason": c.reason,
        "counterexample": counterexample_dict(c.counterexample),
        "suggestion": " ".join(_plain(p) for p in c.suggestion) if c.suggestion else None,
    }


def to_dict(d: Derivation) -> dict[str, Any]:
    s = d.spec
    return {
        "schema": SCHEMA,
        "shapes": {"m": "m", "k": "k", "n": "n"} if d.for_all_shapes else {"m": s.m, "k": s.k, "n": s.n},
        "layout": s.layout,
        "bias": s.bias,
        "loss": s.loss,
        "method": d.method,
        "for_all_shapes": d.for_all_shapes,
        "ok": d.ok,
        "checks": [check_dict(c) for c in d.checks],
        "steps": [{"title": st.title, "verdict": st.verdict.value if st.verdict else None} for st in d.steps],
        "seconds": round(d.seconds, 3),
    }


def dumps(d: Derivation) -> str:
    return json.dumps(to_dict(d), ensure_ascii=False, indent=2) + "\n"
