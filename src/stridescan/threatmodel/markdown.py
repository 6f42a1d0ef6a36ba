"""The threat model as GitHub-flavoured Markdown: a pull-request comment, a job summary
(`$GITHUB_STEP_SUMMARY`), or a file committed beside the deployment.

The order is the model's, which is stable, and there is no timestamp, so a committed report
diffs only where the deployment changed. User text (service names, paths, messages) is
escaped for the place it lands: table cells and prose get HTML entities for every character
Markdown or a table could read as syntax; evidence links are `[path:line](path#Lline)`,
relative, so they resolve in a pull request when paths are repository-relative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote

from stridescan.threatmodel import mermaid
from stridescan.threatmodel.report import (
    ENTRY_KINDS,
    STRIDE_ORDER,
    CategorySection,
    Component,
    ComponentKind,
    Evidence,
    MatrixCell,
    Reference,
    Threat,
    ThreatModel,
)

_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "[": "&#91;",
    "]": "&#93;",
    "\\": "&#92;",
    "~": "&#126;",
    "#": "&#35;",
    "!": "&#33;",
}
_INVENTORY_KINDS = (ComponentKind.COMPOSE_SERVICE, ComponentKind.KUBERNETES_WORKLOAD)


def text(value: str) -> str:
    """User text, safe in prose and in a table cell: no markup, no pipes, one line.

    `_` between letters or digits stays as is (GitHub does not read it as emphasis there),
    so `POSTGRES_PASSWORD` reads naturally in the Markdown source.
    """
    out: list[str] = []
    for index, char in enumerate(value):
        if char in "\r\n\t":
            out.append(" ")
        elif char == "_" and 0 < index < len(value) - 1:
            before, after = value[index - 1], value[index + 1]
            out.append("_" if before.isalnum() and after.isalnum() else _ESCAPES[char])
        else:
            out.append(_ESCAPES.get(char, char))
    return "".join(out)


def ours(value: str) -> str:
    """Text from the rule catalogue (titles, fixes): our own Markdown, kept as written on
    one line; only pipes are escaped, for table cells."""
    return " ".join(value.split()).replace("|", "\\|")


def link(evidence: Evidence, base: str = "") -> str:
    """`[path:line](path#Lline)`: relative to the repository root, or under `base` (such as
    `https://github.com/OWNER/REPO/blob/SHA/`), which a comment or a job summary needs."""
    target = base + quote(evidence.path, safe="/._-~@+") + f"#L{evidence.line}"
    return f"[{text(evidence.path)}:{evidence.line}]({target})"


def render(model: ThreatModel, *, link_base: str = "") -> str:
    """The Markdown document; `link_base` prefixes every evidence link."""
    base = link_base
    parts = [
        _header(model),
        _matrix(model),
        _hardening(model),
        _diagram(model),
        _inventory(model, base),
        _entry_points(model, base),
        _boundaries(model, base),
        _categories(model, base),
        _accepted(model, base),
        _coverage(model),
    ]
    return "\n".join(part for part in parts if part)


def _name(model: ThreatModel, component_id: str | None) -> str:
    if component_id is None:
        return "-"
    component = model.component(component_id)
    return text(component.title)


def _names(model: ThreatModel, ids: Iterable[str]) -> str:
    return ", ".join(_name(model, i) for i in ids) or "-"


def _header(model: ThreatModel) -> str:
    coverage = model.coverage
    lines = [
        f"# {text(model.title)}",
        "",
        f"STRIDE threat model written by stridescan {text(model.tool_version)} from "
        f"{coverage.files_scanned} files: {len(model.components)} components, "
        f"{coverage.findings} findings from {coverage.rules_run} rules, "
        f"{coverage.suppressed} accepted risks.",
    ]
    if coverage.problems:
        lines.append("")
        lines.append(
            f"**{len(coverage.problems)} files or parts could not be scanned**: their threats "
            "are unknown (see [Coverage](#coverage))."
        )
    return "\n".join(lines) + "\n"


def _cell(cell: MatrixCell) -> str:
    if not cell.count:
        return "-"
    return f"{cell.count} ({cell.worst.value})" if cell.worst is not None else str(cell.count)


def _matrix(model: ThreatModel) -> str:
    lines = ["## STRIDE matrix", ""]
    if not model.matrix:
        return "\n".join([*lines, "No findings.", ""])
    lines.append(
        "Findings per component and category, with the worst severity; a finding counts in "
        "every category its rule is tagged with."
    )
    lines.append("")
    header = ["Component", *(c.label for c in STRIDE_ORDER), "Findings", "Worst"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * 1 + "---:|" * (len(header) - 2) + "---|")
    for row in model.matrix:
        cells = [_name(model, row.component), *(_cell(c) for c in row.cells)]
        cells += [str(row.total), row.worst.value if row.worst else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _hardening(model: ThreatModel) -> str:
    lines = ["## Hardening plan", ""]
    if not model.hardening_plan:
        return "\n".join([*lines, "Nothing to fix.", ""])
    lines.append("One fix per rule, those that remove the most critical and high findings first.")
    lines.append("")
    for step in model.hardening_plan:
        counts = f"{step.total} findings" if step.total != 1 else "1 finding"
        severe = [f"{n} {name}" for n, name in ((step.critical, "critical"), (step.high, "high"))]
        severe = [s for s in severe if not s.startswith("0 ")]
        if severe:
            counts += f" ({', '.join(severe)})"
        lines.append(
            f"{step.rank}. **{step.code} {ours(step.title)}**: {counts} in "
            f"{_names(model, step.components)}. {ours(step.fix)}"
        )
    return "\n".join(lines) + "\n"


def _diagram(model: ThreatModel) -> str:
    if not model.diagram.nodes:
        return ""
    return "\n".join(
        [
            "## Diagram",
            "",
            "Thick arrows cross a trust boundary (network edge, host, cluster API); nodes are "
            "coloured by their worst finding.",
            "",
            "```mermaid",
            mermaid.render(model.diagram).rstrip("\n"),
            "```",
            "",
        ]
    )


def _inventory(model: ThreatModel, base: str) -> str:
    rows = [c for c in model.components if c.kind in _INVENTORY_KINDS]
    images = [c for c in model.components if c.kind is ComponentKind.IMAGE]
    if not rows and not images:
        return ""
    lines = ["## System inventory", ""]
    if rows:
        lines.append(
            "| Component | Where | Images | Published ports | Host mounts | Host access | "
            "Identity | Secrets |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for c in rows:
            lines.append("| " + " | ".join(_inventory_cells(model, c, base)) + " |")
        lines.append("")
    for image in images:
        built = f"; built into {_names(model, image.built_into)}" if image.built_into else ""
        notes = "; ".join(text(n) for n in image.notes)
        lines.append(f"- Dockerfile {link(image.evidence, base)}: {notes}{built}")
    if images:
        lines.append("")
    return "\n".join(lines)


def _inventory_cells(model: ThreatModel, c: Component, base: str) -> list[str]:
    where = link(c.evidence, base)
    if c.namespace:
        where += f" (namespace {text(c.namespace)})"
    elif c.networks:
        where += f" (networks {text(', '.join(c.networks))})"
    images = []
    for container in c.containers:
        built = f" from {text(container.dockerfile)}" if container.dockerfile else ""
        image = text(container.image) if container.image else "(built)"
        prefix = f"{text(container.name)}: " if len(c.containers) > 1 else ""
        images.append(f"{prefix}{image}{built}")
    ports = [f"{text(p.label)} {link(p.evidence, base)}" for p in c.published_ports]
    mounts = [
        f"{text(m.host_path)} ({'ro' if m.read_only else 'rw'}) {link(m.evidence, base)}"
        for m in c.host_mounts
    ]
    access = [f"host {n.name} {link(n.evidence, base)}" for n in c.host_namespaces]
    access += [f"privileged {text(x.name)}" for x in c.containers if x.privileged]
    access += [
        f"cap_add {text(', '.join(x.capabilities_added))}"
        for x in c.containers
        if x.capabilities_added
    ]
    identity = [f"user {text(x.user)}" for x in c.containers if x.user]
    if c.service_account is not None:
        token = "token mounted" if c.service_account_token else "no token"
        identity.append(f"service account {text(c.service_account)} ({token})")
    if c.api_grants:
        identity.append("RBAC: " + "; ".join(text(g.text) for g in c.api_grants))
    secrets = [f"{text(s.name)} ({s.via})" for s in c.secrets]
    return [
        text(c.title),
        where,
        "<br>".join(images) or "-",
        "<br>".join(ports) or "-",
        "<br>".join(mounts) or "-",
        "<br>".join(access) or "-",
        "<br>".join(identity) or "-",
        "<br>".join(secrets) or "-",
    ]


def _entry_points(model: ThreatModel, base: str) -> str:
    entries = [c for c in model.components if c.kind in ENTRY_KINDS]
    if not entries:
        return ""
    lines = ["## Entry points", ""]
    for entry in entries:
        notes = ", ".join(text(n) for n in entry.notes)
        ports = ", ".join(text(p.label) for p in entry.published_ports)
        opened = f"; opens {ports}" if ports else ""
        targets = _names(model, entry.routes_to) if entry.routes_to else "nothing scanned"
        where = link(entry.evidence, base)
        lines.append(f"- {text(entry.title)} {where} ({notes}{opened}) routes to {targets}")
    return "\n".join(lines) + "\n"


def _boundaries(model: ThreatModel, base: str) -> str:
    lines = ["## Trust boundaries", ""]
    for boundary in model.boundaries:
        lines.append(f"### {boundary.title}")
        lines.append("")
        lines.append(boundary.description)
        lines.append("")
        if not boundary.crossings:
            lines.append("Nothing in the scanned files crosses it.")
        for crossing in boundary.crossings:
            lines.append(
                f"- {_name(model, crossing.component)}: {text(crossing.description)} "
                f"{link(crossing.evidence, base)}"
            )
        lines.append("")
    return "\n".join(lines)


def _categories(model: ThreatModel, base: str) -> str:
    lines = ["## Threats by STRIDE category", ""]
    for section in model.categories:
        lines.extend(_category(model, section, base))
    return "\n".join(lines)


def _category(model: ThreatModel, section: CategorySection, base: str) -> list[str]:
    lines = [f"### {section.title}", "", f"_{section.meaning}_", ""]
    if not section.threats:
        lines.append(
            f"No finding. Checked by {len(section.checked)} rules: "
            + ", ".join(f"{r.code} {ours(r.title)}" for r in section.checked)
            + "."
            if section.checked
            else "No rule of this category ran (see the rule selection)."
        )
        lines.append("")
        return lines
    for threat in section.threats:
        if threat.primary:
            lines.extend(_threat(model, threat, base))
    secondary = [t for t in section.threats if not t.primary]
    if len(secondary) == len(section.threats):
        lines.extend(["No finding of this category's own rules.", ""])
    if secondary:
        lines.append("Threats of other categories that also bear on this one:")
        lines.append("")
        for threat in secondary:
            lines.append(
                f"- {threat.code} {ours(threat.title)} ({threat.severity.value}, under "
                f"{threat.categories[0].label}): {len(threat.occurrences)} in "
                f"{_names(model, threat.components)}"
            )
        lines.append("")
    others = [r for r in section.checked if r.code not in {t.code for t in section.threats}]
    if others:
        lines.append(
            f"Also checked, no finding: {', '.join(f'{r.code} {ours(r.title)}' for r in others)}."
        )
        lines.append("")
    return lines


def _threat(model: ThreatModel, threat: Threat, base: str) -> list[str]:
    lines = [
        f"#### {threat.code} {ours(threat.title)}: {threat.severity.value}",
        "",
        f"- Components: {_names(model, threat.components)}",
    ]
    if len(threat.categories) > 1:
        lines.append(f"- Also under: {', '.join(c.label for c in threat.categories[1:])}")
    lines.append("- Evidence:")
    for occurrence in threat.occurrences:
        lines.append(f"  - {link(occurrence.evidence, base)} {text(occurrence.evidence.text)}")
    lines.append(f"- Mitigation: {ours(threat.mitigation)}")
    if threat.references:
        lines.append(f"- References: {_references(threat.references)}")
    lines.append("")
    return lines


def _references(references: Sequence[Reference]) -> str:
    return "; ".join(ours(r.title) for r in references)


def _accepted(model: ThreatModel, base: str) -> str:
    lines = ["## Accepted risks", ""]
    if not model.accepted_risks:
        return "\n".join([*lines, "No finding is suppressed.", ""])
    lines.append("| Rule | Severity | Component | Evidence | Reason | Accepted at |")
    lines.append("|---|---|---|---|---|---|")
    for risk in model.accepted_risks:
        where = link(risk.suppressed_at, base) if risk.suppressed_at else text(risk.kind)
        lines.append(
            f"| {risk.code} {ours(risk.title)} | {risk.severity.value} | "
            f"{_name(model, risk.component)} | {link(risk.evidence, base)} "
            f"{text(risk.evidence.text)} | "
            f"{text(risk.reason)} | {where} |"
        )
    return "\n".join(lines) + "\n"


def _coverage(model: ThreatModel) -> str:
    coverage = model.coverage
    lines = ["## Coverage", ""]
    lines.append(
        f"{coverage.files_scanned} files scanned, {coverage.rules_run} rules run, "
        f"{coverage.findings} findings, {coverage.suppressed} suppressed."
    )
    for problem in coverage.problems:
        where = text(problem.path) + (f":{problem.line}" if problem.line else "")
        lines.append(f"- not scanned: {where}: {text(problem.message)}")
    for limitation in coverage.limitations:
        lines.append(f"- {text(limitation)}")
    return "\n".join(lines) + "\n"
