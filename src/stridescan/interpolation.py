"""Compose variable interpolation with the values of the `.env` file beside a compose file.

Compose replaces `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
`${VAR?error}`, `${VAR:+alternative}` and `${VAR+alternative}` before it reads any value, and
`$$` stands for a literal `$`. The shell environment of whoever deploys wins over `.env` and
cannot be seen here, so a variable counts as known only when `.env` defines it; any text
that reads an unknown variable is unknown as a whole (None), and never produces a finding.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

DOTENV = ".env"
_MAX_DOTENV_BYTES = 256 * 1024
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")
_NESTING_LIMIT = 16
_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$")


class _Invalid(Exception):
    """Syntax Compose refuses (an unclosed `${`, a bad name, `${VAR:?error}` firing)."""


def interpolate(text: str, variables: Mapping[str, str]) -> str | None:
    """`text` with its variables replaced, or None when it depends on an unknown one."""
    try:
        value, end, known = _expand(text, 0, variables, None, 0)
    except _Invalid:
        return None
    return value if known and end == len(text) else None


def _expand(
    text: str, pos: int, variables: Mapping[str, str], stop: str | None, depth: int
) -> tuple[str, int, bool]:
    """Expand from `pos` up to an unnested `stop`: (text, where it ended, fully known)."""
    if depth > _NESTING_LIMIT:
        raise _Invalid
    parts: list[str] = []
    known = True
    while pos < len(text):
        char = text[pos]
        if stop is not None and char == stop:
            return "".join(parts), pos, known
        following = text[pos + 1 : pos + 2]
        if char != "$":
            parts.append(char)
            pos += 1
        elif following == "$":
            parts.append("$")
            pos += 2
        elif following == "{":
            value, pos, part_known = _braced(text, pos + 2, variables, depth)
            parts.append(value)
            known = known and part_known
        else:
            name = _NAME.match(text, pos + 1)
            if name is None:
                parts.append("$")
                pos += 1
                continue
            known = known and name.group() in variables
            parts.append(variables.get(name.group(), ""))
            pos = name.end()
    if stop is not None:
        raise _Invalid
    return "".join(parts), pos, known


def _braced(text: str, pos: int, variables: Mapping[str, str], depth: int) -> tuple[str, int, bool]:
    name = _NAME.match(text, pos)
    if name is None:
        raise _Invalid
    pos = name.end()
    value = variables.get(name.group())
    if text.startswith("}", pos):
        return value or "", pos + 1, value is not None
    operator = next((op for op in _OPERATORS if text.startswith(op, pos)), None)
    if operator is None:
        raise _Invalid
    word, end, word_known = _expand(text, pos + len(operator), variables, "}", depth + 1)
    if value is None:
        return "", end + 1, False  # unset here, but the deploying shell may set it
    result, uses_word = _apply(operator, value, word)
    return result, end + 1, word_known or not uses_word


def _apply(operator: str, value: str, word: str) -> tuple[str, bool]:
    """The result of `${NAME<operator>word}` for a set NAME, and whether it used `word`."""
    if operator == ":-" and not value:
        return word, True
    if operator == ":+":
        return (word, True) if value else ("", False)
    if operator == "+":
        return word, True
    if operator == ":?" and not value:
        raise _Invalid  # Compose stops with the error message
    return value, False


def parse_dotenv(text: str) -> dict[str, str]:
    """`KEY=value` lines as Compose reads `.env`: comments, `export`, quotes, earlier keys.

    Lines it cannot read are skipped: they can only make a variable unknown.
    """
    variables: dict[str, str] = {}
    for line in text.splitlines():
        match = _DOTENV_LINE.match(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        name, raw = match.group(1), match.group(2).strip()
        value = _dotenv_value(raw, variables)
        if value is not None:
            variables[name] = value
    return variables


def _dotenv_value(raw: str, variables: Mapping[str, str]) -> str | None:
    if raw[:1] == "'":
        end = raw.find("'", 1)
        return raw[1:end] if end > 0 else None
    if raw[:1] == '"':
        end = raw.find('"', 1)
        if end < 0:
            return None
        body = raw[1:end].replace("\\n", "\n").replace('\\"', '"')
        return interpolate(body, variables)
    unquoted = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
    return interpolate(unquoted, variables)


def dotenv_beside(path: Path) -> dict[str, str]:
    """The variables of the `.env` next to `path`; empty when there is none to read.

    A symbolic link is not followed (it may lead out of the scan root), and an oversized
    or undecodable file is ignored: its variables simply stay unknown.
    """
    candidate = path.parent / DOTENV
    try:
        if candidate.is_symlink() or not candidate.is_file():
            return {}
        if candidate.stat().st_size > _MAX_DOTENV_BYTES:
            return {}
        text = candidate.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return parse_dotenv(text)
