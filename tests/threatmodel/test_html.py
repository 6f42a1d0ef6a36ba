"""The threat model's HTML page and its SVG diagram, read back with the standard parsers.

`tests/threatmodel/test_html_browser.py` loads the same pages in Chromium; here the output is
checked as text and as parsed HTML/XML: one file that loads nothing, a Content-Security-Policy
that pins the page's own style and script, every component and matrix cell present, and every
name from the scan escaped.
"""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, CliRun
from stridescan.rules._meta import Severity, Stride
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanRequest, scan
from stridescan.threatmodel import html, svg
from stridescan.threatmodel.build import build_threat_model
from stridescan.threatmodel.report import (
    STRIDE_ORDER,
    ComponentKind,
    Diagram,
    DiagramEdge,
    DiagramGroup,
    DiagramNode,
    ThreatModel,
)

SVG = "{http://www.w3.org/2000/svg}"
# Names that break out of text, attributes, CDATA and script if they are not escaped.
HOSTILE_DIR = 'x"onmouseover=alert(1) ]]>'
HOSTILE_SERVICE = "<script>alert(1)</script>"
HOSTILE_ATTRIBUTE = '"onmouseover=alert(1) x="'
HOSTILE_PATH = "/tmp/]]><x>\"'"
HOSTILE_PATH_YAML = HOSTILE_PATH.replace("'", "''")  # single-quoted YAML
HOSTILE_COMPOSE = f"""\
name: "<img src=x onerror=alert(1)>"
services:
  "{HOSTILE_SERVICE}":
    image: "evil\\"><svg onload=alert(1)>:latest"
    privileged: true
    ports:
      - "80:80"
    volumes:
      - "/var/run/docker.sock:/var/run/docker.sock"
      - '{HOSTILE_PATH_YAML}:/data'
  '{HOSTILE_ATTRIBUTE}':
    build: .
    network_mode: host
"""


def model_of(path: Path, root: Path = REPO) -> ThreatModel:
    request = ScanRequest(paths=(str(path),), root=root, rules=all_rules(), keep_model=True)
    return build_threat_model(scan(request))


@cache
def demo_model() -> ThreatModel:
    """The threat model of fixtures/demo, as `stridescan threat-model fixtures/demo` builds it."""
    return model_of(REPO / "fixtures" / "demo")


