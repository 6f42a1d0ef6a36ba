"""The C composer builds our scalars directly; ruamel must look untouched to everyone else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridescan.yamlsource import Mapping, Scalar, Sequence, load_documents


def ruamel_node_classes() -> tuple[Any, ...]:
    """The node classes ruamel's C composer calls now."""
    import sys

    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

    module = sys.modules[CParser.__module__]
    return tuple(getattr(module, name, None) for name in NAMES)


NAMES = ("ScalarNode", "SequenceNode", "MappingNode")


def ruamel_own_classes() -> tuple[Any, ...]:
    from ruamel.yaml import nodes

    return tuple(getattr(nodes, name) for name in NAMES)


def test_ruamel_composes_its_own_nodes_again_after_a_document() -> None:
    list(load_documents("a: 1\nb: [x, 'y']\n"))
    assert ruamel_node_classes() == ruamel_own_classes()


def test_ruamel_composes_its_own_nodes_again_after_a_broken_document() -> None:
    documents = list(load_documents("a: 1\nb: [x,\n"))
    assert documents[0].error is not None
    assert ruamel_node_classes() == ruamel_own_classes()


def test_a_scalar_composed_after_a_document_line_offset_keeps_its_own_line() -> None:
    documents = list(load_documents("a: 1\n---\n# note\nb: 'two'\n"))
    root = documents[1].root
    assert isinstance(root, Mapping)
    key, value = root.entries["b"]
    assert (key.line, key.column, value.line, value.column) == (4, 1, 4, 4)
    assert (value.end_line, value.end_column) == (4, 9)
    assert isinstance(value, Scalar) and value.tag == "str" and not value.plain


def test_an_aliased_scalar_sits_where_its_anchor_is_written() -> None:
    documents = list(load_documents("a: &v 10\nb: [*v, *v]\n"))
    root = documents[0].root
    assert isinstance(root, Mapping)
    items = root.get("b")
    assert isinstance(items, Sequence)
    assert [(i.line, i.column) for i in items.items] == [(1, 4), (1, 4)]
    assert all(isinstance(i, Scalar) and i.tag == "int" for i in items.items)


def test_explicit_tags_and_carriage_returns_survive_the_composer() -> None:
    root = next(load_documents("a: !!int '7'\r\nb: !custom x\r\nc: yes\r\n")).root
    assert isinstance(root, Mapping)
    tags = {
        name: value.tag for name, (_, value) in root.entries.items() if isinstance(value, Scalar)
    }
    assert tags == {"a": "int", "b": "!custom", "c": "str"}
    value = root.get("c")
    assert value is not None and (value.line, value.column) == (3, 4)


def test_an_anchor_defined_twice_is_reported_at_its_second_definition() -> None:
    for second in ("2", "[2]", "{q: 2}"):
        documents = list(load_documents(f"z: 1\n---\na: &x 1\nb: &x {second}\n"))
        error = documents[1].error
        assert error is not None and documents[1].root is None
        assert (error.message, error.line, error.column) == (
            "invalid YAML: second occurrence",
            4,
            4,
        )


def tree(node: object) -> object:
    """Everything a node says, positions included, as plain data to compare."""
    if isinstance(node, Mapping):
        entries = [(name, tree(key), tree(value)) for name, (key, value) in node.entries.items()]
        duplicates = [tree(key) for key in node.duplicates]
        return ("map", node.line, node.column, node.end_line, node.end_column, entries, duplicates)
    if isinstance(node, Sequence):
        items = [tree(item) for item in node.items]
        return ("seq", node.line, node.column, node.end_line, node.end_column, items)
    assert isinstance(node, Scalar)
    return (
        node.value,
        node.tag,
        node.plain,
        node.line,
        node.column,
        node.end_line,
        node.end_column,
    )


SAMPLE = (
    "base: &b {m: 1, n: [2, 0x1f, .5]}\n"
    "merged:\n  <<: *b\n  m: 'nine'\n  m: ~\n"
    "list:\n  - *b\n  - !custom x\n  - |\n    block\n"
    "---\n"
    "other: [yes, 'no', true, -3e2]\r\n"
)


def test_ruamel_builds_without_the_factory_give_the_same_nodes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from stridescan import yamlsource

    with_factory = [
        (tree(d.root), [tree(a) for pair in d.duplicates for a in pair])
        for d in load_documents(SAMPLE)
    ]
    assert yamlsource._CMODULE is not None
    monkeypatch.setattr(yamlsource, "_CMODULE", None)
    without = [
        (tree(d.root), [tree(a) for pair in d.duplicates for a in pair])
        for d in load_documents(SAMPLE)
    ]
    assert with_factory == without
    assert len(with_factory) == 2 and with_factory[0][1] != []


