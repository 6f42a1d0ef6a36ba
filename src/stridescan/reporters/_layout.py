"""`json.dumps(indent=2)` layout without its pure-Python indenting encoder.

With `indent`, `json.dumps` encodes in Python node by node, which made the JSON and SARIF
reports of a large scan slow. The reporters instead lay out once what many items share, with
named holes where the items differ, and fill the holes per item with text encoded by the C
string encoder (`encode_string`) or by `str` for integers. The result is byte for byte what
`json.dumps(value, indent=2, ensure_ascii=False)` writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from json.encoder import encode_basestring as encode_string
from typing import Any

__all__ = ["Layout", "encode_string", "hole", "indented_list"]

INDENT = "  "

# A hole is a string value "\0name\0"; JSON escapes a NUL in any real string, so no encoded
# value can look like one.
_HOLE = re.compile(r'"\\u0000(\w+)\\u0000"')


def hole(name: str) -> str:
    """The stand-in to put where the value `name` goes; it must be a word (`\\w+`)."""
    return f"\0{name}\0"


class Layout:
    """`value` as `json.dumps(indent=2, ensure_ascii=False)` lays it out `depth` levels deep,
    split around its holes.

    `parts` are the fixed texts and `names` the holes between them, in document order, so
    `parts[0] + <names[0]> + parts[1] + ... + parts[-1]` is the whole text.
    """

    __slots__ = ("_template", "names", "parts")

    def __init__(self, value: Any, *, depth: int = 0) -> None:
        text = json.dumps(value, indent=2, ensure_ascii=False)
        if depth:
            text = text.replace("\n", "\n" + INDENT * depth)
        pieces = _HOLE.split(text)
        self.parts: list[str] = pieces[0::2]
        self.names: list[str] = pieces[1::2]
        # A format string, so that filling runs in C: the fixed texts with braces doubled.
        escaped = [piece.replace("{", "{{").replace("}", "}}") for piece in pieces[0::2]]
        fields = ["{" + name + "}" for name in self.names] + [""]
        self._template = "".join(text + field for text, field in zip(escaped, fields, strict=True))

    def fill(self, values: Mapping[str, str]) -> str:
        """The text with each hole replaced by its value in `values`, already JSON text."""
        return self._template.format_map(values)


def indented_list(items: Iterable[str], *, depth: int) -> Iterator[str]:
    """A JSON list of already laid-out `items` whose brackets sit `depth` levels deep, in
    pieces: the opening bracket with the first item, each further item, the closing bracket."""
    inner = "\n" + INDENT * (depth + 1)
    separator = "[" + inner
    for item in items:
        yield separator + item
        separator = "," + inner
    yield "[]" if separator[0] == "[" else "\n" + INDENT * depth + "]"
