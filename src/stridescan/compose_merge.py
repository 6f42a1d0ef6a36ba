"""Compose `extends` and override files merged as `docker compose` merges them.

`docker compose up` reads `compose.yaml` and then `compose.override.yaml` (likewise
`docker-compose.yml` and `docker-compose.override.yml`) and merges them service by service:
a setting the override writes wins, lists such as ports and capabilities add up, volumes
are merged by container path and environment variables by name. Judging each file alone
would report every setting an override only adds to as missing, so a service the override
shares with the base file is merged into the base file's workload. Every value keeps the
location where it was written, so a finding points into the file that set it; a setting
absent from both still points at the service in the base file.

A service that `extends` another is merged the same way, with the extending service's own
settings on top; there, absent settings point at the extending service.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stridescan._frozen import replace  # dataclasses' own, for the model classes faster
from stridescan.diagnostics import ParseError
from stridescan.interpolation import dotenv_beside
from stridescan.model import Capabilities, Container, Located, Mount, SourceKind, Variable, Workload
from stridescan.parsing import ParsedFile, parse_source
from stridescan.sourcetext import read_source

_BASES = {
    "compose.override.yaml": ("compose.yaml", "compose.yml"),
    "compose.override.yml": ("compose.yml", "compose.yaml"),
    "docker-compose.override.yaml": ("docker-compose.yaml", "docker-compose.yml"),
    "docker-compose.override.yml": ("docker-compose.yml", "docker-compose.yaml"),
}


def merge_overrides(parsed: Sequence[ParsedFile]) -> list[ParsedFile]:
    """The files with each override's shared services merged into its base file's."""
    by_path = {file.path: index for index, file in enumerate(parsed)}
    merged = list(parsed)
    for index, file in enumerate(parsed):
        base_index = _base_of(file, by_path, parsed)
        if base_index is None:
            continue
        base = merged[base_index]
        services = {workload.name: workload for workload in file.workloads}
        workloads = tuple(
            merge_workload(workload, services[workload.name])
            if workload.name in services
            else workload
            for workload in base.workloads
        )
        shared = {workload.name for workload in base.workloads}
        merged[base_index] = replace(base, workloads=workloads)
        merged[index] = replace(
            file, workloads=tuple(w for w in file.workloads if w.name not in shared)
        )
    return merged


_EXTENDS_DEPTH = 32  # longer chains (or a loop) are left as written


def resolve_extends(parsed: Sequence[ParsedFile], root: Path | None = None) -> list[ParsedFile]:
    """Every service that `extends` another, merged with it as Compose does.

    The service extended may be in the same file or, with `file:`, in another compose file:
    one of the scan, or one read from under `root` (pre-commit passes only staged files).
    A service that cannot be found leaves the extending service as it is written.
    """
    compose = [file for file in parsed if file.kind is SourceKind.COMPOSE]
    if not any(workload.extends for file in compose for workload in file.workloads):
        return list(parsed)
    services = {(file.path, w.name): w for file in compose for w in file.workloads}
    loaded = {file.path for file in compose}
    resolved: dict[tuple[str, str], Workload] = {}

    def resolve(key: tuple[str, str], depth: int) -> Workload:
        if key not in resolved:
            workload = services[key]
            target = _extended(key[0], workload)
            if target is not None and target[0] not in loaded and root is not None:
                loaded.add(target[0])
                services.update(_read_services(target[0], root))
            if target in services and target != key and depth < _EXTENDS_DEPTH:
                assert target is not None
                base = resolve(target, depth + 1)
                workload = merge_workload(base, workload, extends=True)
            resolved[key] = workload
        return resolved[key]

    return [
        replace(file, workloads=tuple(resolve((file.path, w.name), 0) for w in file.workloads))
        if file.kind is SourceKind.COMPOSE
        else file
        for file in parsed
    ]


def _read_services(display: str, root: Path) -> dict[tuple[str, str], Workload]:
    """The services of a compose file that was not scanned, read only as context.

    The name comes from a scanned file: it may lead out of the root or nowhere, and none of
    that may end the scan; a file that does not parse simply extends nothing.
    """
    top = root.resolve()
    try:
        candidate = Path(os.path.realpath(top / display))
        candidate.relative_to(top)
        if not candidate.is_file():
            return {}
        text = read_source(candidate)
    except (OSError, ValueError, ParseError):
        return {}
    file = parse_source(text, display, SourceKind.COMPOSE, variables=dotenv_beside(candidate))
    return {(display, workload.name): workload for workload in file.workloads}


def _extended(path: str, workload: Workload) -> tuple[str, str] | None:
    """(file, service) that `workload` extends, the file as a path from the scan root."""
    if workload.extends is None:
        return None
    service, file = workload.extends
    if file is None:
        return path, service
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), file)), service


def _base_of(file: ParsedFile, by_path: dict[str, int], parsed: Sequence[ParsedFile]) -> int | None:
    if file.kind is not SourceKind.COMPOSE:
        return None
    directory, name = posixpath.split(file.path)
    for candidate in _BASES.get(name, ()):
        index = by_path.get(posixpath.join(directory, candidate) if directory else candidate)
        if index is not None and parsed[index].kind is SourceKind.COMPOSE:
            return index
    return None


def merge_workload(base: Workload, override: Workload, *, extends: bool = False) -> Workload:
    """One service with what another sets on top: its override, or the service extending it.

    For an override the base service stays the skeleton (its name, and where absent values
    are located); for `extends` the extending service does, since that is the one deployed.
    """
    skeleton = override if extends else base
    merged: Workload = _merge_fields(base, override, skeleton, skip=("containers",))
    pairs = zip(base.containers, override.containers, strict=False)
    containers = tuple(merge_container(mine, theirs, extends=extends) for mine, theirs in pairs)
    return replace(merged, containers=containers or skeleton.containers)


def merge_container(base: Container, override: Container, *, extends: bool = False) -> Container:
    skeleton = override if extends else base
    merged: Container = _merge_fields(
        base, override, skeleton, skip=("mounts", "environment", "capabilities", "built_image")
    )
    return replace(
        merged,
        mounts=_by_key(base.mounts, override.mounts, _mount_target),
        environment=_by_key(base.environment, override.environment, _variable_name),
        capabilities=_capabilities(base.capabilities, override.capabilities, skeleton),
        security_context=(
            override.security_context
            if override.security_options
            else base.security_context
            if base.security_options
            else skeleton.security_context
        ),
        built_image=override.built_image or base.built_image,
    )


def _merge_fields(base: Any, override: Any, skeleton: Any, *, skip: tuple[str, ...]) -> Any:
    """Each field: the override's where it writes one, else the base's where it does, else
    the skeleton's (absent, located there); list-like fields added up."""
    changes: dict[str, object] = {}
    for field in dataclasses.fields(base):
        if field.name in skip:
            continue
        mine, theirs = getattr(base, field.name), getattr(override, field.name)
        if isinstance(mine, Located) or isinstance(theirs, Located):
            changes[field.name] = _pick(mine, theirs, getattr(skeleton, field.name))
        elif isinstance(mine, tuple) and isinstance(theirs, tuple):
            changes[field.name] = mine + theirs
        elif field.name == "build":
            changes[field.name] = theirs if theirs is not None else mine
        elif _has_located_fields(mine) and type(mine) is type(theirs):
            nested = getattr(skeleton, field.name)
            changes[field.name] = _merge_fields(mine, theirs, nested, skip=())
    return replace(skeleton, **changes)


