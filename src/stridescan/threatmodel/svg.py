"""The threat model's diagram as inline SVG, laid out here without a graph library.

The layout is three columns read left to right the way an attacker comes in: the outside
(internet, published ports) above the Dockerfiles that build the services; the compose
projects and Kubernetes namespaces, entry points before workloads; and the host region with
what containers reach on it (mounts, the runtime socket, host namespaces, the API server).
Inside a column, groups and nodes keep the model's order, so the same files always give the
same picture.
Severity is shown three ways: fill colour, a stripe, and the words under the label, so the
diagram reads in greyscale print and to a screen reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from stridescan.rules._meta import Severity
from stridescan.threatmodel.report import Diagram, DiagramEdge, DiagramGroup, DiagramNode

NODE_WIDTH = 216
NODE_HEIGHT = 46
GAP = 14  # between nodes, and the padding inside a group box
GROUP_HEADER = 24  # room for a group's label
COLUMN_GAP = 90  # between columns: where edges and their labels run
MARGIN = 16
LEGEND_HEIGHT = 40
MAX_STACK = 1200  # the height past which a column's groups continue in a new column
# Average advances of the label fonts (12px bold, 10.5px), for truncating long names.
CHAR_WIDTH = 7.2
SMALL_CHAR_WIDTH = 5.9

#: Columns of top-level groups by group kind; groups of other kinds go with the apps.
_GROUP_COLUMN = {"outside": 0, "images": 0, "compose-project": 1, "namespace": 1, "cluster": 1}
_GROUP_COLUMN |= {"host": 2}
#: Columns of nodes outside any group, by node kind.
_NODE_COLUMN = {"internet": 0, "port": 0, "image": 0, "host": 2, "host-path": 2}
_NODE_COLUMN |= {"host-namespace": 2, "docker-daemon": 2, "kubelet": 2, "api-server": 2}
COLUMNS = 3
#: Entry points stand left of the workloads they route to, inside a group.
_ENTRY_KINDS = frozenset({"internet", "port", "ingress", "kubernetes-service"})

SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.x
            or other.right <= self.x
            or self.bottom <= other.y
            or other.bottom <= self.y
        )

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """Where every group and node is drawn; `width` and `height` are the SVG's."""

    groups: dict[str, Box]
    nodes: dict[str, Box]
    width: float
    height: float


@dataclass
class _Block:
    """A group, or the loose nodes of a column, before it is placed: sizes are relative."""

    group: DiagramGroup | None
    columns: list[list[DiagramNode]]
    children: list[_Block]

    def size(self) -> tuple[float, float]:
        inner_w, inner_h = self._inner()
        if self.group is None:
            return inner_w, inner_h
        return inner_w + 2 * GAP, inner_h + GROUP_HEADER + GAP

    def _inner(self) -> tuple[float, float]:
        used = [column for column in self.columns if column]
        nodes_w = len(used) * NODE_WIDTH + max(len(used) - 1, 0) * GAP
        nodes_h = max((len(c) * NODE_HEIGHT + (len(c) - 1) * GAP for c in used), default=0)
        sizes = [child.size() for child in self.children]
        width = max([nodes_w, *(w for w, _ in sizes)], default=0)
        height = nodes_h + sum(h for _, h in sizes) + GAP * max(len(sizes) - (not used), 0)
        return max(width, NODE_WIDTH), height

    def place(self, x: float, y: float, layout: Layout) -> None:
        width, height = self.size()
        if self.group is not None:
            layout.groups[self.group.id] = Box(x, y, width, height)
            x, y = x + GAP, y + GROUP_HEADER
        column_x = x
        nodes_bottom = y
        for column in self.columns:
            if not column:
                continue
            node_y = y
            for node in column:
                layout.nodes[node.id] = Box(column_x, node_y, NODE_WIDTH, NODE_HEIGHT)
                node_y += NODE_HEIGHT + GAP
            nodes_bottom = max(nodes_bottom, node_y)
            column_x += NODE_WIDTH + GAP
        child_y = nodes_bottom
        for child in self.children:
            child.place(x, child_y, layout)
            child_y += child.size()[1] + GAP


