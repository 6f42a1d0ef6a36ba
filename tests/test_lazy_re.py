"""`lazy_re` patterns answer like `re` patterns and compile only when first used."""

from __future__ import annotations

import re

import pytest

from stridescan import lazy_re


def test_a_lazy_pattern_is_not_compiled_until_used(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real_compile = re.compile
    monkeypatch.setattr(re, "compile", lambda p, f=0: compiled.append(p) or real_compile(p, f))
    pattern = lazy_re.compile(r"\bsudo\b")
    assert compiled == []
    assert pattern.search("RUN sudo apt-get install x") is not None
    assert pattern.search("RUN pseudo") is None
    assert compiled == [r"\bsudo\b"]


@pytest.mark.parametrize("method", ["search", "match", "fullmatch", "finditer"])
def test_each_method_answers_as_the_compiled_pattern_does(method: str) -> None:
    text = "CURL -k https://example.com ; curl --insecure x"
    lazy = lazy_re.compile(r"curl\s+(-k|--insecure)", re.IGNORECASE)
    real = re.compile(r"curl\s+(-k|--insecure)", re.IGNORECASE)
    for _ in range(2):  # before and after the first compile
        expected, got = getattr(real, method)(text), getattr(lazy, method)(text)
        if method == "finditer":
            expected, got = list(expected), list(got)
            assert [m.span() for m in got] == [m.span() for m in expected] != []
        else:
            assert (got and got.span()) == (expected and expected.span())


def test_sub_replaces_like_re() -> None:
    lazy = lazy_re.compile(r"^(?:\s*--[a-z-]+=\S*)*\s*")
    assert lazy.sub("", "--chown=app:app src/ /app", count=1) == "src/ /app"
    assert lazy.sub(lambda m: "", "--from=build x") == "x"
