"""Check files: read and plan each (one bad file does not stop the others),
judge every claim once (identical claims in identical contexts share a verdict),
in parallel over --jobs processes, with a per-claim time limit."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ..progress import SILENT, Reporter
from .findings import FileReport
from .judge import TIME_LIMIT, Outcome, apply, judge
from .plan import Task, plan
from .text import Positions
from .walk import SUFFIXES, expand_paths  # noqa: F401 - where they were before walk.py

POOL_FROM = 24  # fewer distinct claims than this are judged here, without starting processes


@dataclass
class Options:
    context: str | None = None
    layout: str = "gradient"
    jobs: int = 0  # 0: the number of cores
    time_limit: float = TIME_LIMIT
    ignore: tuple[str, ...] = ()


def _read(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _judge_one(args: tuple[Task, float]) -> Outcome:
    return judge(*args)


def check_files(paths: list[str], opts: Options, reporter: Reporter = SILENT,
                given: dict[str, str] | None = None) -> list[FileReport]:
    """`given`: text already read for some paths (stdin, an editor's buffer), used instead of the file."""
    reports: list[FileReport] = []
    sources: dict[str, str] = {}
    tasks: list[tuple[FileReport, Task]] = []
    reporter.stage("reading", len(paths))
    for p in paths:
        rep = FileReport(p)
        reports.append(rep)
        try:
            src = given[p] if given and p in given else _read(p)
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
        rep.counted = dict(pl.coverage)
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
