"""How `symderiv check` does on the real notes (tests/corpus/real): run it on each document and compare
its findings with the labels that the sympy scripts in labels/ computed.

    python tests/corpus/real/measure.py          # the figures table
    python tests/corpus/real/measure.py --gaps   # also every false rejection and silent line

A finding belongs to a labelled equation when it starts on one of the label's lines; failing that, when
its line range overlaps them. The findings of one label give one verdict: `fails` if any fails, else
`unchecked` if any is, else `holds` if any holds, else `definition`.
  strict-right     a strict label (holds, fails or definition) given exactly its verdict
  false acc        a `fails` label (strict or not) given `holds`: the worst thing a checker can say
  false rej        a strict `holds` label given `fails`
  silent           a labelled equation with no finding at all (all of them, when check crashes on the file)
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REAL = Path(__file__).resolve().parent
SUFFIXES = (".md", ".tex")


def documents() -> list[Path]:
    return sorted(p for p in REAL.iterdir() if p.suffix in SUFFIXES)


def labels_of(doc: Path) -> dict:
    return json.loads((REAL / (doc.stem + ".labels.json")).read_text(encoding="utf-8"))


@dataclass
class DocFigures:
    name: str
    found: int = 0  # findings in the document
    judged: int = 0  # findings that are holds, fails or definition
    labelled: int = 0
    strict: int = 0
    strict_right: int = 0
    false_acc: list = field(default_factory=list)  # (line, source)
    false_rej: list = field(default_factory=list)
    silent: list = field(default_factory=list)
    seconds: float = 0.0
    crashed: str | None = None  # check_files raised: every labelled equation then counts as silent


def aggregate(verdicts: set[str]) -> str | None:
    for v in ("fails", "unchecked", "holds", "definition"):
        if v in verdicts:
            return v
    return None


def belonging(findings: list, a: int, b: int) -> list:
    starts = [f for f in findings if a <= f.line <= b]
    return starts or [f for f in findings if f.line <= b and getattr(f, "end_line", f.line) >= a]


def measure(doc: Path) -> DocFigures:
    from symderiv.documents.run import Options, check_files

    t = time.perf_counter()
    crashed = None
    try:
        (rep,) = check_files([str(doc)], Options(jobs=1))
        fs = rep.findings
        if rep.error:
            crashed = rep.error
    except Exception as exc:  # noqa: BLE001 - a crash is a figure too
        crashed, fs = f"{type(exc).__name__}: {exc}", []
    fig = DocFigures(doc.name, seconds=time.perf_counter() - t, crashed=crashed)
    fig.found = len(fs)
    fig.judged = sum(f.verdict in ("holds", "fails", "definition") for f in fs)
    for eq in labels_of(doc)["equations"]:
        a, b = eq["lines"]
        want = eq["verdict"]
        got = aggregate({f.verdict for f in belonging(fs, a, b)})
        fig.labelled += 1
        if got is None:
            fig.silent.append(a)
        if eq["strict"] and want in ("holds", "fails", "definition"):
            fig.strict += 1
            fig.strict_right += got == want
        if want == "fails" and got == "holds":
            fig.false_acc.append(a)
        if eq["strict"] and want == "holds" and got == "fails":
            fig.false_rej.append(a)
    return fig


def table(figs: list[DocFigures]) -> str:
    head = (f"{'document':28} {'found':>5} {'judged':>6} {'labelled':>8} {'strict':>6} {'right':>5} "
            f"{'f.acc':>5} {'f.rej':>5} {'silent':>6} {'s':>5}")
    rows = [head, "-" * len(head)]
    for f in figs:
        rows.append(f"{f.name:28} {f.found:5} {f.judged:6} {f.labelled:8} {f.strict:6} {f.strict_right:5} "
                    f"{len(f.false_acc):5} {len(f.false_rej):5} {len(f.silent):6} {f.seconds:5.1f}")
    tot = DocFigures("total")
    for f in figs:
        tot.found += f.found
        tot.judged += f.judged
        tot.labelled += f.labelled
        tot.strict += f.strict
        tot.strict_right += f.strict_right
        tot.false_acc += f.false_acc
        tot.false_rej += f.false_rej
        tot.silent += f.silent
        tot.seconds += f.seconds
    rows.append("-" * len(head))
    rows.append(f"{'total':28} {tot.found:5} {tot.judged:6} {tot.labelled:8} {tot.strict:6} {tot.strict_right:5} "
                f"{len(tot.false_acc):5} {len(tot.false_rej):5} {len(tot.silent):6} {tot.seconds:5.1f}")
    share = 100 * tot.strict_right / tot.strict if tot.strict else 0.0
    rows.append(f"strict equations decided right: {tot.strict_right}/{tot.strict} ({share:.0f}%)")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    figs = [measure(d) for d in documents()]
    print(table(figs))
    for f in figs:
        if f.crashed:
            print(f"{f.name}: check crashed: {f.crashed}")
    if "--gaps" in argv:
        for f in figs:
            for kind, lines in (("false acceptance", f.false_acc), ("false rejection", f.false_rej), ("silent", f.silent)):
                for line in lines:
                    print(f"{f.name}:{line}: {kind}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REAL.parents[2]))
    raise SystemExit(main(sys.argv[1:]))
