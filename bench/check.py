"""`symderiv check` on a 5 MB Markdown document (built here: sections of prose,
a layer definition, sizes, entry-by-entry and matrix claims, true and false),
whole process, and the rate on distinct claims. Prints one JSON object.

    python bench/check.py            # 5 MB
    python bench/check.py 1          # 1 MB
    python bench/check.py 5 tex      # a 5 MB LaTeX document instead"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
PROSE = ("The gradient of the loss with respect to the weights collects, for every weight, the upstream "
         "gradient of each output that weight touches, times the input it multiplies. ") * 6

SECTION = r"""## Section {i}

{prose}

Let the input be $X_{{N\times D}}$ and the weights $W_{{D\times M}}$:

$$Y = X W + b$$

Take $N = {n}$, $D = 3$, $M = 2$.

$$\frac{{\partial L}}{{\partial W}} = X^\top G \qquad \frac{{\partial L}}{{\partial X}} = G W^\top$$
$$\frac{{\partial L}}{{\partial W}} = \frac{{\partial L}}{{\partial Y}} X^\top$$
$$\frac{{\partial L}}{{\partial w_{{1,2}}}} = \sum_{{i=1}}^{{N}} g_{{i,2}} x_{{i,1}}$$
$$\frac{{\partial L}}{{\partial b}} = \mathbf{{1}}^\top G$$

In code, `dW = X.T @ dY`:

```python
dW = X.T @ dY
```

{prose}
"""


def build(megabytes: float, path: Path, distinct: int = 4) -> int:
    parts, size, i = ["# A long set of notes\n\n"], 0, 0
    while size < megabytes * 1_000_000:
        s = SECTION.format(i=i, prose=PROSE, n=2 + i % distinct)
        parts.append(s)
        size += len(s.encode())
        i += 1
    path.write_text("".join(parts), encoding="utf-8")
    return i


def run(path: Path, jobs: int = 0) -> tuple[float, dict]:
    start = time.perf_counter()
    out = subprocess.run([PY, "-m", "symderiv", "check", str(path), "--format", "json", "--jobs", str(jobs)],
                         capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    return seconds, json.loads(out.stdout)["summary"]


def build_latex(megabytes: float, path: Path) -> int:
    """tests/corpus/affine.tex's body repeated: LaTeX environments, macros, a matrix display."""
    src = (Path(__file__).resolve().parents[1] / "tests" / "corpus" / "affine.tex").read_text(encoding="utf-8")
    head, rest = src.split("\\begin{document}")
    body = rest.split("\\end{document}")[0]
    n = max(1, int(megabytes * 1_000_000 // len(body.encode())))
    path.write_text(head + "\\begin{document}\n" + body * n + "\\end{document}\n", encoding="utf-8")
    return n


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[2] == "tex":
        with tempfile.TemporaryDirectory() as tmp:
            doc = Path(tmp) / "notes.tex"
            copies = build_latex(float(sys.argv[1]), doc)
            size_mb = round(doc.stat().st_size / 1e6, 2)
            seconds, summary = run(doc)
        print(json.dumps({"document_mb": size_mb, "copies": copies, "seconds": round(seconds, 2), "findings": summary}))
        return
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "notes.md"
        sections = build(mb, big)
        seconds, summary = run(big)
        size_mb = round(big.stat().st_size / 1e6, 2)
        distinct = Path(tmp) / "distinct.md"
        body = "".join(SECTION.format(i=i, prose="", n=2 + i % 10).replace("D = 3", f"D = {2 + i // 10}")
                       for i in range(40))  # 40 distinct contexts (N, D)
        distinct.write_text(body, encoding="utf-8")
        dseconds, dsummary = run(distinct)
    claims = dsummary["holds"] + dsummary["fails"] + dsummary["unchecked"]
    print(json.dumps({
        "document_mb": size_mb, "sections": sections,
        "seconds": round(seconds, 2), "findings": summary,
        "distinct_claims": claims, "distinct_seconds": round(dseconds, 2),
        "claims_per_second": round(claims / dseconds, 1)
    }))


if __name__ == "__main__":
    main()
