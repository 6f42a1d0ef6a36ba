"""The baseline: findings a repository already had when it adopted stridescan.

`stridescan baseline create` records each finding by a fingerprint of what it is, not where:
rule code, path, message and the stripped text of its line, plus a counter for identical
ones. Moving lines or editing unrelated ones keeps the fingerprint; changing the offending
line itself makes it a new finding, as it should. The file is sorted, indented JSON so it
diffs well in review.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from stridescan._frozen import dataclass
from stridescan.diagnostics import Notice, UsageError
from stridescan.engine import Result, Suppression

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    fingerprint: str
    rule: str
    path: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Baseline:
    path: Path
    entries: tuple[Entry, ...]


def fingerprints(results: Sequence[Result]) -> list[str]:
    """One fingerprint per result, in order; identical findings are told apart by count."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out: list[str] = []
    for result in sorted(results, key=lambda r: r.sort_key):
        identity = (
            result.rule.code,
            result.location.path,
            result.message,
            result.source_line.strip(),
        )
        seen[identity] += 1
        text = "\0".join((*identity, str(seen[identity])))
        out.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:32])
    order = sorted(range(len(results)), key=lambda i: results[i].sort_key)
    by_index = dict(zip(order, out, strict=True))
    return [by_index[i] for i in range(len(results))]


def render(results: Sequence[Result]) -> str:
    """The baseline file for `results`: stable, sorted JSON."""
    entries = [
        {"fingerprint": fp, "rule": r.rule.code, "path": r.location.path, "message": r.message}
        for r, fp in zip(results, fingerprints(results), strict=True)
    ]
    entries.sort(key=lambda e: (e["path"], e["rule"], e["message"], e["fingerprint"]))
    document = {"tool": "stridescan", "version": FORMAT_VERSION, "findings": entries}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path) -> Baseline:
    """Read a baseline file; UsageError naming the file when it is missing or malformed."""
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(
            f"{path}: error: cannot read the baseline: {error.strerror or error} "
            "(create it with `stridescan baseline create -o FILE`)"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise UsageError(f"{where}: error: not a stridescan baseline: {error}") from None
    try:
        if document.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported version {document.get('version')!r}")
        entries = tuple(
            Entry(
                fingerprint=str(item["fingerprint"]),
                rule=str(item["rule"]),
                path=str(item["path"]),
                message=str(item["message"]),
            )
            for item in document["findings"]
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise UsageError(
            f"{path}: error: not a stridescan baseline ({error}); "
            "recreate it with `stridescan baseline create -o FILE`"
        ) from None
    return Baseline(path=path, entries=entries)


def apply(
    baseline: Baseline, results: Sequence[Result], scanned_paths: Iterable[str]
) -> tuple[list[Result], list[Notice]]:
    """Results with those in the baseline marked as suppressed (kind "external"), and a
    notice counting the entries of the scanned files that no longer occur."""
    known = {entry.fingerprint for entry in baseline.entries}
    unsuppressed = [r for r in results if r.suppression is None]
    matched: set[str] = set()
    marked: dict[int, Result] = {}
    justification = f"recorded in the baseline {baseline.path.as_posix()}"
    for result, fingerprint in zip(unsuppressed, fingerprints(unsuppressed), strict=True):
        if fingerprint in known:
            matched.add(fingerprint)
            marked[id(result)] = replace(
                result, suppression=Suppression(kind="external", justification=justification)
            )
    out = [marked.get(id(result), result) for result in results]
    scanned = set(scanned_paths)
    stale = sum(1 for e in baseline.entries if e.fingerprint not in matched and e.path in scanned)
    notices = []
    if stale:
        noun = "entry no longer occurs" if stale == 1 else "entries no longer occur"
        notices.append(
            Notice(
                path=baseline.path.as_posix(),
                line=None,
                message=f"{stale} baseline {noun}; refresh it with "
                "`stridescan baseline create -o FILE`",
            )
        )
    return out, notices
