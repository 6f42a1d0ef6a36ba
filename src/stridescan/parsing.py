"""One source file's text to model objects: decides the format, calls its parser.

YAML and JSON whose name says nothing are classified by content, after a cheap text sniff so
that unrelated YAML (CI configs, Helm values, package.json) costs almost nothing and never
produces an error. Every failure becomes a `Problem` naming the file and line; valid
documents of a multi-document stream are still parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from stridescan._frozen import dataclass
from stridescan.diagnostics import ParseError, Problem
from stridescan.model import ClusterObject, DaemonConfig, Image, RbacObject, SourceKind, Workload
from stridescan.yamlsource import Document, Mapping, Node, YamlError

_DOCKERFILE_START = re.compile(r"^\s*(FROM|ARG)\s", re.IGNORECASE)
_FIRST_CODE_LINE = re.compile(r"^\s*([^\s#][^\n]*)", re.MULTILINE)
_KUBERNETES_HINT = re.compile(r"\bapiVersion\b")
_COMPOSE_HINT = re.compile(r"\bservices\b")


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedFile:
    """What one file holds. `kind` None: not a file stridescan scans (skipped silently)."""

    path: str
    kind: SourceKind | None
    images: tuple[Image, ...] = ()
    workloads: tuple[Workload, ...] = ()
    problems: tuple[Problem, ...] = ()
    rbac: tuple[RbacObject, ...] = ()  # Roles, ClusterRoles and their bindings
    # kubelet configurations, Services, NetworkPolicies, Ingresses
    cluster_objects: tuple[ClusterObject, ...] = ()
    daemons: tuple[DaemonConfig, ...] = ()  # Docker daemon.json


def parse_source(
    text: str, path: str, kind: SourceKind | None, *, variables: dict[str, str] | None = None
) -> ParsedFile:
    """Parse `text` (decoded) as `kind`, or as whatever its content is when `kind` is None.

    `variables` are those of the `.env` beside the file, for compose interpolation.
    """
    if kind is None and _looks_like_dockerfile(text):
        kind = SourceKind.DOCKERFILE
    if kind is SourceKind.DOCKERFILE:
        return _parse_dockerfile(text, path)
    if kind is SourceKind.DAEMON:
        return _parse_daemon(text, path)
    if kind is None and not (_KUBERNETES_HINT.search(text) or _COMPOSE_HINT.search(text)):
        return ParsedFile(path=path, kind=None)
    return _parse_yaml(text, path, named_compose=kind is SourceKind.COMPOSE, variables=variables)


def _looks_like_dockerfile(text: str) -> bool:
    # A search, not a loop over splitlines(): that would copy a 30 MB file line by line.
    first = _FIRST_CODE_LINE.search(text)
    return first is not None and bool(_DOCKERFILE_START.match(first.group(1)))


def _parse_dockerfile(text: str, path: str) -> ParsedFile:
    from stridescan.parsers.dockerfile import parse_dockerfile

    try:
        image = parse_dockerfile(text, path)
    except ParseError as error:
        return ParsedFile(path=path, kind=SourceKind.DOCKERFILE, problems=(error.to_problem(path),))
    return ParsedFile(path=path, kind=SourceKind.DOCKERFILE, images=(image,))


def _parse_daemon(text: str, path: str) -> ParsedFile:
    from stridescan.parsers.daemon import parse_daemon

    try:
        daemon = parse_daemon(text, path)
    except ParseError as error:
        return ParsedFile(path=path, kind=SourceKind.DAEMON, problems=(error.to_problem(path),))
    return ParsedFile(path=path, kind=SourceKind.DAEMON, daemons=(daemon,))


def _parse_yaml(
    text: str, path: str, *, named_compose: bool, variables: dict[str, str] | None = None
) -> ParsedFile:
    from stridescan.yamlsource import load_documents

    workloads: list[Workload] = []
    rbac: list[RbacObject] = []
    cluster_objects: list[ClusterObject] = []
    problems: list[Problem] = []
    kinds: set[SourceKind] = set()
    errors: list[YamlError] = []
    for document in load_documents(text):
        try:
            kind = _parse_document(
                document,
                path,
                named_compose,
                workloads,
                problems,
                variables=variables,
                rbac=rbac,
                cluster_objects=cluster_objects,
            )
        except ParseError as error:
            problems.append(error.to_problem(path))
            continue
        if kind is not None:
            kinds.add(kind)
            problems.extend(_duplicate_keys(document, path))
        elif document.error is not None:
            errors.append(document.error)
    # A broken document counts when the file is ours by name, by its other documents, or
    # by the text sniff of the first document; unrelated broken YAML stays silent.
    if errors and (named_compose or kinds or _claims_document(text)):
        lines = text.split("\n")
        problems.extend(
            Problem(
                path=path,
                line=error.line,
                column=error.column,
                message=error.message,
                hint=error.hint or _syntax_hint(lines, error.line),
            )
            for error in errors
        )
    if not kinds and not problems:
        return ParsedFile(path=path, kind=SourceKind.COMPOSE if named_compose else None)
    kind = (
        SourceKind.COMPOSE
        if named_compose or SourceKind.COMPOSE in kinds
        else SourceKind.KUBERNETES
    )
    return ParsedFile(
        path=path,
        kind=kind,
        workloads=tuple(workloads),
        problems=tuple(problems),
        rbac=tuple(rbac),
        cluster_objects=tuple(cluster_objects),
    )


def _duplicate_keys(document: Document, path: str) -> list[Problem]:
    """A key written twice in one mapping: docker compose and kubectl refuse the file, so it
    is a problem (it fails the run); the rules still see the document, with the last value,
    which is what YAML libraries that do accept duplicates keep."""
    return [
        Problem(
            path=path,
            line=repeated.line,
            column=repeated.column,
            message=f"duplicate key {_quoted(repeated.value)} (first at line {first.line}); "
            "docker compose and kubectl refuse the file, stridescan used the last value",
            hint="remove one of them",
        )
        for first, repeated in document.duplicates
    ]


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _syntax_hint(lines: list[str], line: int) -> str:
    """Advice for a YAML syntax error; unrendered Helm/Go templates get their own."""
    nearby = lines[max(0, line - 2) : line + 1]
    if any("{{" in candidate for candidate in nearby):
        return "this looks like a Helm template: scan the output of `helm template` instead"
    return "fix the YAML syntax"


def _claims_document(text: str) -> bool:
    """Whether broken YAML still says it is a manifest or a compose file."""
    head = text[:4096]
    has_kind = re.search(r"^\s*kind\s*:", head, re.MULTILINE) is not None
    has_api = re.search(r"^\s*\"?apiVersion\"?\s*:", head, re.MULTILINE) is not None
    has_services = re.search(r"^\"?services\"?\s*:", head, re.MULTILINE) is not None
    return (has_kind and has_api) or has_services


def _is_kubernetes(root: object) -> bool:
    """`is_kubernetes_document`, without importing the Kubernetes parsers for other YAML."""
    if not (isinstance(root, Mapping) and "apiVersion" in root and "kind" in root):
        return False
    return (_KUBERNETES or _kubernetes_parsers()).is_document(root)


class _KubernetesParsers(NamedTuple):
    is_document: Callable[[Mapping], bool]
    workloads: Callable[[Mapping, str], tuple[list[Workload], list[Problem]]]
    rbac: Callable[[Mapping, str], tuple[list[RbacObject], list[Problem]]]
    kubelet_config: Callable[[Mapping, str], Sequence[ClusterObject]]
    services: Callable[[Mapping, str], Sequence[ClusterObject]]
    network_policies: Callable[[Mapping, str], Sequence[ClusterObject]]
    ingresses: Callable[[Mapping, str], Sequence[ClusterObject]]


class _ComposeParsers(NamedTuple):
    is_document: Callable[[Node], bool]
    parse: Callable[[Mapping, str, dict[str, str] | None], tuple[list[Workload], list[Problem]]]


# The parsers, imported on the first document that needs them (a scan of compose files
# alone, a pre-commit run, never loads the Kubernetes ones) and kept here: an import
# statement per document cost more than some documents' parsing.
_KUBERNETES: _KubernetesParsers | None = None
_COMPOSE: _ComposeParsers | None = None


def _kubernetes_parsers() -> _KubernetesParsers:
    global _KUBERNETES
    from stridescan.parsers.kubelet_config import parse_kubelet_config
    from stridescan.parsers.kubernetes import is_kubernetes_document, parse_kubernetes
    from stridescan.parsers.kubernetes_ingress import parse_ingresses
    from stridescan.parsers.kubernetes_network_policy import parse_network_policies
    from stridescan.parsers.kubernetes_rbac import parse_rbac
    from stridescan.parsers.kubernetes_service import parse_services

    _KUBERNETES = _KubernetesParsers(
        is_kubernetes_document,
        parse_kubernetes,
        parse_rbac,
        parse_kubelet_config,
        parse_services,
        parse_network_policies,
        parse_ingresses,
    )
    return _KUBERNETES


def _compose_parsers() -> _ComposeParsers:
    global _COMPOSE
    from stridescan.parsers.compose import is_compose_document, parse_compose

    _COMPOSE = _ComposeParsers(is_compose_document, parse_compose)
    return _COMPOSE


def _parse_document(
    document: Document,
    path: str,
    named_compose: bool,
    workloads: list[Workload],
    problems: list[Problem],
    *,
    variables: dict[str, str] | None = None,
    rbac: list[RbacObject] | None = None,
    cluster_objects: list[ClusterObject] | None = None,
) -> SourceKind | None:
    """Parse one document into `workloads`/`problems`; returns the kind it was, if any."""
    root = document.root
    if root is None:
        return None
    if _is_kubernetes(root) and isinstance(root, Mapping):
        kubernetes = _KUBERNETES or _kubernetes_parsers()
        found, found_problems = kubernetes.workloads(root, path)
        found_rbac, rbac_problems = kubernetes.rbac(root, path)
        found_kubelet = kubernetes.kubelet_config(root, path)
        if rbac is not None:
            rbac.extend(found_rbac)
        if cluster_objects is not None:
            cluster_objects.extend(found_kubelet)
            cluster_objects.extend(kubernetes.services(root, path))
            cluster_objects.extend(kubernetes.network_policies(root, path))
            cluster_objects.extend(kubernetes.ingresses(root, path))
        found_problems.extend(rbac_problems)
        kind = SourceKind.KUBERNETES
    elif (compose := _COMPOSE or _compose_parsers()).is_document(root) or (
        named_compose and isinstance(root, Mapping) and "services" in root
    ):
        assert isinstance(root, Mapping)
        found, found_problems = compose.parse(root, path, variables)
        kind = SourceKind.COMPOSE
    elif named_compose and not isinstance(root, Mapping):
        raise ParseError(
            "a compose file must be a mapping with a `services` key",
            root.line,
            root.column,
            hint="see https://docs.docker.com/reference/compose-file/",
        )
    else:
        return None
    workloads.extend(found)
    problems.extend(found_problems)
    return kind
