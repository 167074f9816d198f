"""The fuzzer's disagreements as a Markdown report, grouped by suspected cause,
false holds first (`python -m tests.fuzz.run … --findings FILE`)."""

from __future__ import annotations

import re
from collections import defaultdict

PER_GROUP = 25


def cause(r: dict) -> str:
    """A guess at why symderiv and the reference disagree (from the case, not from symderiv's code)."""
    fam, why, claim = r["family"] or "", r["reference_why"] or "", r["claim"]
    ctx = r["context"] or ""
    layer = fam.startswith("layer-")
    bias = layer and ("b" in fam.split("-")[2:4] or "-db" in fam or "d-b-entry" in fam)
    if "runs over" in r["symderiv_reason"] and r["reference"] is True and "\\sum_{" in claim:
        return "a free index with the name of an index a sum binds (\\partial b_i … \\sum_i): the ranges are tied"
    if "\\mathbf{R}" in claim:
        return "\\mathbf{R} read as the reals ℝ where it is a matrix (its entries r_{ij} then have other ranges)"
    forced = "would need a size 1" in why or bool(re.search(r"sizes (1 and \d+|\d+ and 1) clash", why))
    if forced and layer:
        return ("a size of a context letter left undeclared (the batch size N) forced to 1 by the claim, "
                "while other sizes are declared or chosen (issue 7 item 1)")
    if forced:
        return "a size forced to 1 by the claim (a misplaced transpose or a product of two columns) (issue 7 item 1)"
    if layer and "N = 1" in ctx and bias:
        return "a batch of one (N = 1): the bias gradient G written as a row (Gᵀ, 𝟏ᵀGᵀ) is rejected"
    if layer and "-WX-" in fam and bias:
        return "bias of Y = WX + b read with one entry per column of Y (it has one per row of Y; issue 7 item 2)"
    if layer and fam.endswith("-one") and bias:
        return "one-output layer (n = 1): the bias read as one entry per sample, not one shared entry (issue 7 item 2)"
    if fam == "d-vector-itself":
        return "a bare I beside a vector-by-vector derivative does not take its size from the other side (issue 7 item 4)"
    if "cannot read the context item" in r["symderiv_reason"] and "\\" in r["symderiv_reason"]:
        return "a Greek letter declared as a vector in the context (\\beta: 3) is not read (issue 7 item 4)"
    if "/d" in claim or "/\\partial" in claim:
        return "a derivative operator written with a slash, d/dx (…) (issue 7 item 4)"
    if "\\Vert" in claim or "^2_" in claim:
        return "norm notation \\Vert x \\Vert or \\|X\\|^2_F (issue 7 item 4)"
    if "would need a size 1" in why or "1 clash" in why:
        return "a size forced to 1 by the claim (a misplaced transpose) taken as a chosen size (issue 7 item 1)"
    if r"\odot" in claim and not ctx:
        return "a vector seen only inside ⊙ read as a row (issue 7 item 2)"
    if layer:
        return "linear layer, other"
    return "other"


def _entry(r: dict) -> str:
    ctx = f"`{r['context']}`" if r["context"] else "none"
    return (f"- claim `{r['claim']}` — context {ctx}\n"
            f"  - symderiv: **{r['symderiv']}** — {r['symderiv_reason']}\n"
            f"  - reference: **{'true' if r['reference'] else 'false'}** — {r['reference_why']}"
            f" (family {r['family']}, {r['mutation'] or 'unmutated'})\n")


def _section(title: str, rows: list[dict]) -> list[str]:
    out = [f"## {title}: {len(rows)}\n"]
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[cause(r)].append(r)
    for g, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        out.append(f"\n### {g} — {len(items)}\n\n")
        seen: set[str] = set()
        shown = 0
        for r in sorted(items, key=lambda r: len(r["claim"])):
            key = r["claim"] + "|" + str(r["context"])
            if key in seen or shown >= PER_GROUP:
                continue
            seen.add(key)
            shown += 1
            out.append(_entry(r))
        if len(items) > shown:
            out.append(f"- … and {len(items) - shown} more of this kind (shortest shown)\n")
    return out


def markdown(tally: dict, header: str, notes: str = "") -> str:
    lines = ["# Fuzzer findings (symderiv claim vs the independent reference)\n\n", header, "\n\n", notes]
    lines += _section("FALSE HOLDS (symderiv says holds, the reference says false)", tally["false_holds"])
    lines.append("\n")
    lines += _section("False fails (symderiv says fails, the reference says true)", tally["false_fails"])
    lines.append("\n")
    if tally["errors"]:
        lines += _section("Errors and crashes on claims the reference decides", tally["errors"])
    return "".join(lines)
