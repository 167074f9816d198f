"""Shared by the check tests: run the checker on a file, compare with a labels file."""

from __future__ import annotations

import json
from pathlib import Path

from symderiv.documents.run import Options, check_files

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"


def labels_for(doc: Path) -> dict:
    for name in (doc.name + ".labels.json", doc.stem + ".labels.json"):
        p = doc.with_name(name)
        if p.exists():
            return json.loads(p.read_text(encoding="utf-8"))
    raise FileNotFoundError(doc)


def findings(doc: Path) -> list:
    (rep,) = check_files([str(doc)], Options(jobs=1))
    assert rep.error is None
    return rep.findings


def in_range(fs: list, a: int, b: int) -> list:
    return [f for f in fs if a <= f.line <= b]


def disagreements(doc: Path) -> list[str]:
    """Every labelled equation whose findings do not give its verdict."""
    fs = findings(doc)
    out = []
    for eq in labels_for(doc)["equations"]:
        a, b = eq["lines"]
        got = in_range(fs, a, b)
        verdicts = {f.verdict for f in got}
        want = eq["verdict"]
        ok = bool(got)
        if want == "fails":
            ok = ok and "fails" in verdicts and "holds" not in verdicts
        elif want == "holds":
            ok = ok and verdicts <= {"holds", "definition"} and "holds" in verdicts
        elif want == "definition":
            ok = ok and verdicts == {"definition"}
        else:
            ok = ok and want in verdicts and "holds" not in verdicts
        if not ok:
            out.append(f"{doc.name}:{a}-{b}: want {want}, got {sorted(verdicts) or 'nothing'}: "
                       + "; ".join(f.reason for f in got))
    return out


def cardinal_violations(doc: Path) -> list[str]:
    """A `holds` on a line labelled `fails`: the worst thing a checker can say."""
    fs = findings(doc)
    bad = []
    for eq in labels_for(doc)["equations"]:
        if eq["verdict"] == "fails":
            a, b = eq["lines"]
            bad += [f"{doc.name}:{f.line}: {f.source}" for f in in_range(fs, a, b) if f.verdict == "holds"]
    return bad