def _pick(mine: Any, theirs: Any, skeleton: Any) -> Any:
    for candidate in (theirs, mine):
        if candidate is not None and candidate.is_set:
            return candidate
    return skeleton if skeleton is not None else (theirs if theirs is not None else mine)


def _has_located_fields(value: object) -> bool:
    """Nested settings such as `Resources`, merged field by field like the container."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return False
    return any(isinstance(getattr(value, f.name), Located) for f in dataclasses.fields(value))


def _capabilities(base: Capabilities, override: Capabilities, skeleton: Container) -> Capabilities:
    fallback = skeleton.capabilities
    return Capabilities(
        added=base.added + override.added,
        dropped=base.dropped + override.dropped,
        add_location=(
            override.add_location
            if override.added
            else base.add_location
            if base.added
            else fallback.add_location
        ),
        drop_location=(
            override.drop_location
            if override.dropped
            else base.drop_location
            if base.dropped
            else fallback.drop_location
        ),
    )


def _mount_target(mount: Mount) -> str | None:
    return mount.target.value


def _variable_name(variable: Variable) -> str | None:
    return variable.name


def _by_key(base: tuple[Any, ...], override: tuple[Any, ...], key: Any) -> tuple[Any, ...]:
    """Base items, those the override redefines (same key) replaced; new ones appended."""
    replaced = {key(item): item for item in override if key(item) is not None}
    kept = tuple(replaced.pop(key(item), item) for item in base)
    return kept + tuple(item for item in override if key(item) is None or key(item) in replaced)