TYPED_PLAIN = ("", "~", "null", "Null", "NULL", "true", "False", "TRUE", "12", "-3", "0o7")
TYPED_PLAIN_MORE = ("0x1F", "+1.5", ".5", "1e3", ".inf", "-.Inf", ".NaN", "<<")


@given(
    st.sampled_from(TYPED_PLAIN + TYPED_PLAIN_MORE + ("nginx", "n", "t1", "-x", ".a"))
    | st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.+_-]{0,8}", fullmatch=True)
)
def test_the_composer_types_plain_scalars_as_plain_tag_does(text: str) -> None:
    from stridescan.yamlsource import _plain_tag

    root = next(load_documents(f"k: {text}\n")).root
    assert isinstance(root, Mapping)
    value = root.get("k")
    if text in ("", "~", "null", "Null", "NULL"):
        assert value is None or (isinstance(value, Scalar) and value.tag == "null")
        return
    assert isinstance(value, Scalar) and value.plain and value.value == text
    assert value.tag == _plain_tag(text)


def test_plain_scalars_get_their_yaml_1_2_types_from_the_composer() -> None:
    values = (*TYPED_PLAIN, *TYPED_PLAIN_MORE[:-1], "x", "'true'")
    root = next(load_documents("k:\n" + "".join(f"  - {value}\n" for value in values))).root
    assert isinstance(root, Mapping)
    items = root.get("k")
    assert isinstance(items, Sequence)
    tags = [item.tag for item in items.items if isinstance(item, Scalar)]
    assert tags == ["null"] * 5 + ["bool"] * 3 + ["int"] * 4 + ["float"] * 6 + ["str", "str"]


DOCUMENT_START = re.compile(r"^---(?=[ \t]|$)", re.MULTILINE)


@given(st.lists(st.sampled_from(["-", "---", "\n", "\n---", " ", "\t", "\r", "a"]), max_size=14))
def test_document_starts_are_the_lines_a_document_marker_opens(parts: list[str]) -> None:
    from stridescan.yamlsource import _document_starts

    text = "".join(parts)
    assert _document_starts(text) == [match.start() for match in DOCUMENT_START.finditer(text)]


def test_a_document_past_the_cheap_bounds_is_still_checked_when_others_are_small(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STRIDESCAN_MAX_YAML_DEPTH", "10")
    deep = "a: " + "[" * 12 + "]" * 12 + "\n"
    documents = list(load_documents("x: 1\n---\n" + deep + "---\ny: 2\n"))
    assert [d.error is None for d in documents] == [True, False, True]
    error = documents[1].error
    assert error is not None and error.line == 3 and "more than 10 levels" in error.message


def test_a_carriage_return_in_one_document_keeps_the_others_lines_exact() -> None:
    documents = list(load_documents("a: 1\n---\nb: 'x\r'\n---\nc: 2\n"))
    lines = []
    for document in documents:
        assert isinstance(document.root, Mapping)
        ((key, _),) = document.root.entries.values()
        lines.append(key.line)
    assert lines == [1, 3, 5]


def _block_then_flow(flow: str) -> str:
    """Five block mappings (one-space indents, under the cheap depth check), then `flow`."""
    return "a:\n b:\n  c:\n   d:\n    e: " + flow + "\nz: 1\n"


def test_a_scalar_one_level_past_the_depth_bound_is_refused_at_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STRIDESCAN_MAX_YAML_DEPTH", "10")
    (document,) = load_documents(_block_then_flow("[[[[[['x']]]]]]"))
    assert document.error is not None and document.root is None
    assert "more than 10 levels" in document.error.message
    assert document.error.line == 5


def test_an_empty_collection_at_the_depth_bound_is_kept_and_later_scalars_are_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STRIDESCAN_MAX_YAML_DEPTH", "10")
    (document,) = load_documents(_block_then_flow("[[[[[[]], [{}]]]], 'y']"))
    assert document.error is None
    root = document.root
    assert isinstance(root, Mapping)
    z = root.get("z")
    assert isinstance(z, Scalar) and (z.value, z.tag, z.line) == ("1", "int", 6)


@pytest.mark.parametrize("factory", [True, False], ids=["builder", "converter"])
def test_a_merge_key_naming_the_mapping_it_is_in_is_refused_at_that_mapping(
    monkeypatch: pytest.MonkeyPatch, factory: bool
) -> None:
    from stridescan import yamlsource

    list(load_documents("warm: up\n"))
    if not factory:
        monkeypatch.setattr(yamlsource, "_CMODULE", None)
    (document,) = load_documents("top: 1\nself: &x\n  b: 1\n  <<: *x\n")
    assert document.root is None and document.error is not None
    assert document.error.message == "a merge key (<<) must not refer to a mapping it is inside"
    assert document.error.line == 2  # where the anchored mapping begins
