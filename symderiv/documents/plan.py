"""One document read in one walk, in order: every math span cut into pieces, each
piece expanded (macros) and read once by the claim grammar (statements.py); the
statement binds what it defines into the document model (context.py) and is either
reported (a definition, something not judged, a broken span) or becomes a Task
for the claims engine with the model as it stands at its place."""

from __future__ import annotations

import re

from . import frontmatter
from .activations import entrywise_activation, rename_function
from .context import DocContext, Item
from .einstein import repeated, summed
from .errors_notation import ErrorName, error_name, rewrite
from .events import Broken, Directive, Event, Heading, Math
from .findings import Finding
from .judge import unusable
from .labels import Labels, as_generic_layer, match_case, two_index_names, with_next_layer
from .layers import layer_from_entries
from .macros import Macro, Unexpandable, expand, find_definitions, unknown_commands
from .piece_text import _blank_definitions, _cells, ellipsis_length, rename_letter, undefined_letters, unescape_markdown
from .spans import Piece, split, split_relation_all
from .statements import (
    LOSS_LETTERS,
    STACKED,
    Kind,
    Statement,
    _call_name,
    differentiated_functions,
    function_called,
    generic_applied,
    mentions,
    read,
)
from .tasks import Plan, Task
from .text import Positions

SOURCE_MAX = 400
_ELLIPSES = ("\\cdots", "\\vdots", "\\ddots", "\\ldots", "\\dots", "...", "…", "⋯", "⋮")


def is_latex(path: str) -> bool:
    return path.lower().endswith((".tex", ".latex", ".ltx", ".sty"))


# "where $A$ is symmetric", "\\(A\\) is a symmetric matrix": an assumption stated in prose (a directive in words)
_PROSE_SYMMETRIC = re.compile(r"(?:\$|\\\()\s*(?:\\mathbf\{)?([A-Za-z])\}?\s*(?:\$|\\\))\s+is\s+(?:a\s+)?symmetric\b")

# "the bias row $B$", "a row vector \\(b\\)": a row broadcast over the batch
_PROSE_ROW = re.compile(r"\brow(?:\s+vector)?\s+(?:\$|\\\()\s*(?:\\mathbf\{)?([A-Za-z])\}?\s*(?:\$|\\\))")


# "we use Einstein's summation convention", "repeated indices are summed": the document states it
_PROSE_EINSTEIN = re.compile(r"\bEinstein\b|summation convention|repeated ind\w+ (?:are|is) (?:implicitly )?summed"
                             r"|implied summation|implicit summation", re.I)


def read_events(path: str, src: str) -> list[Event]:
    if is_latex(path):
        from . import latex
        events = latex.read(src)
    else:
        from . import markdown
        events = markdown.read(src)
    extra = [Directive("assume", m.group(1), m.start()) for m in _PROSE_SYMMETRIC.finditer(src)]
    extra += [Directive("row", m.group(1), m.start()) for m in _PROSE_ROW.finditer(src)]
    extra += [Directive("einstein", m.group(0), m.start()) for m in _PROSE_EINSTEIN.finditer(src)][:1]
    return sorted(events + extra, key=lambda e: e.start) if extra else events


