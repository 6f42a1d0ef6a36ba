"""The diagram as a Mermaid flowchart, for Markdown that GitHub renders.

Conservative on purpose, because a diagram that fails to parse shows as an error box in the
pull request: ids are the model's safe identifiers (`[a-z][a-z0-9_]*`, never a Mermaid
keyword), every label is quoted, and every character of user text outside a small safe set
becomes a Mermaid entity code (`#35;`), so quotes, brackets, pipes, angle brackets, HTML
and backticks in a service name cannot end a label or reach the renderer as markup.
"""

from __future__ import annotations

import re

from stridescan.rules._meta import Severity
from stridescan.threatmodel.report import Diagram, DiagramGroup, DiagramNode

_SAFE_LABEL = re.compile(r"[A-Za-z0-9 .,:/@+=_()-]")
_SAFE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Words Mermaid's flowchart grammar reads as keywords wherever an id may stand.
_RESERVED = frozenset({"end", "graph", "flowchart", "subgraph", "style", "class", "classdef"})

# Fill and stroke per worst severity: readable in GitHub's light and dark themes.
_CLASSES = {
    Severity.CRITICAL: "fill:#f8d7da,stroke:#b02a37,stroke-width:3px,color:#000",
    Severity.HIGH: "fill:#ffe5d0,stroke:#d9480f,stroke-width:2px,color:#000",
    Severity.MEDIUM: "fill:#fff3cd,stroke:#b58105,color:#000",
    Severity.LOW: "fill:#e7f1ff,stroke:#1c64c4,color:#000",
}


def label(text: str) -> str:
    """`text` as the inside of a quoted Mermaid label."""
    return "".join(c if _SAFE_LABEL.fullmatch(c) else f"#{ord(c)};" for c in text)


def safe_id(identifier: str) -> str:
    """The id itself; refuses one that could break the chart (a bug of the builder)."""
    if not _SAFE_ID.match(identifier) or identifier in _RESERVED:
        raise ValueError(f"unsafe Mermaid id {identifier!r}")
    return identifier


def _node(node: DiagramNode) -> str:
    text = label(node.label)
    if node.findings:
        noun = "finding" if node.findings == 1 else "findings"
        severity = node.severity.value if node.severity is not None else ""
        text += f"<br/>{node.findings} {noun}, worst {severity}"
    if node.kind == "internet":
        return f'{safe_id(node.id)}(("{text}"))'
    if node.kind in ("host-path", "host", "api-server"):
        return f'{safe_id(node.id)}[/"{text}"/]'
    if node.kind in ("kubernetes-service", "ingress"):
        return f'{safe_id(node.id)}(["{text}"])'
    if node.kind == "image":
        return f'{safe_id(node.id)}[("{text}")]'
    return f'{safe_id(node.id)}["{text}"]'


def render(diagram: Diagram) -> str:
    """The flowchart source, without the fence."""
    lines = ["flowchart LR"]
    by_group: dict[str | None, list[DiagramNode]] = {}
    for node in diagram.nodes:
        by_group.setdefault(node.group, []).append(node)
    declared_groups = {g.id for g in diagram.groups}
    children: dict[str | None, list[DiagramGroup]] = {}
    for group in diagram.groups:
        parent = group.parent if group.parent in declared_groups else None
        children.setdefault(parent, []).append(group)

    def subgraph(group: DiagramGroup, indent: str) -> None:
        lines.append(f'{indent}subgraph {safe_id(group.id)} ["{label(group.label)}"]')
        for child in children.get(group.id, []):
            subgraph(child, indent + "  ")
        lines.extend(f"{indent}  {_node(node)}" for node in by_group.get(group.id, []))
        lines.append(f"{indent}end")

    for group in children.get(None, []):
        subgraph(group, "  ")
    for group_id, members in by_group.items():
        if group_id is None or group_id not in declared_groups:
            lines.extend(f"  {_node(node)}" for node in members)
    for edge in diagram.edges:
        arrow = "==>" if edge.boundary is not None else "-.->"
        lines.append(
            f'  {safe_id(edge.source)} {arrow}|"{label(edge.label)}"| {safe_id(edge.target)}'
        )
    for severity, style in _CLASSES.items():
        marked = [n.id for n in diagram.nodes if n.severity is severity]
        if marked:
            lines.append(f"  classDef {severity.value} {style}")
            lines.append(f"  class {','.join(marked)} {severity.value}")
    return "\n".join(lines) + "\n"
