"""Regular expressions compiled on first use, for rules that run on one format only.

A rule module is imported by every scan, but a Dockerfile rule's patterns are only needed
when a Dockerfile is scanned: compiling them at import cost a compose-only (pre-commit)
scan several milliseconds. After the first call, each method is the compiled pattern's own
bound method, found on the instance, so later calls cost what `re.Pattern` calls cost.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator

_METHODS = ("search", "match", "fullmatch", "sub", "finditer")


class LazyPattern:
    """`re.compile(pattern, flags)`, deferred; offers the `re.Pattern` methods rules use."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern; from now on the methods below are its own."""
        compiled = re.compile(self.pattern, self.flags)
        for name in _METHODS:
            setattr(self, name, getattr(compiled, name))
        return compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)


def compile(pattern: str, flags: int = 0) -> LazyPattern:
    """A pattern compiled when first used."""
    return LazyPattern(pattern, flags)
