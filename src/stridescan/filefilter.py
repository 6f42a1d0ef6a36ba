"""The filter stage one file at a time, for a scan whose findings are packed.

A packed scan (stridescan.resultstore) never holds all of its Results at once, so
`filtering.finish`, which takes them all, cannot run over it. `FileFilter` gives the same
outcome from one file's results at a time, in path order: comment suppressions and the
baseline mark a file's results from that file alone (a comment silences lines of its own
file; a baseline fingerprint names its file and counts within it), and what needs the whole
scan (which suppressions were used, the baseline entries that no longer occur, the notices
in order) is gathered on the way and settled by `notices`. The tests hold both to the same
report (tests/test_resultstore.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from stridescan.diagnostics import Notice
from stridescan.engine import Result
from stridescan.filtering import FilterOptions, notice_order
from stridescan.suppressions import InlineSuppression, notices, silence_lines


class FileFilter:
    """`filtering.finish`, fed one file's results at a time (`file`), then `notices`."""

    def __init__(
        self,
        options: FilterOptions,
        *,
        comments_of: Callable[[str], Sequence[InlineSuppression]],
        scanned_paths: Sequence[str],
    ) -> None:
        self._options = options
        self._comments_of = comments_of
        self._scanned = scanned_paths
        self._scanned_set = frozenset(scanned_paths)
        self._paths: list[str] = []  # the files with results, in path order
        # One silenced result per suppression that silenced any: all `notices` reads.
        self._used: dict[tuple[str, int], Result] = {}
        baseline = options.baseline
        self._known = frozenset(e.fingerprint for e in baseline.entries) if baseline else None
        self._matched: set[str] = set()

    def file(self, path: str, results: Sequence[Result]) -> tuple[list[Result], list[Result]]:
        """One file's results, in report order and after the policy: (kept, silenced).

        Files must come in path order, each once."""
        if not results:
            return [], []
        self._paths.append(path)
        options = self._options
        marked = silence_lines(results, self._silencing(path))
        self._note_used(marked)
        if options.baseline is not None:
            marked = self._mark_baseline(marked)
        return (
            [result for result in marked if result.suppression is None],
            [result for result in marked if result.suppression is not None],
        )

    def unchanged(self, path: str) -> bool:
        """Whether `file` leaves a file's results as they are, only split by whether they
        are silenced already: no baseline, and none of the file's comments applies."""
        return self._options.baseline is None and not self._silencing(path)

    def passed(self, path: str, silenced: Sequence[Result]) -> None:
        """Note what `file` notes of a file it leaves `unchanged`, given the file's results
        that are silenced already (and only those: the others are not read)."""
        self._paths.append(path)
        self._note_used(silenced)

    def _silencing(self, path: str) -> Sequence[InlineSuppression]:
        # `finish` reads the comments of every scanned file when unused ones are reported,
        # else of every file with results.
        if self._options.report_unused_suppressions and path not in self._scanned_set:
            return ()
        return self._comments_of(path)

    def _note_used(self, marked: Sequence[Result]) -> None:
        for result in marked:
            where = result.suppression.location if result.suppression is not None else None
            if where is not None:
                self._used.setdefault((where.path, where.line), result)

    def _mark_baseline(self, marked: list[Result]) -> list[Result]:
        from stridescan.baseline import apply, fingerprints

        assert self._options.baseline is not None and self._known is not None
        fresh = [result for result in marked if result.suppression is None]
        self._matched.update(fp for fp in fingerprints(fresh) if fp in self._known)
        # No scanned paths: the entries that no longer occur are counted over the whole
        # scan, in `notices`.
        return apply(self._options.baseline, marked, ())[0]

    def notices(self, annotations: Sequence[InlineSuppression]) -> tuple[Notice, ...]:
        """The notices of the whole scan, once every file has been through `file`."""
        options = self._options
        paths = self._scanned if options.report_unused_suppressions else self._paths
        comments = [found for path in paths for found in self._comments_of(path)]
        found = notices(
            [*annotations, *comments],
            self._used.values(),
            require_reason=options.require_suppression_reason,
            report_unused=options.report_unused_suppressions,
        )
        baseline = options.baseline
        if baseline is not None:
            from stridescan.baseline import apply

            # The entries no file matched, counted as `apply` counts them over one call.
            unmatched = replace(
                baseline,
                entries=tuple(e for e in baseline.entries if e.fingerprint not in self._matched),
            )
            found.extend(apply(unmatched, (), self._scanned)[1])
        found.sort(key=notice_order)
        return tuple(found)
