"""One source file's text to model objects: decides the format, calls its parser.

YAML and JSON whose name says nothing are classified by content, after a cheap text sniff so
that unrelated YAML (CI configs, Helm values, package.json) costs almost nothing and never
produces an error. Every failure becomes a `Problem` naming the file and line; valid
documents of a multi-document stream are still parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stridescan.diagnostics import ParseError, Problem
from stridescan.model import Image, SourceKind, Workload
from stridescan.yamlsource import Document, Mapping

_DOCKERFILE_START = re.compile(r"^\s*(FROM|ARG)\s", re.IGNORECASE)
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


def parse_source(text: str, path: str, kind: SourceKind | None) -> ParsedFile:
    """Parse `text` (decoded) as `kind`, or as whatever its content is when `kind` is None."""
    if kind is None and _looks_like_dockerfile(text):
        kind = SourceKind.DOCKERFILE
    if kind is SourceKind.DOCKERFILE:
        return _parse_dockerfile(text, path)
    if kind is None and not (_KUBERNETES_HINT.search(text) or _COMPOSE_HINT.search(text)):
        return ParsedFile(path=path, kind=None)
    return _parse_yaml(text, path, named_compose=kind is SourceKind.COMPOSE)


def _looks_like_dockerfile(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return bool(_DOCKERFILE_START.match(stripped))
    return False


def _parse_dockerfile(text: str, path: str) -> ParsedFile:
    from stridescan.parsers.dockerfile import parse_dockerfile

    try:
        image = parse_dockerfile(text, path)
    except ParseError as error:
        return ParsedFile(path=path, kind=SourceKind.DOCKERFILE, problems=(error.to_problem(path),))
    return ParsedFile(path=path, kind=SourceKind.DOCKERFILE, images=(image,))


def _parse_yaml(text: str, path: str, *, named_compose: bool) -> ParsedFile:
    from stridescan.yamlsource import load_documents

    workloads: list[Workload] = []
    problems: list[Problem] = []
    kinds: set[SourceKind] = set()
    errors: list[Problem] = []
    for document in load_documents(text):
        try:
            kind = _parse_document(document, path, named_compose, workloads, problems)
        except ParseError as error:
            problems.append(error.to_problem(path))
            continue
        if kind is not None:
            kinds.add(kind)
        elif document.error is not None:
            errors.append(
                Problem(
                    path=path,
                    line=document.error.line,
                    column=document.error.column,
                    message=document.error.message,
                    hint="fix the YAML syntax",
                )
            )
    # A broken document counts when the file is ours by name, by its other documents, or
    # by the text sniff of the first document; unrelated broken YAML stays silent.
    if errors and (named_compose or kinds or _claims_document(text)):
        problems.extend(errors)
    if not kinds and not problems:
        return ParsedFile(path=path, kind=SourceKind.COMPOSE if named_compose else None)
    kind = (
        SourceKind.COMPOSE
        if named_compose or SourceKind.COMPOSE in kinds
        else SourceKind.KUBERNETES
    )
    return ParsedFile(path=path, kind=kind, workloads=tuple(workloads), problems=tuple(problems))


def _claims_document(text: str) -> bool:
    """Whether broken YAML still says it is a manifest or a compose file."""
    head = text[:4096]
    has_kind = re.search(r"^\s*kind\s*:", head, re.MULTILINE) is not None
    has_api = re.search(r"^\s*\"?apiVersion\"?\s*:", head, re.MULTILINE) is not None
    has_services = re.search(r"^\"?services\"?\s*:", head, re.MULTILINE) is not None
    return (has_kind and has_api) or has_services


def _parse_document(
    document: Document,
    path: str,
    named_compose: bool,
    workloads: list[Workload],
    problems: list[Problem],
) -> SourceKind | None:
    """Parse one document into `workloads`/`problems`; returns the kind it was, if any."""
    from stridescan.parsers.compose import is_compose_document, parse_compose
    from stridescan.parsers.kubernetes import is_kubernetes_document, parse_kubernetes

    root = document.root
    if root is None:
        return None
    if is_kubernetes_document(root) and isinstance(root, Mapping):
        found, found_problems = parse_kubernetes(root, path)
        kind = SourceKind.KUBERNETES
    elif is_compose_document(root) or (
        named_compose and isinstance(root, Mapping) and "services" in root
    ):
        assert isinstance(root, Mapping)
        found, found_problems = parse_compose(root, path)
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
