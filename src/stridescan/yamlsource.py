"""YAML text to position-carrying nodes; the only module that imports ruamel.yaml.

Nodes are composed by ruamel.yaml's C-backed parser (libyaml marks, no Python objects are
constructed, so no tag can run code) and copied into small node classes of our own, so the
backend can change without touching the parsers. Safety bounds:

- a multi-document stream is split at `---` lines and each document composed on its own, so
  one broken document does not hide the others, and line numbers stay exact;
- an alias is copied once and shared, and the total node count is bounded, so alias bombs
  cost nothing and huge documents are refused with a clear message;
- merge keys (`<<: *defaults`) are applied as YAML 1.1 defines them, values keeping the
  location where the anchor wrote them;
- nesting deeper than `MAX_DEPTH` is refused before the composer recurses into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 200
MAX_NODES = 2_000_000

_SHORT_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "str",
    "tag:yaml.org,2002:binary": "str",
    "tag:yaml.org,2002:map": "map",
    "tag:yaml.org,2002:seq": "seq",
    "tag:yaml.org,2002:merge": "merge",
    "tag:yaml.org,2002:value": "str",
}
_STR_TAG = "tag:yaml.org,2002:str"
_FLOW_BRACKET = re.compile(r"[\[\]{}]")
_DOCUMENT_START = re.compile(r"^---(?=[ \t]|$)", re.MULTILINE)


class YamlError(Exception):
    """Text that is not YAML, or YAML beyond the safety bounds; line/column are 1-based."""

    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Node:
    """Common part of all nodes: the 1-based span the node covers in the file."""

    __slots__ = ("column", "end_column", "end_line", "line")

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


class Scalar(Node):
    """A scalar as written; `tag` is str/int/float/bool/null or the custom tag."""

    __slots__ = ("plain", "tag", "value")

    def __init__(
        self, value: str, tag: str, plain: bool, line: int, column: int, end: tuple[int, int]
    ) -> None:
        super().__init__(line, column, end[0], end[1])
        self.value = value
        self.tag = tag
        self.plain = plain

    def as_bool(self, *, yaml11: bool = False) -> bool | None:
        """The boolean this scalar is, or None when it is not one.

        With `yaml11`, unquoted yes/no/on/off count too, as in Kubernetes' YAML 1.1 reader.
        """
        lowered = self.value.lower()
        if self.tag == "bool" or (yaml11 and self.plain and self.tag == "str"):
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
        return None


_TRUE = frozenset(("true", "yes", "on", "y"))
_FALSE = frozenset(("false", "no", "off", "n"))


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, items: list[Node], line: int, column: int, end: tuple[int, int]):
        super().__init__(line, column, end[0], end[1])
        self.items = items


class Mapping(Node):
    """A mapping; keys are scalar texts. `duplicates` lists keys written more than once."""

    __slots__ = ("duplicates", "entries")

    def __init__(self, line: int, column: int, end: tuple[int, int]) -> None:
        super().__init__(line, column, end[0], end[1])
        self.entries: dict[str, tuple[Scalar, Node]] = {}
        self.duplicates: list[Scalar] = []

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_node(self, key: str) -> Scalar | None:
        entry = self.entries.get(key)
        return entry[0] if entry else None

    def __contains__(self, key: str) -> bool:
        return key in self.entries


@dataclass(frozen=True, slots=True)
class Document:
    """One document of a stream: its root node, or the error that stopped it."""

    root: Node | None
    error: YamlError | None
    start_line: int


def load_documents(text: str) -> Iterator[Document]:
    """Compose every document of `text`, each on its own; errors do not stop the stream."""
    for offset, chunk in _split_documents(text):
        try:
            root = _compose_one(chunk, offset)
        except YamlError as error:
            yield Document(None, error, offset + 1)
            continue
        if root is not None:
            yield Document(root, None, offset + 1)


def _split_documents(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line offset, text) per `---`-separated document."""
    starts = [m.start() for m in _DOCUMENT_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    line = 0
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        yield line, chunk
        line += chunk.count("\n")


def _compose_one(chunk: str, line_offset: int) -> Node | None:
    _check_depth(chunk, line_offset)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        raw = _composer().compose(chunk)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = line_offset + (mark.line + 1 if mark else 1)
        column = mark.column + 1 if mark else 1
        problem = error.problem or error.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", line, column) from None
    except (YAMLError, RecursionError) as error:
        raise YamlError(f"invalid YAML: {error}", line_offset + 1) from None
    if raw is None:
        return None
    return _Converter(line_offset).convert(raw)


_COMPOSER: Any = None


def _composer() -> Any:
    """One ruamel YAML object per process: building one costs more than composing a file.

    Its resolver leaves every scalar a string: ruamel's implicit resolver runs in Python for
    each scalar and was the largest cost of a scan; `_plain_tag` does the same job cheaply,
    and only for the plain scalars that can hold anything but a string.
    """
    global _COMPOSER
    if _COMPOSER is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
        from ruamel.yaml.resolver import BaseResolver

        defaults = {
            ScalarNode: "tag:yaml.org,2002:str",
            SequenceNode: "tag:yaml.org,2002:seq",
            MappingNode: "tag:yaml.org,2002:map",
        }

        class PlainResolver(BaseResolver):
            def __init__(self, version: Any = None, loadumper: Any = None) -> None:
                super().__init__(loadumper)

            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                return defaults[kind]

        yaml = YAML(typ="safe", pure=False)
        yaml.Resolver = PlainResolver
        _COMPOSER = yaml
    return _COMPOSER


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE"))
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def _plain_tag(value: str) -> str:
    """The YAML 1.2 core-schema tag of a plain scalar (and `merge` for `<<`)."""
    if value in _NULLS:
        return "null"
    if value in _BOOLS:
        return "bool"
    first = value[0]
    if first in "0123456789+-.":
        if _INT.fullmatch(value):
            return "int"
        if _FLOAT.fullmatch(value):
            return "float"
    elif value == "<<":
        return "merge"
    return "str"


def _check_depth(chunk: str, line_offset: int) -> None:
    """Refuse flow nesting deeper than MAX_DEPTH before the composer sees it.

    libyaml's composer recurses in C, where no recursion limit protects the stack.
    Brackets inside quoted strings or comments also count: a rough bound is enough, since
    only pathological files come near it.
    """
    if chunk.count("[") + chunk.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _FLOW_BRACKET.finditer(chunk):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = chunk.count("\n", 0, match.start()) + 1
                raise YamlError(
                    f"YAML nested more than {MAX_DEPTH} levels deep; refusing to parse it",
                    line_offset + line,
                )
        else:
            depth -= 1


def _raw_tag(raw: Any) -> str:
    """A ruamel node's tag; its `tag` property URI-decodes on every read, which was the
    largest single cost of composing, so read the undecoded suffix when there is no handle."""
    ctag = getattr(raw, "ctag", None)
    if ctag is not None and ctag.handle is None and isinstance(ctag.suffix, str):
        return ctag.suffix
    return str(raw.tag)


class _Converter:
    """Copy ruamel nodes into ours: aliases shared, merge keys applied, size bounded."""

    def __init__(self, line_offset: int) -> None:
        self.line_offset = line_offset
        self.seen: dict[int, Node] = {}
        self.count = 0

    def convert(self, raw: Any, depth: int = 0) -> Node:
        known = self.seen.get(id(raw))
        if known is not None:
            return known
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(f"document has more than {MAX_NODES} nodes; refusing it", 1)
        start, end = raw.start_mark, raw.end_mark
        line = start.line + 1 + self.line_offset
        if depth > MAX_DEPTH:
            raise YamlError(f"YAML nested more than {MAX_DEPTH} levels deep", line)
        column = start.column + 1
        span_end = (end.line + 1 + self.line_offset, end.column + 1)
        kind = raw.id
        if kind == "scalar":
            value = raw.value
            plain = not raw.style
            tag = _raw_tag(raw)
            if tag == _STR_TAG:
                short = _plain_tag(value) if plain else "str"
            else:
                short = _SHORT_TAGS.get(tag, tag)
            return Scalar(value, short, plain, line, column, span_end)
        node: Node
        if kind == "sequence":
            sequence = Sequence([], line, column, span_end)
            self.seen[id(raw)] = sequence
            sequence.items = [self.convert(item, depth + 1) for item in raw.value]
            node = sequence
        else:
            mapping = Mapping(line, column, span_end)
            self.seen[id(raw)] = mapping
            self._fill_mapping(mapping, raw, depth)
            node = mapping
        return node

    def _fill_mapping(self, mapping: Mapping, raw: Any, depth: int) -> None:
        merged: list[Mapping] = []
        for raw_key, raw_value in raw.value:
            key = self.convert(raw_key, depth + 1)
            value = self.convert(raw_value, depth + 1)
            if isinstance(key, Scalar) and key.tag == "merge":
                merged.extend(self._merge_sources(value))
                continue
            if not isinstance(key, Scalar):
                raise YamlError("mapping keys must be plain scalars", key.line, key.column)
            if key.value in mapping.entries:
                mapping.duplicates.append(key)
            mapping.entries[key.value] = (key, value)
        # Explicit keys win over merged ones; earlier merge sources win over later ones.
        for source in merged:
            for name, entry in source.entries.items():
                mapping.entries.setdefault(name, entry)

    @staticmethod
    def _merge_sources(value: Node) -> list[Mapping]:
        if isinstance(value, Mapping):
            return [value]
        if isinstance(value, Sequence) and all(isinstance(i, Mapping) for i in value.items):
            return [item for item in value.items if isinstance(item, Mapping)]
        raise YamlError("a merge key (<<) must refer to a mapping", value.line, value.column)