def layout(diagram: Diagram) -> Layout:
    """Place every group and node; deterministic for a given diagram."""
    known_groups = {group.id for group in diagram.groups}
    by_parent: dict[str | None, list[DiagramGroup]] = {}
    for group in diagram.groups:
        parent = group.parent if group.parent in known_groups else None
        by_parent.setdefault(parent, []).append(group)
    members: dict[str | None, list[DiagramNode]] = {}
    for node in diagram.nodes:
        members.setdefault(node.group if node.group in known_groups else None, []).append(node)

    def block(group: DiagramGroup | None, nodes: list[DiagramNode]) -> _Block:
        entries = [node for node in nodes if node.kind in _ENTRY_KINDS]
        rest = [node for node in nodes if node.kind not in _ENTRY_KINDS]
        children = [] if group is None else by_parent.get(group.id, [])
        return _Block(group, [entries, rest], [block(c, members.get(c.id, [])) for c in children])

    columns: list[list[_Block]] = [[] for _ in range(COLUMNS)]
    for group in by_parent.get(None, []):
        columns[_GROUP_COLUMN.get(group.kind, 1)].append(block(group, members.get(group.id, [])))
    loose: dict[int, list[DiagramNode]] = {}
    for node in members.get(None, []):
        loose.setdefault(_NODE_COLUMN.get(node.kind, 1), []).append(node)
    for index, nodes in sorted(loose.items()):
        columns[index].insert(0, block(None, nodes))

    result = Layout(groups={}, nodes={}, width=0, height=0)
    x = float(MARGIN)
    bottom = float(MARGIN)
    for column in columns:
        for stack in _stacks(column):
            y = float(MARGIN)
            for placed in stack:
                placed.place(x, y, result)
                y += placed.size()[1] + GAP
            bottom = max(bottom, y - GAP)
            x += max(b.size()[0] for b in stack) + COLUMN_GAP
    width = max(x - COLUMN_GAP + MARGIN, 4 * NODE_WIDTH)
    height = bottom + MARGIN + LEGEND_HEIGHT
    return Layout(result.groups, result.nodes, width, height)


def _stacks(column: list[_Block]) -> list[list[_Block]]:
    """A column's blocks in stacks no taller than `MAX_STACK` (unless one block is), so a
    repository with many projects gives a wide picture rather than an endless strip."""
    stacks: list[list[_Block]] = []
    height = 0.0
    for placed in column:
        block_height = placed.size()[1]
        if not stacks or height + GAP + block_height > MAX_STACK:
            stacks.append([])
            height = -GAP
        stacks[-1].append(placed)
        height += GAP + block_height
    return stacks


def render(diagram: Diagram, *, title: str = "Deployment diagram", style: bool = True) -> str:
    """An `<svg>` element (well-formed XML, fit for inline HTML) drawing `diagram`; without
    `style`, the page that inlines it includes `STYLE` itself."""
    placed = layout(diagram)
    nodes = {node.id: node for node in diagram.nodes}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tm-diagram" role="img" '
        f'viewBox="0 0 {placed.width:.0f} {placed.height:.0f}" '
        f'width="{placed.width:.0f}" height="{placed.height:.0f}" '
        f'aria-labelledby="tm-diagram-title tm-diagram-desc">',
        f'<title id="tm-diagram-title">{escape(title)}</title>',
        f'<desc id="tm-diagram-desc">{escape(_description(diagram))}</desc>',
        f"<style>{STYLE}</style>" if style else "",
        _DEFS,
    ]
    for group in _outermost_first(diagram.groups, placed):
        out.append(_group(group, placed.groups[group.id]))
    for edge in diagram.edges:
        if edge.source in placed.nodes and edge.target in placed.nodes:
            ends = (nodes[edge.source], nodes[edge.target])
            out.append(_edge(edge, ends, placed.nodes[edge.source], placed.nodes[edge.target]))
    for node_id, box in placed.nodes.items():
        out.append(_node(nodes[node_id], box))
    out.append(_legend(placed.height - LEGEND_HEIGHT + 8))
    out.append("</svg>")
    return "\n".join(out)


def severity_words(severity: Severity | None, findings: int) -> str:
    """`critical · 3 findings`, or `no findings`: the text that carries the severity."""
    if severity is None or findings == 0:
        return "no findings"
    noun = "finding" if findings == 1 else "findings"
    return f"{severity.value} · {findings} {noun}"


