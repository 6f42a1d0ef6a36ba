"""Paths to the files stridescan reads, classified by name; no parsing happens here.

Directories are walked without following symbolic links; vendored and generated trees are
skipped. Files named on the command line are always scanned (classified by content when the
name says nothing), but never through a link that leaves the scan root.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from stridescan._frozen import dataclass
from stridescan.diagnostics import Problem
from stridescan.model import SourceKind

#: Directory names never descended into unless named explicitly (nor `templates` next to a
#: Helm `Chart.yaml`: Go templates, not YAML, until `helm template` renders them).
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "node_modules",
        "bower_components",
        "vendor",
        "third_party",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".terraform",
        ".idea",
        ".vscode",
        "site-packages",
    }
)
_YAML_SUFFIXES = (".yaml", ".yml")
_JSON_SUFFIXES = (".json",)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFile:
    """A file to scan. `kind` None means: YAML/JSON whose kind its content decides."""

    path: Path | None  # None for standard input
    display: str  # relative to the scan root, POSIX separators
    kind: SourceKind | None
    explicit: bool = False


@dataclass(frozen=True, slots=True)
class Discovered:
    files: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]


def classify_name(name: str) -> SourceKind | bool | None:
    """The kind a file name promises: a SourceKind, None (decide by content) or False (skip)."""
    lowered = name.lower()
    if lowered.endswith(".dockerignore"):
        return False
    if lowered in ("dockerfile", "containerfile") or lowered.startswith(
        ("dockerfile.", "containerfile.")
    ):
        return SourceKind.DOCKERFILE
    if lowered.endswith((".dockerfile", ".containerfile")):
        return SourceKind.DOCKERFILE
    if lowered.endswith(_YAML_SUFFIXES):
        stem = lowered.rsplit(".", 1)[0]
        if stem == "compose" or stem.startswith(("compose.", "docker-compose")):
            return SourceKind.COMPOSE
        return None
    if lowered == "daemon.json" or lowered.endswith((".daemon.json", "-daemon.json")):
        return SourceKind.DAEMON
    if lowered.endswith(_JSON_SUFFIXES):
        return None
    return False


def discover(paths: Sequence[str], *, root: Path, excludes: Sequence[str] = ()) -> Discovered:
    """Every file to scan under `paths`, in a stable order, plus problems with named paths."""
    root = root.resolve()
    files: dict[str, SourceFile] = {}
    problems: list[Problem] = []
    for argument in paths:
        given = Path(argument)
        display = display_path(given, root)
        # realpath, not resolve(): it does not raise on a link loop, which read_source reports.
        if given.is_symlink() and not _inside(Path(os.path.realpath(given)), root):
            problems.append(
                Problem(
                    path=display,
                    line=None,
                    column=None,
                    message="symbolic link pointing outside the scan root; not followed",
                    hint="scan the target directly",
                )
            )
            continue
        if given.is_dir():
            for found in _walk(given, root, excludes):
                files.setdefault(found.display, found)
        elif given.exists() or given.is_symlink():
            kind = classify_name(given.name)
            files.setdefault(
                display,
                SourceFile(
                    path=given,
                    display=display,
                    kind=kind if not isinstance(kind, bool) else None,
                    explicit=True,
                ),
            )
        else:
            problems.append(
                Problem(
                    path=display,
                    line=None,
                    column=None,
                    message="no such file or directory",
                    hint="check the path",
                )
            )
    ordered = tuple(files[name] for name in sorted(files))
    return Discovered(ordered, tuple(problems))


def display_path(path: Path, root: Path) -> str:
    """`path` relative to `root` with POSIX separators, or as given when outside it."""
    # abspath, not resolve(): a link inside the tree keeps the name it was found under.
    if os.sep == "/":
        # String operations give what `relative_to` gives, at a fraction of the cost of
        # building Paths for every file of the tree (`str(root)` is already normalised).
        text, base = os.path.abspath(path), str(root)  # noqa: PTH100
        if text == base:
            return path.name or "."
        prefix = base if base.endswith("/") else base + "/"
        return text[len(prefix) :] if text.startswith(prefix) else path.as_posix()
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return path.as_posix()
    text = relative.as_posix()
    return text if text != "." else path.name or "."


def _walk(directory: Path, root: Path, excludes: Sequence[str]) -> Iterator[SourceFile]:
    """The files under `directory` stridescan reads, in no particular order (`discover`
    sorts them), with one `scandir` per directory and no `stat` per file: the kinds of the
    entries come from the listing, and so does the sign of a virtualenv or a Helm chart
    (`_skipped`). Links are neither followed nor read; unreadable directories are passed
    over, as `os.walk` does."""
    base = str(root)
    prefix = base if base.endswith("/") else base + "/"

    def display(given: str, absolute: str) -> str:
        if os.sep == "/" and absolute.startswith(prefix):
            return absolute[len(prefix) :]
        return display_path(Path(given), root)

    top = os.fspath(directory)
    pending = [(top, os.path.abspath(top))]  # noqa: PTH100
    while pending:
        current, absolute = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            continue
        if current is not top and _is_virtualenv(entries):
            continue
        chart = any(entry.name == "Chart.yaml" and _is_file(entry) for entry in entries)
        for entry in entries:
            name = entry.name
            if _is_directory(entry):
                if name in SKIPPED_DIRECTORIES or (chart and name == "templates"):
                    continue
                child = (os.path.join(current, name), os.path.join(absolute, name))  # noqa: PTH118
                if excludes and _excluded(display(*child), excludes):
                    continue
                pending.append(child)
            elif not entry.is_symlink():
                kind = classify_name(name)
                if kind is False:
                    continue
                given = os.path.join(current, name)  # noqa: PTH118
                shown = display(given, os.path.join(absolute, name))  # noqa: PTH118
                if excludes and _excluded(shown, excludes):
                    continue
                yield SourceFile(
                    path=Path(given),
                    display=shown,
                    kind=kind if not isinstance(kind, bool) else None,
                )


def _is_virtualenv(entries: list[os.DirEntry[str]]) -> bool:
    """A directory holding `pyvenv.cfg` is a Python virtual environment: skipped."""
    return any(entry.name == "pyvenv.cfg" and _is_file(entry) for entry in entries)


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _excluded(display: str, patterns: Iterable[str]) -> bool:
    name = display.rsplit("/", 1)[-1]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatchcase(display, pattern) or fnmatch.fnmatchcase(name, pattern):
            return True
        if pattern.startswith("**/") and fnmatch.fnmatchcase(display, pattern[3:]):
            return True
    return False


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
