"""Check files: read and plan each (one bad file does not stop the others),
judge every claim once (identical claims in identical contexts share a verdict),
in parallel over --jobs processes, with a per-claim time limit."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..parallel import DEFAULT_MEMORY, DONE, Budgeted
from ..progress import SILENT, Reporter
from . import source
from .findings import FileReport, Finding
from .judge import TIME_LIMIT, Outcome, apply, judge, over_budget
from .plan import Task, plan
from .source import Source
from .text import Positions
from .walk import SUFFIXES, expand_paths  # noqa: F401 - where they were before walk.py


@dataclass
class Options:
    context: str | None = None
    layout: str = "gradient"
    jobs: int = 0  # 0: the number of cores
    time_limit: float = TIME_LIMIT
    max_memory: int = DEFAULT_MEMORY  # bytes of address space per worker process; 0: no limit
    ignore: tuple[str, ...] = ()


MAX_FILE = 32 << 20  # bytes read from one file at most (`check /dev/zero` stops here)


def _read(path: str) -> Source:
    return source.read(path, MAX_FILE)


def _bad_bytes(rep: FileReport, src: Source) -> None:
    """A file with bytes that are not valid UTF-8: one finding at the first bad byte, and that line's own
    verdicts made unchecked (what the byte meant is unknown)."""
    why = src.problem()
    if src.bad is None or why is None:
        return
    line, column, _ = src.bad
    for f in rep.findings:
        if f.line <= line <= f.end_line and f.verdict in ("holds", "fails"):
            f.verdict, f.kind, f.reason = "unchecked", "encoding", f"{why}; was: {f.verdict}, {f.reason}"
    rep.findings.append(Finding(rep.path, line, column, line, column, "", "unchecked", "encoding", why))


def _judge_one(task: Task) -> Outcome:
    return judge(task)


def check_files(paths: list[str], opts: Options, reporter: Reporter = SILENT,
                given: dict[str, str] | None = None) -> list[FileReport]:
    """`given`: text already read for some paths (stdin, an editor's buffer), used instead of the file."""
    reports: list[FileReport] = []
    sources: dict[str, str] = {}
    decoded_by: dict[str, Source] = {}
    tasks: list[tuple[FileReport, Task]] = []
    reporter.stage("reading", len(paths))
    for p in paths:
        rep = FileReport(p)
        reports.append(rep)
        try:
            decoded = source.decode(given[p].encode("utf-8", "surrogatepass")) if given and p in given else _read(p)
        except OSError as exc:
            rep.error = f"cannot read {p}: {exc.strerror or exc}"
            reporter.advance(1)
            continue
        src = decoded.text
        decoded_by[p] = decoded
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
    jobs = min(opts.jobs or os.cpu_count() or 1, max(1, len(keys)))
    if keys:  # judged in worker processes, each claim under the time and memory budgets (parallel.Budgeted)
        from ..claims import check_claim  # noqa: F401  imported once here, inherited by every worker

        def done(k: tuple, result: tuple) -> None:
            what, value = result
            results[k] = value if what == DONE else over_budget(unique[k], what, opts.time_limit, opts.max_memory)
            reporter.advance(1)

        Budgeted(_judge_one, jobs, opts.time_limit, opts.max_memory).map([(k, unique[k]) for k in keys], done)
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
        if rep.path in decoded_by:
            _bad_bytes(rep, decoded_by[rep.path])
        rep.findings.sort(key=lambda f: (f.line, f.column))
    reporter.done()
    return reports
