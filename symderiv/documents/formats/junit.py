"""`--output-format junit` / `--junit FILE`: JUnit XML, one test case per claim (a fail is a failure,
unchecked is skipped, a definition is not a test), one suite per file. Characters XML cannot hold
(NUL, form feed, lone surrogates, …) are written as visible escapes (clean.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..findings import FileReport
from .clean import xml_text as x


def junit(reports: list[FileReport]) -> str:
    root = ET.Element("testsuites", name="symderiv check")
    total = failures = skipped = errors = 0
    for r in reports:
        suite = ET.SubElement(root, "testsuite", name=x(r.path))
        n = nf = ns = ne = 0
        if r.error:
            case = ET.SubElement(suite, "testcase", classname=x(r.path), name="read")
            ET.SubElement(case, "error", message=x(r.error))
            n, ne = n + 1, ne + 1
        for f in r.findings:
            if f.verdict == "definition":
                continue
            n += 1
            case = ET.SubElement(suite, "testcase", classname=x(r.path),
                                 name=x(f"line {f.line}, column {f.column}: {f.source[:80]}"), file=x(r.path), line=str(f.line))
            if f.verdict == "fails":
                nf += 1
                el = ET.SubElement(case, "failure", message=x(f.reason), type=x(f.kind or "fails"))
                el.text = x(f.reason + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "") + f"\nContext: {f.context}")
            elif f.verdict == "unchecked":
                ns += 1
                ET.SubElement(case, "skipped", message=x(f.reason))
        suite.set("tests", str(n))
        suite.set("failures", str(nf))
        suite.set("skipped", str(ns))
        suite.set("errors", str(ne))
        total, failures, skipped, errors = total + n, failures + nf, skipped + ns, errors + ne
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("skipped", str(skipped))
    root.set("errors", str(errors))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
