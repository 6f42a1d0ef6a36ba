"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run per file (GitHub refuses several runs of one tool and category in an upload since
July 2025), rules with `security-severity` and Markdown help, STRIDE as a SARIF taxonomy and
as tags (GitHub ignores taxonomies; tags are what users filter on), scan-root-relative
percent-encoded URIs under `%SRCROOT%`, and both GitHub's line hash and our own
line-independent fingerprint. Files that could not be scanned become tool execution
notifications and make the invocation unsuccessful. ../shared/INTEGRATIONS.md has the facts
this follows.

The objects come from sarif-om; the serialiser is ours because the usual one
(jschema_to_python) drops values equal to schema defaults, `level: "warning"` among them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from stridescan import __version__
from stridescan.docs import rule_markdown, rule_url
from stridescan.reporters._paths import relative_to_repository
from stridescan.rules._meta import Severity, Stride

if TYPE_CHECKING:
    import sarif_om

    from stridescan.diagnostics import Notice, Problem
    from stridescan.engine import Result
    from stridescan.rules._registry import Rule
    from stridescan.scanner import ScanReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/stridescan/stridescan"
SRCROOT = "%SRCROOT%"
DEFAULT_CATEGORY = "stridescan/"
TAXONOMY = "STRIDE"
MAX_TAGS = 10  # GitHub keeps the first 10 tags of a rule
MAX_DESCRIPTION = 1024  # GitHub's limit for short and full descriptions

#: The taxa in SARIF order; a taxon's `index` is its position here.
STRIDE_TAXA = (
    Stride.SPOOFING,
    Stride.TAMPERING,
    Stride.REPUDIATION,
    Stride.INFORMATION_DISCLOSURE,
    Stride.DENIAL_OF_SERVICE,
    Stride.ELEVATION_OF_PRIVILEGE,
)

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}


def render(report: ScanReport, *, color: bool = False, category: str = DEFAULT_CATEGORY) -> str:
    """The SARIF log of `report` as JSON text; `category` is run.automationDetails.id."""
    document = to_json(build_log(report, category=category))
    # `$schema` and `version` first, for people who open the file.
    ordered = {"$schema": document.pop("$schema"), "version": document.pop("version"), **document}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def build_log(report: ScanReport, *, category: str = DEFAULT_CATEGORY) -> sarif_om.SarifLog:
    import sarif_om as om

    report = relative_to_repository(report)
    rule_index = {rule.code: index for index, rule in enumerate(report.rules)}
    results = [_result(om, r, rule_index) for r in report.results]
    results += [_result(om, r, rule_index) for r in report.suppressed]
    run = _new(
        om.Run,
        tool=_new(
            om.Tool,
            driver=_new(
                om.ToolComponent,
                name="stridescan",
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=[_descriptor(om, rule) for rule in report.rules],
                supported_taxonomies=[_new(om.ToolComponentReference, name=TAXONOMY, index=0)],
            ),
        ),
        taxonomies=[_taxonomy(om)],
        automation_details=_new(om.RunAutomationDetails, id=category) if category else None,
        invocations=[_invocation(om, report)],
        # Our columns count characters (code points), not SARIF's default UTF-16 units.
        column_kind="unicodeCodePoints",
        results=results,
    )
    if report.root is not None:
        run.original_uri_base_ids = {SRCROOT: _new(om.ArtifactLocation, uri=_root_uri(report.root))}
    return _new(om.SarifLog, version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])


def _new(cls: Any, **values: Any) -> Any:
    """A sarif-om object; integer properties it fills with -1 for "not given" are left unset.

    Otherwise every region would carry `byteOffset: -1` and every result `rank: -1.0`,
    values nobody chose.
    """
    import attr

    for field in attr.fields(cls):
        if field.name not in values and field.default == -1:
            values[field.name] = None
    return cls(**values)


def to_json(value: Any) -> Any:
    """sarif-om objects to JSON-ready values by their attrs schema names.

    Only None is left out: a value equal to the schema default is kept as set.
    """
    import attr

    if attr.has(type(value)):
        out: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is not None:
                out[field.metadata["schema_property_name"]] = to_json(item)
        return out
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def artifact_uri(path: str) -> str:
    """A report path as a SARIF URI: relative and percent-encoded, or a file URI if absolute."""
    if PurePosixPath(path).is_absolute() or Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(path, safe="/")


def _root_uri(root: Path) -> str:
    uri = Path(os.path.abspath(root)).as_uri()  # noqa: PTH100  (keep the name, no symlinks)
    return uri if uri.endswith("/") else uri + "/"


def _descriptor(om: Any, rule: Rule) -> sarif_om.ReportingDescriptor:
    return _new(
        om.ReportingDescriptor,
        id=rule.code,
        name=rule.slug,
        short_description=_new(om.MultiformatMessageString, text=rule.title[:MAX_DESCRIPTION]),
        full_description=_new(om.MultiformatMessageString, text=rule.docs.what[:MAX_DESCRIPTION]),
        help=_new(
            om.MultiformatMessageString, text=rule_markdown(rule), markdown=rule_markdown(rule)
        ),
        help_uri=rule_url(rule),
        default_configuration=_new(om.ReportingConfiguration, level=LEVELS[rule.severity]),
        relationships=[
            _new(
                om.ReportingDescriptorRelationship,
                target=_taxon_ref(om, category),
                kinds=["relevant"],
            )
            for category in rule.stride
        ],
        properties={
            "tags": rule_tags(rule),
            "precision": rule.precision,
            "security-severity": f"{rule.security_severity:.1f}",
        },
    )


