"""Half-written and hostile Dockerfiles: read as Docker reads them, or a problem at the line."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))


import hostile_cases as cases
import hostile_oracle
from hostile_oracle import codes_at, scan_tree

from stridescan.model import SourceKind
from stridescan.parsing import parse_source

tree = hostile_oracle.tree  # the fixture, shared without a conftest.py


def _parse(text: str):  # type: ignore[no-untyped-def]
    return parse_source(text, "Dockerfile", SourceKind.DOCKERFILE)


def test_a_continuation_cut_off_by_the_end_of_the_file_keeps_the_instruction() -> None:
    parsed = _parse("FROM alpine:3.19\nUSER root \\")
    assert parsed.problems == ()
    (image,) = parsed.images
    assert image.stages[-1].user.value == "root"
    assert image.stages[-1].user.location.line == 2


def test_an_unterminated_heredoc_is_a_problem_at_its_instruction() -> None:
    parsed = _parse("FROM alpine:3.19\nRUN <<EOF\necho one\necho two\n")
    (problem,) = parsed.problems
    assert (problem.line, problem.column) == (2, 1)
    assert "unterminated heredoc <<EOF" in problem.message


def test_a_heredoc_body_is_not_read_as_instructions() -> None:
    parsed = _parse("FROM alpine:3.19\nRUN <<EOF\nUSER root\nEOF\nUSER app\n")
    assert parsed.problems == ()
    assert parsed.images[0].stages[-1].user.value == "app"


def test_a_broken_json_form_is_shell_form_as_in_docker(tree) -> None:
    root = tree({"Dockerfile": 'FROM alpine:3.19\nCMD ["sh", "-c", \nUSER root\n'})
    report = scan_tree(root)
    assert report.problems == ()
    assert (3, "E003") in codes_at(report, "Dockerfile")


def test_a_json_form_with_non_strings_does_not_crash() -> None:
    parsed = _parse('FROM alpine:3.19\nENTRYPOINT [1, {"a": null}, [2]]\nSHELL ["x", 3]\n')
    assert all("internal" not in p.message for p in parsed.problems)
    assert parsed.images or parsed.problems


def test_an_instruction_before_from_and_unknown_words_are_problems_with_lines() -> None:
    parsed = _parse("# comment\nBOGUS thing\nFROM alpine:3.19\n")
    (problem,) = parsed.problems
    assert problem.line == 2


def test_a_thousand_stages_are_scanned_in_bounded_memory() -> None:
    tracemalloc.start()
    try:
        parsed = _parse(cases.many_stages(1000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.problems == ()
    assert len(parsed.images[0].stages) == 1001
    assert parsed.images[0].stages[-1].user.value == "root"
    assert peak < 200 * 1024 * 1024


def test_a_chain_of_a_thousand_stages_each_built_on_the_last_is_scanned() -> None:
    stages = "FROM alpine:3.19 AS s0\n" + "".join(
        f"FROM s{i} AS s{i + 1}\nARG A{i + 1}=${{A{i}}}x\n" for i in range(1000)
    )
    parsed = _parse(stages + "USER root\n")
    assert parsed.problems == ()
    assert parsed.images[0].stages[-1].user.value == "root"


def test_a_hundred_thousand_continuation_lines_are_one_instruction() -> None:
    parsed = _parse("FROM alpine:3.19\nRUN true" + " \\\n  && true" * 100_000 + "\nUSER root\n")
    assert parsed.problems == ()
    assert parsed.images[0].stages[-1].user.location.line == 100_003


def test_deeply_nested_variable_substitution_is_bounded() -> None:
    nested = "${A:-" * 5000 + "root" + "}" * 5000
    parsed = _parse(f"FROM alpine:3.19\nARG A\nUSER {nested}\n")
    assert all("internal" not in p.message for p in parsed.problems)


def test_a_megabyte_line_is_scanned() -> None:
    parsed = _parse("FROM alpine:3.19\nRUN " + "echo x; " * 200_000 + "\nUSER root\n")
    assert parsed.problems == ()
    assert parsed.images[0].stages[-1].user.location.line == 3
