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
Results are the bulk of a log, and building and walking sarif-om objects for each of them,
then indenting with `json.dumps`'s pure-Python encoder, took seconds for a large scan. So a
result is laid out from sarif-om objects once per rule and shape (which optional parts it
has), with holes for what varies, and each result only fills the holes with text encoded by
the C string encoder (`_layout`). The output is the same bytes as serialising every result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from stridescan import __version__
from stridescan.docs import rule_markdown, rule_url
from stridescan.reporters._layout import Layout, encode_string, hole, indented_list
from stridescan.reporters._paths import relative_to_repository
from stridescan.rules._meta import Severity, Stride

if TYPE_CHECKING:
    import sarif_om

    from stridescan.diagnostics import Notice, Problem
    from stridescan.engine import Result, Suppression
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
    return "".join(chunks(report, category=category))


def chunks(
    report: ScanReport, *, color: bool = False, category: str = DEFAULT_CATEGORY
) -> Iterator[str]:
    """The log in pieces, one per result, so a large one is written without being held
    whole in memory (`render` joins them)."""
    import sarif_om as om

    report = relative_to_repository(report)
    rule_index = {rule.code: index for index, rule in enumerate(report.rules)}
    document = to_json(build_log(report, category=category, results=hole("results")))
    # `$schema` and `version` first, for people who open the file.
    ordered = {"$schema": document.pop("$schema"), "version": document.pop("version"), **document}
    layout = Layout(ordered)
    if layout.names != ["results"]:  # pragma: no cover - a string of ours contains a hole
        raise AssertionError(f"the log has holes {layout.names}, expected only 'results'")
    head, tail = layout.parts
    yield head
    writer = _ResultWriter(om, rule_index)
    results = chain(report.results, report.suppressed)
    yield from indented_list(map(writer.text, results), depth=_RESULTS_DEPTH)
    yield tail + "\n"


def build_log(
    report: ScanReport, *, category: str = DEFAULT_CATEGORY, results: Any
) -> sarif_om.SarifLog:
    """The log of `report` (already relative to the repository) with `results` as its results.

    `chunks` passes a hole and lays the results out itself (`_ResultWriter`).
    """
    import sarif_om as om

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


#: How deep the results list sits in the log: the log, `runs`, the run, then `results`.
_RESULTS_DEPTH = 3

_LEVEL_TEXTS = {severity: encode_string(level) for severity, level in LEVELS.items()}

#: What decides which optional parts a result has, hence its layout: the rule (code and
#: STRIDE categories), a relative URI, a start column, a snippet, a line hash, and the shape
#: of its suppression (None when it has none).
_ResultShape = tuple[str, tuple[Stride, ...], bool, bool, bool, bool, "_SuppressionShape | None"]
#: A justification, then None or the location's (relative URI, region, start column).
_SuppressionShape = tuple[bool, "tuple[bool, bool, bool] | None"]


class _ResultWriter:
    """Lays out results as `json.dumps` would the sarif-om objects of `_result_layout`,
    with one layout per rule and shape, filled per result."""

    def __init__(self, om: Any, rule_index: dict[str, int]) -> None:
        self._om = om
        self._rule_index = rule_index
        self._layouts: dict[_ResultShape, Layout] = {}
        self._suppression_layouts: dict[_SuppressionShape, Layout] = {}
        self._uris: dict[str, tuple[str, bool]] = {}

    def text(self, result: Result) -> str:
        """`result` as an item of the run's `results`, without the indent of its first line."""
        rule = result.rule
        loc = result.location
        end_line, end_column = loc.end_line, loc.end_column
        if end_line is None or end_column is None:
            # Unknown end: the rest of the line, so the annotation covers the setting.
            end_line = loc.line
            end_column = max(len(result.source_line.rstrip()) + 1, loc.column + 1)
        uri, relative = self._uri(loc.path)
        values = {
            "message": encode_string(_message_text(result)),
            "level": _LEVEL_TEXTS[result.severity],
            "uri": uri,
            "start_line": str(max(loc.line, 1)),
            "end_line": str(end_line),
            "end_column": str(end_column),
            "fingerprint": encode_string(result.fingerprint),
        }
        has_column = loc.column is not None and loc.column > 0
        if has_column:
            values["start_column"] = str(loc.column)
        if result.source_line:
            values["snippet"] = encode_string(result.source_line)
        line_hash = result.line_hash
        if line_hash:
            values["line_hash"] = encode_string(line_hash)
        suppression: _SuppressionShape | None = None
        if result.suppression is not None:
            suppression, values["suppressions"] = self._suppressions(result.suppression)
        shape: _ResultShape = (
            rule.code,
            rule.stride,
            relative,
            has_column,
            bool(result.source_line),
            bool(line_hash),
            suppression,
        )
        layout = self._layouts.get(shape)
        if layout is None:
            layout = self._layouts[shape] = _result_layout(self._om, shape, self._rule_index)
        return layout.fill(values)

    def _suppressions(self, suppression: Suppression) -> tuple[_SuppressionShape, str]:
        """The shape of `suppression` and the `suppressions` list that holds it, laid out."""
        values = {"kind": encode_string(suppression.kind)}
        if suppression.justification:
            values["justification"] = encode_string(suppression.justification)
        location: tuple[bool, bool, bool] | None = None
        where = suppression.location
        if where is not None:
            values["uri"], relative = self._uri(where.path)
            has_region = where.line is not None and where.line > 0
            has_column = has_region and where.column is not None and where.column > 0
            location = (relative, has_region, has_column)
            if has_region:
                values["start_line"] = str(where.line)
            if has_column:
                values["start_column"] = str(where.column)
        shape = (bool(suppression.justification), location)
        layout = self._suppression_layouts.get(shape)
        if layout is None:
            layout = self._suppression_layouts[shape] = _suppressions_layout(self._om, shape)
        return shape, layout.fill(values)

    def _uri(self, path: str) -> tuple[str, bool]:
        """The encoded URI of `path` and whether it is relative (to `%SRCROOT%`)."""
        known = self._uris.get(path)
        if known is None:
            uri = artifact_uri(path)
            known = self._uris[path] = (encode_string(uri), not uri.startswith("file:"))
        return known