def rule_tags(rule: Rule) -> list[str]:
    """`security`, one `stride/<name>` per category, then benchmark items; at most 10."""
    tags = ["security"]
    tags += [f"stride/{category.name.lower().replace('_', '-')}" for category in rule.stride]
    tags += [reference.replace(":", "/") for reference in rule.references]
    return list(dict.fromkeys(tags))[:MAX_TAGS]


def _taxonomy(om: Any) -> sarif_om.ToolComponent:
    return _new(
        om.ToolComponent,
        name=TAXONOMY,
        information_uri="https://learn.microsoft.com/azure/security/develop/threat-modeling-tool-threats",
        short_description=_new(
            om.MultiformatMessageString,
            text="STRIDE threat categories (Microsoft threat modelling)",
        ),
        is_comprehensive=True,
        taxa=[
            _new(
                om.ReportingDescriptor,
                id=category.value,
                name=category.label.title().replace(" ", ""),
                short_description=_new(om.MultiformatMessageString, text=category.label),
            )
            for category in STRIDE_TAXA
        ],
    )


def _taxon_ref(om: Any, category: Stride) -> sarif_om.ReportingDescriptorReference:
    return _new(
        om.ReportingDescriptorReference,
        id=category.value,
        index=STRIDE_TAXA.index(category),
        tool_component=_new(om.ToolComponentReference, name=TAXONOMY, index=0),
    )


def _result(om: Any, result: Result, rule_index: dict[str, int]) -> sarif_om.Result:
    rule = result.rule
    fingerprints = {"stridescan/v1": result.fingerprint}
    if result.line_hash:
        fingerprints["primaryLocationLineHash"] = result.line_hash
    sarif_result = _new(
        om.Result,
        rule_id=rule.code,
        rule_index=rule_index.get(rule.code),
        level=LEVELS[result.severity],
        kind="fail",
        message=_new(om.Message, text=_message_text(result)),
        locations=[_location(om, result)],
        partial_fingerprints=fingerprints,
        taxa=[_taxon_ref(om, category) for category in rule.stride],
    )
    if result.suppression is not None:
        suppression = _new(
            om.Suppression,
            kind=result.suppression.kind,
            justification=result.suppression.justification or None,
        )
        if result.suppression.location is not None:
            where = result.suppression.location
            suppression.location = _physical(om, where.path, where.line, where.column)
        sarif_result.suppressions = [suppression]
    return sarif_result


def _message_text(result: Result) -> str:
    """The alert's title: the finding, then what to do (GitHub shows the first sentence)."""
    text = result.message[:1].upper() + result.message[1:]
    if not text.endswith("."):
        text += "."
    fix = result.rule.docs.fix_summary
    return f"{text} {fix}" if fix else text


def _location(om: Any, result: Result) -> sarif_om.Location:
    loc = result.location
    end_line, end_column = loc.end_line, loc.end_column
    if end_line is None or end_column is None:
        # Unknown end: the rest of the line, so the annotation covers the setting.
        end_line = loc.line
        end_column = max(len(result.source_line.rstrip()) + 1, loc.column + 1)
    location = _physical(om, loc.path, max(loc.line, 1), loc.column)
    region = location.physical_location.region
    region.end_line = end_line
    region.end_column = end_column
    if result.source_line:
        region.snippet = _new(om.ArtifactContent, text=result.source_line)
    return location


def _physical(om: Any, path: str, line: int | None, column: int | None) -> sarif_om.Location:
    uri = artifact_uri(path)
    relative = not uri.startswith("file:")
    artifact = _new(om.ArtifactLocation, uri=uri, uri_base_id=SRCROOT if relative else None)
    region = None
    if line is not None and line > 0:
        region = _new(
            om.Region,
            start_line=line,
            start_column=column if column is not None and column > 0 else None,
        )
    return _new(
        om.Location,
        physical_location=_new(om.PhysicalLocation, artifact_location=artifact, region=region),
    )


def _invocation(om: Any, report: ScanReport) -> sarif_om.Invocation:
    invocation = _new(
        om.Invocation,
        execution_successful=not report.problems,
        tool_execution_notifications=[_problem(om, p) for p in report.problems],
        tool_configuration_notifications=[_notice(om, n) for n in report.notices] or None,
    )
    if report.root is not None:
        invocation.working_directory = _new(om.ArtifactLocation, uri=_root_uri(report.root))
    return invocation


def _problem(om: Any, problem: Problem) -> sarif_om.Notification:
    return _new(
        om.Notification,
        level="error",
        message=_new(om.Message, text=problem.render()),
        locations=[_physical(om, problem.path, problem.line, problem.column)],
    )


def _notice(om: Any, notice: Notice) -> sarif_om.Notification:
    return _new(
        om.Notification,
        level="warning",
        message=_new(om.Message, text=notice.render()),
        locations=[_physical(om, notice.path, notice.line, None)],
    )
