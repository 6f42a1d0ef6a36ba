"""The Markdown form's Mermaid diagrams parse and render with Mermaid itself, as on GitHub.

Mermaid's browser bundle (installed from npm by .ci/run, outside the repository, path in
$STRIDESCAN_MERMAID_JS) is read from disk into a blank page of headless Chromium, so nothing
is fetched; `mermaid.parse()` and `mermaid.render()` run on every ```mermaid block. Skips,
saying why, without the bundle or without Chromium.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_html import demo_model, hostile_model

from browser import BrowserError, Page, chromium, chromium_or_skip
from stridescan.threatmodel import markdown

DEFAULT_BUNDLE = Path.home() / ".cache/stridescan-ci/mermaid/node_modules/mermaid/dist"
FENCE = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def mermaid_bundle() -> str:
    """The text of mermaid.min.js; skips the test, saying why, when it is not installed."""
    configured = os.environ.get("STRIDESCAN_MERMAID_JS")
    path = Path(configured) if configured else DEFAULT_BUNDLE / "mermaid.min.js"
    if not path.is_file():
        pytest.skip(
            f"Mermaid's bundle is not at {path}: .ci/run installs mermaid from npm and exports "
            "STRIDESCAN_MERMAID_JS; without npm this test cannot check the diagrams"
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mermaid_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    bundle = mermaid_bundle()
    blank = tmp_path_factory.mktemp("mermaid") / "blank.html"
    blank.write_text('<!DOCTYPE html><meta charset="utf-8"><title>mermaid</title>', "utf-8")
    with chromium(chromium_or_skip()) as browser:
        page = browser.new_page()
        page.goto(blank.as_uri())
        page.evaluate(bundle + "\n;0")
        page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'}); 0")
        yield page


def rendered(page: Page, source: str, number: int) -> str:
    """The SVG Mermaid draws for `source`; a parse or render error raises BrowserError."""
    page.evaluate(f"mermaid.parse({json.dumps(source)}).then(() => true)")
    svg: str = page.evaluate(
        f"mermaid.render('chart{number}', {json.dumps(source)}).then(result => result.svg)"
    )
    return svg


def active_markup(page: Page, svg: str) -> list[str]:
    """Elements of `svg` that could run or load something: scripts, images, frames, and any
    element with an event-handler attribute."""
    found: list[str] = page.evaluate(
        f"""(() => {{
        const doc = new DOMParser().parseFromString({json.dumps(svg)}, 'text/html');
        return Array.from(doc.querySelectorAll('*'))
          .filter(e => ['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName) ||
                       Array.from(e.attributes).some(a => a.name.startsWith('on')))
          .map(e => e.outerHTML.slice(0, 120));
        }})()"""
    )
    return found


def charts(text: str) -> list[str]:
    found = FENCE.findall(text)
    assert found, "the Markdown has no ```mermaid block"
    return found


def test_demo_diagram_parses_and_renders_with_mermaid(mermaid_page: Page) -> None:
    model = demo_model()
    for number, source in enumerate(charts(markdown.render(model))):
        svg = rendered(mermaid_page, source, number)
        assert "Syntax error" not in svg
        for node in model.diagram.nodes:
            assert f"-{node.id}-" in svg, f"{node.id} is not drawn"
    assert mermaid_page.collect_errors() == []


def test_diagram_of_hostile_names_parses_and_renders_with_mermaid(
    mermaid_page: Page, tmp_path: Path
) -> None:
    model = hostile_model(tmp_path)
    for number, source in enumerate(charts(markdown.render(model)), start=100):
        svg = rendered(mermaid_page, source, number)
        assert active_markup(mermaid_page, svg) == []
        for node in model.diagram.nodes:
            assert f"-{node.id}-" in svg, f"{node.id} is not drawn"
    assert mermaid_page.collect_errors() == []


def test_a_broken_chart_fails_the_check(mermaid_page: Page) -> None:
    with pytest.raises(BrowserError, match="Parse error"):
        rendered(mermaid_page, 'flowchart LR\n  a["unclosed] --> b\n', 200)
