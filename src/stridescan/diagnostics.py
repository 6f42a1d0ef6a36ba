"""Problems users see: files that could not be scanned, bad usage. Rendered at one boundary."""

from __future__ import annotations

from stridescan._frozen import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """A file, or part of one, that could not be scanned; it fails the run unless allowed."""

    path: str
    line: int | None
    column: int | None
    message: str
    hint: str = ""

    def render(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: error: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """A warning about the user's own stridescan setup (a stale suppression, a baseline
    entry that no longer occurs); reported, never a reason to fail the run."""

    path: str
    line: int | None
    message: str

    def render(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: warning: {self.message}"


class ParseError(Exception):
    """A document or file that cannot be read as its format; line/column 1-based if known."""

    def __init__(
        self, message: str, line: int | None = None, column: int | None = None, hint: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint

    def to_problem(self, path: str) -> Problem:
        return Problem(
            path=path, line=self.line, column=self.column, message=self.message, hint=self.hint
        )


class UsageError(Exception):
    """Bad command-line arguments or configuration: exit code 2."""
