"""YAML text to position-carrying nodes; the only module that imports ruamel.yaml.

Nodes are composed by ruamel.yaml's C-backed parser (libyaml marks, no Python objects are
constructed, so no tag can run code) into small node classes of our own, so the backend
can change without touching the parsers. The C composer builds our nodes directly, in one
pass (`_Builder`); a ruamel build where that is not possible composes its own nodes, which
`_Converter` copies. Safety bounds:

- a multi-document stream is split at `---` lines and each document composed on its own, so
  one broken document does not hide the others, and line numbers stay exact;
- an alias is copied once and shared, and the total node count is bounded, so alias bombs
  cost nothing and huge documents are refused with a clear message;
- merge keys (`<<: *defaults`) are applied as YAML 1.1 defines them, values keeping the
  location where the anchor wrote them;
- nesting deeper than `max_yaml_depth`, flow or block, is refused before the composer
  recurses into it (it recurses in C, where a deep document crashes the process).

The bounds live in `stridescan.limits`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, cast

from stridescan import limits
from stridescan._frozen import dataclass

MAX_DEPTH = limits.MAX_YAML_DEPTH
MAX_NODES = limits.MAX_YAML_NODES

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
_NODE_EVENTS = frozenset(("ScalarEvent", "SequenceStartEvent", "MappingStartEvent"))
_END_EVENTS = frozenset(("SequenceEndEvent", "MappingEndEvent"))


class YamlError(Exception):
    """Text that is not YAML, or YAML beyond the safety bounds; line/column are 1-based."""

    def __init__(self, message: str, line: int, column: int = 1, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint


class Node:
    """Common part of all nodes: the 1-based span the node covers in the file."""

    __slots__ = ("column", "end_column", "end_line", "line")

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    @property
    def start_mark(self) -> _Mark:
        """Where the node starts, 0-based, for ruamel's C composer (`_Builder`): it reads the
        mark of an anchored node when the anchor is defined again. Its error names the
        second definition first, which is where stridescan reports it."""
        return _Mark(self.line - 1, self.column - 1)


class Scalar(Node):
    """A scalar as written; `tag` is str/int/float/bool/null or the custom tag."""

    __slots__ = ("plain", "tag", "value")

    def __init__(
        self, value: str, tag: str, plain: bool, line: int, column: int, end: tuple[int, int]
    ) -> None:
        # Slots assigned here rather than through Node.__init__: one call less per scalar.
        self.line = line
        self.column = column
        self.end_line, self.end_column = end
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


class _Mark(NamedTuple):
    line: int
    column: int


_TRUE = frozenset(("true", "yes", "on", "y"))
_FALSE = frozenset(("false", "no", "off", "n"))


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, items: list[Node], line: int, column: int, end: tuple[int, int]):
        self.line = line
        self.column = column
        self.end_line, self.end_column = end
        self.items = items

    def _set_end_mark(self, mark: Any) -> None:
        # The C composer sets this once the last item is in `items` (`_Builder`).
        _building().close(self, mark)

    end_mark = property(fset=_set_end_mark)


class Mapping(Node):
    """A mapping; keys are scalar texts. `duplicates` lists keys written more than once."""

    __slots__ = ("duplicates", "entries")

    def __init__(self, line: int, column: int, end: tuple[int, int]) -> None:
        self.line = line
        self.column = column
        self.end_line, self.end_column = end
        self.entries: dict[str, tuple[Scalar, Node]] = {}
        self.duplicates: list[Scalar] = []

    def _set_end_mark(self, mark: Any) -> None:
        """The C composer sets this once the last pair is composed (`_Builder.mapping`);
        until then `entries` is the composer's list of (key, value) pairs. Most mappings
        have distinct plain keys and no merge key: one comprehension makes their entries,
        reusing the composer's pairs; the others take `_Builder.entries`."""
        building = _building()
        pairs: list[tuple[Any, Node]] = self.entries  # type: ignore[assignment]
        try:
            entries = {pair[0].value: pair for pair in pairs}
        except AttributeError:  # a key that is a collection: refused by `entries`
            entries = building.entries(self, pairs)
        else:
            if len(entries) != len(pairs) or "<<" in entries:
                entries = building.entries(self, pairs)
        self.entries = entries
        building.close(self, mark)

    end_mark = property(fset=_set_end_mark)

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
    # (first key, repeated key) for each key written twice in one mapping; the last wins.
    duplicates: tuple[tuple[Scalar, Scalar], ...] = ()


