"""`--changed-since REF`: only the files that differ from a git ref, plus what they depend on.

A changed Dockerfile brings in the compose files whose services build it; a changed compose
file brings in the Dockerfiles it builds and its sibling compose files (overrides). git runs
as a subprocess with an argument list, never through a shell.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from stridescan.diagnostics import ParseError, UsageError
from stridescan.discovery import SourceFile, classify_name, discover
from stridescan.model import SourceKind


def changed_files(ref: str, cwd: Path) -> set[Path]:
    """Absolute paths of the files that differ from `ref`: committed, staged, unstaged or new."""
    if not ref or ref.startswith("-"):
        raise UsageError(f"--changed-since: {ref!r} is not a git revision")
    top = _git(["rev-parse", "--show-toplevel"], cwd, "is not inside a git repository")
    commit = _git(
        ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        cwd,
        f"has no revision {ref!r}; check the branch, tag or commit name (fetch it in CI)",
    )
    root = Path(top.strip())
    listed = _git(["diff", "--name-only", "-z", commit.strip(), "--"], cwd, "cannot diff")
    untracked = _git(
        ["ls-files", "--others", "--exclude-standard", "--full-name", "-z"], cwd, "cannot list"
    )
    names = [name for name in (listed + untracked).split("\0") if name]
    return {(root / name).resolve() for name in names}


def _git(arguments: Sequence[str], cwd: Path, failure: str) -> str:
    try:
        done = subprocess.run(  # a fixed program and an argument list: no shell
            ["git", *arguments],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise UsageError(
            f"--changed-since needs git, which could not be run: {error.strerror or error}"
        ) from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        suffix = f" ({detail[-1]})" if detail else ""
        raise UsageError(f"--changed-since: {cwd} {failure}{suffix}")
    return done.stdout


def narrow(
    paths: Sequence[str], changed: set[Path], *, root: Path, excludes: Sequence[str]
) -> tuple[str, ...]:
    """The files under `paths` that changed, plus the files they depend on, as paths to scan."""
    files = discover(paths, root=root, excludes=excludes).files
    by_display = {file.display: file for file in files if file.path is not None}
    chosen = {f.display for f in files if f.path is not None and f.path.resolve() in changed}
    if not chosen:
        return ()
    dockerfiles = {d for d in chosen if by_display[d].kind is SourceKind.DOCKERFILE}
    builds = _compose_builds(f for f in files if _may_be_compose(f))
    for compose, built in builds.items():
        if compose in chosen:
            chosen |= {dockerfile for dockerfile in built if dockerfile in by_display}
        elif built & dockerfiles:
            chosen.add(compose)
    for compose in [d for d in chosen if d in builds or _compose_named(d)]:
        chosen |= _siblings(compose, by_display)
    return tuple(str(by_display[display].path) for display in sorted(chosen))


def _may_be_compose(file: SourceFile) -> bool:
    if file.kind is SourceKind.COMPOSE:
        return True
    return file.kind is None and file.display.endswith((".yaml", ".yml"))


def _compose_named(display: str) -> bool:
    return classify_name(display.rsplit("/", 1)[-1]) is SourceKind.COMPOSE


def _compose_builds(files: Iterable[SourceFile]) -> dict[str, set[str]]:
    """Compose files (by display path) and the Dockerfiles their services build."""
    from stridescan.parsing import parse_source
    from stridescan.sourcetext import read_source

    builds: dict[str, set[str]] = {}
    for file in files:
        assert file.path is not None
        try:
            text = read_source(file.path)
        except ParseError:
            continue
        if "services" not in text:
            continue
        parsed = parse_source(text, file.display, file.kind)
        if parsed.kind is not SourceKind.COMPOSE:
            continue
        builds[file.display] = {
            container.build.dockerfile
            for workload in parsed.workloads
            for container in workload.containers
            if container.build is not None
        }
    return builds


def _siblings(compose: str, by_display: dict[str, SourceFile]) -> set[str]:
    """Compose files in the same directory: overrides and the files they override."""
    directory = compose.rpartition("/")[0]
    return {
        display
        for display in by_display
        if display.rpartition("/")[0] == directory and _compose_named(display)
    }
