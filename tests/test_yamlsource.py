from __future__ import annotations

import time

from stridescan.yamlsource import MAX_DEPTH, Mapping, Scalar, Sequence, load_documents


def only_root(text: str) -> Mapping:
    documents = list(load_documents(text))
    assert len(documents) == 1 and documents[0].error is None
    root = documents[0].root
    assert isinstance(root, Mapping)
    return root


def test_nodes_carry_one_based_lines_and_columns() -> None:
    root = only_root("a:\n  b: [x, 'y']\n")
    key = root.key_node("a")
    assert key is not None and (key.line, key.column) == (1, 1)
    inner = root.get("a")
    assert isinstance(inner, Mapping)
    items = inner.get("b")
    assert isinstance(items, Sequence)
    assert [(i.line, i.column) for i in items.items] == [(2, 7), (2, 10)]


def test_each_document_is_composed_on_its_own() -> None:
    documents = list(load_documents("a: 1\n---\nb: [\n---\nc: 3\n"))
    assert [d.start_line for d in documents] == [1, 2, 4]
    assert documents[1].error is not None and documents[1].error.line >= 3
    last = documents[2].root
    assert isinstance(last, Mapping)
    assert last.key_node("c") is not None and last.key_node("c").line == 5  # type: ignore[union-attr]


def test_merge_keys_apply_and_keep_the_anchor_location() -> None:
    root = only_root("base: &b\n  x: 1\n  y: 2\nchild:\n  <<: *b\n  y: 3\n")
    child = root.get("child")
    assert isinstance(child, Mapping)
    x, y = child.get("x"), child.get("y")
    assert isinstance(x, Scalar) and (x.value, x.line) == ("1", 2)
    assert isinstance(y, Scalar) and (y.value, y.line) == ("3", 6)


def test_yaml11_booleans_only_when_asked() -> None:
    root = only_root("a: yes\nb: 'yes'\nc: true\n")
    a, b, c = (root.get(k) for k in "abc")
    assert isinstance(a, Scalar) and isinstance(b, Scalar) and isinstance(c, Scalar)
    assert (a.as_bool(), a.as_bool(yaml11=True)) == (None, True)
    assert b.as_bool(yaml11=True) is None
    assert c.as_bool() is True


def test_an_alias_bomb_is_cheap() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(9)
    ]
    started = time.process_time()
    root = only_root("\n".join(lines) + "\n")
    assert "j" in root
    assert time.process_time() - started < 5


def test_deep_nesting_is_refused_with_a_line() -> None:
    documents = list(load_documents("a: " + "[" * (MAX_DEPTH + 50) + "\n"))
    assert documents[0].error is not None
    assert "nested more than" in documents[0].error.message
    assert documents[0].error.line == 1


def test_duplicate_keys_keep_the_last_value_and_are_recorded() -> None:
    root = only_root("a: 1\na: 2\n")
    value = root.get("a")
    assert isinstance(value, Scalar) and value.value == "2"
    assert [k.line for k in root.duplicates] == [2]


def test_python_tags_are_never_constructed() -> None:
    root = only_root("a: !!python/object/apply:os.system ['echo pwned']\n")
    value = root.get("a")
    assert isinstance(value, Sequence)
