from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from stridescan.diagnostics import ParseError
from stridescan.sourcetext import decode_source, read_source


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


def test_a_file_at_the_size_limit_is_read_and_one_byte_over_is_refused(tmp_path: Path) -> None:
    exact, over = tmp_path / "exact.yaml", tmp_path / "over.yaml"
    exact.write_bytes(b"a: 1\n" * 20)
    over.write_bytes(b"a: 1\n" * 20 + b"#")
    assert read_source(exact, max_bytes=100) == "a: 1\n" * 20
    with pytest.raises(ParseError, match="over the 100-byte limit"):
        read_source(over, max_bytes=100)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux procfs")
def test_a_file_larger_than_its_reported_size_is_read_whole_within_the_limit() -> None:
    # procfs files report a size of 0, like a file that grew between stat and read.
    text = read_source(Path("/proc/self/status"), max_bytes=1 << 20)
    assert text.startswith("Name:") and "\nPid:" in text
    with pytest.raises(ParseError, match="over the 10-byte limit"):
        read_source(Path("/proc/self/status"), max_bytes=10)
