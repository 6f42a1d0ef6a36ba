"""Cross-file context, resolved after every file is parsed: a compose service built from a
Dockerfile in the tree gets that `Image`, so the image's USER and HEALTHCHECK count; a
Kubernetes workload whose service account is bound to a role anywhere in the scanned set is
marked as one that needs the API.

A Dockerfile that was not among the scanned files (pre-commit passes only staged files) is
read from disk, once, but never through a link out of the scan root.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from stridescan.diagnostics import ParseError
from stridescan.model import DEFAULT_NAMESPACE, Container, Image, RoleBinding, Workload
from stridescan.parsing import ParsedFile
from stridescan.sourcetext import read_source


class ImageIndex:
    """Dockerfiles by display path: those scanned, plus those read on demand."""

    def __init__(self, parsed: Sequence[ParsedFile], root: Path) -> None:
        self.root = root.resolve()
        self.images: dict[str, Image | None] = {
            image.path: image for file in parsed for image in file.images
        }

    def get(self, display: str) -> Image | None:
        if display not in self.images:
            self.images[display] = self._load(display)
        return self.images[display]

    def _load(self, display: str) -> Image | None:
        from stridescan.parsers.dockerfile import parse_dockerfile

        # The name comes from a scanned compose file: it may hold a NUL, be too long for the
        # file system or name a link loop, and none of that may end the scan.
        try:
            candidate = Path(os.path.realpath(self.root / display))
            candidate.relative_to(self.root)
            if not candidate.is_file():
                return None
        except (OSError, ValueError):
            return None
        try:
            return parse_dockerfile(read_source(candidate), display)
        except ParseError:
            # The Dockerfile is reported when it is scanned itself; here it is only context.
            return None


def link(parsed: Sequence[ParsedFile], root: Path) -> list[ParsedFile]:
    """The parsed files with compose containers joined to the images they build and
    Kubernetes workloads marked when their service account is bound to a role."""
    index = ImageIndex(parsed, root)
    bound = _bound_service_accounts(parsed)
    linked: list[ParsedFile] = []
    for file in parsed:
        if not any(_needs_linking(workload, bound) for workload in file.workloads):
            linked.append(file)
            continue
        workloads = tuple(_link_workload(workload, index, bound) for workload in file.workloads)
        linked.append(replace(file, workloads=workloads))
    return linked


ServiceAccount = tuple[str, str]  # (namespace, name)


def _bound_service_accounts(parsed: Sequence[ParsedFile]) -> frozenset[ServiceAccount]:
    """Every service account some binding in the scanned set grants a role to."""
    bound: set[ServiceAccount] = set()
    for file in parsed:
        for binding in file.rbac:
            if not isinstance(binding, RoleBinding):
                continue
            for subject in binding.subjects:
                name = subject.name.value
                if subject.kind == "ServiceAccount" and name:
                    namespace = subject.namespace or binding.namespace or DEFAULT_NAMESPACE
                    bound.add((namespace, name))
    return frozenset(bound)


def _service_account(workload: Workload) -> ServiceAccount:
    name = workload.service_account.value or "default"
    return (workload.namespace or DEFAULT_NAMESPACE, name)


def _needs_linking(workload: Workload, bound: frozenset[ServiceAccount]) -> bool:
    return any(c.build for c in workload.containers) or (
        bool(bound) and _service_account(workload) in bound
    )


def _link_workload(
    workload: Workload, index: ImageIndex, bound: frozenset[ServiceAccount]
) -> Workload:
    containers = tuple(_link_container(container, index) for container in workload.containers)
    api_access = bool(bound) and _service_account(workload) in bound
    return replace(workload, containers=containers, api_access=api_access)


def _link_container(container: Container, index: ImageIndex) -> Container:
    if container.build is None:
        return container
    image = index.get(container.build.dockerfile)
    return replace(container, built_image=image) if image is not None else container
