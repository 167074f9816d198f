"""Families: line endings and bytes to text (issue 19, item 3). BOMs decide the encoding, UTF-8 is read
strictly (the first bad byte named in one finding, its line unchecked, the rest judged), and CRLF or CR
files get exactly the findings of the LF file."""

from __future__ import annotations

import codecs
import json

import pytest

from .harness import FALSE_EQ, TRUE_EQ, clean, run

DOCS = {
    "plain": f"# notes\n\n{FALSE_EQ}\n\n{TRUE_EQ}\n",
    "inline": f"Text with $(AB)^T = A^T B^T$ inline.\n\nAnd $$ (AB)^T = B^T A^T $$ too.\n\n{FALSE_EQ}\n",
    "aligned": "$$\n\\begin{aligned}\n(AB)^T &= A^T B^T \\\\\n(AB)^T &= B^T A^T\n\\end{aligned}\n$$\n",
    "latex": "\\documentclass{article}\n\\begin{document}\n\\[ (AB)^T = A^T B^T \\]\n\\[ (AB)^T = B^T A^T \\]\n\\end{document}\n",
    "blank lines": f"\n\n\n{FALSE_EQ}\n\n\n\n{TRUE_EQ}\n\n",
}
ENDINGS = {"crlf": "\r\n", "cr": "\r", "mixed": None}
ENCODINGS = {
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-32": lambda t: t.encode("utf-32"),
}


def _findings(path: str) -> list[tuple]:
    r = clean(run("check", path, "--verbose", "--format", "json"), 0, 1)
    doc = json.loads(r.stdout)
    return [(f["line"], f["column"], f["verdict"], f.get("kind")) for f in doc["files"][0]["findings"]]


def _suffix(name: str) -> str:
    return ".tex" if name == "latex" else ".md"


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.parametrize("name", sorted(DOCS))
def test_line_endings_give_the_lf_findings(name: str, ending: str, tmp_path) -> None:
    text = DOCS[name]
    lf = tmp_path / f"lf{_suffix(name)}"
    lf.write_bytes(text.encode())
    other = tmp_path / f"other{_suffix(name)}"
    if ENDINGS[ending] is None:
        lines = text.split("\n")
        other.write_bytes("".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(lines[:-1])).encode()
                          + lines[-1].encode())
    else:
        other.write_bytes(text.replace("\n", ENDINGS[ending]).encode())
    expected = _findings(str(lf))
    assert any(v == "fails" for _, _, v, _ in expected)
    assert _findings(str(other)) == expected


@pytest.mark.slow_hostile
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("name", sorted(DOCS))
def test_a_bom_decides_the_encoding(name: str, encoding: str, tmp_path) -> None:
    lf = tmp_path / f"lf{_suffix(name)}"
    lf.write_bytes(DOCS[name].encode())
    other = tmp_path / f"bom{_suffix(name)}"
    other.write_bytes(ENCODINGS[encoding](DOCS[name]))
    assert _findings(str(other)) == _findings(str(lf))


@pytest.mark.slow_hostile
@pytest.mark.parametrize("bad", [b"\xe9", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xf8\x88\x80\x80\x80"])
@pytest.mark.parametrize("where", ["prose", "math", "heading"])
def test_an_invalid_byte_is_one_finding_and_the_rest_is_judged(bad: bytes, where: str, tmp_path) -> None:
    lines = [b"# title", b"", b"Some prose.", b"", b"$$ X Y = Y X $$", b"", FALSE_EQ.encode(), b"", TRUE_EQ.encode(), b""]
    at = {"heading": 0, "prose": 2, "math": 4}[where]
    lines[at] = lines[at][:3] + bad + lines[at][3:]
    p = tmp_path / "bad.md"
    p.write_bytes(b"\n".join(lines))
    findings = _findings(str(p))
    enc = [f for f in findings if f[3] == "encoding" and f[0] == at + 1 and f[1] == 4]
    assert enc, findings
    assert (7, 4, "fails", "shapes") in findings or any(f[0] == 7 and f[2] == "fails" for f in findings)
    assert any(f[0] == 9 and f[2] == "holds" for f in findings)
    assert not any(f[0] == at + 1 and f[2] in ("holds", "fails") for f in findings)
    r = clean(run("check", str(p)), 1)
    assert f"line {at + 1}, column 4" in r.stdout


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom"])
def test_an_endless_file_is_refused_with_one_line(path: str) -> None:
    r = clean(run("check", path), 2, seconds=30)
    assert len([e for e in r.errors if e.startswith("symderiv: error:")]) == 1


def test_an_endless_stdin_is_refused_with_one_line() -> None:
    r = clean(run("claim", "-", stdin=b"\0" * (5 << 20)), 2, seconds=30)
    assert "stdin" in r.errors[0]


def test_many_identical_claims_on_stdin_are_judged_once() -> None:
    r = clean(run("claim", "-", "-q", stdin="(AB)^T = A^T B^T\n" * 20000), 1, seconds=60)
    assert r.stdout == ""
