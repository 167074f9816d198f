"""One document read in order: every math span cut into pieces, each piece
expanded (macros), classified, and either reported (definition, broken,
unchecked) or turned into a Task for the claims engine with the context in force."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .classify import classify, plain
from .context import DocContext
from .events import Broken, Directive, Event, Heading, Math
from .findings import Finding
from .judge import unusable
from .macros import Macro, Unexpandable, expand, find_definitions, unknown_commands
from .spans import Piece, split
from .text import Positions

ELLIPSIS = re.compile(r"\\(cdots|vdots|ddots|ldots|dots[cbmoi]?)\b|\.\.\.|…|⋯|⋮")
SOURCE_MAX = 400


@dataclass
class Task:
    """A claim for the engine; `finding` is filled in from the ClaimResult."""

    text: str
    context: str | None
    sizes: dict[str, int]
    open_sizes: list[str]
    layout: str
    finding: Finding
    symmetric: tuple[str, ...] = ()  # letters of the claim the document assumes symmetric
    bias_row: str | None = None  # 'B: 1 x n': a second reading of a bias whose shape nothing states
    cells: list[list[tuple[int, int]]] | None = None  # a matrix display's cells (file offsets), row by row

    def key(self) -> tuple:
        return (self.text, self.context, tuple(sorted(self.sizes.items())), tuple(self.open_sizes), self.layout,
                self.symmetric, self.bias_row)


@dataclass
class Plan:
    findings: list[Finding] = field(default_factory=list)  # decided without the engine
    tasks: list[Task] = field(default_factory=list)


def is_latex(path: str) -> bool:
    return path.lower().endswith((".tex", ".latex", ".ltx", ".sty"))


# "where $A$ is symmetric", "\\(A\\) is a symmetric matrix": an assumption stated in prose
_PROSE_SYMMETRIC = re.compile(r"(?:\$|\\\()\s*(?:\\mathbf\{)?([A-Za-z])\}?\s*(?:\$|\\\))\s+is\s+(?:a\s+)?symmetric\b")

# "the bias row $B$", "a row vector \\(b\\)": a row broadcast over the batch
_PROSE_ROW = re.compile(r"\brow(?:\s+vector)?\s+(?:\$|\\\()\s*(?:\\mathbf\{)?([A-Za-z])\}?\s*(?:\$|\\\))")


def read_events(path: str, src: str) -> list[Event]:
    if is_latex(path):
        from . import latex
        events = latex.read(src)
    else:
        from . import markdown
        events = markdown.read(src)
    extra = [Directive("assume", m.group(1), m.start()) for m in _PROSE_SYMMETRIC.finditer(src)]
    extra += [Directive("row", m.group(1), m.start()) for m in _PROSE_ROW.finditer(src)]
    return sorted(events + extra, key=lambda e: e.start) if extra else events


def plan(path: str, src: str, base_context: str | None = None, layout: str = "gradient") -> Plan:
    pos = Positions(src)
    out = Plan()
    macros_all = sorted(find_definitions(src), key=lambda m: m.offset)
    table: dict[str, Macro] = {}  # the macros defined so far (a later definition replaces an earlier one)
    next_macro = 0
    ctx = DocContext()
    if base_context:
        ctx.directive(base_context, -1)
    ignore_lines: set[int] = set()
    ignore_next = False
    for ev in read_events(path, src):
        line = pos.at(ev.start)[0]
        if isinstance(ev, Heading):
            ctx.heading(ev.start)
        elif isinstance(ev, Directive):
            if ev.what == "context":
                ctx.directive(ev.text, ev.start)
            elif ev.what == "size":
                name, value = ev.text.split("=")
                ctx.sizes[name] = (int(value), ev.start)
            elif ev.what == "row":
                ctx.row(ev.text, ev.start)
            elif ev.what == "assume":
                ctx.assume_symmetric(ev.text, ev.start)
            elif ev.what == "ignore":
                ignore_lines.add(line)
            else:
                ignore_next = True
        elif isinstance(ev, Broken):
            out.findings.append(_finding(path, src, pos, ev.start, ev.end, "unchecked", "broken", ev.reason, ctx))
        elif isinstance(ev, Math):
            if line in ignore_lines or ignore_next:
                ignore_next = False
                ignore_lines.update(range(line, pos.at(ev.start + len(ev.content))[0] + 1))
                continue
            while next_macro < len(macros_all) and macros_all[next_macro].offset < ev.start + len(ev.content):
                table[macros_all[next_macro].name] = macros_all[next_macro]
                next_macro += 1
            _math(path, src, pos, ev, ctx, table, layout, out)
    out.findings = [f for f in out.findings if f.line not in ignore_lines]
    out.tasks = [t for t in out.tasks if t.finding.line not in ignore_lines]
    return out


def _blank_definitions(content: str) -> str:
    s = content
    for cmd in re.finditer(r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator\*?|def)\b", content):
        # blank from the command to the end of its body (the last balanced group after it)
        start = cmd.start()
        defs = find_definitions(content[start:])
        if not defs:
            continue
        body = defs[0].body
        k = content.find(body, start)
        if k < 0:
            continue
        end = k + len(body) + 1
        s = s[:start] + " " * (end - start) + s[end:]
    return s


def _math(path: str, src: str, pos: Positions, ev: Math, ctx: DocContext, table: dict[str, Macro], layout: str,
          out: Plan) -> None:
    content = _blank_definitions(ev.content) if "\\" in ev.content and re.search(
        r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator|def)\b", ev.content) else ev.content
    if not content.strip():
        return
    ctx.annotations(content, ev.start)
    for piece in split(content, ev.start, ev.env):
        _piece(path, src, pos, piece, ctx, table, layout, out)


def _piece(path: str, src: str, pos: Positions, piece: Piece, ctx: DocContext, table: dict[str, Macro], layout: str,
           out: Plan) -> None:
    try:
        text = expand(piece.text, table)
    except Unexpandable as exc:
        out.findings.append(_finding(path, src, pos, piece.start, piece.end, "unchecked", "macro", str(exc), ctx))
        return
    kind = classify(text, ctx.defined(), ctx.output, bool(ctx.all_values()))
    if kind.what == "neither":
        return
    unknown = unknown_commands(text)
    if unknown:
        names = ", ".join("\\" + u for u in unknown)
        out.findings.append(_finding(path, src, pos, piece.start, piece.end, "unchecked", "macro",
                                     f"unknown macro {names}: define it in the document (\\newcommand) or write it out", ctx))
        return
    opaque = [n for n in ctx.opaque if re.search(r"(?<![\\A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", plain(text))]
    if opaque and not (kind.what == "definition" and kind.name in opaque):
        n = opaque[0]
        out.findings.append(_finding(path, src, pos, piece.start, piece.end, "unchecked", "context",
                                     f"{n} is defined by something symderiv cannot evaluate ({ctx.opaque[n]})", ctx))
        return
    if kind.what == "definition" and kind.sub == "function":
        ctx.opaque[kind.name] = f"{kind.lhs.strip()} = {kind.rhs.strip()}: a function"
    if kind.what == "definition" and kind.sub == "layer":
        snap = ctx.snapshot()
        ctx.define(kind, text, piece.start)
        why = unusable(ctx.describe()[0] or "", kind.name)
        if why:
            ctx.restore(snap)
            ctx.opaque[kind.name] = f"{kind.lhs.strip()} = {kind.rhs.strip()}"
            out.findings.append(_finding(path, src, pos, piece.start, piece.end, "definition", "definition",
                                         f"defines {kind.name}, which symderiv cannot use as context: {why}", ctx))
            return
    elif kind.what in ("definition", "assumption"):
        ctx.define(kind, text, piece.start)
    if kind.what in ("definition", "assumption"):
        what = "assumption" if kind.what == "assumption" else "definition"
        reason = {"size": f"the size {kind.name} = {kind.rhs}", "upstream": f"{kind.name} names the upstream gradient",
                  "values": f"the worked example's {kind.name}", "entry": f"an entry of the worked example's {kind.name}",
                  "shape": f"the shape of {kind.name}",
                  "function": f"{kind.name} is a function of its arguments (not used as context)",
                  "symmetric": f"{kind.name} is assumed symmetric (not used as context)",
                  "layer": f"defines {kind.name}; what follows is read with it"}.get(kind.sub, "a definition")
        f = _finding(path, src, pos, piece.start, piece.end, "definition", what, reason, ctx)
        out.findings.append(f)
        return
    ell = ELLIPSIS.search(text)
    if ell:
        out.findings.append(_finding(path, src, pos, piece.start, piece.end, "unchecked", "ellipsis",
                                     f"an ellipsis ({ell.group(0)}) stands for entries that are not written out", ctx))
        return
    context, sizes, open_ = ctx.describe()
    f = _finding(path, src, pos, piece.start, piece.end, "unchecked", None, "", ctx)
    sym = tuple(sorted(x for x in ctx.symmetric if re.search(r"(?<![\\A-Za-z])" + x + r"(?![A-Za-z])", text)))
    row = ctx.bias_row()
    row_item = row[1] if row and re.search(r"(?<![\\A-Za-z])" + row[0] + r"(?![A-Za-z])", text) else None
    out.tasks.append(Task(text, context, sizes, open_, layout, f, symmetric=sym, bias_row=row_item,
                          cells=_cells(src, piece.start, piece.end)))


def _finding(path: str, src: str, pos: Positions, start: int, end: int, verdict: str, kind: str | None, reason: str,
             ctx: DocContext) -> Finding:
    end = max(end, start + 1)
    line, col = pos.at(start)
    eline, ecol = pos.at(end - 1)
    source = src[start:end]
    if len(source) > SOURCE_MAX:
        source = source[:SOURCE_MAX] + "…"
    context = ctx.describe()[0] or ""
    return Finding(path, line, col, eline, ecol, source, verdict, kind, reason, None, context)


_MATRIX = re.compile(r"\\begin\s*\{([pbBvV]?matrix|array)\}(\{[^{}]*\})?")


def _cells(src: str, start: int, end: int) -> list[list[tuple[int, int]]] | None:
    """The cells of the one matrix display in src[start:end], as file offsets, row by row."""
    found = list(_MATRIX.finditer(src, start, end))
    if len(found) != 1:
        return None
    m = found[0]
    close = src.find("\\end{" + m.group(1) + "}", m.end(), end)
    if close < 0:
        return None
    rows: list[list[tuple[int, int]]] = [[]]
    depth, cell = 0, m.end()
    i = m.end()
    while i < close:
        c = src[i]
        if c == "\\" and src.startswith("\\\\", i) and depth == 0:
            rows[-1].append((cell, i))
            rows.append([])
            cell = i + 2
            i += 2
            continue
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "&" and depth == 0:
            rows[-1].append((cell, i))
            cell = i + 1
        i += 1
    rows[-1].append((cell, close))
    rows = [r for r in rows if any(src[a:b].strip() for a, b in r)]
    return rows or None
