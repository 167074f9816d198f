"""`--html FILE`: a report people can look at. The summary on top, then each document as it
reads (Markdown through markdown-it, LaTeX's paragraphs and math), with the math typeset by
KaTeX in the browser and every judged equation marked holds / fails / unchecked / definition; its
reason, suggestion and context one click away (<details>). One self-contained file: KaTeX's
script, style and fonts are inlined from assets/katex (vendored from npm), nothing is fetched
when the report is viewed.

The views here only lay text out; what an equation means was decided by the checker (the
findings), and nothing is re-judged."""

from __future__ import annotations

import base64
import html
import json
import re
from functools import lru_cache
from importlib import resources

from ..findings import FileReport, Finding, summary
from ..macros import find_definitions
from .clean import utf8_text

MARK = {"holds": "✓", "fails": "✗", "unchecked": "?", "definition": "·"}
PLACE = "SYMDERIVEQ{}Q"
_PLACE = re.compile(r"SYMDERIVEQ(\d+)Q")


@lru_cache(maxsize=1)
def _katex() -> tuple[str, str]:
    """KaTeX's script and its stylesheet with every font inlined as a data: URI (woff2 only)."""
    base = resources.files(__package__) / "assets" / "katex"
    js = (base / "katex.min.js").read_text(encoding="utf-8")
    css = (base / "katex.min.css").read_text(encoding="utf-8")

    def font(m: re.Match[str]) -> str:
        data = base64.b64encode((base / "fonts" / f"{m.group(1)}.woff2").read_bytes()).decode("ascii")
        return f'url(data:font/woff2;base64,{data}) format("woff2")'

    css = re.sub(r'url\(fonts/([\w-]+)\.woff2\) format\("woff2"\)(?:,url\(fonts/[\w-]+\.woff\) format\("woff"\))?'
                 r'(?:,url\(fonts/[\w-]+\.ttf\) format\("truetype"\))?', font, css)
    assert "url(fonts/" not in css, "a KaTeX font the report does not inline"
    assert "</script" not in js.lower()
    return js, css


def _offsets(src: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(src):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _spans(src: str, findings: list[Finding]) -> list[tuple[int, int, list[Finding]]]:
    """(start, end, findings) of each marked span, in order; findings on the same or overlapping text
    share one mark (a chain, the cells of one matrix)."""
    starts = _offsets(src)
    raw = []
    for f in findings:
        if not (1 <= f.line <= len(starts)) or not (1 <= f.end_line <= len(starts)):
            continue
        a = starts[f.line - 1] + f.column - 1
        b = starts[f.end_line - 1] + f.end_column
        if 0 <= a < b <= len(src):
            raw.append((a, b, f))
    raw.sort(key=lambda t: (t[0], -t[1]))
    out: list[tuple[int, int, list[Finding]]] = []
    for a, b, f in raw:
        if out and a < out[-1][1]:
            out[-1][2].append(f)
            continue
        out.append((a, b, [f]))
    return out


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False}).use(dollarmath_plugin, double_inline=True).use(amsmath_plugin).enable("table")
    return md.render(text)


_DISPLAY = re.compile(r"\\begin\{(equation\*?|align\*?|gather\*?|multline\*?|eqnarray\*?|displaymath)\}(.*?)\\end\{\1\}"
                      r"|\\\[(.*?)\\\]|\$\$(.*?)\$\$", re.S)
_INLINE = re.compile(r"\\\((.*?)\\\)|(?<![\\$])\$([^$]+?)\$", re.S)
_COMMENT = re.compile(r"(?<!\\)%.*")


def _latex(text: str) -> str:
    """A LaTeX document's body as paragraphs and math, for reading (not a LaTeX renderer)."""
    body = text
    m = re.search(r"\\begin\{document\}(.*?)(\\end\{document\}|\Z)", text, re.S)
    if m:
        body = m.group(1)
    body = "\n".join(_COMMENT.sub("", ln) if "SYMDERIVEQ" not in ln else ln for ln in body.splitlines())
    out = []
    pos = 0
    parts: list[str] = []
    for d in _DISPLAY.finditer(body):
        parts.append(_latex_prose(body[pos:d.start()]))
        env = d.group(1)
        inner = d.group(2) if env else (d.group(3) if d.group(3) is not None else d.group(4))
        shown = env.replace("multline", "gather") if env else env  # KaTeX has no multline
        tex = f"\\begin{{{shown}}}{inner}\\end{{{shown}}}" if env and not env.startswith(("equation", "displaymath")) else inner
        parts.append(f'<div class="math block">{html.escape(tex.strip())}</div>')
        pos = d.end()
    parts.append(_latex_prose(body[pos:]))
    out.append("".join(parts))
    return "\n".join(out)


