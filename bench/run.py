"""`make bench`: the performance targets of docs/performance.md, measured side by
side in one run, printed as a table and written to bench/out/results.json (ignored by
git: `make bench` never rewrites a tracked file; the published figures are in docs/performance.md).

P1  whole-process `symderiv verify --m 3 --k 2 --n 4 --no-steps` within 2× of
    `python -c "import sympy, typer, rich"` (medians of interleaved runs).
P2  exact verify at 16×16×16 at least 20× faster than the naive route (bench/naive.py).
P3  time(64³)/time(32³) ≤ 10; 64³ under 10 s; 128³ under 90 s; peak memory recorded.
P4  `prove` (every variant) under 0.5 s after its imports (bench/prove.py).
P5, P6  check-impl at 1024³ against one matmul, and beside torch's gradcheck (bench/impl.py).
P7  `symderiv check` on a 5 MB Markdown document under 120 s (bench/check.py).
Set BENCH_QUICK=1 to skip 128³ (it takes about a minute)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PY = sys.executable
SCRIPT = str(Path(PY).parent / "symderiv")


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def p1(rounds: int = 7) -> dict:
    base, ours = [], []
    for _ in range(rounds):  # interleaved, so both see the same machine
        base.append(wall([PY, "-c", "import sympy, typer, rich"]))
        ours.append(wall([SCRIPT, "verify", "--m", "3", "--k", "2", "--n", "4", "--no-steps"]))
    b, o = statistics.median(base), statistics.median(ours)
    return {"import_sympy_typer_rich_s": round(b, 3), "verify_3_2_4_s": round(o, 3), "ratio": round(o / b, 2),
            "target": "ratio <= 2", "pass": o / b <= 2}


def one(m: int, k: int, n: int) -> tuple[float, float]:
    out = subprocess.run([PY, str(HERE / "one.py"), str(m), str(k), str(n)], check=True, capture_output=True, text=True)
    seconds, mib = out.stdout.split()
    return float(seconds), float(mib)


def p2() -> dict:
    ours = min(one(16, 16, 16)[0] for _ in range(3))
    naive = float(subprocess.run([PY, str(HERE / "naive.py"), "16", "16", "16"], check=True, capture_output=True,
                                 text=True).stdout)
    return {"exact_16_s": round(ours, 3), "naive_16_s": round(naive, 2), "speedup": round(naive / ours, 1),
            "target": "speedup >= 20", "pass": naive / ours >= 20}


def p3(quick: bool) -> dict:
    t32, m32 = one(32, 32, 32)
    t64, m64 = one(64, 64, 64)
    out = {"t32_s": round(t32, 2), "peak32_mib": m32, "t64_s": round(t64, 2), "peak64_mib": m64,
           "ratio_64_32": round(t64 / t32, 2)}
    ok = t64 / t32 <= 10 and t64 < 10
    if not quick:
        t128, m128 = one(128, 128, 128)
        out.update({"t128_s": round(t128, 1), "peak128_mib": m128})
        ok = ok and t128 < 90
    out.update({"target": "ratio <= 10, 64³ < 10 s, 128³ < 90 s", "pass": ok})
    return out


def p4() -> dict:
    worst = float(subprocess.run([PY, str(HERE / "prove.py")], check=True, capture_output=True, text=True).stdout)
    return {"prove_worst_variant_s": round(worst, 3), "target": "< 0.5 s after imports", "pass": worst < 0.5}


def p7() -> dict:
    """`symderiv check` on a 5 MB Markdown document (bench/check.py)."""
    out = json.loads(subprocess.run([PY, str(HERE / "check.py"), "5"], check=True, capture_output=True, text=True).stdout)
    return {"check_5mb_s": out["seconds"], "claims_per_s": out["claims_per_second"], "target": "5 MB under 120 s",
            "pass": out["seconds"] < 120}


def main() -> int:
    quick = bool(os.environ.get("BENCH_QUICK"))
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
               "P1": p1(), "P2": p2(), "P3": p3(quick), "P4": p4()}
    from impl import main as impl_bench  # P5, P6: check-impl (bench/impl.py)

    results.update(impl_bench())
    results["P7"] = p7()
    names = ("P1", "P2", "P3", "P4", "P5", "P6", "P7")
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {OUT / 'results.json'}", file=sys.stderr)
    for name in names:
        r = results[name]
        figures = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("target", "pass"))
        print(f"{name} {'PASS' if r['pass'] else 'FAIL'}  {figures}  ({r['target']})")
    return 0 if all(results[n]["pass"] for n in names) else 1


if __name__ == "__main__":
    sys.exit(main())