def hostile_model(tmp: Path) -> ThreatModel:
    """A compose project and Dockerfile whose names and paths are markup."""
    folder = tmp / HOSTILE_DIR
    folder.mkdir()
    (folder / "compose.yaml").write_text(HOSTILE_COMPOSE, encoding="utf-8")
    (folder / "Dockerfile").write_text("FROM alpine\nUSER root\n", encoding="utf-8")
    return model_of(tmp, root=tmp)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class Page(HTMLParser):
    """The elements of a page, flat, with their text; enough to query tables and attributes."""

    VOID = frozenset({"meta", "br", "input", "img", "link", "hr", "wbr", "source", "col"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if self._open:
            self._open[-1].children.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        assert self._open and self._open[-1].tag == tag, f"</{tag}> closes {self._open[-1:]}"
        self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> Element:
        (found,) = [e for e in self.elements if e.attrs.get("id") == element_id]
        return found


def rows_of(table: Element) -> list[list[Element]]:
    """The cells of each body row of `table`."""
    (body,) = [child for child in table.children if child.tag == "tbody"]
    return [[cell for cell in row.children if cell.tag in ("td", "th")] for row in body.children]


def svg_of(page_text: str) -> ET.Element:
    found = re.search(r"<svg .*?</svg>", page_text, re.DOTALL)
    assert found, "the page has no inline SVG"
    return ET.fromstring(found.group(0))


def test_page_loads_nothing_from_outside_itself() -> None:
    text = html.render(demo_model())
    page = Page(text)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//|file:)""", text, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", text, re.I)
    assert "@import" not in text
    assert not page.find("link")
    assert not page.find("iframe") and not page.find("object") and not page.find("embed")
    assert all(not e.attrs.get("src") for e in page.elements)
    assert all(e.attrs["href"].startswith("#") for e in page.elements if "href" in e.attrs)


def test_content_security_policy_allows_only_the_page_own_style_and_script() -> None:
    text = html.render(demo_model())
    page = Page(text)
    (meta,) = page.find("meta", **{"http-equiv": "Content-Security-Policy"})
    policy = {part.split()[0]: part.split()[1:] for part in meta.attrs["content"].split("; ")}
    assert policy["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]

    def digest(block: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"

    scripts = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", text, re.DOTALL)
    assert len(scripts) == 1 and len(page.find("script")) == 1
    assert [digest(s) for s in scripts] == policy["script-src"]
    assert [digest(s) for s in styles] == policy["style-src"]


def test_sections_come_in_the_order_of_the_markdown_form() -> None:
    page = Page(html.render(demo_model()))
    sections = [e.attrs["id"] for e in page.find("section")]
    assert sections == [
        "summary",
        "hardening",
        "diagram",
        "inventory",
        "entry-points",
        "boundaries",
        *(f"stride-{category.value}" for category in STRIDE_ORDER),
        "accepted",
        "coverage",
        "findings",
    ]


def test_matrix_has_a_row_per_component_and_a_cell_per_category() -> None:
    model = demo_model()
    page = Page(html.render(model))
    rows = rows_of(page.by_id("tm-matrix"))
    assert len(rows) == len(model.matrix) > 0
    for cells, row in zip(rows, model.matrix, strict=True):
        component = model.component(row.component)
        where = component.namespace or component.evidence.path
        name = component.title
        assert cells[0].text == name + (where if where != name else "")
        for cell, expected in zip(cells[1:7], row.cells, strict=True):
            if expected.count:
                assert expected.worst is not None
                assert cell.text.split() == [str(expected.count), expected.worst.value]
            else:
                assert cell.text.strip() == "–"
        assert cells[7].text.strip() == str(row.total)
        assert cells[8].text.strip() == (row.worst.value if row.worst else "none")


def test_findings_table_has_every_finding_once_with_its_categories() -> None:
    model = demo_model()
    page = Page(html.render(model))
    table = page.by_id("tm-findings")
    (body,) = [child for child in table.children if child.tag == "tbody"]
    assert len(body.children) == model.coverage.findings > 0
    expected = {
        (t.code, o.evidence.path, o.evidence.line)
        for section in model.categories
        for t in section.threats
        for o in t.occurrences
    }
    shown = {
        (cells[1].text.split()[0], *cells[4].text.strip().rsplit(":", 1))
        for cells in rows_of(table)
    }
    assert {(code, path, int(line)) for code, path, line in shown} == expected
    for row in body.children:
        letters = row.attrs["data-stride"].split()
        assert letters and all(Stride(letter) for letter in letters)
        assert Severity(row.attrs["data-severity"])


def test_filters_are_hidden_until_the_script_shows_them() -> None:
    page = Page(html.render(demo_model()))
    form = page.by_id("tm-filters")
    assert "hidden" in form.attrs
    labels = [e.text.split()[0] for e in form.children if e.tag == "label"]
    assert labels == ["Text", "STRIDE", "Severity"]
    stride = page.by_id("tm-filter-stride")
    assert [o.attrs["value"] for o in stride.children] == ["", *(s.value for s in STRIDE_ORDER)]


def test_every_component_of_the_demo_is_drawn_with_its_worst_severity_in_words() -> None:
    model = demo_model()
    drawing = svg_of(html.render(model))
    nodes = {g.get("data-component"): g for g in drawing.iter(f"{SVG}g") if g.get("data-component")}
    drawn_kinds = {
        ComponentKind.COMPOSE_SERVICE,
        ComponentKind.KUBERNETES_WORKLOAD,
        ComponentKind.KUBERNETES_SERVICE,
        ComponentKind.IMAGE,
    }
    expected = [c for c in model.components if c.kind in drawn_kinds]
    assert len(expected) >= 10
    for component in expected:
        node = nodes[component.id]
        words = " ".join(t.text or "" for t in node.iter(f"{SVG}text"))
        title = node.find(f"{SVG}title")
        assert title is not None and component.name in (title.text or "")
        if component.worst_severity is None:
            assert "no findings" in words
        else:
            assert f"{component.worst_severity.value} · {component.findings} finding" in words
            assert f"tm-sev-{component.worst_severity.value}" in (node.get("class") or "")


def test_diagram_draws_groups_host_region_and_boundary_crossings() -> None:
    model = demo_model()
    drawing = svg_of(html.render(model))
    groups = {g.get("id"): g for g in drawing.iter(f"{SVG}g") if "tm-group " in g.get("class", "")}
    assert set(groups) == {f"tm-group-{group.id}" for group in model.diagram.groups}
    assert any("tm-group-host" in g.get("class", "") for g in groups.values())
    edges = [g for g in drawing.iter(f"{SVG}g") if g.get("data-source")]
    assert len(edges) == len(model.diagram.edges)
    crossing = [e for e in edges if "tm-crossing" in e.get("class", "")]
    assert len(crossing) == sum(1 for e in model.diagram.edges if e.boundary) > 0
    legend = " ".join(t.text or "" for t in drawing.iter(f"{SVG}text"))
    for severity in ("critical", "high", "medium", "low", "no findings"):
        assert severity in legend


def test_layout_keeps_nodes_inside_their_groups_and_apart() -> None:
    for diagram in (demo_model().diagram, nested_diagram()):
        placed = svg.layout(diagram)
        boxes = list(placed.nodes.values())
        assert len(boxes) == len(diagram.nodes)
        for index, box in enumerate(boxes):
            assert not any(box.overlaps(other) for other in boxes[index + 1 :])
            assert box.right <= placed.width and box.bottom <= placed.height
        for node in diagram.nodes:
            if node.group in placed.groups:
                assert placed.groups[node.group].contains(placed.nodes[node.id]), node.id
        for group in diagram.groups:
            if group.parent is not None:
                assert placed.groups[group.parent].contains(placed.groups[group.id])
        assert "no-such-group" not in placed.groups


def test_layout_is_the_same_for_the_same_diagram() -> None:
    assert svg.render(demo_model().diagram) == svg.render(model_of(REPO / "fixtures/demo").diagram)


def test_long_labels_are_cut_and_kept_whole_in_the_title() -> None:
    long_name = "a-service-with-a-name-far-longer-than-any-node-is-wide-" * 2
    diagram = Diagram(
        groups=(),
        nodes=(DiagramNode(id="long", label=long_name, kind="compose-service", group=None),),
        edges=(),
    )
    drawing = ET.fromstring(svg.render(diagram))
    (node,) = [g for g in drawing.iter(f"{SVG}g") if g.get("data-component") == "long"]
    label = next(t for t in node.iter(f"{SVG}text") if t.get("class") == "tm-node-label")
    assert label.text is not None and label.text.endswith("…")
    assert len(label.text) < len(long_name)
    title = node.find(f"{SVG}title")
    assert title is not None and long_name.strip() in (title.text or "")


def nested_diagram() -> Diagram:
    """A cluster holding two namespaces, loose nodes of every column, and an edge to a node
    that does not exist (which is left out, not drawn to nowhere)."""
    return Diagram(
        groups=(
            DiagramGroup(id="cluster", label="cluster", kind="cluster"),
            DiagramGroup(id="ns_a", label="namespace a", kind="namespace", parent="cluster"),
            DiagramGroup(id="ns_b", label="namespace b", kind="namespace", parent="cluster"),
            DiagramGroup(id="host", label="Host", kind="host"),
        ),
        nodes=(
            DiagramNode(id="internet", label="Internet", kind="internet", group=None),
            DiagramNode(id="svc", label="Service a", kind="kubernetes-service", group="ns_a"),
            DiagramNode(id="a1", label="a1", kind="kubernetes-workload", group="ns_a"),
            DiagramNode(id="a2", label="a2", kind="kubernetes-workload", group="ns_a"),
            DiagramNode(id="b1", label="b1", kind="kubernetes-workload", group="ns_b"),
            DiagramNode(id="top", label="top", kind="kubernetes-workload", group="cluster"),
            DiagramNode(id="sock", label="/run/docker.sock", kind="host-path", group="host"),
            DiagramNode(id="api", label="API server", kind="api-server", group=None),
            DiagramNode(id="odd", label="odd", kind="something-new", group="no-such-group"),
        ),
        edges=(
            DiagramEdge(source="internet", target="svc", label="443", kind="exposes"),
            DiagramEdge(source="a1", target="sock", label="socket", kind="mounts", boundary="host"),
            DiagramEdge(source="a2", target="missing", label="?", kind="api"),
        ),
    )


def test_nested_groups_render_as_well_formed_svg_without_dangling_edges() -> None:
    drawing = ET.fromstring(svg.render(nested_diagram()))
    edges = [g for g in drawing.iter(f"{SVG}g") if g.get("data-source")]
    assert [(e.get("data-source"), e.get("data-target")) for e in edges] == [
        ("internet", "svc"),
        ("a1", "sock"),
    ]
    ids = [g.get("data-component") for g in drawing.iter(f"{SVG}g") if g.get("data-component")]
    assert sorted(ids) == sorted(node.id for node in nested_diagram().nodes)


def test_scanned_names_are_escaped_in_text_attributes_and_svg(tmp_path: Path) -> None:
    model = hostile_model(tmp_path)
    names = {c.name for c in model.components}
    assert {HOSTILE_SERVICE, HOSTILE_ATTRIBUTE} <= names, names
    text = html.render(model)
    page = Page(text)
    assert len(page.find("script")) == 1
    assert not page.find("img") and not page.find("x")
    handlers = [name for e in page.elements for name in e.attrs if name.startswith("on")]
    assert handlers == []
    assert "<script>alert" not in text and "]]><x>" not in text
    drawing = svg_of(text)
    labels = [t.text for t in drawing.iter(f"{SVG}title")]
    assert any(HOSTILE_SERVICE in (label or "") for label in labels)
    assert any(HOSTILE_PATH in (label or "") for label in labels)
    inventory = " ".join(e.text for e in page.find("tr") if e.attrs.get("id", "").startswith("c"))
    assert HOSTILE_SERVICE in inventory and HOSTILE_ATTRIBUTE in inventory


def test_a_category_without_findings_lists_what_was_checked(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  api:\n    image: registry.example.com/api:1.4.2\n", encoding="utf-8"
    )
    model = model_of(tmp_path, root=tmp_path)
    empty = [section for section in model.categories if not section.threats]
    assert empty, "the fixture was meant to leave a category without findings"
    page = Page(html.render(model))
    for section in empty:
        element = page.by_id(f"stride-{section.category.value}")
        assert "No findings in this category." in element.text
        (details,) = [child for child in element.children if child.tag == "details"]
        assert "open" in details.attrs
        for rule in section.checked:
            assert f"{rule.code} {rule.slug}" in details.text


@pytest.mark.parametrize("severity", [None, *Severity])
def test_severity_words_never_rely_on_colour_alone(severity: Severity | None) -> None:
    words = svg.severity_words(severity, 2 if severity else 0)
    assert words == (f"{severity.value} · 2 findings" if severity else "no findings")


def test_cli_writes_the_same_page_as_the_renderer(
    run_cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    out = tmp_path / "demo.html"
    done = run_cli(
        "threat-model", str(REPO / "fixtures" / "demo"), "--format", "html", "-o", str(out)
    )
    assert done.code == 0, done.stderr
    assert out.read_text(encoding="utf-8") == html.render(demo_model())


def test_many_projects_wrap_into_more_columns_instead_of_one_long_strip() -> None:
    groups = tuple(
        DiagramGroup(id=f"p{n}", label=f"project {n}", kind="compose-project") for n in range(30)
    )
    nodes = tuple(
        DiagramNode(id=f"s{n}_{i}", label=f"service {i}", kind="compose-service", group=f"p{n}")
        for n in range(30)
        for i in range(3)
    )
    diagram = Diagram(groups=groups, nodes=nodes, edges=())
    placed = svg.layout(diagram)
    assert placed.height <= svg.MAX_STACK + 2 * svg.MARGIN + svg.LEGEND_HEIGHT
    assert len({box.x for box in placed.groups.values()}) > 1
    boxes = list(placed.groups.values())
    for index, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[index + 1 :])


def test_readme_shows_the_committed_screenshot_of_the_demo() -> None:
    screenshot = REPO / "docs" / "threat-model-demo.png"
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "(docs/threat-model-demo.png)" in (REPO / "README.md").read_text(encoding="utf-8")