def load_documents(text: str) -> Iterator[Document]:
    """Compose every document of `text`, each on its own; errors do not stop the stream."""
    bounds = limits.active()
    # Checked once for the whole text when it can be: a text within the cheap bounds has
    # every document within them, and a text with only LF line breaks has only such
    # documents.
    checked = _within_cheap_bounds(text, bounds)
    lf_only = _Lines.of(text).starts is None
    for offset, chunk in _split_documents(text):
        try:
            composed = _compose_one(chunk, offset, bounds, checked=checked, lf_only=lf_only)
        except YamlError as error:
            yield Document(None, error, offset + 1)
            continue
        if composed is not None:
            root, duplicates = composed
            yield Document(root, None, offset + 1, duplicates)


def _split_documents(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line offset, text) per `---`-separated document.

    Directives (`%YAML 1.2`) belong to the document after them: a chunk that ends in
    directives, after its own `...` end marker or alone, hands them to the next chunk.
    """
    starts = _document_starts(text)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    line = 0
    carried, carried_line = "", 0
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        chunk_line = carried_line if carried else line
        line += chunk.count("\n")
        chunk, carried = carried + chunk, ""
        if index + 1 < len(starts) and "%" in chunk:
            chunk, carried = _directive_tail(chunk)
            carried_line = chunk_line + chunk.count("\n")
        if chunk:
            yield chunk_line, chunk


def _document_starts(text: str) -> list[int]:
    """Where each `---` line begins: what `^---(?=[ \t]|$)` finds in multiline mode, found
    with `str.find`, several times faster than the regex trying every line start."""
    starts: list[int] = []
    if text.startswith("---"):
        candidate = 0
    else:
        found = text.find("\n---")
        candidate = found + 1 if found >= 0 else -1
    while candidate >= 0:
        if text[candidate + 3 : candidate + 4] in ("", " ", "\t", "\n"):
            starts.append(candidate)
        found = text.find("\n---", candidate + 3)
        candidate = found + 1 if found >= 0 else -1
    return starts


def _directive_tail(chunk: str) -> tuple[str, str]:
    """`chunk` split before the directives that open the next document, if it ends in any."""
    lines = chunk.split("\n")
    index = len(lines)
    directives = False
    while index > 0:
        current = lines[index - 1]
        if current.startswith("%"):
            directives = True
        elif current.strip() and not current.lstrip().startswith("#"):
            break
        index -= 1
    if not directives or (index > 0 and lines[index - 1].rstrip() != "..."):
        return chunk, ""
    head = "\n".join(lines[:index]) + "\n" if index else ""
    return head, "\n".join(lines[index:])


def _compose_one(
    chunk: str, line_offset: int, bounds: limits.Limits, *, checked: bool, lf_only: bool
) -> tuple[Node, tuple[tuple[Scalar, Scalar], ...]] | None:
    """One document; `checked` when its text is known to be within the cheap bounds, and
    `lf_only` when it is known to break lines at LF only."""
    if not checked:
        _check_bounds(chunk, line_offset, bounds)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    lines = _LF_ONLY if lf_only else _Lines.of(chunk)
    builder = _Builder(line_offset, lines, bounds)
    try:
        raw = _compose(chunk, builder)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        at = _clamp_to_text(chunk, lines.at(mark) if mark else (0, 0))
        line, column = line_offset + at[0] + 1, at[1] + 1
        problem = error.problem or error.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", line, column) from None
    except (YAMLError, RecursionError) as error:
        raise YamlError(f"invalid YAML: {error}", line_offset + 1) from None
    if raw is None:
        return None
    if isinstance(raw, Node):
        return raw, tuple(builder.duplicates)
    converter = _Converter(line_offset, bounds, lines)
    root = converter.convert(raw)
    return root, tuple(converter.duplicates)


_COMPOSER: Any = None
# The loader classes (`_loader_classes`): for ruamel's own nodes, and for `_Builder`'s.
_LOADERS: tuple[Any, Any] | None = None
# The C extension module whose `ScalarNode`, `SequenceNode` and `MappingNode` globals its
# composer calls, or None when this ruamel build has no such globals (the converter then
# copies ruamel's own nodes instead).
_CMODULE: Any = None


def _compose(chunk: str, builder: _Builder) -> Any:
    """The node tree of one document, straight from the C parser: our nodes, built by
    `builder` while libyaml parses (ruamel's own nodes when `_CMODULE` is None).

    `YAML.compose` does the same but first builds a loader class and a constructor, which
    cost more than composing a typical document; ours is built once per process.

    The C composer builds each node by calling its module's globals `ScalarNode`,
    `SequenceNode` and `MappingNode`; while this document is composed they are the
    builder's methods, so no ruamel node (with its `Tag`) is built only to be copied, and
    no second walk over the tree copies it. The swap is undone before anything else can
    compose: scans compose in one thread per process, and `bench/parse_floor.py` sees
    ruamel unchanged.
    """
    global _LOADERS, _BUILDING
    if _LOADERS is None:
        _LOADERS = _loader_classes()
    module = _CMODULE
    loader = _LOADERS[0 if module is None else 1](chunk)
    if module is not None:
        _BUILDING = builder
        module.ScalarNode = builder.scalar
        module.SequenceNode, module.MappingNode = builder.sequence, builder.mapping
    try:
        return loader.get_single_node()
    finally:
        if module is not None:
            module.ScalarNode, module.SequenceNode, module.MappingNode = _RUAMEL_NODES
            _BUILDING = None
        loader.dispose()


_RUAMEL_NODES: tuple[Any, Any, Any] = (None, None, None)
# The builder of the document being composed, for the `end_mark` setters of our nodes.
_BUILDING: _Builder | None = None


def _building() -> _Builder:
    assert _BUILDING is not None, "end_mark is set only by the composer"
    return _BUILDING


def _loader_classes() -> tuple[Any, Any]:
    # The C extension's parser, as ruamel.yaml.cyaml finds it (its module name varies).
    global _CMODULE, _RUAMEL_NODES
    import sys

    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    defaults = _plain_tags()
    module = sys.modules.get(CParser.__module__)
    nodes = (ScalarNode, SequenceNode, MappingNode)
    if tuple(getattr(module, node.__name__, None) for node in nodes) == nodes:
        _CMODULE, _RUAMEL_NODES = module, nodes

    class Loader(CParser):  # type: ignore[misc]
        """The C parser and composer with the resolver `plain_composer` describes."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            # The converter ignores the tags of collections, and types plain scalars.
            return defaults.get(kind, _STR_TAG)

        def descend_resolver(self, parent: Any, index: Any) -> None:
            """No path-based resolvers: nothing to track."""

        def ascend_resolver(self) -> None:
            """No path-based resolvers: nothing to track."""

    class BuildingLoader(CParser):  # type: ignore[misc]
        """The loader while `_Builder` builds the nodes (`_CMODULE` found).

        The composer calls these three for every node, and Python functions that do
        nothing cost a frame each (over a million calls on 10 MB of YAML): builtins that
        take the same arguments and change nothing do the same job without one. `resolve`
        is asked only for a scalar with no tag written: the slice it returns tells
        `_Builder.scalar` to type the scalar itself; the builder ignores collections' tags.
        """

        resolve = staticmethod(slice)
        descend_resolver = staticmethod(slice)
        ascend_resolver = staticmethod(tuple)

    return Loader, BuildingLoader


def _plain_tags() -> dict[type, str]:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    return {
        ScalarNode: "tag:yaml.org,2002:str",
        SequenceNode: "tag:yaml.org,2002:seq",
        MappingNode: "tag:yaml.org,2002:map",
    }


def plain_composer() -> Any:
    """One ruamel YAML object per process: building one costs more than composing a file.

    Its resolver leaves every scalar a string: ruamel's implicit resolver runs in Python for
    each scalar and was the largest cost of a scan; `_plain_tag` does the same job cheaply,
    and only for the plain scalars that can hold anything but a string. (bench/parse_floor.py
    composes with it too, so the floor parses YAML exactly as a scan does.)
    """
    global _COMPOSER
    if _COMPOSER is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.resolver import BaseResolver

        defaults = _plain_tags()

        class PlainResolver(BaseResolver):
            def __init__(self, version: Any = None, loadumper: Any = None) -> None:
                super().__init__(loadumper)

            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                return defaults[kind]

        yaml = YAML(typ="safe", pure=False)
        yaml.Resolver = PlainResolver
        _COMPOSER = yaml
    return _COMPOSER


# The plain scalars whose tag is not `str` other than numbers, with their tags.
_WORD_TAGS = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), "null"),
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), "bool"),
    "<<": "merge",
}
# The first characters of every number `_number_tag` gives a tag other than `str`.
_NUMBER_FIRST = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


