"""The threat model's HTML page in headless Chromium: it loads without errors, shows the
diagram and the matrix, filters from the keyboard, prints sensibly and runs nothing injected.

Skips, saying why, when Chromium is not installed (.ci/run installs Debian's package as root).
`python tests/threatmodel/test_html_browser.py` rewrites docs/threat-model-demo.png.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the __main__ entry

from test_html import demo_model, hostile_model

from browser import Browser, Page, chromium, chromium_or_skip
from stridescan.rules._meta import Severity
from stridescan.threatmodel import html

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "threat-model-demo.png"
VISIBLE_ROWS = (
    "Array.from(document.querySelectorAll('#tm-findings tbody tr'))"
    ".filter(row => row.getClientRects().length > 0)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium(chromium_or_skip()) as running:
        yield running


def open_report(browser: Browser, page_text: str, folder: Path) -> Page:
    path = folder / "threat-model.html"
    path.write_text(page_text, encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    return page


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_demo_report_loads_without_errors_and_shows_diagram_and_matrix(
    browser: Browser, tmp_path: Path
) -> None:
    model = demo_model()
    page = open_report(browser, html.render(model), tmp_path)
    assert page.collect_errors() == []
    box = page.evaluate(
        "(() => { const r = document.querySelector('#diagram svg').getBoundingClientRect();"
        " return [r.width, r.height]; })()"
    )
    assert box[0] > 300 and box[1] > 200, box
    drawn = page.evaluate("document.querySelectorAll('#diagram svg g.tm-node').length")
    assert drawn == len(model.diagram.nodes)
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#tm-matrix tbody tr'))"
        ".filter(row => row.getClientRects().length > 0).length"
    )
    assert rows == len(model.matrix) > 0
    assert page.evaluate("document.getElementById('tm-filters').hidden") is False
    shown = page.evaluate("document.getElementById('tm-filter-count').textContent")
    assert shown == f"Showing {model.coverage.findings} of {model.coverage.findings} findings"


def test_filters_hide_rows_and_work_from_the_keyboard(browser: Browser, tmp_path: Path) -> None:
    model = demo_model()
    findings = html.finding_rows(model)
    page = open_report(browser, html.render(model), tmp_path)

    code = findings[-1].code  # a low-severity rule, so the severity filter changes things
    page.evaluate("document.getElementById('tm-filter-text').focus()")
    page.send("Input.insertText", text=code)
    assert page.evaluate(f"{VISIBLE_ROWS}.length") == sum(1 for f in findings if f.code == code)
    # Tab to the Clear button (past the two selects) and press Enter.
    for _ in range(3):
        press(page, "Tab", 9)
    assert page.evaluate("document.activeElement.id") == "tm-filter-clear"
    press(page, "Enter", 13)
    assert page.evaluate(f"{VISIBLE_ROWS}.length") == len(findings)

    choose(page, "tm-filter-stride", "R")
    visible = page.evaluate(f"{VISIBLE_ROWS}.map(row => row.dataset.stride)")
    assert len(visible) == sum(1 for f in findings if any(c.value == "R" for c in f.categories))
    assert visible and all("R" in letters.split() for letters in visible)

    choose(page, "tm-filter-stride", "")
    choose(page, "tm-filter-severity", "high")
    severities = page.evaluate(f"{VISIBLE_ROWS}.map(row => row.dataset.severity)")
    assert len(severities) == sum(1 for f in findings if f.severity.rank >= Severity.HIGH.rank)
    assert set(severities) <= {"high", "critical"}
    assert page.collect_errors() == []


def press(page: Page, key: str, code: int) -> None:
    for kind in ("rawKeyDown", "keyUp"):
        page.send(
            "Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code
        )
    if key == "Enter":  # rawKeyDown does not synthesize the click a real keypress would
        page.send("Input.dispatchKeyEvent", type="char", key="Enter", text="\r")


def choose(page: Page, select_id: str, value: str) -> None:
    """Pick an option from the keyboard: focus the select, Home, then ArrowDown to it."""
    page.evaluate(f"document.getElementById('{select_id}').focus()")
    press(page, "Home", 36)
    current = f"document.getElementById('{select_id}').value"
    for _ in range(page.evaluate(f"document.getElementById('{select_id}').options.length")):
        if page.evaluate(current) == value:
            return
        press(page, "ArrowDown", 40)
    raise AssertionError(f"no option {value!r} in #{select_id}")


def test_without_scripts_every_finding_is_shown_and_the_filters_are_not(
    browser: Browser, tmp_path: Path
) -> None:
    model = demo_model()
    path = tmp_path / "threat-model.html"
    path.write_text(html.render(model), encoding="utf-8")
    page = browser.new_page()
    page.send("Emulation.setScriptExecutionDisabled", value=True)
    page.goto(path.as_uri())
    assert page.evaluate(f"{VISIBLE_ROWS}.length") == model.coverage.findings
    assert page.evaluate("document.getElementById('tm-filters').getClientRects().length") == 0


def test_print_layout_hides_the_filters_and_fits_the_diagram_to_the_page(
    browser: Browser, tmp_path: Path
) -> None:
    page = open_report(browser, html.render(demo_model()), tmp_path)
    page.evaluate(
        "(() => { const t = document.getElementById('tm-filter-text');"
        " t.value = 'no finding matches this'; t.dispatchEvent(new Event('input',"
        " {bubbles: true})); })()"
    )
    assert page.evaluate(f"{VISIBLE_ROWS}.length") == 0
    page.send("Emulation.setEmulatedMedia", media="print")
    assert page.evaluate(f"{VISIBLE_ROWS}.length") == len(html.finding_rows(demo_model()))
    assert page.evaluate("getComputedStyle(document.getElementById('tm-filters')).display") == (
        "none"
    )
    widths = page.evaluate(
        "[document.querySelector('#diagram svg').getBoundingClientRect().width,"
        " document.querySelector('main').getBoundingClientRect().width]"
    )
    assert 0 < widths[0] <= widths[1]
    opened = "Array.from(document.querySelectorAll('details')).map(d => d.open)"
    assert False in page.evaluate(opened)
    page.evaluate("window.dispatchEvent(new Event('beforeprint')); 0")
    assert set(page.evaluate(opened)) == {True}


def test_hostile_names_run_nothing_and_break_nothing(browser: Browser, tmp_path: Path) -> None:
    scanned = tmp_path / "scanned"
    scanned.mkdir()
    model = hostile_model(scanned)
    page = open_report(browser, html.render(model), tmp_path)
    assert page.collect_errors() == []
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    text = page.evaluate("document.getElementById('inventory').textContent")
    assert "<script>alert(1)</script>" in text


def write_demo_screenshot(browser: Browser, path: Path, folder: Path) -> None:
    """The top of fixtures/demo's report (summary, matrix, diagram), 1280 pixels wide."""
    page = open_report(browser, html.render(demo_model()), folder)
    page.screenshot(path, width=1280, until="#diagram")
    errors = page.collect_errors()
    assert errors == [], errors
    # A 256-colour palette keeps the PNG small and the text crisp; optional, as it only
    # matters for the committed copy.
    if shutil.which("pngquant"):
        command = ["pngquant", "--force", "--skip-if-larger", "--output", str(path), str(path)]
        subprocess.run(command, check=False)


def test_demo_screenshot_can_be_regenerated(browser: Browser, tmp_path: Path) -> None:
    fresh = tmp_path / "demo.png"
    write_demo_screenshot(browser, fresh, tmp_path)
    width, height = png_size(fresh)
    assert width == 1280 and height > 600
    # The committed one is kept small enough for the README to load it quickly.
    assert png_size(SCREENSHOT)[0] == 1280
    assert SCREENSHOT.stat().st_size < 400_000


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch, chromium(chromium_or_skip()) as running:
        write_demo_screenshot(running, SCREENSHOT, Path(scratch))
    print(f"wrote {SCREENSHOT} ({SCREENSHOT.stat().st_size} bytes)")
