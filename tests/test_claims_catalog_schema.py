"""`symderiv claims --json` against docs/schema/claims-1.json (which refers to claim-1.json),
and `--layout zwt` / `--convention` on `symderiv claim`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from typer.testing import CliRunner

from symderiv.cli import app

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schema"
runner = CliRunner()


def _validator(name: str) -> jsonschema.Draft202012Validator:
    claim = json.loads((SCHEMAS / "claim-1.json").read_text())
    registry = Registry().with_resource(claim["$id"], Resource.from_contents(claim))
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / name).read_text()), registry=registry)


def test_catalog_json_is_valid_and_every_row_agrees() -> None:
    result = runner.invoke(app, ["claims", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    _validator("claims-1.json").validate(doc)
    assert doc["ok"] and all(e["verdict"] == e["expected"] for e in doc["entries"])
    assert len(doc["entries"]) >= 10


def test_layer_layout_and_convention() -> None:
    def verdict(*args: str) -> str:
        return json.loads(runner.invoke(app, ["claim", "--json", *args]).stdout)["verdict"]

    assert verdict("dL/dW = G^T Z", "--layout", "zwt") == "holds"  # PyTorch's W is n×k
    assert verdict("dL/dW = G^T Z") == "fails"  # the default layer A = ZW + B
    assert verdict("dL/dW = G^T Z", "--convention", "numerator") == "holds"
    spelled = runner.invoke(app, ["claim", "dL/dW = G^T Z", "--layout", "numerator"])  # one option, one meaning
    assert spelled.exit_code == 2
    assert verdict("dL/dB = 1^T G") == "holds"  # a transposed numeral 1 is the ones vector
    bad = runner.invoke(app, ["claim", "dL/dW = Z^T G", "--layout", "nope"])
    assert bad.exit_code == 2