_new = object.__new__


class _Builder:
    """Builds our nodes where ruamel's C composer would build its own, and bounds them.

    The composer calls `ScalarNode(tag, value, start, end, style)`,
    `SequenceNode(tag, items, start, None, flow)` and `MappingNode(tag, pairs, start, None,
    flow)` (here `scalar`, `sequence` and `mapping`), appends each composed item to the
    collection's list, and sets the collection's `end_mark` once it is complete: our nodes'
    `end_mark` setters then finish them (`close`; a mapping turns its pairs into entries).
    Aliases are the same node again, so an alias bomb costs nothing.

    Depth: the collections open around a node are its depth (the root is depth 0), held to
    `max_yaml_depth` as each node is built, so the composer stops at the first node past it.
    A collection checks itself when it begins; scalars, most of the nodes, are built by
    `scalar` without a check, and by `_scalar_too_deep` instead while the open collections
    are already as deep as allowed (`_begin` and `close` swap them in the composer).

    Size: nodes are not counted here. `_check_bounds` has already either found the text's
    cheap bound within `max_yaml_nodes` (each node but the root needs one of `:-,[{?`) or
    counted the document's node events exactly, and this builds one node per node event.
    """

    __slots__ = ("duplicates", "first_line", "lines", "max_depth", "open", "scalar")

    def __init__(self, line_offset: int, lines: _Lines, bounds: limits.Limits) -> None:
        self.first_line = line_offset + 1
        self.lines = lines
        self.max_depth = bounds.max_yaml_depth
        self.open = 0  # collections begun and not yet complete
        # (first key, repeated key) for each key written twice in one mapping.
        self.duplicates: list[tuple[Scalar, Scalar]] = []
        # What the composer calls for a scalar; positions from libyaml's line count unless
        # the text breaks lines at more than LF (rare).
        self.scalar: Callable[..., Scalar] = (
            self._scalar if lines.starts is None else self._scalar_exact_lines
        )

    def _scalar(self, tag: str | slice, value: str, start: Any, end: Any, style: Any) -> Scalar:
        plain = not style
        if tag.__class__ is slice or tag == _STR_TAG:  # no tag written (`BuildingLoader`)
            # `_plain_tag`, inlined: a call per scalar costs more than the lookups.
            if plain:
                word = _WORD_TAGS.get(value)
                if word is not None:
                    short = word
                elif value[0] in _NUMBER_FIRST:
                    short = _number_tag(value)
                else:
                    short = "str"
            else:
                short = "str"
        else:
            short = _SHORT_TAGS.get(cast(str, tag), cast(str, tag))
        # `Scalar(...)` would run `__init__` in a frame of its own: filled here instead.
        first_line = self.first_line
        scalar = _new(Scalar)
        scalar.value, scalar.tag, scalar.plain = value, short, plain
        scalar.line, scalar.column = start.line + first_line, start.column + 1
        scalar.end_line, scalar.end_column = end.line + first_line, end.column + 1
        return scalar

    def _scalar_exact_lines(
        self, tag: str | slice, value: str, start: Any, end: Any, style: Any
    ) -> Scalar:
        scalar = self._scalar(tag, value, start, end, style)
        (line, column), (end_line, end_column) = self.lines.at(start), self.lines.at(end)
        scalar.line, scalar.column = line + self.first_line, column + 1
        scalar.end_line, scalar.end_column = end_line + self.first_line, end_column + 1
        return scalar

    def _scalar_too_deep(self, tag: Any, value: str, start: Any, end: Any, style: Any) -> Scalar:
        raise _too_deep(self.max_depth, self.lines.at(start)[0] + self.first_line)

    def sequence(self, tag: str, items: list[Node], start: Any, end: Any, flow: Any) -> Sequence:
        sequence = _new(Sequence)
        sequence.items = items  # filled by the composer
        self._begin(sequence, start)
        return sequence

    def mapping(self, tag: str, pairs: list[Any], start: Any, end: Any, flow: Any) -> Mapping:
        mapping = _new(Mapping)
        # The composer's (key, value) pairs until `end_mark` is set (`Mapping._set_end_mark`).
        mapping.entries = pairs  # type: ignore[assignment]
        mapping.duplicates = []
        self._begin(mapping, start)
        return mapping

    def _begin(self, node: Node, start: Any) -> None:
        line, column = self.lines.at(start)
        if self.open > self.max_depth:
            raise _too_deep(self.max_depth, line + self.first_line)
        self.open += 1
        if self.open > self.max_depth:  # its scalars would be too deep
            _CMODULE.ScalarNode = self._scalar_too_deep
        node.line, node.column = line + self.first_line, column + 1

    def close(self, node: Node, end: Any) -> None:
        """A collection is complete: its end, and one level less open."""
        if self.open > self.max_depth:
            _CMODULE.ScalarNode = self.scalar
        self.open -= 1
        line, column = self.lines.at(end)
        node.end_line, node.end_column = line + self.first_line, column + 1

    def entries(self, mapping: Mapping, pairs: list[Any]) -> dict[str, tuple[Scalar, Node]]:
        """`_entries_of`, recording repeated keys in this document's duplicates."""
        return _entries_of(mapping, pairs, self.duplicates)


