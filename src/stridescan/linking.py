"""Cross-file context: a compose service built from a Dockerfile in the tree gets that
`Image`, so the image's USER and HEALTHCHECK count; a Kubernetes workload whose service
account is bound to a role anywhere in the scanned set is marked as one that needs the API.

Linking needs no other parse tree: a Dockerfile that is not among the files linked together
(another unit of the per-file stage, or not scanned: pre-commit passes only staged files) is
read from disk, once, but never through a link out of the scan root. Which service accounts
are bound is a scan-wide fact, collected per file (`bound_accounts`) and applied after the
per-file stage (stridescan.filestage), or to a model with `mark_api_access`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from stridescan._frozen import replace  # dataclasses' own, for the model classes faster
from stridescan.diagnostics import ParseError
from stridescan.model import DEFAULT_NAMESPACE, Container, Image, RoleBinding, Workload
from stridescan.parsing import ParsedFile
from stridescan.sourcetext import read_source


class ImageIndex:
    """Dockerfiles by display path: those scanned, plus those read on demand."""

    def __init__(
        self,
        parsed: Sequence[ParsedFile],
        root: Path,
        loaded: dict[str, Image | None] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.images: dict[str, Image | None] = {
            image.path: image for file in parsed for image in file.images
        }
        # Shared by the indexes of one scan in one process, so each is read once.
        self.loaded = loaded if loaded is not None else {}

    def get(self, display: str) -> Image | None:
        if display in self.images:
            return self.images[display]
        if display not in self.loaded:
            self.loaded[display] = self._load(display)
        return self.loaded[display]

    def _load(self, display: str) -> Image | None:
        # The name comes from a scanned compose file: it may hold a NUL, be too long for the
        # file system or name a link loop, and none of that may end the scan.
        try:
            candidate = Path(os.path.realpath(self.root / display))
            candidate.relative_to(self.root)
            if not candidate.is_file():
                return None
        except (OSError, ValueError):
            return None
        from stridescan.parsers.dockerfile import parse_dockerfile  # only once there is one

        try:
            return parse_dockerfile(read_source(candidate), display)
        except ParseError:
            # The Dockerfile is reported when it is scanned itself; here it is only context.
            return None


def link(
    parsed: Sequence[ParsedFile], root: Path, loaded: dict[str, Image | None] | None = None
) -> list[ParsedFile]:
    """The parsed files with compose containers joined to the images they build.

    `loaded` caches the Dockerfiles read from disk across calls of one scan.
    """
    builds = [any(c.build for w in file.workloads for c in w.containers) for file in parsed]
    if not any(builds):
        # Most units: the index (which resolves the root on disk) would go unused.
        return list(parsed)
    index = ImageIndex(parsed, root, loaded)
    linked: list[ParsedFile] = []
    for file, builds_images in zip(parsed, builds, strict=True):
        if not builds_images:
            linked.append(file)
            continue
        workloads = tuple(_link_workload(workload, index) for workload in file.workloads)
        linked.append(replace(file, workloads=workloads))
    return linked


ServiceAccount = tuple[str, str]  # (namespace, name)


def bound_accounts(file: ParsedFile) -> frozenset[ServiceAccount]:
    """Every service account a binding of `file` grants a role to."""
    bound: set[ServiceAccount] = set()
    for binding in file.rbac:
        if not isinstance(binding, RoleBinding):
            continue
        for subject in binding.subjects:
            name = subject.name.value
            if subject.kind == "ServiceAccount" and name:
                namespace = subject.namespace or binding.namespace or DEFAULT_NAMESPACE
                bound.add((namespace, name))
    return frozenset(bound)


def service_account(workload: Workload) -> ServiceAccount:
    name = workload.service_account.value or "default"
    return (workload.namespace or DEFAULT_NAMESPACE, name)


def mark_api_access(
    parsed: Sequence[ParsedFile], bound: frozenset[ServiceAccount]
) -> list[ParsedFile]:
    """The files with `Workload.api_access` set on each workload whose service account is
    in `bound` (the union of every scanned file's `bound_accounts`)."""
    marked: list[ParsedFile] = []
    for file in parsed:
        if not any(service_account(w) in bound for w in file.workloads):
            marked.append(file)
            continue
        workloads = tuple(
            replace(w, api_access=True) if service_account(w) in bound else w
            for w in file.workloads
        )
        marked.append(replace(file, workloads=workloads))
    return marked


def _link_workload(workload: Workload, index: ImageIndex) -> Workload:
    containers = tuple(_link_container(container, index) for container in workload.containers)
    return replace(workload, containers=containers)


def _link_container(container: Container, index: ImageIndex) -> Container:
    if container.build is None:
        return container
    image = index.get(container.build.dockerfile)
    return replace(container, built_image=image) if image is not None else container