class Reader:
    """The walk's state: the model, the macros in force, the ignores, the chain being continued."""

    def __init__(self, path: str, src: str, base_context: str | None, layout: str) -> None:
        self.path, self.src, self.layout = path, src, layout
        self.pos = Positions(src)
        self.out = Plan()
        self.ctx = DocContext()
        if base_context:
            self.ctx.directive(base_context, -1)
        self.latex = is_latex(path)
        found = find_definitions(src) if self.latex else frontmatter.macros(src) + find_definitions(frontmatter.blank(src))
        self.macros_all = sorted(found, key=lambda m: m.offset)
        self.table: dict[str, Macro] = {}
        self.next_macro = 0
        self.ignore_lines: set[int] = set()
        self.ignore_next = False
        self.last_side: str | None = None  # the first formula of the latest claim: what a `= …` line continues
        self.labels = Labels()  # layer superscripts (W^{[l]}) as numbered names
        self.errors: list[ErrorName] = []  # δ^l = ∂C/∂z^l: names the document gives a gradient
        self.two_index: set[str] = set()  # names the document writes with two indices (w^l_{jk}): matrices
        self.functions: dict[str, str] = {}  # f → \\sigma, where the document's formula for f is the logistic
        self._described: str | None = None

    # ---- events ----
    def event(self, ev: Event) -> None:
        line = self.pos.at(ev.start)[0]
        if isinstance(ev, Heading):
            self.ctx.heading(ev.start)
            self.last_side = None
        elif isinstance(ev, Directive):
            self.directive(ev, line)
        elif isinstance(ev, Broken):
            self.report(ev.start, ev.end, "unchecked", "broken", ev.reason)
            self.out.coverage["equations"] += 1
        elif isinstance(ev, Math):
            self.out.coverage["spans"] += 1
            if line in self.ignore_lines or self.ignore_next:
                self.ignore_next = False
                self.ignore_lines.update(range(line, self.pos.at(ev.start + len(ev.content))[0] + 1))
                self.out.coverage["ignored"] += 1
                return
            while self.next_macro < len(self.macros_all) and \
                    self.macros_all[self.next_macro].offset < ev.start + len(ev.content):
                m = self.macros_all[self.next_macro]
                self.table[m.name] = m
                self.next_macro += 1
            self.math(ev)

    def directive(self, ev: Directive, line: int) -> None:
        if ev.what == "context":
            self.ctx.directive(ev.text, ev.start)
        elif ev.what == "size":
            name, value = ev.text.split("=")
            self.ctx.sizes[name] = (int(value), ev.start)
        elif ev.what == "row":
            self.ctx.row(ev.text, ev.start)
        elif ev.what == "assume":
            self.ctx.assume_symmetric(ev.text, ev.start)
        elif ev.what == "einstein":
            self.ctx.einstein = True
        elif ev.what == "ignore":
            self.ignore_lines.add(line)
        else:
            self.ignore_next = True

    def math(self, ev: Math) -> None:
        content = _blank_definitions(ev.content if self.latex else unescape_markdown(ev.content))
        if not content.strip():
            return
        before = self.out.coverage["expressions"]
        pieces = split(content, ev.start, ev.env)
        for piece in pieces:
            self.piece(piece)
        if (ev.display or ev.env) and pieces and self.out.coverage["expressions"] - before == len(pieces):
            # a display with no relation at all: found, and said why it is not judged
            self.report(pieces[0].start, pieces[-1].end, "unchecked", "expression",
                        "a displayed formula with no relation (no =): nothing to check")

    # ---- one piece ----
    def piece(self, piece: Piece) -> None:
        self._described = None
        self._piece(piece)
        self._described = None

    def _piece(self, piece: Piece) -> None:
        try:
            text = expand(piece.text, self.table)
        except Unexpandable as exc:
            self.out.coverage["equations"] += 1
            self.report(piece.start, piece.end, "unchecked", "macro", str(exc))
            return
        text = self.labels.relabel(text)
        link = piece.link
        if piece.continues:  # a span that starts with `=`: the next link of the chain above
            if self.last_side is None:
                st = read(text)
                if st.rels:
                    self.out.coverage["equations"] += 1
                    self.report(piece.start, piece.end, "unchecked", "parse",
                                "the line starts with a relation, and no formula above it is continued")
                return
            text, link = self.last_side + " " + text, True
        digits = frozenset(self.labels.digit.values())
        st = read(text)
        named = error_name(Statement(st.text, st.sides[:2], st.rels[:1]) if len(st.sides) > 2 else st, self.ctx.loss,
                           digits) if st.rels else None
        if named is not None and any(e.name == named.name and e.target != named.target for e in self.errors):
            named = None  # δ = ∂C/∂b after δ = ∂C/∂z: a claim about the name already given, not a new one
        if named is not None:
            self.ctx.note_loss(st)  # δ = ∂C/∂z: C is the loss the document differentiates
            self.errors = [e for e in self.errors if e.name != named.name] + [named]
            if len(st.sides) == 2:
                self.out.coverage["equations"] += 1
                label = " at every layer label" if named.labelled else ""
                self.report(piece.start, piece.end, "definition", "definition",
                            f"{st.sides[0].text.strip()} names the gradient {st.sides[1].text.strip()}: read as that "
                            f"gradient wherever it appears{label} (notation, nothing to check)")
                return
        if self.errors or self.functions:  # an error name stands for ∂C/∂z only while C is the loss claims mean
            errors = [e for e in self.errors if e.loss == (self.ctx.loss or "L")]
            text = rename_function(rewrite(text, errors, digits), self.functions)
            st = read(text)
        act = entrywise_activation(st, digits) if st.rels and not link else None
        if act is not None:  # a_j^l = f(z_j^l) [= 1/(1+e^{-z})]: the layer a^l = f(z^l), entry by entry
            layer_text, logistic = act
            if logistic is not None:
                self.functions[logistic] = "\\sigma"
            layer = read(layer_text)
            self.out.coverage["equations"] += 1
            kind = _classify(layer, self.ctx, False, digits)
            if kind.what == "definition" and kind.sub == "layer":
                self.definition(kind, layer, piece)
                return
            self.out.coverage["equations"] -= 1
        self.ctx.elementwise |= differentiated_functions(st)
        self.two_index |= two_index_names(st)
        if not st.rels:
            self.out.coverage["expressions"] += 1
            self.ctx.annotations(st, piece.start)
            return
        self.out.coverage["equations"] += 1
        ctx = self.ctx
        kind = _classify(st, ctx, link, frozenset(self.labels.digit.values()))
        ctx.annotations(st, piece.start)
        unknown = unknown_commands(text)
        if unknown and kind.what != "other":
            names = ", ".join("\\" + u for u in unknown)
            self.report(piece.start, piece.end, "unchecked", "macro",
                        f"unknown macro {names}: define it in the document (\\newcommand) or write it out")
            return
        if kind.what == "other":
            self.report(piece.start, piece.end, "unchecked", "not-an-equation", kind.reason)
            return
        letters = st.letters()
        opaque = [n for n in ctx.opaque if n in letters]
        if opaque and not (kind.what == "definition" and kind.name in opaque):
            n = opaque[0]
            self.report(piece.start, piece.end, "unchecked", "context",
                        f"{n} is defined by something symderiv cannot evaluate ({ctx.opaque[n]})")
            return
        if kind.what in ("definition", "assumption"):
            self.definition(kind, st, piece)
            return
        self.claim(text, st, piece)

    def definition(self, kind: Kind, st: Statement, piece: Piece) -> None:
        ctx = self.ctx
        if kind.sub == "function":
            if kind.name in LOSS_LETTERS:  # L(x) = h∘y(x): the loss, any scalar function of the output
                self.report(piece.start, piece.end, "definition", "definition",
                            f"{kind.name} is the loss, a scalar function of the output (read as any loss)")
                return
            ctx.opaque[kind.name] = f"{kind.lhs.strip()} = {kind.rhs.strip()}: a function, line {self.line_of(piece)}"
        if kind.sub == "loss":
            self.loss(kind, st, piece)
            return
        if kind.sub == "ellipsis":  # X = (x_1; x_2; …; x_n): a column of n entries, n a size the document names
            size = ellipsis_length(st.sides[1].node)
            if size is not None:
                ctx.shapes[kind.name] = (size, piece.start)
        if kind.sub == "entries":
            shapes = "; ".join(f"{k}: {' x '.join(str(d) for d in dims)}" for k, (dims, _) in ctx.shapes.items())
            both = summed(st)  # an index written twice on one side only is summed: a definition means the sum
            found = layer_from_entries(kind.name, read(both) if both is not None else st, shapes or None)
            if found is not None:
                layer = read(found)
                ctx.define(_classify(layer, ctx, False, frozenset(self.labels.digit.values())), layer, piece.start)
                self.report(piece.start, piece.end, "definition", "definition",
                            f"{kind.name} entry by entry: the layer {found} (what follows is read with it)")
                return
        if kind.sub == "layer":
            snap = ctx.snapshot()
            ctx.define(kind, st, piece.start)
            # a = g(z): usable once a claim writes g' (g is then read entry by entry); the claim says if not
            why = None if generic_applied(st) else unusable(ctx.describe()[0] or "", kind.name)
            if why:
                ctx.restore(snap)
                ctx.opaque[kind.name] = f"{kind.lhs.strip()} = {kind.rhs.strip()}, line {self.line_of(piece)}"
                self.report(piece.start, piece.end, "definition", "unusable",
                            f"defines {kind.name}, which symderiv cannot use as context: {why}")
                return
        else:
            ctx.define(kind, st, piece.start)
        what = "assumption" if kind.what == "assumption" else "definition"
        reason = {"size": f"the size {kind.name} = {kind.rhs}", "upstream": f"{kind.name} names the upstream gradient",
                  "values": f"the worked example's {kind.name}",
                  "ellipsis": f"{kind.name} written with an ellipsis: its size is n, not the number of entries written "
                              "(not used as context)", "entry": f"an entry of the worked example's {kind.name}",
                  "example": f"the worked example's {kind.name}, {kind.dims[0]}×{kind.dims[1] if len(kind.dims) > 1 else 1}"
                             " (its size until the next heading)" if kind.dims else "",
                  "entries": f"{kind.name} entry by entry (a definition, not judged against another layer)",
                  "shape": f"the shape of {kind.name}", "range": f"the range of the index {kind.name}",
                  "index": f"the index {kind.name} = {kind.rhs} (not used as context)",
                  "function": f"{kind.name} is a function symderiv does not evaluate ({kind.reason or 'its value is unknown'}): "
                              "claims that need it are unchecked",
                  "symmetric": f"{kind.name} is assumed symmetric (not used as context)",
                  "map": "a map (↦): it names a function, not an equation (not used as context)",
                  "piecewise": f"{kind.name} defined case by case (not used as context)",
                  "notation": f"{kind.name} names the gradient {kind.rhs.strip()} (notation, nothing to check)",
                  "layer": f"{kind.name} is the row {kind.rhs} repeated over the batch (read as {kind.rhs} broadcast)"
                           if kind.reason == STACKED else f"defines {kind.name}; what follows is read with it",
                  }.get(kind.sub, "a definition")
        self.report(piece.start, piece.end, "definition", "unusable" if kind.sub == "function" else what, reason)

    def loss(self, kind: Kind, st: Statement, piece: Piece) -> None:
        """L = ½‖Y − T‖², C = …, L(x) = h(y(x)): the document's loss. Written out, it is used exactly where the engine
        can evaluate it; otherwise every claim is judged for any loss, and a fail is then only `unchecked`."""
        ctx = self.ctx
        if kind.name != "L":
            ctx.loss = kind.name
        rhs = st.sides[1]
        generic = _call_name(kind.lhs) is not None or function_called(rhs) or rhs.node is None and not rhs.text.strip() \
            or (rhs.node is not None and (mentions(rhs.node, kind.name) or generic_applied(Statement(rhs.text, [rhs]))))
        if generic:  # L(x) = h(y(x)), L = L(a): a function of the output, not a formula
            self.report(piece.start, piece.end, "definition", "definition",
                        f"{kind.name} is the loss, a scalar function of the output (read as any loss)")
            return
        item = "L = " + rename_letter(rhs.text.strip(), kind.name, "L") if kind.name != "L" else f"L = {rhs.text.strip()}"
        snap = ctx.snapshot()
        ctx.loss_item = Item(item, piece.start)
        why = unusable(ctx.describe()[0] or "", "L") if ctx.defs else "no layer is defined above it"
        if why:
            ctx.restore(snap)
            ctx.loss_generic = f"{kind.lhs.strip()} = {rhs.text.strip()}"
            self.report(piece.start, piece.end, "definition", "unusable",
                        f"the loss {kind.name}, which symderiv cannot evaluate ({why}): claims are judged for any loss, "
                        "and a claim that fails for some loss is unchecked")
            return
        self.report(piece.start, piece.end, "definition", "definition", f"the loss {kind.name}, used as written")

    def claim(self, text: str, st: Statement, piece: Piece) -> None:
        ctx = self.ctx
        ctx.note_loss(st)
        self.last_side = st.sides[0].text
        partial = ""
        if any(e in text for e in _ELLIPSES):
            ell = next(e for e in _ELLIPSES if e in text)
            why = f"an ellipsis ({ell}) stands for entries that are not written out"
            clean = next((i for i, side in enumerate(st.sides) if any(e in side.text for e in _ELLIPSES)), 0)
            if clean < 2:
                self.report(piece.start, piece.end, "unchecked", "ellipsis", why)
                return
            # a chain whose first links have no ellipsis: they are judged; the rest cannot be
            text = st.sides[0].text + "".join(f" {r} {sd.text}" for r, sd in zip(st.rels, st.sides[1:clean]))
            st = read(text)
            partial = f"link {clean} and after: {why}"
        readings: tuple[tuple[str, ...], ...] = ()
        both = summed(st)
        if both is not None:
            idx = ", ".join(repeated(st))
            if ctx.einstein:
                text = both
            else:
                readings = ((f"with {idx} free, as written", text), (f"summed over {idx} (Einstein's convention)", both))
        if ctx.loss is not None and ctx.loss != "L" and "L" not in st.letters():
            text = rename_letter(text, ctx.loss, "L")
            readings = tuple((r[0], rename_letter(r[1], ctx.loss, "L"), *r[2:]) for r in readings)
        context, sizes, open_ = ctx.describe()
        up: dict[str, str] = {}  # layer l's digits → layer l+1's, when the backward recursion adds layer l+1
        note = f"layer labels read as numbered names: {self.labels.note()}" if self.labels.digit else ""
        if self.labels.digit:  # z^L, a^{L-1} where the layers are defined for every l: the instance l = L
            layers = [d.name for d in ctx.defs] + list(ctx.opaque)  # a layer L of its own (softmax): no shift
            shifted = as_generic_layer(self.labels, text, context, layers)
            if shifted is not None:
                text, context = shifted
                readings = tuple((r[0], (as_generic_layer(self.labels, r[1], None, layers) or (r[1], None))[0], *r[2:])
                                 for r in readings)
                note += "; the output layer L read as the instance l = L of the layers defined for every l"
                st = read(text)
            else:
                two = with_next_layer(self.labels, text, context, ctx.loss_item is not None)
                if two is not None:
                    context, up = two
                    note += "; layer l+1 is layer l's definitions one label up"
            recased = match_case(self.labels, text, context)
            if recased != text:
                text, st = recased, read(recased)
                readings = tuple((r[0], match_case(self.labels, r[1], context), *r[2:]) for r in readings)
        unknown = tuple(x for x in undefined_letters(st, context, frozenset(self.labels.digit.values())) if x != ctx.loss)
        weights = ctx.lowercase_weights()
        weights += [f"{w[:-1]}{up[w[-1]]}" for w in list(weights) if w[-2:-1] == "_" and w[-1] in up]
        down = {v: k for k, v in up.items()}  # layer l+1's weight is a matrix where layer l's is

        def layer_l(w: str) -> str:
            base, _, d = w.rpartition("_")
            return f"{base}_{down[d]}" if d in down else w

        seen = {n.lower() for n in self.two_index}  # w^l_{jk} is read as W_9's entry: the case is the layer's
        matrices = [w for w in weights if w.lower() in seen or layer_l(w).lower() in seen]
        if matrices and context:  # w^l_{jk} written somewhere: the document's w^l is a matrix, one reading only
            context = "; ".join(f"{w}: R{k} x C{k}" for k, w in enumerate(matrices)) + "; " + context
            weights = [w for w in weights if w not in matrices]
        if weights and context:  # z = w a + b with w lower-case: a vector times a scalar, or a matrix times a vector?
            shaped = "; ".join(f"{w}: R{k} x C{k}" for k, w in enumerate(weights))
            as_written = readings or ((f"{', '.join(weights)} as the engine reads it", text),)
            readings = as_written + tuple((f"{n.split(' (')[0]} with {', '.join(weights)} a matrix", t, f"{shaped}; {context}")
                                          for n, t in as_written)
        f = self.finding(piece.start, piece.end, "unchecked", None, "")
        letters = st.letters()
        sym = tuple(sorted(x for x in ctx.symmetric if x in letters))
        row = ctx.bias_row()
        row_item = row[1] if row and row[0] in letters else None
        self.out.tasks.append(Task(text, context, sizes, open_, self.layout, f, symmetric=sym, bias_row=row_item,
                                   cells=_cells(self.src, piece.start, piece.end), readings=readings, note=note,
                                   unknown=unknown, any_loss=ctx.loss_generic or "", partial=partial))

    def line_of(self, piece: Piece) -> int:
        return self.pos.at(piece.start)[0]

    # ---- findings ----
    def described(self) -> str:
        """The context text as it stands (computed once per piece: see `piece`)."""
        if self._described is None:
            self._described = self.ctx.describe()[0] or ""
        return self._described

    def finding(self, start: int, end: int, verdict: str, kind: str | None, reason: str) -> Finding:
        end = max(end, start + 1)
        line, col = self.pos.at(start)
        eline, ecol = self.pos.at(end - 1)
        source = self.src[start:end]
        if len(source) > SOURCE_MAX:
            source = source[:SOURCE_MAX] + "…"
        return Finding(self.path, line, col, eline, ecol, source, verdict, kind, reason, None, self.described())

    def report(self, start: int, end: int, verdict: str, kind: str | None, reason: str) -> None:
        self.out.findings.append(self.finding(start, end, verdict, kind, reason))


def _classify(st: Statement, ctx: DocContext, link: bool, numbered: frozenset[str] = frozenset()) -> Kind:
    from .statements import classify

    return classify(st, ctx.defined(), ctx.output, bool(ctx.all_values()), in_chain=link, numbered=numbered)


def plan(path: str, src: str, base_context: str | None = None, layout: str = "gradient") -> Plan:
    r = Reader(path, src, base_context, layout)
    for ev in read_events(path, src):
        r.event(ev)
    out = r.out
    out.findings = [f for f in out.findings if f.line not in r.ignore_lines]
    out.tasks = [t for t in out.tasks if t.finding.line not in r.ignore_lines]
    return out


__all__ = ["Plan", "Task", "plan", "read_events", "split_relation_all"]