def _entries_of(
    mapping: Mapping, pairs: list[Any], duplicates: list[tuple[Scalar, Scalar]]
) -> dict[str, tuple[Scalar, Node]]:
    """The entries of a mapping from its (key, value) pairs, keys that are not scalars
    refused: the last value of a repeated key wins and both are recorded (in the mapping and
    in `duplicates`); explicit keys win over merged ones, earlier merge sources over later
    ones. A mapping still being composed has a list for entries: merging it into itself is
    refused."""
    entries: dict[str, tuple[Scalar, Node]] = {}
    merged: list[Mapping] = []
    for pair in pairs:
        key, value = pair
        if not isinstance(key, Scalar):
            raise YamlError("mapping keys must be plain scalars", key.line, key.column)
        if key.tag == "merge":
            merged.extend(_merge_sources(value))
            continue
        name = key.value
        if name in entries:
            mapping.duplicates.append(key)
            duplicates.append((entries[name][0], key))
        entries[name] = pair
    for source in merged:
        if not isinstance(source.entries, dict):  # an alias of a mapping it is inside
            raise YamlError(
                "a merge key (<<) must not refer to a mapping it is inside",
                source.line,
                source.column,
            )
        for name, entry in source.entries.items():
            entries.setdefault(name, entry)
    return entries


