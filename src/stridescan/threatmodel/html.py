"""The threat model as one self-contained HTML page: to open, share, print or attach.

Nothing is fetched: styles and the small filter script are inline, the diagram is inline SVG,
fonts are the system's, and a Content-Security-Policy that names the exact hashes of the
page's own style and script blocks forbids everything else, so even a scanned name that slipped
past escaping could not run or load anything. Every string from the scan is escaped here. The
sections follow the Markdown form's order; the findings table filters by text, STRIDE category
and severity when scripts run, and shows every row when they do not (or on paper).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from stridescan.rules._meta import Severity, Stride
from stridescan.threatmodel import svg
from stridescan.threatmodel.report import (
    ENTRY_KINDS,
    STRIDE_ORDER,
    AcceptedRisk,
    CategorySection,
    Component,
    Evidence,
    Reference,
    Threat,
    ThreatModel,
    components_by_id,
)

SEVERITIES_DESCENDING = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)
_INLINE_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One finding of the findings table (a finding tagged with several categories is one
    row)."""

    severity: Severity
    code: str
    slug: str
    title: str
    categories: tuple[Stride, ...]
    component: str | None
    evidence: Evidence


def render(model: ThreatModel) -> str:
    """The whole page, as text to write to a `.html` file."""
    style = _STYLE + svg.STYLE
    findings = finding_rows(model)
    body = [
        _header(model),
        _summary(model, findings),
        _hardening(model),
        _diagram(model),
        _inventory(model),
        _entry_points(model),
        _boundaries(model),
        *(_category(model, section) for section in model.categories),
        _accepted(model),
        _coverage(model),
        _findings(model, findings),
    ]
    policy = "; ".join(
        (
            "default-src 'none'",
            f"style-src {_hash(style)}",
            f"script-src {_hash(_SCRIPT)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return "\n".join(
        (
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="stridescan {escape(model.tool_version)}">',
            f"<title>{escape(model.title)}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            *body,
            f"<script>{_SCRIPT}</script>",
            "</body>",
            "</html>",
            "",
        )
    )


def finding_rows(model: ThreatModel) -> list[FindingRow]:
    """Every finding once, most severe first, then by file, line and rule."""
    rows: dict[tuple[str, str, int, int, str], FindingRow] = {}
    for section in model.categories:
        for threat in section.threats:
            for occurrence in threat.occurrences:
                at = occurrence.evidence
                key = (threat.code, at.path, at.line, at.column, at.text)
                rows.setdefault(
                    key,
                    FindingRow(
                        severity=occurrence.severity,
                        code=threat.code,
                        slug=threat.slug,
                        title=threat.title,
                        categories=threat.categories,
                        component=occurrence.component,
                        evidence=at,
                    ),
                )
    return sorted(
        rows.values(),
        key=lambda r: (-r.severity.rank, r.evidence.path, r.evidence.line, r.code),
    )


def _hash(block: str) -> str:
    digest = hashlib.sha256(block.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _header(model: ThreatModel) -> str:
    links = [
        ("summary", "Summary"),
        ("hardening", "Hardening plan"),
        ("diagram", "Diagram"),
        ("inventory", "Inventory"),
        ("entry-points", "Entry points"),
        ("boundaries", "Trust boundaries"),
        *((f"stride-{s.category.value}", s.title) for s in model.categories),
        ("accepted", "Accepted risks"),
        ("coverage", "Coverage"),
        ("findings", "Findings"),
    ]
    nav = "".join(f'<li><a href="#{anchor}">{escape(text)}</a></li>' for anchor, text in links)
    coverage = model.coverage
    return (
        f"<header><h1>{escape(model.title)}</h1>"
        f'<p class="meta">STRIDE threat model written by stridescan '
        f"{escape(model.tool_version)} from {coverage.files_scanned} scanned files and "
        f"{coverage.rules_run} rules.</p>"
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav></header><main>'
    )


def _summary(model: ThreatModel, findings: list[FindingRow]) -> str:
    counts = Counter(row.severity for row in findings)
    badges = " ".join(
        f'<span class="sev sev-{s.value}">{counts[s]} {s.value}</span>'
        for s in SEVERITIES_DESCENDING
    )
    crossings = sum(len(boundary.crossings) for boundary in model.boundaries)
    head = "".join(
        f'<th scope="col"><abbr title="{escape(s.label)}">{s.value}</abbr></th>'
        for s in STRIDE_ORDER
    )
    rows = []
    for row in model.matrix:
        cells = "".join(
            _matrix_cell(cell.count, cell.worst, s)
            for cell, s in zip(row.cells, STRIDE_ORDER, strict=True)
        )
        rows.append(
            f'<tr><th scope="row">{_component_link(model, row.component)}'
            f"{_context(model, row.component)}</th>{cells}"
            f"<td>{row.total}</td><td>{_severity(row.worst)}</td></tr>"
        )
    return (
        '<section id="summary"><h2>Summary</h2>'
        f"<p>{len(model.components)} components, {crossings} crossings of "
        f"{len(model.boundaries)} trust boundaries, {model.coverage.findings} findings: "
        f"{badges}; {model.coverage.suppressed} accepted (suppressed).</p>"
        "<h3>Components by STRIDE category</h3>"
        "<p>Each cell counts a component's findings in a category (a finding counts in every "
        "category its rule is tagged with) and names the worst severity among them.</p>"
        '<div class="scroll"><table id="tm-matrix" class="matrix"><thead><tr>'
        f'<th scope="col">Component</th>{head}<th scope="col">Findings</th>'
        f'<th scope="col">Worst</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        "</section>"
    )


def _matrix_cell(count: int, worst: Severity | None, category: Stride) -> str:
    if not count or worst is None:
        return f'<td class="none" title="{escape(category.label)}: no findings">–</td>'
    noun = "finding" if count == 1 else "findings"
    return (
        f'<td class="cell sev-{worst.value}" '
        f'title="{escape(category.label)}: {count} {noun}, worst {worst.value}">'
        f"{count} <small>{worst.value}</small></td>"
    )


def _diagram(model: ThreatModel) -> str:
    drawing = svg.render(model.diagram, title=f"{model.title}: diagram", style=False)
    return (
        '<section id="diagram"><h2>Diagram</h2>'
        "<p>Services and workloads inside their compose projects and Kubernetes namespaces; "
        "entry points on the left, what they reach on the host on the right. Dashed red lines "
        "cross a trust boundary. Colour, stripe and the words under each name give the worst "
        "severity of its findings.</p>"
        f'<div class="figure">{drawing}</div>'
        "</section>"
    )


def _inventory(model: ThreatModel) -> str:
    rows = [_inventory_row(component) for component in model.components]
    return (
        '<section id="inventory"><h2>Inventory</h2>'
        '<div class="scroll"><table class="inventory"><thead><tr>'
        '<th scope="col">Component</th><th scope="col">Kind</th>'
        '<th scope="col">Project / namespace</th><th scope="col">Containers</th>'
        '<th scope="col">Reachable from</th><th scope="col">Host access</th>'
        '<th scope="col">Identity</th><th scope="col">Secrets</th>'
        '<th scope="col">Worst</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _inventory_row(component: Component) -> str:
    containers = [
        f"{escape(c.name)} ({escape(c.role)}): <code>{escape(c.image or c.dockerfile or '?')}"
        f"</code>, user {escape(c.user or 'unknown')}"
        + (", <strong>privileged</strong>" if c.privileged else "")
        + (f", adds {escape(', '.join(c.capabilities_added))}" if c.capabilities_added else "")
        for c in component.containers
    ]
    reach = [f"<code>{escape(port.label)}</code>" for port in component.published_ports]
    host = [
        f"<code>{escape(m.host_path)}</code>"
        + (" (runtime socket)" if m.runtime_socket else "")
        + (" read-only" if m.read_only else " read-write")
        for m in component.host_mounts
    ]
    host += [f"host {escape(ns.name)} namespace" for ns in component.host_namespaces]
    if component.privileged:
        host.append("<strong>privileged</strong>")
    if component.service_account_token:
        host.append("API token mounted" + (" (bound to roles)" if component.api_access else ""))
    identity = [f"user {escape(c.user)}" for c in component.containers if c.user]
    if component.service_account is not None:
        token = "token mounted" if component.service_account_token else "no token"
        identity.append(f"service account {escape(component.service_account)} ({token})")
    identity += [f"RBAC: {escape(grant.text)}" for grant in component.api_grants]
    if component.built_into:
        identity.append(f"built into {len(component.built_into)} services")
    secrets = [f"{escape(s.name)} ({escape(s.via)})" for s in component.secrets]
    notes = "".join(f"<br><small>{escape(note)}</small>" for note in component.notes)
    return (
        f'<tr id="component-{escape(component.id)}"><th scope="row">{escape(component.title)}'
        f"<br><small>{_where(component.evidence)}</small>{notes}</th>"
        f"<td>{escape(component.object_kind)}</td>"
        f"<td>{escape(component.namespace or '—')}</td>"
        f"<td>{_lines(containers)}</td><td>{_lines(reach)}</td><td>{_lines(host)}</td>"
        f"<td>{_lines(identity)}</td><td>{_lines(secrets)}</td>"
        f"<td>{_severity(component.worst_severity)} {component.findings or ''}</td></tr>"
    )


def _entry_points(model: ThreatModel) -> str:
    entries = [c for c in model.components if c.kind in ENTRY_KINDS]
    items = []
    for entry in entries:
        facts = [escape(note) for note in entry.notes]
        facts += [f"opens <code>{escape(p.label)}</code>" for p in entry.published_ports]
        targets = ", ".join(_component_link(model, c) for c in entry.routes_to)
        items.append(
            f"<li>{_component_link(model, entry.id)} {_where(entry.evidence)}"
            f"{' (' + ', '.join(facts) + ')' if facts else ''} routes to "
            f"{targets or 'nothing scanned'}</li>"
        )
    body = f"<ul>{''.join(items)}</ul>" if items else "<p>No Service or Ingress was scanned.</p>"
    return f'<section id="entry-points"><h2>Entry points</h2>{body}</section>'


def _boundaries(model: ThreatModel) -> str:
    parts = ['<section id="boundaries"><h2>Trust boundaries</h2>']
    for boundary in model.boundaries:
        parts.append(
            f'<h3 id="boundary-{escape(boundary.id)}">{escape(boundary.title)}</h3>'
            f"<p>{_prose(boundary.description)}</p>"
        )
        if not boundary.crossings:
            parts.append("<p>Nothing in the scanned files crosses it.</p>")
            continue
        rows = "".join(
            f"<tr><td>{_component_link(model, c.component)}</td><td>{escape(c.kind)}</td>"
            f"<td>{_prose(c.description)}</td><td>{_where(c.evidence)}</td></tr>"
            for c in boundary.crossings
        )
        parts.append(
            '<div class="scroll"><table><thead><tr><th scope="col">Component</th>'
            '<th scope="col">Crossing</th><th scope="col">What</th><th scope="col">Where</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    if not model.boundaries:
        parts.append("<p>No trust boundaries were found in the scanned files.</p>")
    parts.append("</section>")
    return "".join(parts)


def _category(model: ThreatModel, section: CategorySection) -> str:
    parts = [
        f'<section id="stride-{section.category.value}" class="stride">'
        f"<h2>{escape(section.category.value)} — {escape(section.title)}</h2>"
        f'<p class="meaning">{escape(section.meaning)}</p>'
    ]
    if section.threats:
        parts.extend(_threat(model, threat) for threat in section.threats)
    else:
        parts.append("<p>No findings in this category.</p>")
    checked = ", ".join(
        f'<span title="{escape(rule.title)}">{escape(rule.code)} {escape(rule.slug)}</span>'
        for rule in section.checked
    )
    parts.append(
        f"<details{'' if section.threats else ' open'}><summary>What was checked "
        f"({len(section.checked)} rules)</summary><p>{checked or 'No rule of this category ran.'}"
        "</p></details></section>"
    )
    return "".join(parts)


def _threat(model: ThreatModel, threat: Threat) -> str:
    occurrences = "".join(
        f"<li>{_where(o.evidence)} {_component_link(model, o.component)}: "
        f"{escape(o.evidence.text)}</li>"
        for o in threat.occurrences
    )
    categories = ", ".join(s.label for s in threat.categories)
    return (
        f'<article class="threat"><h3>{_severity(threat.severity)} '
        f"<code>{escape(threat.code)}</code> {escape(threat.title)}</h3>"
        f'<p class="meta">{escape(threat.slug)} · categories: {escape(categories)} · '
        f"{len(threat.occurrences)} occurrences in {len(threat.components)} components</p>"
        f"<ul>{occurrences}</ul>"
        f"<p><strong>Mitigation:</strong> {_prose(threat.mitigation)}</p>"
        f"{_references(threat.references)}</article>"
    )


def _hardening(model: ThreatModel) -> str:
    if not model.hardening_plan:
        body = "<p>No findings, so nothing to harden.</p>"
    else:
        rows = "".join(
            f"<tr><td>{step.rank}</td><td>{_severity(step.severity)}</td>"
            f"<td><code>{escape(step.code)}</code> {escape(step.title)}</td>"
            f"<td>{_prose(step.fix)}{_references(step.references)}</td>"
            f"<td>{step.total} ({step.critical} critical, {step.high} high)</td>"
            f"<td>{', '.join(_component_link(model, c) for c in step.components)}</td></tr>"
            for step in model.hardening_plan
        )
        body = (
            "<p>The fixes that remove the most severe findings first.</p>"
            '<div class="scroll"><table><thead><tr><th scope="col">#</th>'
            '<th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Fix</th>'
            '<th scope="col">Findings</th><th scope="col">Components</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    return f'<section id="hardening"><h2>Hardening plan</h2>{body}</section>'


def _accepted(model: ThreatModel) -> str:
    if not model.accepted_risks:
        body = "<p>No finding is suppressed.</p>"
    else:
        rows = "".join(_accepted_row(model, risk) for risk in model.accepted_risks)
        body = (
            '<div class="scroll"><table><thead><tr><th scope="col">Severity</th>'
            '<th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Component</th>'
            '<th scope="col">Reason</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    return f'<section id="accepted"><h2>Accepted risks</h2>{body}</section>'


def _accepted_row(model: ThreatModel, risk: AcceptedRisk) -> str:
    how = "in the source" if risk.kind == "inSource" else "in the baseline"
    at = f" at {_where(risk.suppressed_at)}" if risk.suppressed_at else ""
    return (
        f"<tr><td>{_severity(risk.severity)}</td>"
        f"<td><code>{escape(risk.code)}</code> {escape(risk.title)}"
        f"<br><small>{escape(risk.evidence.text)}</small></td>"
        f"<td>{_where(risk.evidence)}</td><td>{_component_link(model, risk.component)}</td>"
        f"<td>{escape(risk.reason or 'no reason given')} <small>({how}{at})</small></td></tr>"
    )


def _coverage(model: ThreatModel) -> str:
    coverage = model.coverage
    problems = "".join(
        f"<li><code>{escape(p.path)}{f':{p.line}' if p.line else ''}</code>: "
        f"{escape(p.message)}</li>"
        for p in coverage.problems
    )
    limits = "".join(f"<li>{_prose(text)}</li>" for text in coverage.limitations)
    return (
        '<section id="coverage"><h2>Coverage and problems</h2>'
        f"<p>{coverage.files_scanned} files scanned, {coverage.rules_run} rules run, "
        f"{coverage.findings} findings, {coverage.suppressed} suppressed.</p>"
        + (
            f"<h3>Files that could not be read</h3><p>Their threats are unknown.</p>"
            f"<ul>{problems}</ul>"
            if problems
            else "<p>Every file was read.</p>"
        )
        + (f"<h3>What the model cannot tell</h3><ul>{limits}</ul>" if limits else "")
        + "</section>"
    )


def _findings(model: ThreatModel, rows: list[FindingRow]) -> str:
    body = "".join(_finding_row(model, row) for row in rows)
    stride_options = "".join(
        f'<option value="{s.value}">{s.value} — {escape(s.label)}</option>' for s in STRIDE_ORDER
    )
    severity_options = "".join(
        f'<option value="{s.value}">{s.value} and above</option>' for s in SEVERITIES_DESCENDING
    )
    return (
        '<section id="findings"><h2>Findings</h2>'
        '<form id="tm-filters" class="filters" role="search" hidden>'
        '<label>Text <input type="search" id="tm-filter-text" '
        'placeholder="rule, file, component, message"></label> '
        f'<label>STRIDE <select id="tm-filter-stride"><option value="">all</option>'
        f"{stride_options}</select></label> "
        f'<label>Severity <select id="tm-filter-severity"><option value="">all</option>'
        f"{severity_options}</select></label> "
        '<button type="button" id="tm-filter-clear">Clear</button> '
        '<output id="tm-filter-count" aria-live="polite"></output></form>'
        '<div class="scroll"><table id="tm-findings"><thead><tr>'
        '<th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">STRIDE</th>'
        '<th scope="col">Component</th><th scope="col">Where</th><th scope="col">Message</th>'
        f"</tr></thead><tbody>{body}</tbody></table></div>"
        + ("" if rows else "<p>No findings.</p>")
        + "</section></main>"
        f"<footer><p>Written by stridescan {escape(model.tool_version)}, threat model schema "
        f"{model.schema_version}.</p></footer>"
    )


def _finding_row(model: ThreatModel, row: FindingRow) -> str:
    letters = " ".join(s.value for s in row.categories)
    names = ", ".join(s.label for s in row.categories)
    return (
        f'<tr data-severity="{row.severity.value}" data-stride="{letters}">'
        f"<td>{_severity(row.severity)}</td>"
        f'<td><code>{escape(row.code)}</code> <span title="{escape(row.slug)}">'
        f"{escape(row.title)}</span></td>"
        f'<td><abbr title="{escape(names)}">{letters}</abbr></td>'
        f"<td>{_component_link(model, row.component)}</td><td>{_where(row.evidence)}</td>"
        f"<td>{escape(row.evidence.text)}</td></tr>"
    )


def _component_link(model: ThreatModel, component_id: str | None) -> str:
    if component_id is None:
        return "—"
    component = components_by_id(model).get(component_id)
    if component is None:
        return escape(component_id)
    return f'<a href="#component-{escape(component_id)}">{escape(component.title)}</a>'


def _context(model: ThreatModel, component_id: str) -> str:
    """Where a component lives, to tell apart the `web` of compose and of Kubernetes."""
    component = components_by_id(model).get(component_id)
    if component is None:
        return ""
    where = component.namespace or component.evidence.path
    if where == component.title:
        return ""
    return f"<br><small>{escape(where)}</small>"


def _where(evidence: Evidence) -> str:
    return f"<code>{escape(evidence.path)}:{evidence.line}</code>"


def _severity(severity: Severity | None) -> str:
    if severity is None:
        return '<span class="sev sev-none">none</span>'
    return f'<span class="sev sev-{severity.value}">{severity.value}</span>'


def _lines(items: Iterable[str]) -> str:
    return "<br>".join(items) or "—"


def _prose(text: str) -> str:
    """Escaped text whose `backquoted` parts become code, as rule docs write them."""
    return _INLINE_CODE.sub(r"<code>\1</code>", escape(text))


def _references(references: tuple[Reference, ...]) -> str:
    if not references:
        return ""
    return (
        '<p class="refs">'
        + "; ".join(f'<span title="{escape(r.id)}">{escape(r.title)}</span>' for r in references)
        + "</p>"
    )


_STYLE = """
:root { color-scheme: light; --fg: #111827; --muted: #4b5563; --line: #d1d5db;
  --bg-alt: #f9fafb; --link: #1d4ed8; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; font-size: 15px; line-height: 1.45; color: var(--fg); background: #fff; }
body { margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1280px; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
a { color: var(--link); }
code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas,
  monospace; font-size: .86em; background: #f3f4f6; padding: 0 .2em; border-radius: 3px;
  overflow-wrap: anywhere; }
small, .meta { color: var(--muted); }
nav ul { list-style: none; padding: 0; margin: .8rem 0 0; display: flex; flex-wrap: wrap;
  gap: .3rem 1rem; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
  vertical-align: top; }
thead th { background: #f3f4f6; position: sticky; top: 0; }
tbody tr:nth-child(even) { background: var(--bg-alt); }
.scroll { overflow-x: auto; }
.matrix td { text-align: center; white-space: nowrap; }
.matrix td.none { color: #9ca3af; }
.sev { display: inline-block; padding: 0 .45em; border-radius: 999px; font-size: .8rem;
  font-weight: 600; border: 1px solid; white-space: nowrap; }
.sev-critical.sev, td.sev-critical { background: #fee2e2; color: #7f1d1d; border-color: #991b1b; }
.sev-high.sev, td.sev-high { background: #ffedd5; color: #7c2d12; border-color: #c2410c; }
.sev-medium.sev, td.sev-medium { background: #fef3c7; color: #713f12; border-color: #a16207; }
.sev-low.sev, td.sev-low { background: #dbeafe; color: #1e3a8a; border-color: #1d4ed8; }
.sev-none.sev { background: #f3f4f6; color: var(--muted); border-color: #9ca3af; }
.figure { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
.threat { border-left: 4px solid var(--line); padding: .1rem 0 .1rem .9rem; margin: 1rem 0; }
.threat ul { margin: .3rem 0; padding-left: 1.2rem; }
.refs { font-size: .85rem; color: var(--muted); }
details summary { cursor: pointer; color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: center;
  margin: 0 0 .8rem; }
.filters input, .filters select, .filters button { font: inherit; padding: .25rem .4rem; }
.filters input { min-width: 18rem; }
:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
[hidden] { display: none !important; }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); }
@media print {
  html { font-size: 10pt; }
  body { padding: 0; max-width: none; }
  nav, .filters { display: none !important; }
  #tm-findings tr[hidden] { display: table-row !important; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  tr, .threat, .figure { break-inside: avoid; }
  thead { display: table-header-group; }
  thead th { position: static; }
  .scroll, .figure { overflow: visible; }
  .figure svg { width: 100%; height: auto; }
}
"""

_SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("tm-filters");
  var text = document.getElementById("tm-filter-text");
  var stride = document.getElementById("tm-filter-stride");
  var severity = document.getElementById("tm-filter-severity");
  var count = document.getElementById("tm-filter-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#tm-findings tbody tr"));
  var rank = { low: 1, medium: 2, high: 3, critical: 4 };
  function apply() {
    var words = text.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var letter = stride.value;
    var least = rank[severity.value] || 0;
    var shown = 0;
    rows.forEach(function (row) {
      var haystack = row.textContent.toLowerCase();
      var visible = words.every(function (word) { return haystack.indexOf(word) !== -1; }) &&
        (!letter || row.getAttribute("data-stride").split(" ").indexOf(letter) !== -1) &&
        (rank[row.getAttribute("data-severity")] || 0) >= least;
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " findings";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("tm-filter-clear").addEventListener("click", function () {
    text.value = ""; stride.value = ""; severity.value = "";
    apply();
    text.focus();
  });
  // Paper cannot expand a closed "What was checked": open them all before printing.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (details) {
      details.open = true;
    });
  });
  form.hidden = false;
  apply();
}());
"""
