"""Typed reads of YAML nodes into located model values, shared by the YAML-based parsers.

A value that is present is located from its key to the end of its value (so a report can
underline `privileged: true`); an absent one is located at the owner the caller names.
A value of the wrong type is a `ParseError` at the value, phrased for the user.
"""

from __future__ import annotations

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


def node_location(path: str, node: Node, key: Scalar | None = None) -> Location:
    """The span of `node`, starting at its key when one is given."""
    start = key if key is not None else node
    return Location(
        path=path,
        line=start.line,
        column=start.column,
        end_line=node.end_line if node.end_line >= start.line else start.line,
        end_column=node.end_column,
    )


def key_location(path: str, mapping: Mapping, key: str, owner: Location) -> Location:
    """Where `key` is written in `mapping`, or `owner` when it is absent."""
    key_node = mapping.key_node(key)
    if key_node is None:
        return owner
    return Location(path=path, line=key_node.line, column=key_node.column)


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


class Reader:
    """Located reads of one mapping's keys, with absent values placed at `owner`."""

    def __init__(self, path: str, mapping: Mapping | None, owner: Location, where: str) -> None:
        self.path = path
        self.mapping = mapping
        self.owner = owner
        self.where = where  # how the user names this mapping, for messages

    # node, location and text are the hot path of every parser: they read the entry once and
    # build the user's name for the key only when there is an error to report.
    def node(self, key: str) -> Node | None:
        mapping = self.mapping
        entry = mapping.entries.get(key) if mapping is not None else None
        if entry is None:
            return None
        value = entry[1]
        return None if isinstance(value, Scalar) and value.tag == "null" else value

    def location(self, key: str) -> Location:
        """Where `key: value` is written, or the owner when the key is absent."""
        mapping = self.mapping
        entry = mapping.entries.get(key) if mapping is not None else None
        if entry is None:
            return self.owner
        key_node, value = entry
        if isinstance(value, Scalar) and value.tag == "null":
            return self.owner
        return node_location(self.path, value, key_node)

    def text(self, key: str) -> Located[str | None]:
        mapping = self.mapping
        entry = mapping.entries.get(key) if mapping is not None else None
        if entry is None:
            return Located(None, self.owner)
        key_node, value = entry
        if isinstance(value, Scalar):
            if value.tag == "null":
                return Located(None, self.owner)
            return Located(value.value, node_location(self.path, value, key_node))
        return Located(scalar_text(value, self._name(key)), self.location(key))

    def boolean(self, key: str, *, yaml11: bool = False) -> Located[bool | None]:
        node = self.node(key)
        if node is None:
            return Located(None, self.owner)
        value = node.as_bool(yaml11=yaml11) if isinstance(node, Scalar) else None
        if value is None:
            raise ParseError(
                f"{self._name(key)} must be true or false, not {describe(node)}",
                node.line,
                node.column,
            )
        return Located(value, self.location(key))

    def integer(self, key: str) -> Located[int | None]:
        node = self.node(key)
        if node is None:
            return Located(None, self.owner)
        if isinstance(node, Scalar) and node.tag in ("int", "str"):
            try:
                return Located(int(node.value, 0), self.location(key))
            except ValueError:
                pass
        raise ParseError(
            f"{self._name(key)} must be a whole number, not {describe(node)}",
            node.line,
            node.column,
        )

    def mapping_at(self, key: str) -> Mapping | None:
        node = self.node(key)
        if node is None or isinstance(node, Mapping):
            return node
        return expect_mapping(node, self._name(key))

    def sequence_at(self, key: str) -> Sequence | None:
        node = self.node(key)
        if node is None or isinstance(node, Sequence):
            return node
        return expect_sequence(node, self._name(key))

    def child(self, key: str, owner: Location | None = None) -> Reader:
        """A reader of the mapping under `key`; absent values there fall back to `owner`."""
        mapping = self.mapping_at(key)
        if owner is None:
            owner = self.location(key) if mapping is not None else self.owner
        return Reader(self.path, mapping, owner, self._name(key))

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key
