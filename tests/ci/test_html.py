"""The HTML report: self-contained (KaTeX inlined, nothing fetched), every judged equation marked with
its verdict and its details one click away, the summary on top; and, where Chromium is installed,
rendered by a real browser: the DOM must hold typeset math with no KaTeX error, and the screenshot
must show the verdict colours (a report whose KaTeX does not run fails both checks)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symderiv.documents.formats.html import render
from symderiv.documents.run import Options, check_files

from . import png
from .helpers import ROOT, symderiv

CORPUS = ROOT / "tests" / "corpus"
SEED = CORPUS / "linear-notes.md"  # a seed-like document: prose, display math, right and wrong equations
BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no Chromium (Debian package chromium; .ci/install-renderers)")


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("html")
    shutil.copy(SEED, folder / "notes.md")
    r = symderiv("check", "notes.md", "--html", "report.html", "--json-file", "out.json", "-q", cwd=folder)
    assert r.returncode == 1, r.stderr  # the seed holds false equations on purpose
    findings = json.loads((folder / "out.json").read_text(encoding="utf-8"))["files"][0]["findings"]
    return folder / "report.html", findings


def test_self_contained(seed_report: tuple[Path, list]) -> None:
    text = seed_report[0].read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and not re.search(r"url\((?!data:)", text)
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text)
    assert "katex" in text and "font/woff2;base64," in text


def test_every_equation_is_marked_with_its_details(seed_report: tuple[Path, list]) -> None:
    text = seed_report[0].read_text(encoding="utf-8")
    findings = seed_report[1]
    for verdict in ("holds", "fails", "definition"):
        expected = sum(1 for f in findings if f["verdict"] == verdict)
        assert expected and text.count(f'<details class="verdict {verdict}"') == expected, verdict
        assert text.count(f"\\htmlClass{{mark {verdict}}}") == expected, verdict
    for f in findings:
        if f["verdict"] == "fails":
            assert f'<p class="reason">{f["reason"][:40]}' in text.replace("&#x27;", "'").replace("&quot;", '"')
    summary = text[text.index('<header class="summary">'):text.index("</header>")]
    assert f"{sum(f['verdict'] == 'fails' for f in findings)} fails" in summary
    assert text.index('<header class="summary">') < text.index('<section class="doc"')


def test_latex_and_a_broken_document_do_not_break_the_report(tmp_path: Path) -> None:
    paths = [str(CORPUS / "linear.tex"), str(CORPUS / "broken.md"), str(tmp_path / "missing.md")]
    reports = check_files(paths, Options(jobs=1))
    sources = {p: Path(p).read_text(encoding="utf-8") for p in paths[:2]}
    text = render(reports, sources)
    assert text.count('<section class="doc"') == 3 and 'class="error"' in text
    marked = sum(len(r.findings) for r in reports)
    assert text.count('<details class="verdict') <= marked and text.count('<details class="verdict') >= marked - 5


def browse(page: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    assert BROWSER is not None
    return subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--user-data-dir={out / 'profile'}", "--virtual-time-budget=10000", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=180)


def rendered_math(dom: str) -> tuple[int, int]:
    """(KaTeX elements, KaTeX errors) in a page's DOM after its scripts ran."""
    return len(re.findall(r'class="katex"', dom)), len(re.findall(r'class="katex-error"', dom))


def colour_count(shot: Path, rgb: tuple[int, int, int]) -> int:
    _, _, px = png.pixels(shot)
    return sum(1 for p in px if all(abs(p[i] - rgb[i]) <= 6 for i in range(3)))


FAIL_SHADE = (0xFF, 0xC1, 0xBA)  # .mark.fails in html.py's STYLE: only present where KaTeX typeset a marked equation
HOLD_SHADE = (0xDA, 0xFB, 0xE1)


@needs_browser
def test_chromium_renders_the_math(seed_report: tuple[Path, list], tmp_path: Path) -> None:
    page, findings = seed_report
    dom = browse(page, tmp_path, "--dump-dom").stdout
    katex, errors = rendered_math(dom)
    assert katex >= len(findings) and errors == 0, (katex, errors)
    for verdict in ("holds", "fails", "definition"):  # KaTeX turned each \htmlClass into an element with the class
        expected = sum(1 for f in findings if f["verdict"] == verdict)
        assert len(re.findall(rf'class="enclosing mark {verdict}"', dom)) == expected, verdict
    shot = tmp_path / "shot.png"
    browse(page, tmp_path, "--window-size=1000,2400", f"--screenshot={shot}")
    assert colour_count(shot, FAIL_SHADE) > 500 and colour_count(shot, HOLD_SHADE) > 500


@needs_browser
def test_a_report_whose_math_does_not_render_is_caught(seed_report: tuple[Path, list], tmp_path: Path) -> None:
    """The negative control: the same report with KaTeX's script removed fails the DOM and the screenshot checks."""
    text = seed_report[0].read_text(encoding="utf-8")
    start = text.index("<script>")
    broken = tmp_path / "broken.html"
    broken.write_text(text[:start] + text[text.index("</script>", start) + 9:], encoding="utf-8")
    dom = browse(broken, tmp_path, "--dump-dom").stdout
    assert rendered_math(dom)[0] == 0
    shot = tmp_path / "shot.png"
    browse(broken, tmp_path, "--window-size=1000,2400", f"--screenshot={shot}")
    assert colour_count(shot, FAIL_SHADE) == 0
    bad_tex = tmp_path / "bad.html"
    bad_tex.write_text(text.replace("\\htmlClass{mark fails}{", "\\htmlClass{mark fails}{\\frac{", 1), encoding="utf-8")
    assert rendered_math(browse(bad_tex, tmp_path, "--dump-dom").stdout)[1] > 0  # a KaTeX error is seen
