"""SARIF and JUnit details a consumer trips on: RFC 3986 artifact URIs, the column unit stated and
true (a 𝟏 before the finding), informationUri, one path convention across formats, and every
character XML or UTF-8 cannot hold escaped visibly; JUnit read by a real consumer (junitparser)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from junitparser import JUnitXml

from symderiv.documents.findings import FileReport, Finding
from symderiv.documents.formats import as_json, github, junit, sarif
from symderiv.documents.formats.sarif import INFORMATION_URI, artifact_uri

from .helpers import CONTEXT, FAILS, HOLDS, ROOT, UNCHECKED, symderiv

SCHEMA = json.loads((ROOT / "tests" / "documents" / "schema" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# RFC 3986, section 4.2: a relative-ref whose path is path-noscheme (no ':' in the first segment)
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|{_PCT})"
_NC = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|{_PCT})"
RELATIVE_REF = re.compile(rf"^{_NC}+(?:/{_PCHAR}*)*$")
FILE_URI = re.compile(rf"^file://(?:/{_PCHAR}*)+$")


@pytest.mark.parametrize("path", ["notes.md", "docs/weird,name: v2.md", "a b/ü 100%.md", "x#y?z[1].tex", "-",
                                  "/abs/with space.md", "bad\udcffname.md"])
def test_artifact_uris_follow_rfc_3986(path: str) -> None:
    uri = artifact_uri(path)
    assert (FILE_URI if path.startswith("/") else RELATIVE_REF).match(uri), uri
    back = unquote(uri.removeprefix("file://"), errors="surrogateescape")
    assert back == path  # nothing lost: decoding gives the path back


def test_the_encoding_is_not_a_no_op() -> None:
    """Negative control: the raw path is not a valid relative reference; the encoded one is."""
    assert not RELATIVE_REF.match("docs/weird,name: v2.md")
    assert artifact_uri("docs/weird,name: v2.md") == "docs/weird%2Cname%3A%20v2.md"


def test_a_wide_character_before_the_finding(tmp_path: Path) -> None:
    line = "With 𝟏 first: $\\frac{\\partial L}{\\partial W} = G X^\\top$ is wrong."
    (tmp_path / "notes.md").write_text(CONTEXT + line + "\n", encoding="utf-8")
    r = symderiv("check", ".", "--output-format", "sarif", cwd=tmp_path)
    assert r.returncode == 1
    run = json.loads(r.stdout)["runs"][0]
    (res,) = run["results"]
    region = res["locations"][0]["physicalLocation"]["region"]
    start = line.index("\\frac") + 1  # code points, counted by hand from the line itself
    utf16 = len(line[:start - 1].encode("utf-16-le")) // 2 + 1
    assert run["columnKind"] == "unicodeCodePoints" and start != utf16  # 𝟏 is one code point, two UTF-16 units
    assert (region["startLine"], region["startColumn"]) == (3, start)
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == region["snippet"]["text"]
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(r.stdout))


def test_one_path_convention_across_formats(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    name = "docs/weird,name: v2.md"
    (tmp_path / name).write_text(CONTEXT + FAILS, encoding="utf-8")
    out = {}
    for fmt in ("json", "sarif", "github", "junit"):
        r = symderiv("check", ".", "--output-format", fmt, cwd=tmp_path)
        assert r.returncode == 1
        out[fmt] = r.stdout
    assert json.loads(out["json"])["files"][0]["path"] == name
    log = json.loads(out["sarif"])
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "docs/weird%2Cname%3A%20v2.md"
    assert log["runs"][0]["tool"]["driver"]["informationUri"] == INFORMATION_URI
    assert "file=docs/weird%2Cname%3A v2.md," in out["github"]  # workflow-command escaping of , and :
    assert ET.fromstring(out["junit"]).find("testsuite").get("name") == name
    assert "./" not in out["json"] + out["sarif"] + out["github"] + out["junit"]


def test_information_uri_is_the_projects_homepage() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'Homepage = "{INFORMATION_URI}"' in text


CONTROLS = [chr(c) for c in [*range(0x20), 0x7F]] + ["\ud800", "\udcff", "\ufffe", "\uffff"]


def hostile_report(ch: str) -> list[FileReport]:
    f = Finding(path=f"a{ch}b.md", line=1, column=1, end_line=1, end_column=5, source=f"x{ch}y = z", verdict="fails",
                kind="values", reason=f"because{ch}so", suggestion=f"try{ch}this", context=f"Y = X W{ch}")
    u = Finding(path=f"a{ch}b.md", line=2, column=1, end_line=2, end_column=2, source=f"q{ch}", verdict="unchecked",
                reason=f"odd{ch}")
    return [FileReport(f"a{ch}b.md", [f, u]), FileReport(f"m{ch}.md", error=f"cannot read m{ch}.md")]


@pytest.mark.parametrize("ch", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_control_character(ch: str, tmp_path: Path) -> None:
    reports = hostile_report(ch)
    xml = junit(reports)
    root = ET.fromstring(xml.encode("utf-8"))  # well-formed XML, encodable as UTF-8
    p = tmp_path / "j.xml"
    p.write_text(xml, encoding="utf-8")
    suites = list(JUnitXml.fromfile(str(p)))
    cases = [c for s in suites for c in s]
    assert len(cases) == 3 and sum(1 for c in cases if not c.is_passed and not c.is_skipped) == 2
    failure = root.find(".//failure")
    assert failure is not None
    kept = ch in "\t\n\r" or (0x20 <= ord(ch) and ord(ch) not in range(0xD800, 0xE000) and ch not in "\ufffe\uffff")
    assert ("because" + ch + "so") in failure.get("message", "") if kept else f"because\\{'x' if ord(ch) < 256 else 'u'}" \
        in failure.get("message", "")  # escaped visibly, not dropped
    for text in (sarif(reports), as_json(reports), github(reports)):
        text.encode("utf-8")  # a lone surrogate would raise here
    log = json.loads(sarif(reports))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert len(log["runs"][0]["results"]) == 3
    doc = json.loads(as_json(reports))
    assert doc["files"][0]["findings"][0]["source"].startswith("x") and doc["files"][0]["findings"][0]["source"].endswith("y = z")


def test_a_form_feed_in_a_document_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(CONTEXT + "$$\\frac{\\partial L}{\\partial W} = G\f X^\\top$$\n", encoding="utf-8")
    r = symderiv("check", "notes.md", "--junit", "j.xml", "--sarif", "s.sarif", cwd=tmp_path)
    assert r.returncode in (1, 0), r.stderr
    ET.parse(tmp_path / "j.xml")
    JUnitXml.fromfile(str(tmp_path / "j.xml"))
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads((tmp_path / "s.sarif").read_text(encoding="utf-8")))


def test_junit_counts_read_by_junitparser(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(CONTEXT + HOLDS + "\n" + FAILS + "\n" + UNCHECKED, encoding="utf-8")
    r = symderiv("check", "notes.md", "--junit", "j.xml", cwd=tmp_path)
    assert r.returncode == 1
    xml = JUnitXml.fromfile(str(tmp_path / "j.xml"))
    cases = [c for s in xml for c in s]
    assert len(cases) == 3
    assert sum(c.is_passed for c in cases) == 1 and sum(c.is_skipped for c in cases) == 1
    (failed,) = [c for c in cases if not c.is_passed and not c.is_skipped]
    assert "line 5" in failed.name and failed.classname == "notes.md"
