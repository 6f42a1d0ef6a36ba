"""Property-based tests: arbitrary bytes and arbitrary structured YAML / Dockerfile text never
raise past the per-file error boundary, and findings are deterministic.

Example counts are modest so the suite stays fast; set STRIDESCAN_FUZZ_EXAMPLES for long
runs (tests/fuzz/run_fuzz.py runs the same checks for a set time).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))

import hostile_oracle as oracle
import hostile_strategies as strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridescan.diagnostics import ParseError
from stridescan.model import SourceKind
from stridescan.parsers.dockerfile import parse_dockerfile
from stridescan.sourcetext import decode_source
from stridescan.yamlsource import load_documents

EXAMPLES = int(os.environ.get("STRIDESCAN_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_parse_error(data: bytes) -> None:
    try:
        text = decode_source(data)
    except ParseError as error:
        assert error.message
        return
    assert "\r\n" not in text
    assert "\x00" not in text


@FUZZ
@given(st.one_of(strategies.yaml_documents(), strategies.mutated(strategies.yaml_documents())))
def test_yaml_source_never_raises_and_keeps_positions_inside_the_text(text: str) -> None:
    line_count = text.count("\n") + 1
    for document in load_documents(text):
        if document.error is not None:
            assert 1 <= document.error.line <= line_count + 1
        else:
            assert document.root is not None
            assert 1 <= document.root.line <= line_count


@FUZZ
@given(st.one_of(strategies.dockerfiles(), strategies.mutated(strategies.dockerfiles())))
def test_the_dockerfile_parser_raises_only_parse_errors(text: str) -> None:
    try:
        image = parse_dockerfile(text, "Dockerfile")
    except ParseError as error:
        assert error.line is None or 1 <= error.line <= text.count("\n") + 1
        return
    assert image.path == "Dockerfile"


@FUZZ
@given(strategies.hostile_text(), st.sampled_from(oracle.KINDS))
def test_every_parser_keeps_failures_inside_the_file_boundary(
    text: str, kind: SourceKind | None
) -> None:
    oracle.check_text(text, kind)


@FUZZ
@given(strategies.hostile_text(), st.sampled_from(oracle.KINDS))
def test_parsing_is_deterministic(text: str, kind: SourceKind | None) -> None:
    assert oracle.check_text(text, kind) == oracle.check_text(text, kind)


@settings(FUZZ, max_examples=max(5, EXAMPLES // 4))
@given(
    st.dictionaries(
        st.sampled_from(strategies.SCANNED_NAMES), strategies.hostile_bytes(), max_size=3
    )
)
def test_the_whole_pipeline_gives_the_same_well_formed_output_in_any_file_order(
    files: dict[str, bytes],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        oracle.check_tree(Path(directory), files)