def _merge_sources(value: Node) -> list[Mapping]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(i, Mapping) for i in value.items):
        return [item for item in value.items if isinstance(item, Mapping)]
    raise YamlError("a merge key (<<) must refer to a mapping", value.line, value.column)


def _plain_tag(value: str) -> str:
    """The YAML 1.2 core-schema tag of a plain scalar (and `merge` for `<<`)."""
    word = _WORD_TAGS.get(value)
    if word is not None:
        return word
    return _number_tag(value) if value[0] in _NUMBER_FIRST else "str"


def _number_tag(value: str) -> str:
    if _INT.fullmatch(value):
        return "int"
    if _FLOAT.fullmatch(value):
        return "float"
    return "str"


def _check_bounds(chunk: str, line_offset: int, bounds: limits.Limits) -> None:
    """Refuse nesting or size beyond the bounds before the composer sees the text.

    libyaml's composer recurses in C, where no recursion limit protects the stack: a few
    thousand levels crash the process. And it builds the whole tree (about 600 bytes a
    node) before the converter can count it. Cheap text bounds decide whether to look
    closer: flow brackets are counted directly (brackets in strings and comments count too,
    which is fine for a rough bound); block nesting needs indentation or `- `/`? `
    indicators, about two columns a level, at the start of a line; and every node but the
    root needs one of `:-,[{?`. Only text past those bounds is checked exactly, with the
    parser's events: libyaml's parser does not recurse and keeps no tree.
    """
    max_depth = bounds.max_yaml_depth
    if chunk.count("[") + chunk.count("{") > max_depth:
        _check_flow_depth(chunk, line_offset, max_depth)
    if _deep_or_large(chunk, bounds):
        _check_events(chunk, line_offset, bounds)


