"""Layouts with holes give the text `json.dumps(indent=2)` writes for the filled value."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stridescan.reporters._layout import Layout, encode_string, hole, indented_list


def shaped(message: Any, line: Any, names: Any) -> dict[str, Any]:
    return {
        "message": {"text": message},
        "fixed": 'braces {x} }{ and "quotes" é ☃',
        "region": {"startLine": line, "empty": {}, "none": []},
        "names": names,
        "list": [1, {"a": [True, None]}],
    }


@pytest.mark.parametrize("depth", [0, 1, 4])
def test_a_filled_layout_is_what_json_dumps_writes_at_any_depth(depth: int) -> None:
    layout = Layout(shaped(hole("message"), hole("line"), hole("names")), depth=depth)
    message = 'a {b} "c"\t\\ é ☃ \udcff'
    filled = layout.fill(
        {"message": encode_string(message), "line": str(12), "names": encode_string("{names}")}
    )
    expected = json.dumps(shaped(message, 12, "{names}"), indent=2, ensure_ascii=False)
    assert filled == expected.replace("\n", "\n" + "  " * depth)


def test_holes_are_named_in_document_order() -> None:
    layout = Layout(shaped(hole("message"), hole("line"), hole("names")))
    assert layout.names == ["message", "line", "names"]
    assert len(layout.parts) == 4


def test_a_layout_without_holes_is_one_part() -> None:
    value = {"a": ["{}", 1]}
    layout = Layout(value)
    assert layout.parts == [json.dumps(value, indent=2)]
    assert layout.fill({}) == json.dumps(value, indent=2)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_an_indented_list_is_what_json_dumps_writes(count: int) -> None:
    items = [{"n": index, "s": "x"} for index in range(count)]
    laid_out = [json.dumps(item, indent=2).replace("\n", "\n" + "  " * 3) for item in items]
    text = "".join(indented_list(laid_out, depth=2))
    expected = json.dumps({"a": {"b": items}}, indent=2)
    assert "    " + '"b": ' + text + "\n" in expected + "\n"
    assert json.loads(text) == items
