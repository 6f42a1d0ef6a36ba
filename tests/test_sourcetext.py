from __future__ import annotations

import codecs

import pytest

from stridescan.diagnostics import ParseError
from stridescan.sourcetext import decode_source


def test_utf8_bom_is_dropped() -> None:
    assert decode_source(codecs.BOM_UTF8 + b"a: 1\n") == "a: 1\n"


def test_utf16_with_bom_is_decoded() -> None:
    assert decode_source("a: é\n".encode("utf-16")) == "a: é\n"


def test_crlf_becomes_lf_and_lines_stay_counted() -> None:
    assert decode_source(b"a: 1\r\nb: 2\r\n").splitlines() == ["a: 1", "b: 2"]


def test_invalid_utf8_names_the_line() -> None:
    with pytest.raises(ParseError) as raised:
        decode_source(b"a: 1\nb: \xff\n")
    assert raised.value.line == 2
    assert "not valid UTF-8" in raised.value.message


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(ParseError, match="binary content"):
        decode_source(b"\x7fELF\x00\x00")