#: Scoped to the diagram, so the `<svg>` looks the same in any page that inlines it.
STYLE = """
.tm-diagram { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  max-width: 100%; height: auto; }
.tm-diagram text { font-size: 12px; fill: #111827; }
.tm-diagram .tm-group > rect { fill: #f8fafc; stroke: #94a3b8; stroke-width: 1.2; }
.tm-diagram .tm-group-label { font-weight: 600; fill: #334155; }
.tm-diagram .tm-group-host > rect { fill: url(#tm-hatch); stroke: #7c2d12; stroke-width: 2.5;
  stroke-dasharray: 10 5; }
.tm-diagram .tm-group-host .tm-group-label { fill: #7c2d12; }
.tm-diagram .tm-group-outside > rect { fill: #ffffff; stroke: #64748b; stroke-dasharray: 4 4; }
.tm-diagram .tm-group-images > rect { fill: #faf5ff; stroke: #a78bfa; }
.tm-diagram .tm-group-cluster > rect { fill: #f1f5f9; stroke: #475569; }
.tm-diagram .tm-hatch { stroke: #fde7d9; stroke-width: 4; }
.tm-diagram .tm-node-box { stroke: #6b7280; stroke-width: 1; fill: #ffffff; }
.tm-diagram .tm-node-stripe { fill: #6b7280; }
.tm-diagram .tm-node-label { font-weight: 600; }
.tm-diagram .tm-node-meta { font-size: 10.5px; fill: #374151; }
.tm-diagram .tm-sev-critical .tm-node-box { fill: #fee2e2; stroke: #991b1b; stroke-width: 2; }
.tm-diagram .tm-sev-critical .tm-node-stripe { fill: #991b1b; }
.tm-diagram .tm-sev-high .tm-node-box { fill: #ffedd5; stroke: #c2410c; stroke-width: 1.5; }
.tm-diagram .tm-sev-high .tm-node-stripe { fill: #c2410c; }
.tm-diagram .tm-sev-medium .tm-node-box { fill: #fef3c7; stroke: #a16207; }
.tm-diagram .tm-sev-medium .tm-node-stripe { fill: #a16207; }
.tm-diagram .tm-sev-low .tm-node-box { fill: #dbeafe; stroke: #1d4ed8; }
.tm-diagram .tm-sev-low .tm-node-stripe { fill: #1d4ed8; }
.tm-diagram .tm-edge path { fill: none; stroke: #475569; stroke-width: 1.4; }
.tm-diagram .tm-edge.tm-crossing path { stroke: #b91c1c; stroke-width: 1.8;
  stroke-dasharray: 6 4; }
.tm-diagram .tm-arrowhead { fill: #475569; }
.tm-diagram .tm-edge-label { font-size: 10px; fill: #334155; stroke: #ffffff;
  stroke-width: 3px; paint-order: stroke; text-anchor: middle; }
"""

_DEFS = (
    "<defs>"
    '<marker id="tm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
    'class="tm-arrowhead"/></marker>'
    '<pattern id="tm-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" class="tm-hatch"/>'
    "</pattern>"
    "</defs>"
)


def _description(diagram: Diagram) -> str:
    flagged = sum(1 for node in diagram.nodes if node.findings)
    crossing = sum(1 for edge in diagram.edges if edge.boundary)
    return (
        f"{len(diagram.nodes)} components in {len(diagram.groups)} groups; {flagged} with "
        f"findings; {len(diagram.edges)} connections, {crossing} across a trust boundary."
    )


def _outermost_first(groups: Iterable[DiagramGroup], placed: Layout) -> list[DiagramGroup]:
    """Parents before children, so a nested box is painted over its parent."""
    depth: dict[str, int] = {}
    parents = {group.id: group.parent for group in groups}

    def depth_of(group_id: str, seen: frozenset[str] = frozenset()) -> int:
        parent = parents.get(group_id)
        if parent is None or parent not in parents or parent in seen:
            return 0
        return 1 + depth_of(parent, seen | {group_id})

    for group_id in parents:
        depth[group_id] = depth_of(group_id)
    ordered = [group for group in groups if group.id in placed.groups]
    return sorted(ordered, key=lambda group: depth[group.id])


def _group(group: DiagramGroup, box: Box) -> str:
    kind = escape(group.kind)
    label = escape(_fit(group.label, box.width - 2 * GAP))
    return (
        f'<g class="tm-group tm-group-{kind}" id="tm-group-{escape(group.id)}">'
        f"<title>{escape(group.label)} ({kind})</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.width:.0f}" '
        f'height="{box.height:.0f}" rx="8"/>'
        f'<text x="{box.x + 10:.0f}" y="{box.y + 16:.0f}" class="tm-group-label">{label}</text>'
        "</g>"
    )


