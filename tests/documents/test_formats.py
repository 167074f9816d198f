"""The machine formats: JSON against docs/schema/check-1.json, SARIF against the
published SARIF 2.1.0 schema (vendored in tests/documents/schema), GitHub
workflow commands with file, line and col, JUnit XML that parses."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from symderiv.documents.formats import as_json, github, junit, sarif
from symderiv.documents.run import Options, check_files

from .helpers import CORPUS, ROOT

SARIF_SCHEMA = Path(__file__).parent / "schema" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def reports() -> list:
    paths = [str(CORPUS / "layer-zw.md"), str(CORPUS / "broken.md"), str(CORPUS / "linear.tex"), str(CORPUS / "missing.md")]
    return check_files(paths, Options(jobs=1))


def test_json_validates_against_its_schema(reports: list) -> None:
    doc = json.loads(as_json(reports))
    schema = json.loads((ROOT / "docs" / "schema" / "check-1.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    assert doc["schema"] == "symderiv.check/1"
    assert doc["summary"]["fails"] == sum(1 for f in doc["files"] for x in f["findings"] if x["verdict"] == "fails") > 0
    assert doc["summary"]["errors"] == 1


def test_json_schema_rejects_a_wrong_verdict(reports: list) -> None:
    doc = json.loads(as_json(reports))
    doc["files"][0]["findings"][0]["verdict"] = "maybe"
    schema = json.loads((ROOT / "docs" / "schema" / "check-1.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_sarif_validates_against_the_published_schema(reports: list) -> None:
    log = json.loads(sarif(reports))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    levels = {r["level"] for r in log["runs"][0]["results"]}
    assert levels == {"error", "warning"}


def test_sarif_schema_catches_a_broken_log(reports: list) -> None:
    log = json.loads(sarif(reports))
    log["runs"][0]["results"][0]["level"] = "fatal"
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)


def test_github_lines_carry_file_line_col(reports: list) -> None:
    lines = github(reports).splitlines()
    pat = re.compile(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^:]+::.+$")
    found = [ln for ln in lines if pat.match(ln)]
    fails = sum(1 for r in reports for f in r.findings if f.verdict == "fails")
    unchecked = sum(1 for r in reports for f in r.findings if f.verdict == "unchecked")
    assert sum(1 for ln in found if ln.startswith("::error")) == fails
    assert sum(1 for ln in found if ln.startswith("::warning")) == unchecked
    assert any("line=13,col=3" in ln and "layer-zw.md" in ln for ln in found)


def test_junit_parses_with_one_case_per_claim(reports: list) -> None:
    root = ET.fromstring(junit(reports))
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    claims = sum(1 for r in reports for f in r.findings if f.verdict != "definition") + 1  # + the unreadable file
    assert len(cases) == claims
    assert int(root.get("failures")) == len(root.findall(".//failure")) > 0
    assert int(root.get("skipped")) == len(root.findall(".//skipped")) > 0