def _latex_prose(text: str) -> str:
    heads = re.compile(r"\\(section|subsection|subsubsection|paragraph)\*?\{([^}]*)\}")
    out = []
    for para in re.split(r"\n\s*\n", text):
        if not para.strip():
            continue
        h = heads.fullmatch(para.strip())
        if h:
            level = {"section": 2, "subsection": 3}.get(h.group(1), 4)
            out.append(f"<h{level}>{html.escape(h.group(2))}</h{level}>")
            continue
        pieces, pos = [], 0
        for m in _INLINE.finditer(para):
            pieces.append(html.escape(para[pos:m.start()]))
            pieces.append(f'<span class="math inline">{html.escape(m.group(1) if m.group(1) is not None else m.group(2))}</span>')
            pos = m.end()
        pieces.append(html.escape(para[pos:]))
        out.append(f"<p>{''.join(pieces)}</p>")
    return "\n".join(out)


def _label(fs: list[Finding]) -> str:
    return next((v for v in ("fails", "unchecked", "holds", "definition") if any(f.verdict == v for f in fs)), "unchecked")


def _details(n: int, fs: list[Finding]) -> str:
    """The verdict under an equation; reason, suggestion and context one click away."""
    worst = _label(fs)
    items = []
    for f in fs:
        rows = [f"<p><b>{html.escape(f.verdict)}</b>{' (' + html.escape(f.kind) + ')' if f.kind else ''}, "
                f"line {f.line}, column {f.column}: <code>{html.escape(f.source)}</code></p>"]
        if f.reason:
            rows.append(f'<p class="reason">{html.escape(f.reason)}</p>')
        if f.suggestion:
            rows.append(f'<p class="suggestion">Suggestion: {html.escape(f.suggestion)}</p>')
        if f.context:
            rows.append(f'<p class="context">Context: {html.escape(f.context)}</p>')
        items.append("".join(rows))
    label = f"{MARK[worst]} {worst}" + (f" ({len(fs)} findings)" if len(fs) > 1 else "") + f", line {fs[0].line}"
    return (f'<details class="verdict {worst}" id="eq-{n}" data-verdict="{worst}"><summary>{html.escape(label)}</summary>'
            f'{"".join(items)}</details>')


def _top_level_breaks(tex: str) -> bool:
    """An alignment & or a row break \\\\ outside braces: a KaTeX group around it would not parse."""
    depth = 0
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            if depth == 0 and tex.startswith("\\\\", i):
                return True
            i += 2
            continue
        depth += c == "{"
        depth -= c == "}"
        if c == "&" and depth == 0:
            return True
        i += 1
    return False


def _in_math(n: int, fs: list[Finding], tex: str) -> str:
    """The equation inside its math, wrapped so that KaTeX gives it an id and the verdict's class
    (or left as it is when it spans alignment cells; its verdict is still listed under the math)."""
    if _top_level_breaks(tex):
        return tex
    return f"\\htmlId{{mark-{n}}}{{\\htmlClass{{mark {_label(fs)}}}{{{tex}}}}}"


_MATH_BOX = re.compile(r'<(div|span) class="(math[^"]*)">(.*?)</\1>', re.S)


def render_document(path: str, src: str, findings: list[Finding], first: int) -> tuple[str, int]:
    """One document's body with its marked equations; `first` numbers the marks across documents."""
    spans = _spans(src, findings)
    pieces, pos, marks = [], 0, {}
    for i, (a, b, fs) in enumerate(spans):
        n = first + i
        pieces.append(src[pos:a])
        pieces.append(PLACE.format(n))
        marks[n] = (fs, src[a:b])
        pos = b
    pieces.append(src[pos:])
    text = "".join(pieces)
    body = _latex(text) if path.lower().endswith((".tex", ".latex", ".ltx")) else _markdown(text)

    def box(m: re.Match[str]) -> str:
        inner = m.group(3)
        found = [int(k) for k in _PLACE.findall(inner) if int(k) in marks]
        inner = _PLACE.sub(lambda p: html.escape(_in_math(int(p.group(1)), marks[int(p.group(1))][0],
                                                          marks[int(p.group(1))][1])) if int(p.group(1)) in marks else "", inner)
        after = "".join(_details(k, marks[k][0]) for k in found)
        cls = "verdicts" + (" inline" if "inline" in m.group(2) else "")
        tail = f'<span class="{cls}">{after}</span>' if after else ""
        return f'<{m.group(1)} class="{m.group(2)}">{inner}</{m.group(1)}>{tail}'

    body = _MATH_BOX.sub(box, body)

    def loose(p: re.Match[str]) -> str:  # a mark the view did not find math around (a broken document)
        k = int(p.group(1))
        if k not in marks:
            return ""
        return f'<code class="mark {_label(marks[k][0])}">{html.escape(marks[k][1])}</code>{_details(k, marks[k][0])}'

    return _PLACE.sub(loose, body), first + len(spans)


