"""The Markdown form and its Mermaid diagram: structure GitHub can render, whatever the
names in the scanned files hold.

The Mermaid source is checked here line by line against the small grammar the renderer
emits (`.ci/run` also parses it with Mermaid's own parser from npm)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_model_build import DEMO, model_of, scan_model

from conftest import REPO
from stridescan.threatmodel import mermaid
from stridescan.threatmodel.markdown import link, render, text
from stridescan.threatmodel.report import Evidence, ThreatModel

_ID = r"[a-z][a-z0-9_]*"
_LABEL = r'"([^"]*)"'
_SHAPES = (
    rf"\(\({_LABEL}\)\)",  # circle
    rf"\[/{_LABEL}/\]",  # trapezoid
    rf"\(\[{_LABEL}\]\)",  # stadium
    rf"\[\({_LABEL}\)\]",  # cylinder
    rf"\[{_LABEL}\]",  # box
)
_NODE = re.compile(rf"^({_ID})(?:{'|'.join(_SHAPES)})$")
_SUBGRAPH = re.compile(rf"^subgraph ({_ID}) \[{_LABEL}\]$")
_EDGE = re.compile(rf"^({_ID}) (==>|-\.->)\|{_LABEL}\| ({_ID})$")
_CLASSDEF = re.compile(r"^classDef (critical|high|medium|low) [a-z0-9:#,.-]+$")
_CLASS = re.compile(rf"^ *class ({_ID}(?:,{_ID})*) (critical|high|medium|low)$", re.MULTILINE)
# What a label may hold once escaped: no quote, bracket, pipe, backtick or markup but <br/>.
_SAFE_LABEL = re.compile(r"^(?:[A-Za-z0-9 .,:/@+=_()-]|#\d+;|<br/>)*$")

HOSTILE_NAMES = ['a"b]', "<script>alert(1)</script>", "pipe|and`tick`", "end", "x[1]{2}"]


def hostile_compose() -> str:
    services = []
    for index, name in enumerate(HOSTILE_NAMES):
        quoted = name.replace("'", "''")
        services.append(
            f"  '{quoted}':\n    image: 'img{index}:1'\n    privileged: true\n"
            f"    ports: ['{8000 + index}:80']\n"
            f"    volumes: ['/srv/{index}|`x`:/data']\n"
        )
    return "services:\n" + "".join(services)


def mermaid_blocks(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", markdown, re.DOTALL)


def check_mermaid(source: str) -> tuple[set[str], list[tuple[str, str]], list[str]]:
    """Every line in the emitted grammar; returns declared ids, edges and labels."""
    lines = source.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    declared: list[str] = []
    edges: list[tuple[str, str]] = []
    labels: list[str] = []
    classed: list[str] = []
    depth = 0
    for line in lines[1:]:
        content = line.lstrip(" ")
        indent = len(line) - len(content)
        if content == "end":
            depth -= 1
        assert indent == 2 + 2 * depth, f"indentation does not follow nesting: {line!r}"
        if node := _NODE.match(content):
            declared.append(node.group(1))
            labels.extend(g for g in node.groups()[1:] if g is not None)
        elif group := _SUBGRAPH.match(content):
            depth += 1
            labels.append(group.group(2))
        elif content == "end":
            assert depth >= 0
        elif edge := _EDGE.match(content):
            assert depth == 0, "edges are declared outside subgraphs"
            edges.append((edge.group(1), edge.group(4)))
            labels.append(edge.group(3))
        elif member := _CLASS.match(content):
            classed.extend(member.group(1).split(","))
        else:
            assert _CLASSDEF.match(content), f"unexpected Mermaid line: {line!r}"
    assert depth == 0
    assert len(declared) == len(set(declared)), "node ids must be unique"
    ids = set(declared)
    assert not ids & {"end", "graph", "subgraph", "class", "style"}
    for source_id, target_id in edges:
        assert source_id in ids and target_id in ids, (source_id, target_id)
    assert set(classed) <= ids
    for label in labels:
        assert _SAFE_LABEL.match(label), label
    return ids, edges, labels


@pytest.fixture(scope="module")
def demo_markdown() -> tuple[ThreatModel, str]:
    _, model = scan_model([DEMO], REPO)
    return model, render(model)


def test_demo_mermaid_declares_every_node_once_and_every_edge_endpoint(
    demo_markdown: tuple[ThreatModel, str],
) -> None:
    model, markdown = demo_markdown
    (block,) = mermaid_blocks(markdown)
    ids, edges, _ = check_mermaid(block)
    assert ids == {node.id for node in model.diagram.nodes}
    assert len(edges) == len(model.diagram.edges)


def test_demo_mermaid_marks_components_by_their_worst_severity(
    demo_markdown: tuple[ThreatModel, str],
) -> None:
    model, markdown = demo_markdown
    (block,) = mermaid_blocks(markdown)
    classes = {
        node_id: match.group(2)
        for match in _CLASS.finditer(block)
        for node_id in match.group(1).split(",")
    }
    for node in model.diagram.nodes:
        expected = node.severity.value if node.severity is not None else None
        assert classes.get(node.id) == expected, node.id


def test_hostile_service_names_stay_inside_their_quoted_labels(tmp_path: Path) -> None:
    _, model = model_of(tmp_path, {"compose.yaml": hostile_compose()})
    (block,) = mermaid_blocks(render(model))
    ids, _, labels = check_mermaid(block)
    assert "<script" not in block and "`" not in block
    decoded = [re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label) for label in labels]
    for name in HOSTILE_NAMES:
        assert any(label.startswith(name) for label in decoded), name
    assert all(re.fullmatch(_ID, node_id) for node_id in ids)


def test_mermaid_refuses_an_unsafe_id() -> None:
    for bad in ("end", "a-b", "Ab", "1a", 'a"'):
        with pytest.raises(ValueError):
            mermaid.safe_id(bad)


def test_hostile_names_do_not_add_table_columns_or_markup(tmp_path: Path) -> None:
    _, model = model_of(tmp_path, {"compose.yaml": hostile_compose()})
    markdown = render(model)
    outside_mermaid = re.sub(r"```mermaid\n.*?```", "", markdown, flags=re.DOTALL)
    assert "<script" not in outside_mermaid
    table: list[str] = []
    for line in [*outside_mermaid.split("\n"), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {len(re.findall(r"(?<!\\)\|", row)) for row in table}
            assert len(widths) == 1, table
            table = []


def test_text_escapes_markdown_and_keeps_identifiers_readable() -> None:
    assert text("a|b") == "a&#124;b"
    assert text("`x`") == "&#96;x&#96;"
    assert text("<b>") == "&lt;b&gt;"
    assert text("POSTGRES_PASSWORD") == "POSTGRES_PASSWORD"
    assert text("_private_") == "&#95;private&#95;"
    assert text("two\nlines") == "two lines"


def test_evidence_links_point_at_the_line_relative_to_the_repository() -> None:
    assert link(Evidence(path="deploy/compose.yaml", line=12)) == (
        "[deploy/compose.yaml:12](deploy/compose.yaml#L12)"
    )
    assert link(Evidence(path="a b/(x).yaml", line=3)) == "[a b/(x).yaml:3](a%20b/%28x%29.yaml#L3)"


def test_a_category_without_findings_says_what_was_checked(tmp_path: Path) -> None:
    report, model = model_of(tmp_path, {"compose.yaml": "services:\n  a:\n    image: a:1\n"})
    section = next(s for s in model.categories if not s.threats)
    markdown = render(model)
    body = markdown.split(f"### {section.title}\n", 1)[1].split("\n### ", 1)[0]
    assert "No finding." in body
    for rule in report.rules:
        if section.category in rule.stride:
            assert rule.code in body


def test_readme_excerpt_occurs_in_the_demo_report(demo_markdown: tuple[ThreatModel, str]) -> None:
    _, markdown = demo_markdown
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Threat model", 1)[1].split("\n## ", 1)[0]
    (excerpt,) = re.findall(r"```markdown\n(.*?)```", section, re.DOTALL)
    lines = [line for line in excerpt.split("\n") if line.strip() and line.strip() != "..."]
    assert len(lines) >= 5
    for line in lines:
        assert line in markdown, line


def test_compose_services_are_drawn_inside_their_network_when_there_are_several(
    tmp_path: Path,
) -> None:
    _, model = model_of(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    image: a:1\n    networks: [front]\n"
            "  db:\n    image: b:1\n    networks: [back]\n"
            "  api:\n    image: c:1\n    networks: [front, back]\n"
            "networks: {front: {}, back: {}}\n"
        },
    )
    groups = {g.id: g for g in model.diagram.groups}
    node_group = {n.label: n.group for n in model.diagram.nodes}
    assert groups[node_group["web"]].label == "network front"
    assert groups[node_group["db"]].label == "network back"
    project = groups[node_group["web"]].parent
    assert groups[node_group["db"]].parent == project and node_group["api"] == project
    (block,) = mermaid_blocks(render(model))
    check_mermaid(block)
    web = next(n.id for n in model.diagram.nodes if n.label == "web")
    nested = rf'\n    subgraph {node_group["web"]} \["network front"\]\n      {web}\['
    assert re.search(nested, block), block
