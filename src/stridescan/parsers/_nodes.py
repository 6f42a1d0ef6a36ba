"""Typed reads of YAML nodes into located model values, shared by the YAML-based parsers.

A value that is present is located from its key to the end of its value (so a report can
underline `privileged: true`); an absent one is located at the owner the caller names.
A value of the wrong type is a `ParseError` at the value, phrased for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from stridescan._frozen import builder
from stridescan.diagnostics import ParseError
from stridescan.model import Located, Location
from stridescan.yamlsource import Mapping, Node, Scalar, Sequence

_TYPE_NAMES = {Mapping: "a mapping", Sequence: "a list", Scalar: "a scalar"}


def describe(node: Node) -> str:
    """How a user would name what is written: 'a list', 'the number 3', ..."""
    if isinstance(node, Scalar):
        if node.tag == "null":
            return "an empty value"
        if node.tag in ("int", "float"):
            return f"the number {_short(node.value)}"
        if node.tag == "bool":
            return f"the boolean {node.value}"
        return f"the string {_short(node.value)!r}"
    return _TYPE_NAMES.get(type(node), "a value")


def _short(text: str, limit: int = 60) -> str:
    """A value short enough for a message: a 2 MB scalar must not become a 2 MB error."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


# Parsers build a Location or Located for nearly every value they read: these build the same
# objects as the classes, at a fraction of the cost (see `_frozen.builder`).
new_location = builder(Location)
new_located = builder(Located)


def node_location(path: str, node: Node, key: Scalar | None = None) -> Location:
    """The span of `node`, starting at its key when one is given."""
    start = key if key is not None else node
    line = start.line
    end_line = node.end_line
    return new_location(
        path=path,
        line=line,
        column=start.column,
        end_line=end_line if end_line >= line else line,
        end_column=node.end_column,
    )


def key_location(path: str, mapping: Mapping, key: str, owner: Location) -> Location:
    """Where `key` is written in `mapping`, or `owner` when it is absent."""
    entry = mapping.entries.get(key)
    if entry is None:
        return owner
    key_node = entry[0]
    return new_location(path=path, line=key_node.line, column=key_node.column)


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, Scalar) and node.tag == "null")


def expect_mapping(node: Node | None, what: str) -> Mapping | None:
    """`node` as a mapping; None when absent or null; ParseError for any other type."""
    if is_null(node):
        return None
    if not isinstance(node, Mapping):
        assert node is not None
        raise ParseError(f"{what} must be a mapping, not {describe(node)}", node.line, node.column)
    return node


def expect_sequence(node: Node | None, what: str) -> Sequence | None:
    if is_null(node):
        return None
    if not isinstance(node, Sequence):
        assert node is not None
        raise ParseError(f"{what} must be a list, not {describe(node)}", node.line, node.column)
    return node


def scalar_text(node: Node | None, what: str) -> str | None:
    """The text of a scalar (any scalar type), None when absent or null."""
    if is_null(node):
        return None
    if not isinstance(node, Scalar):
        assert node is not None
        raise ParseError(f"{what} must be a single value, not {describe(node)}", node.line)
    return node.value


# The entries of an absent mapping: readers look keys up without asking whether it exists.
_NO_ENTRIES: MappingProxyType[str, tuple[Scalar, Node]] = MappingProxyType({})


