"""The differential fuzzer's driver: generate claims, decide each with the
independent reference and with `symderiv.check_claim` (in-process), count, and
keep every disagreement. `python -m tests.fuzz.run --count 20000 --seed 1`
(resumable with --state; progress on stderr; the summary on stdout)."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .expr import Case
from .findings import markdown
from .generator import generate
from .reference import decide


@dataclass
class Tally:
    """Counts over a batch, and the disagreements (kept as plain dicts)."""

    counts: Counter = field(default_factory=Counter)
    false_holds: list[dict] = field(default_factory=list)
    false_fails: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"counts": dict(self.counts), "false_holds": self.false_holds, "false_fails": self.false_fails,
                "errors": self.errors}

    @classmethod
    def from_dict(cls, d: dict) -> Tally:
        return cls(Counter(d["counts"]), d["false_holds"], d["false_fails"], d["errors"])


def symderiv_verdict(claim: str, context: str | None) -> tuple[str, str]:
    """(verdict, reason) from symderiv; a BadInput is 'error', anything else raised is 'crash'."""
    from symderiv import check_claim
    from symderiv.errors import SymderivError

    try:
        r = check_claim(claim, context=context)
    except SymderivError as exc:
        return "error", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a crash is a finding, not a reason to stop
        return "crash", f"{type(exc).__name__}: {exc}"
    return r.verdict.value, f"{r.kind or ''}: {r.reason}"


def record(case: Case, ref: bool | None, why: str, verdict: str, reason: str) -> dict:
    return {"claim": case.claim, "context": case.context, "reference": ref, "reference_why": why,
            "symderiv": verdict, "symderiv_reason": reason, "family": case.family, "intent": case.intent,
            "mutation": case.mutation}


def judge(case: Case, tally: Tally) -> tuple[bool | None, str]:
    ref, why = decide(case, random.Random(case.claim + "|" + str(case.context)))
    verdict, reason = symderiv_verdict(case.claim, case.context)
    c = tally.counts
    c["claims"] += 1
    c[f"intent_{case.intent}"] += 1
    c["ref_" + {True: "true", False: "false", None: "skipped"}[ref]] += 1
    c[f"symderiv_{verdict}"] += 1
    c[f"ref_{ref}_symderiv_{verdict}"] += 1
    c[f"intent_{case.intent}_ref_{ref}"] += 1
    if ref is False and verdict == "holds":
        tally.false_holds.append(record(case, ref, why, verdict, reason))
    elif ref is True and verdict == "fails":
        tally.false_fails.append(record(case, ref, why, verdict, reason))
    elif verdict in ("error", "crash") and ref is not None:
        tally.errors.append(record(case, ref, why, verdict, reason))
    return ref, verdict


def summary(t: Tally) -> str:
    c = t.counts
    lines = [
        f"claims generated: {c['claims']} (generator intent: {c['intent_true']} true, {c['intent_mutant']} mutants)",
        f"reference: {c['ref_true']} true, {c['ref_false']} false, {c['ref_skipped']} skipped "
        f"(generator's true identities the reference rejects: {c['intent_true_ref_False']}; "
        f"mutants that are still true: {c['intent_mutant_ref_True']})",
        f"symderiv: {c['symderiv_holds']} holds, {c['symderiv_fails']} fails, {c['symderiv_unchecked']} unchecked, "
        f"{c['symderiv_error']} errors, {c['symderiv_crash']} crashes",
        f"  on reference-true claims: {c['ref_True_symderiv_holds']} holds, {c['ref_True_symderiv_fails']} fails, "
        f"{c['ref_True_symderiv_unchecked']} unchecked",
        f"  on reference-false claims: {c['ref_False_symderiv_fails']} fails, {c['ref_False_symderiv_holds']} holds, "
        f"{c['ref_False_symderiv_unchecked']} unchecked",
        f"disagreements: {len(t.false_holds)} false holds, {len(t.false_fails)} false fails, "
        f"{len(t.errors)} errors/crashes on decidable claims",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--state", type=Path, default=None, help="a JSON file to resume from and save to")
    ap.add_argument("--out", type=Path, default=None, help="write the disagreements here (JSON)")
    ap.add_argument("--findings", type=Path, default=None, help="write the disagreements as Markdown here")
    ap.add_argument("--save-regressions", action="store_true",
                    help="add every new disagreement to tests/fuzz/regressions.json")
    ap.add_argument("--from-json", type=Path, default=None,
                    help="do not run: re-read a tally written with --out (for --findings / --save-regressions)")
    ap.add_argument("--notes", type=Path, default=None, help="Markdown put after the header of --findings")
    ap.add_argument("--every", type=int, default=500, help="progress (and state save) every this many claims")
    args = ap.parse_args(argv)
    tally, start = Tally(), 0
    if args.state and args.state.exists():
        saved = json.loads(args.state.read_text())
        if saved.get("seed") == args.seed:
            tally, start = Tally.from_dict(saved["tally"]), saved["next"]
            print(f"resuming at claim {start}", file=sys.stderr)
    began = time.perf_counter()
    done = start
    if args.from_json:
        tally, start, done, args.count = Tally.from_dict(json.loads(args.from_json.read_text())), 0, 0, 0
    for t, case in enumerate(generate(args.seed, args.count, start=start), start):
        judge(case, tally)
        done = t + 1
        if done % args.every == 0 or done == args.count:
            rate = (done - start) / max(time.perf_counter() - began, 1e-9)
            print(f"[{done}/{args.count}] {rate:.0f} claims/s, false holds {len(tally.false_holds)}, "
                  f"false fails {len(tally.false_fails)}, crashes {tally.counts['symderiv_crash']}", file=sys.stderr, flush=True)
            if args.state:
                _save(args.state, {"seed": args.seed, "next": done, "tally": tally.to_dict()})
    if args.out:
        _save(args.out, tally.to_dict())
    text = f"seed {args.seed}, claims {start}..{done}\n" + summary(tally)
    if args.save_regressions:
        added = save_regressions(tally, f"seed {args.seed}")
        print(f"regressions: {added} new cases", file=sys.stderr)
    if args.findings:
        header = f"Engine: commit {_commit()} of symderiv.\n\n"
        header += "Command: `python -m tests.fuzz.run " + " ".join(argv if argv is not None else sys.argv[1:]) + "`\n\n"
        header += "```\n" + text + "\n```"
        tmp = args.findings.with_suffix(".tmp")
        notes = args.notes.read_text(encoding="utf-8") + "\n" if args.notes else ""
        tmp.write_text(markdown(tally.to_dict(), header, notes), encoding="utf-8")
        tmp.replace(args.findings)
    print(text)
    return 1 if tally.false_holds else 0


REGRESSIONS = Path(__file__).with_name("regressions.json")
PER_KIND = 12  # regression cases kept per (family, symderiv's verdict, reference verdict): near-duplicates add no check


def save_regressions(tally: Tally, found: str) -> int:
    """Merge the disagreements into the regression file (claim, context, reference verdict, why)."""
    rows = json.loads(REGRESSIONS.read_text(encoding="utf-8")) if REGRESSIONS.exists() else []
    seen = {(r["claim"], r["context"]) for r in rows}
    kinds = Counter((r["found"].split(", ", 1)[-1], r["symderiv_then"], r["reference"]) for r in rows)
    added = 0
    for r in tally.false_holds + tally.false_fails + tally.errors:
        key = (r["claim"], r["context"])
        kind = (r["family"], r["symderiv"], r["reference"])
        if key in seen or kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        seen.add(key)
        added += 1
        rows.append({"claim": r["claim"], "context": r["context"], "reference": r["reference"], "why": r["reference_why"],
                     "found": f"{found}, {r['family']}", "symderiv_then": r["symderiv"]})
    tmp = REGRESSIONS.with_suffix(".tmp")
    tmp.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(REGRESSIONS)
    return added


def _commit() -> str:
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(Path(__file__).parent), "log", "-1", "--format=%h %s"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip()[:100] or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _save(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    tmp.replace(path)


if __name__ == "__main__":
    raise SystemExit(main())