def _within_cheap_bounds(text: str, bounds: limits.Limits) -> bool:
    """Whether `_check_bounds` would find nothing to look closer at in `text`."""
    flow = text.count("[") + text.count("{")
    return flow <= bounds.max_yaml_depth and not _deep_or_large(text, bounds)


def _deep_or_large(chunk: str, bounds: limits.Limits) -> bool:
    prefix = f"[ \t?:-]{{{bounds.max_yaml_depth // 2}}}"
    deep = re.match(prefix, chunk) is not None or re.search("\n" + prefix, chunk) is not None
    separators = sum(chunk.count(indicator) for indicator in ":-,[{?")
    return deep or 2 * separators + 2 > bounds.max_yaml_nodes


def _check_flow_depth(chunk: str, line_offset: int, max_depth: int) -> None:
    brackets = _FLOW_BRACKET.findall(chunk)
    for index, depth in enumerate(itertools.accumulate(1 if b in "[{" else -1 for b in brackets)):
        if depth > max_depth:
            match = next(itertools.islice(_FLOW_BRACKET.finditer(chunk), index, None))
            line = chunk.count("\n", 0, match.start()) + 1
            raise _too_deep(max_depth, line_offset + line)


def _check_events(chunk: str, line_offset: int, bounds: limits.Limits) -> None:
    from ruamel.yaml.error import YAMLError

    depth = nodes = 0
    try:
        for event in plain_composer().parse(chunk):
            name = type(event).__name__
            if name in _NODE_EVENTS:
                nodes += 1
                if nodes > bounds.max_yaml_nodes:
                    line = line_offset + _Lines.of(chunk).at(event.start_mark)[0] + 1
                    raise _too_many_nodes(bounds.max_yaml_nodes, line)
                if name != "ScalarEvent":
                    depth += 1
                    if depth > bounds.max_yaml_depth:
                        line = line_offset + _Lines.of(chunk).at(event.start_mark)[0] + 1
                        raise _too_deep(bounds.max_yaml_depth, line)
            elif name in _END_EVENTS:
                depth -= 1
    except YAMLError:
        return  # reported by the composer, which fails at the same place, within bounds


def _too_many_nodes(max_nodes: int, line: int) -> YamlError:
    return YamlError(
        f"YAML document has more than {max_nodes} nodes; refusing to parse it",
        line,
        hint=f"split the document, or set {limits.ENVIRONMENT['max_yaml_nodes']} to allow more",
    )


def _clamp_to_text(chunk: str, at: tuple[int, int]) -> tuple[int, int]:
    """An error at the end of input sits on the empty line after the last newline; report it
    at the end of the last line of text instead, where an editor can show it."""
    last = chunk.count("\n")
    if last > 0 and at[0] >= last and chunk.endswith("\n"):
        return last - 1, len(chunk[:-1].rsplit("\n", 1)[-1])
    return at