def _node(node: DiagramNode, box: Box) -> str:
    severity = node.severity.value if node.severity is not None and node.findings else "none"
    words = severity_words(node.severity, node.findings)
    kind = escape(node.kind)
    meta = _fit(
        f"{_KIND_WORDS.get(node.kind, node.kind)} · {words}", box.width - 20, SMALL_CHAR_WIDTH
    )
    return (
        f'<g class="tm-node tm-kind-{kind} tm-sev-{severity}" id="tm-node-{escape(node.id)}" '
        f'data-component="{escape(node.id)}">'
        f"<title>{escape(node.label)} ({kind}): {escape(words)}</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.width:.0f}" '
        f'height="{box.height:.0f}" rx="5" class="tm-node-box"/>'
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="6" height="{box.height:.0f}" '
        f'class="tm-node-stripe"/>'
        f'<text x="{box.x + 14:.0f}" y="{box.y + 19:.0f}" class="tm-node-label">'
        f"{escape(_fit(node.label, box.width - 20))}</text>"
        f'<text x="{box.x + 14:.0f}" y="{box.y + 36:.0f}" class="tm-node-meta">'
        f"{escape(meta)}"
        "</text></g>"
    )


_KIND_WORDS = {
    "compose-service": "service",
    "kubernetes-workload": "workload",
    "kubernetes-service": "k8s service",
    "docker-daemon": "daemon",
    "network-policy": "policy",
    "host-path": "host path",
    "host-namespace": "host ns",
}


def _edge(
    edge: DiagramEdge, ends: tuple[DiagramNode, DiagramNode], source: Box, target: Box
) -> str:
    """A curve from the side of `source` facing `target`; crossings of a boundary dashed."""
    if target.x >= source.right:
        x1, y1 = source.right, source.y + source.height / 2
        x2, y2 = target.x, target.y + target.height / 2
    elif source.x >= target.right:
        x1, y1 = source.x, source.y + source.height / 2
        x2, y2 = target.right, target.y + target.height / 2
    else:  # same column: leave from the right and come back in
        x1, y1 = source.right, source.y + source.height / 2
        x2, y2 = target.right, target.y + target.height / 2
    bend = max(abs(x2 - x1) / 2, 40.0)
    c1 = x1 + (bend if x1 == source.right else -bend)
    c2 = x2 - (bend if x2 == target.x else -bend)
    classes = f"tm-edge tm-edge-{escape(edge.kind)}" + (" tm-crossing" if edge.boundary else "")
    boundary = f" (crosses the {edge.boundary} boundary)" if edge.boundary else ""
    label = ""
    if edge.label:
        mid_x = (x1 + x2 + (c1 - x1) * 0.75 + (c2 - x2) * 0.75) / 2
        mid_y = (y1 + y2) / 2 - 4
        label = (
            f'<text x="{mid_x:.0f}" y="{mid_y:.0f}" class="tm-edge-label">'
            f"{escape(_fit(edge.label, COLUMN_GAP + NODE_WIDTH / 2, SMALL_CHAR_WIDTH))}</text>"
        )
    return (
        f'<g class="{classes}" data-source="{escape(edge.source)}" '
        f'data-target="{escape(edge.target)}">'
        f"<title>{escape(ends[0].label)} → {escape(ends[1].label)}: "
        f"{escape(edge.label or edge.kind)}{escape(boundary)}</title>"
        f'<path d="M{x1:.0f},{y1:.0f} C{c1:.0f},{y1:.0f} {c2:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
        f'marker-end="url(#tm-arrow)"/>{label}</g>'
    )


def _legend(y: float) -> str:
    items = [*((s.value, s.value) for s in SEVERITY_ORDER), ("none", "no findings")]
    out = [f'<g class="tm-legend" transform="translate({MARGIN},{y:.0f})">']
    x = 0
    for severity, words in items:
        out.append(
            f'<g class="tm-sev-{severity}"><rect x="{x}" y="0" width="14" height="14" rx="3" '
            f'class="tm-node-box"/><rect x="{x}" y="0" width="4" height="14" '
            f'class="tm-node-stripe"/><text x="{x + 20}" y="11">{words}</text></g>'
        )
        x += 44 + int(len(words) * CHAR_WIDTH)
    out.append(
        f'<g class="tm-edge tm-crossing"><path d="M{x},7 L{x + 36},7"/>'
        f'<text x="{x + 44}" y="11">crosses a trust boundary</text></g>'
    )
    out.append("</g>")
    return "".join(out)


def _fit(text: str, width: float, char_width: float = CHAR_WIDTH) -> str:
    """`text` cut with an ellipsis to about `width` pixels; the full text is in the title."""
    text = " ".join(text.split())
    limit = max(int(width / char_width), 4)
    return text if len(text) <= limit else text[: limit - 1] + "…"