class Reader:
    """Located reads of one mapping's keys, with absent values placed at `owner`.

    Every absent value of one reader is the same `absent` object (located at the owner), and
    a child reader placed at the same owner shares it: values are immutable, and a container
    reads dozens of absent settings.
    """

    __slots__ = ("absent", "entries", "mapping", "owner", "path", "where")

    def __init__(
        self,
        path: str,
        mapping: Mapping | None,
        owner: Location,
        where: str,
        absent: Located[Any] | None = None,
    ) -> None:
        self.path = path
        self.mapping = mapping
        self.entries = mapping.entries if mapping is not None else _NO_ENTRIES
        self.owner = owner
        self.where = where  # how the user names this mapping, for messages
        # Located(None, owner), typed for every read: whatever type a key holds, absent is None.
        self.absent: Located[Any] = absent if absent is not None else new_located(None, owner)

    # node, location and text are the hot path of every parser: they read the entry once and
    # build the user's name for the key only when there is an error to report.
    def node(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        value = entry[1]
        return None if isinstance(value, Scalar) and value.tag == "null" else value

    def location(self, key: str) -> Location:
        """Where `key: value` is written, or the owner when the key is absent."""
        entry = self.entries.get(key)
        if entry is None:
            return self.owner
        key_node, value = entry
        if isinstance(value, Scalar) and value.tag == "null":
            return self.owner
        return node_location(self.path, value, key_node)

    def text(self, key: str) -> Located[str | None]:
        entry = self.entries.get(key)
        if entry is None:
            return self.absent
        key_node, value = entry
        if isinstance(value, Scalar):
            if value.tag == "null":
                return self.absent
            return new_located(value.value, node_location(self.path, value, key_node))
        return Located(scalar_text(value, self._name(key)), self.location(key))

    # The reads below look the entry up themselves rather than through `node`: one call less
    # on the hot path. A null value reads as absent everywhere.
    def boolean(self, key: str, *, yaml11: bool = False) -> Located[bool | None]:
        entry = self.entries.get(key)
        if entry is None:
            return self.absent
        key_node, node = entry
        if isinstance(node, Scalar):
            if node.tag == "null":
                return self.absent
            value = node.as_bool(yaml11=yaml11)
            if value is not None:
                return new_located(value, node_location(self.path, node, key_node))
        raise ParseError(
            f"{self._name(key)} must be true or false, not {describe(node)}",
            node.line,
            node.column,
        )

    def integer(self, key: str) -> Located[int | None]:
        entry = self.entries.get(key)
        if entry is None:
            return self.absent
        key_node, node = entry
        if isinstance(node, Scalar):
            if node.tag == "null":
                return self.absent
            if node.tag in ("int", "str"):
                try:
                    number = int(node.value, 0)
                except ValueError:
                    pass
                else:
                    return new_located(number, node_location(self.path, node, key_node))
        raise ParseError(
            f"{self._name(key)} must be a whole number, not {describe(node)}",
            node.line,
            node.column,
        )

    def mapping_at(self, key: str) -> Mapping | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        node = entry[1]
        if isinstance(node, Mapping):
            return node
        return expect_mapping(node, self._name(key))  # None when null, else refused

    def sequence_at(self, key: str) -> Sequence | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        node = entry[1]
        if isinstance(node, Sequence):
            return node
        return expect_sequence(node, self._name(key))  # None when null, else refused

    def texts(
        self, key: str, normalise: Callable[[str], str] | None = None
    ) -> tuple[Located[str], ...]:
        """The texts listed under `key` (normalised when asked), each where it is written;
        empty items are left out, a list or mapping in the list is refused."""
        items = self.sequence_at(key)
        if items is None:
            return ()
        path = self.path
        texts: list[Located[str]] = []
        for index, item in enumerate(items.items):
            if isinstance(item, Scalar):
                if item.tag != "null":
                    text = item.value if normalise is None else normalise(item.value)
                    texts.append(new_located(text, node_location(path, item)))
            else:
                scalar_text(item, f"{self._name(key)}[{index}]")  # raises, naming the item
        return tuple(texts)

    def child(self, key: str, owner: Location | None = None) -> Reader:
        """A reader of the mapping under `key`; absent values there fall back to `owner`."""
        mapping = self.mapping_at(key)
        if owner is None:
            owner = self.location(key) if mapping is not None else self.owner
        absent = self.absent if owner is self.owner else None
        return Reader(self.path, mapping, owner, self._name(key), absent)

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key