class _Lines:
    """0-based line and column of a mark, counting only LF as a line break.

    libyaml also breaks lines at CR, NEL, LS and PS, but the source lines shown, the
    suppression comments and the other parsers count LF only; in the rare text that holds
    one of those, positions are recomputed from the mark's character index.
    """

    _OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")

    def __init__(self, starts: list[int] | None) -> None:
        self.starts = starts

    @classmethod
    def of(cls, chunk: str) -> _Lines:
        if cls._OTHER_BREAKS.search(chunk) is None:
            return cls(None)
        return cls([0, *(match.end() for match in re.finditer("\n", chunk))])

    def at(self, mark: Any) -> tuple[int, int]:
        if self.starts is None:
            return mark.line, mark.column
        index = mark.index
        line = bisect.bisect_right(self.starts, index) - 1
        return line, index - self.starts[line]


_LF_ONLY = _Lines(None)


def _too_deep(max_depth: int, line: int) -> YamlError:
    return YamlError(
        f"YAML nested more than {max_depth} levels deep; refusing to parse it",
        line,
        hint=f"set {limits.ENVIRONMENT['max_yaml_depth']} to allow more",
    )


class _Converter:
    """Copy ruamel's own nodes into ours: aliases shared, merge keys applied, size bounded.

    Only for a ruamel build whose C composer could not be given the `_Builder` (no node
    globals to swap, `_CMODULE` None); it gives the same nodes, which a test checks.
    """

    def __init__(self, line_offset: int, bounds: limits.Limits, lines: _Lines) -> None:
        self.line_offset = line_offset
        self.lines = lines
        self.max_nodes = bounds.max_yaml_nodes
        self.max_depth = bounds.max_yaml_depth
        self.seen: dict[int, Node] = {}
        self.duplicates: list[tuple[Scalar, Scalar]] = []
        self.count = 0

    def convert(self, raw: Any, depth: int = 0) -> Node:
        known = self.seen.get(id(raw))
        if known is not None:
            return known
        line, column, span_end = self._span(raw, depth)
        if raw.id == "scalar":
            node: Node = self._scalar(raw, line, column, span_end)
        elif raw.id == "sequence":
            node = Sequence([], line, column, span_end)
            self.seen[id(raw)] = node
            node.items = [self.convert(item, depth + 1) for item in raw.value]
        else:
            node = Mapping(line, column, span_end)
            self.seen[id(raw)] = node
            self._fill_mapping(node, raw, depth + 1)
        self.seen[id(raw)] = node
        return node

    def _span(self, raw: Any, depth: int) -> tuple[int, int, tuple[int, int]]:
        """Count the node against the bounds; its 1-based line, column and end."""
        self.count += 1
        (line, column), (end_line, end_column) = (
            self.lines.at(raw.start_mark),
            self.lines.at(raw.end_mark),
        )
        line += 1 + self.line_offset
        if self.count > self.max_nodes:
            raise _too_many_nodes(self.max_nodes, line)
        if depth > self.max_depth:
            raise _too_deep(self.max_depth, line)
        return line, column + 1, (end_line + 1 + self.line_offset, end_column + 1)

    @staticmethod
    def _scalar(raw: Any, line: int, column: int, span_end: tuple[int, int]) -> Scalar:
        value = raw.value
        plain = not raw.style
        # The `tag` property URI-decodes on every read: read the undecoded suffix when
        # there is no handle.
        ctag = raw.ctag
        plain_suffix = ctag.handle is None and isinstance(ctag.suffix, str)
        tag = ctag.suffix if plain_suffix else str(raw.tag)
        if tag == _STR_TAG:
            short = _plain_tag(value) if plain else "str"
        else:
            short = _SHORT_TAGS.get(tag, tag)
        return Scalar(value, short, plain, line, column, span_end)

    def _fill_mapping(self, mapping: Mapping, raw: Any, depth: int) -> None:
        # Open until its pairs are converted, as the builder's mappings are.
        mapping.entries = []  # type: ignore[assignment]
        pairs = [(self.convert(key, depth), self.convert(value, depth)) for key, value in raw.value]
        mapping.entries = _entries_of(mapping, pairs, self.duplicates)
