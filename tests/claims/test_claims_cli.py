"""`symderiv claim` and `symderiv claims` end to end: exit codes, one JSON
document valid against docs/schema/claim-1.json, the Python API."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from symderiv.claims import SCHEMA, ClaimResult, check_claim
from symderiv.claims.catalog import CATALOG, run_all
from symderiv.cli import app

ROOT = Path(__file__).resolve().parents[2]
CLAIM_SCHEMA = json.loads((ROOT / "docs" / "schema" / "claim-1.json").read_text(encoding="utf-8"))
runner = CliRunner()

EXAMPLES = [
    ([r"\frac{\partial L}{\partial W} = Z^\top G"], 0, "holds", None),
    (["dY/dW = X^T", "--context", "Y = X W"], 1, "fails", "shapes"),
    (["tr(X W) = tr(W X^T)", "--context", "X: 3x2, W: 2x3"], 1, "fails", "ill-formed"),
    ([r"\frac{\partial L}{\partial w_{1,2}} = \frac{\partial L}{\partial a_{1,1}} z_{1,2} + "
      r"\frac{\partial L}{\partial a_{2,1}} z_{2,2}", "--m", "2", "--k", "2", "--n", "2"], 1, "fails", "values"),
    (["dL/dW = Z^T ? G"], 2, "unchecked", "parse"),
    ([r"\frac{\partial L}{\partial W} = \exp(Z)"], 2, "unchecked", "unsupported"),
    ([r"\frac{\partial L}{\partial W} = G^\top Z", "--layout", "numerator"], 0, "holds", None),
]


def _invoke(args: list[str]) -> tuple[int, str, str]:
    try:
        result = runner.invoke(app, args)
    except SystemExit as exc:  # pragma: no cover
        return int(exc.code or 0), "", ""
    return result.exit_code, result.stdout, getattr(result, "stderr", "")


@pytest.mark.parametrize("args,code,verdict,kind", EXAMPLES)
def test_cli_examples(args: list[str], code: int, verdict: str, kind: str | None) -> None:
    exit_code, out, _ = _invoke(["claim", *args])
    assert exit_code == code, out
    assert verdict.upper() in out
    exit_code, out, _ = _invoke(["claim", *args, "--json"])
    assert exit_code == code
    doc = json.loads(out)  # exactly one JSON document
    jsonschema.validate(doc, CLAIM_SCHEMA)
    assert doc["schema"] == SCHEMA and doc["verdict"] == verdict and doc["kind"] == kind


def test_cli_example_details() -> None:
    _, out, _ = _invoke(["claim", "dY/dW = X^T", "--context", "Y = X W", "--json"])
    doc = json.loads(out)
    assert doc["counterexample"]["left_shape"] == [3, 4, 2, 4] and doc["counterexample"]["right_shape"] == [2, 3]
    assert "∂L/∂W = Xᵀ G" in doc["suggestion"]
    _, out, _ = _invoke(["claim", EXAMPLES[3][0][0], "--m", "2", "--k", "2", "--n", "2", "--json"])
    doc = json.loads(out)
    assert "w_{1,2}" in doc["reason"] and doc["counterexample"]["left"] == "g_{1,2} z_{1,1} + g_{2,2} z_{2,1}"


@pytest.mark.parametrize("args", [
    ["claim", "X = X", "--context", "X: 0x3"],
    ["claim", "X = X", "--context", "this is not a context"],
    ["claim", "X = X", "--layout", "sideways"],
    ["claim", "X = X", "--m", "0"],
    ["claim", "X = X", "--context", "Y = X W, X: 2x3, W: 2x3"],
])
def test_bad_input_exits_2(args: list[str]) -> None:
    exit_code, _, _ = _invoke(args)
    assert exit_code == 2


def test_claims_catalog_cli() -> None:
    exit_code, out, _ = _invoke(["claims"])
    assert exit_code == 0, out
    assert f"{len(CATALOG)}/{len(CATALOG)}" in out
    exit_code, out, _ = _invoke(["claims", "--json"])
    doc = json.loads(out)
    assert exit_code == 0 and doc["ok"] and len(doc["entries"]) == len(CATALOG)
    for entry in doc["entries"]:
        jsonschema.validate(entry["result"], CLAIM_SCHEMA)


def test_catalog_rows_verdicts() -> None:
    ids = {e.id for e in CATALOG}
    assert {"jacobian-vjp", "trace-grad", "trace-not-transpose", "trace-grad-numerator", "jacobian-slice",
            "jacobian-entry", "frobenius", "quadratic-symmetric", "grad-B", "grad-W-numerator", "torch-grad-W"} <= ids
    for entry, result in run_all():
        assert result.verdict.value == entry.expected, (entry.id, result.reason)
    sym = [r for e, r in run_all() if e.id == "quadratic-symmetric"][0]
    assert "symmetric" in sym.suggestion


def test_python_api() -> None:
    r = check_claim("dL/dW = Z^T G")
    assert isinstance(r, ClaimResult) and r.exit_code == 0
    r = check_claim("dY/dW = X^T", context="Y = X W", shapes={"X": (2, 3), "W": (3, 4)})
    assert r.counterexample["left_shape"] == [2, 4, 3, 4]
    r = check_claim(r"\frac{\partial L}{\partial w_{p,q}} = \sum_{i=1}^{N} x_{i,p} g_{i,q}", context="Y = X W",
                    shapes={"N": 2, "X": ("N", 3)})
    assert r.verdict.value == "holds", r.reason
    jsonschema.validate(r.to_dict(), CLAIM_SCHEMA)