STYLE = """
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem} .summary{border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1rem;background:#f6f8fa}
.count{display:inline-block;margin-right:1.2rem;font-weight:600} .count.fails{color:#cf222e} .count.holds{color:#1a7f37}
.count.unchecked{color:#9a6700} .count.definition{color:#57606a} section.doc{border-top:2px solid #d0d7de;margin-top:2rem}
.mark{border-radius:3px;padding:0 2px} .mark.holds{background:#dafbe1} .mark.fails{background:#ffc1ba}
.mark.unchecked{background:#fff3a3} .mark.definition{background:#eaeef2}
.math.block{margin:.6rem 0 .2rem;overflow-x:auto} .verdicts{display:block;margin-bottom:.6rem} .verdicts.inline{display:inline}
details.verdict{display:inline-block;vertical-align:top;font-size:.85rem;border-left:4px solid #d0d7de;padding:0 .5rem;
margin:0 .4rem .2rem 0;border-radius:3px} details.verdict[open]{display:block}
details.holds{border-color:#1a7f37} details.fails{border-color:#cf222e;background:#ffebe9}
details.unchecked{border-color:#bf8700;background:#fff8c5} details.definition{border-color:#8c959f}
summary{cursor:pointer} details.verdict p{margin:.2rem 0} .suggestion{color:#0550ae} .context{color:#57606a}
.error{color:#cf222e;font-weight:600}
code{font-size:.85em} ul.fails a{color:#cf222e}
"""

SCRIPT = r"""
(function(){
  var trust = function(ctx){ return ctx.command === "\\htmlClass" || ctx.command === "\\htmlId"; };
  document.querySelectorAll(".math").forEach(function(box){
    var section = box.closest("section.doc");
    var macros = section ? JSON.parse(section.getAttribute("data-macros") || "{}") : {};
    var tex = box.textContent.trim().replace(/\\newcommand/g, "\\renewcommand");
    katex.render(tex, box, {displayMode: !box.classList.contains("inline"), throwOnError: false, strict: "ignore",
                            trust: trust, macros: macros});
  });
  document.body.setAttribute("data-rendered", document.querySelectorAll(".katex").length);
})();
"""


def render(reports: list[FileReport], sources: dict[str, str], title: str = "symderiv check") -> str:
    """The whole report: `sources` holds each document's text (a file that could not be read has none)."""
    js, css = _katex()
    s = summary(reports)
    order = ("fails", "unchecked", "holds", "definition")
    counts = "".join(f'<span class="count {k}">{MARK[k]} {s[k]} {k}</span>' for k in order)
    if s["errors"]:
        counts += f'<span class="count fails">{s["errors"]} unreadable</span>'
    sections, fails, n = [], [], 0
    for r in reports:
        macros = {f"\\{m.name}": m.body for m in find_definitions(sources.get(r.path, ""))} if r.path in sources else {}
        head = (f'<section class="doc" data-macros="{html.escape(json.dumps(macros))}">'
                f'<h1 class="path">{html.escape(r.path)}</h1>')
        if r.error or r.path not in sources:
            sections.append(head + f'<p class="error">{html.escape(r.error or "not read")}</p></section>')
            continue
        c = r.counts()
        line = ", ".join(f"{c[k]} {k}" for k in ("holds", "fails", "unchecked", "definition"))
        first = n
        body, n = render_document(r.path, sources[r.path], r.findings, n)
        for i, (_, _, fs) in enumerate(_spans(sources[r.path], r.findings)):
            for f in fs:
                if f.verdict == "fails":
                    fails.append(f'<li><a href="#eq-{first + i}">{html.escape(r.path)}:{f.line}:{f.column}</a> '
                                 f"{html.escape(f.reason[:160])}</li>")
        sections.append(head + f'<p class="counts">{html.escape(line)}</p>{body}</section>')
    fail_list = f'<ul class="fails">{"".join(fails)}</ul>' if fails else ""
    files = f"{len(reports)} file{'s' if len(reports) != 1 else ''}"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="symderiv"><title>{html.escape(title)}</title>
<style>{css}</style><style>{STYLE}</style></head>
<body><header class="summary"><h1>{html.escape(title)}</h1><p>{files}: {counts}</p>{fail_list}
<p>Each judged equation is shaded by its verdict; click the verdict under it for the reason, suggestion and context.</p></header>
{"".join(sections)}
<script>{js}</script><script>{SCRIPT}</script></body></html>
"""
    return utf8_text(page)
