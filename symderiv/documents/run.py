"""Check files: read and plan each (one bad file does not stop the others),
judge every claim once (identical claims in identical contexts share a verdict),
in parallel over --jobs processes, with a per-claim time limit."""

from __future__ import annotations

import fnmatch
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ..progress import SILENT, Reporter
from .findings import FileReport
from .judge import TIME_LIMIT, Outcome, apply, judge
from .plan import Task, plan
from .text import Positions

SUFFIXES = (".md", ".markdown", ".mdown", ".tex", ".latex", ".ltx")
POOL_FROM = 24  # fewer distinct claims than this are judged here, without starting processes


@dataclass
class Options:
    context: str | None = None
    layout: str = "gradient"
    jobs: int = 0  # 0: the number of cores
    time_limit: float = TIME_LIMIT
    max_memory: int = 1 << 30  # bytes of address space per worker process; 0: no limit
    ignore: tuple[str, ...] = ()


def expand_paths(paths: list[str], ignore: tuple[str, ...] = (), root: str | None = None) -> list[str]:
    """Files as given; directories walked for Markdown and LaTeX files; ignored globs dropped
    (matched against the path as given, its name, and the path relative to `root`, the config's folder)."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for here, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out += [os.path.join(here, f) for f in sorted(files) if f.lower().endswith(SUFFIXES)]
        else:
            out.append(p)

    def names(p: str) -> list[str]:
        out_ = [p, Path(p).as_posix(), os.path.basename(p)]
        if root:
            out_.append(Path(os.path.relpath(os.path.abspath(p), root)).as_posix())
        return out_

    return [p for p in out if not any(fnmatch.fnmatch(n, g) for g in ignore for n in names(p))]


def _read(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _judge_one(args: tuple[Task, float]) -> Outcome:
    return judge(*args)


def check_files(paths: list[str], opts: Options, reporter: Reporter = SILENT) -> list[FileReport]:
    reports: list[FileReport] = []
    sources: dict[str, str] = {}
    tasks: list[tuple[FileReport, Task]] = []
    reporter.stage("reading", len(paths))
    for p in paths:
        rep = FileReport(p)
        reports.append(rep)
        try:
            src = _read(p)
        except OSError as exc:
            rep.error = f"cannot read {p}: {exc.strerror or exc}"
            reporter.advance(1)
            continue
        sources[p] = src
        try:
            pl = plan(p, src, opts.context, opts.layout)
        except RecursionError:
            rep.error = f"{p}: nested too deeply to read"
            reporter.advance(1)
            continue
        rep.findings.extend(pl.findings)
        tasks += [(rep, t) for t in pl.tasks]
        reporter.advance(1)
    unique: dict[tuple, Task] = {}
    for _, t in tasks:
        unique.setdefault(t.key(), t)
    keys = list(unique)
    reporter.stage("checking claims", len(keys))
    results: dict[tuple, Outcome] = {}
    jobs = opts.jobs or os.cpu_count() or 1
    if jobs > 1 and len(keys) >= POOL_FROM:
        try:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                chunk = max(1, min(64, len(keys) // (jobs * 8) or 1))
                for k, o in zip(keys, pool.map(_judge_one, [(unique[k], opts.time_limit) for k in keys], chunksize=chunk)):
                    results[k] = o
                    reporter.advance(1)
        except (BrokenProcessPool, OSError):  # a worker died (out of memory, killed): the rest is judged here
            pass
    for k in keys:
        if k not in results:
            results[k] = judge(unique[k], opts.time_limit)
            reporter.advance(1)
    positions: dict[str, Positions] = {}
    for rep, t in tasks:
        apply(t, results[t.key()])
        cell = t.finding.extra.pop("cell", None)
        if cell is not None:
            if rep.path not in positions:
                positions[rep.path] = Positions(sources[rep.path])
            pos = positions[rep.path]
            a, b = cell
            src = sources[rep.path]
            while a < b and src[a] in " \n\t":
                a += 1
            while b > a and src[b - 1] in " \n\t":
                b -= 1
            t.finding.line, t.finding.column = pos.at(a)
            t.finding.end_line, t.finding.end_column = pos.at(max(b - 1, a))
            t.finding.reason += f" (the entry at line {t.finding.line})"
        rep.findings.append(t.finding)
    for rep in reports:
        rep.findings.sort(key=lambda f: (f.line, f.column))
    reporter.done()
    return reports