def _result_layout(om: Any, shape: _ResultShape, rule_index: dict[str, int]) -> Layout:
    """The layout of the results of one shape: their sarif-om object with holes."""
    code, stride, relative, has_column, has_snippet, has_line_hash, suppression = shape
    fingerprints = {"stridescan/v1": hole("fingerprint")}
    if has_line_hash:
        fingerprints["primaryLocationLineHash"] = hole("line_hash")
    region = _new(
        om.Region,
        start_line=hole("start_line"),
        start_column=hole("start_column") if has_column else None,
        end_line=hole("end_line"),
        end_column=hole("end_column"),
        snippet=_new(om.ArtifactContent, text=hole("snippet")) if has_snippet else None,
    )
    result = _new(
        om.Result,
        rule_id=code,
        rule_index=rule_index.get(code),
        level=hole("level"),
        kind="fail",
        message=_new(om.Message, text=hole("message")),
        locations=[_location(om, hole("uri"), relative, region)],
        partial_fingerprints=fingerprints,
        taxa=[_taxon_ref(om, category) for category in stride],
        suppressions=None if suppression is None else hole("suppressions"),
    )
    return Layout(to_json(result), depth=_RESULTS_DEPTH + 1)


def _suppressions_layout(om: Any, shape: _SuppressionShape) -> Layout:
    """The layout of a result's `suppressions` list holding one suppression of `shape`."""
    has_justification, where = shape
    location = None
    if where is not None:
        relative, has_region, has_column = where
        region = None
        if has_region:
            region = _new(
                om.Region,
                start_line=hole("start_line"),
                start_column=hole("start_column") if has_column else None,
            )
        location = _location(om, hole("uri"), relative, region)
    suppression = _new(
        om.Suppression,
        kind=hole("kind"),
        justification=hole("justification") if has_justification else None,
        location=location,
    )
    # The list is the value of a key of the result, one level deeper than the result.
    return Layout(to_json([suppression]), depth=_RESULTS_DEPTH + 2)


def _message_text(result: Result) -> str:
    """The alert's title: the finding, then what to do (GitHub shows the first sentence)."""
    text = result.message[:1].upper() + result.message[1:]
    if not text.endswith("."):
        text += "."
    fix = result.rule.docs.fix_summary
    return f"{text} {fix}" if fix else text


def _physical(om: Any, path: str, line: int | None, column: int | None) -> sarif_om.Location:
    uri = artifact_uri(path)
    region = None
    if line is not None and line > 0:
        region = _new(
            om.Region,
            start_line=line,
            start_column=column if column is not None and column > 0 else None,
        )
    return _location(om, uri, not uri.startswith("file:"), region)


def _location(om: Any, uri: str, relative: bool, region: Any) -> sarif_om.Location:
    """A location in a file: `uri` (or its hole) relative to `%SRCROOT%` or not."""
    artifact = _new(om.ArtifactLocation, uri=uri, uri_base_id=SRCROOT if relative else None)
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
