from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridescan.diagnostics import ParseError
from stridescan.model import Image, Instruction, Location, Stage
from stridescan.parsers import dockerfile
from stridescan.parsers.dockerfile import parse_dockerfile


def parse(*lines: str) -> Image:
    return parse_dockerfile("\n".join(lines) + "\n", "app/Dockerfile")


def only_stage(*lines: str) -> Stage:
    (stage,) = parse(*lines).stages
    return stage


def instructions(*lines: str) -> list[tuple[str, str, int, int | None]]:
    """(keyword, arguments, line, end line) of every instruction of every stage."""
    return [
        (item.keyword, item.arguments, item.location.line, item.location.end_line)
        for stage in parse(*lines).stages
        for item in stage.instructions
    ]


def error(*lines: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(*lines)
    return caught.value


def instruction(*lines: str, keyword: str = "RUN") -> Instruction:
    (found,) = (i for s in parse(*lines).stages for i in s.instructions if i.keyword == keyword)
    return found


# Instructions and their locations


def test_instruction_location_spans_its_lines_with_the_path_given() -> None:
    run = instruction("FROM alpine", "", "RUN apk add curl")
    assert run.location == Location(
        path="app/Dockerfile", line=3, column=1, end_line=3, end_column=17
    )


def test_from_is_the_stage_location_and_not_one_of_its_instructions() -> None:
    stage = only_stage("# base", "from alpine:3.19", "run true")
    assert stage.location.line == 2
    assert stage.base.location == stage.location
    assert [i.keyword for i in stage.instructions] == ["RUN"]


def test_image_is_located_at_line_one_of_its_path() -> None:
    image = parse("FROM alpine")
    assert image.path == "app/Dockerfile"
    assert image.location == Location(path="app/Dockerfile", line=1)


def test_continuation_lines_are_joined_into_one_instruction() -> None:
    assert instructions(
        "FROM alpine",
        "RUN apk add \\",
        "    curl \\",
        "    git",
        "USER app",
    ) == [("RUN", "apk add     curl     git", 2, 4), ("USER", "app", 5, 5)]


def test_end_column_is_one_past_the_last_line_of_a_continuation() -> None:
    run = instruction("FROM alpine", "RUN a \\", "  bcd")
    assert (run.location.end_line, run.location.end_column) == (3, 6)


def test_comment_and_empty_lines_inside_a_continuation_are_skipped_as_docker_does() -> None:
    assert instructions(
        "FROM alpine",
        "RUN apk add \\",
        "# a comment",
        "",
        "    curl",
        "USER app",
    ) == [("RUN", "apk add     curl", 2, 5), ("USER", "app", 6, 6)]


def test_continuation_cut_off_by_the_end_of_the_file_still_counts() -> None:
    text = "FROM alpine\nRUN echo \\\n  hi \\"
    (run,) = parse_dockerfile(text, "Dockerfile").stages[0].instructions
    assert (run.arguments, run.location.line, run.location.end_line) == ("echo   hi", 2, 3)


def test_keyword_cut_by_a_continuation_is_read_as_docker_reads_it() -> None:
    assert instructions("FROM alpine", "RUN\\", "  echo hi") == [("RUN", "echo hi", 2, 3)]


def test_very_long_continuation_is_read_quickly() -> None:
    lines = ["FROM alpine", "RUN true \\", *["  && echo hello \\"] * 100_000, "  && done"]
    started = time.perf_counter()
    (run,) = only_stage(*lines).instructions
    assert time.perf_counter() - started < 5
    assert run.location.end_line == len(lines)
    assert run.arguments.endswith("echo hello   && done")


def test_comments_and_parser_directives_are_not_instructions() -> None:
    assert instructions("# syntax=docker/dockerfile:1", "FROM alpine", "  # indented") == []


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n# comments\n", "# syntax=x\n\n  \n"])
def test_empty_or_comment_only_file_has_no_stages(text: str) -> None:
    image = parse_dockerfile(text, "Dockerfile")
    assert image.stages == ()
    assert image.final_stage is None


def test_keyword_is_upper_case_whatever_it_was_written_as() -> None:
    assert instructions("from alpine", "Run true") == [("RUN", "true", 2, 2)]


# Escape directive


def test_escape_directive_makes_backtick_the_continuation_character() -> None:
    assert instructions(
        "# escape=`",
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022",
        "RUN dir C:\\ `",
        "    && echo done",
    ) == [("RUN", "dir C:\\     && echo done", 3, 4)]


def test_escape_directive_after_other_directives_still_applies() -> None:
    stage = only_stage(
        "# syntax=docker/dockerfile:1", "# escape=`", "FROM alpine", "USER `$HOME", "RUN a `", " b"
    )
    assert stage.user.value == "$HOME"
    assert [i.arguments for i in stage.instructions] == ["`$HOME", "a  b"]


def test_escape_directive_below_an_instruction_is_a_plain_comment() -> None:
    assert instructions("FROM alpine", "# escape=`", "RUN a `", "USER b") == [
        ("RUN", "a `", 3, 3),
        ("USER", "b", 4, 4),
    ]


@pytest.mark.parametrize(
    ("lines", "message", "line"),
    [
        (("# escape=x", "FROM alpine"), "invalid escape directive 'x'", 1),
        (("# escape=`", "# Escape=\\", "FROM alpine"), "escape parser directive is given twice", 2),
    ],
)
def test_bad_escape_directive_is_a_parse_error(
    lines: tuple[str, ...], message: str, line: int
) -> None:
    found = error(*lines)
    assert message in found.message
    assert found.line == line


# Heredocs


@pytest.mark.parametrize(
    ("first", "body", "expected"),
    [
        ("RUN <<EOF", ["apk add curl", "echo done", "EOF"], ("EOF", "apk add curl\necho done\n")),
        ("RUN <<-EOF", ["\t\techo tabs", "\tEOF"], ("EOF", "echo tabs\n")),
        ('RUN <<"EOF"', ["echo $HOME", "EOF"], ("EOF", "echo $HOME\n")),
        ("RUN <<'EOF'", ["echo $HOME", "EOF"], ("EOF", "echo $HOME\n")),
        ("RUN python3 <<PY > /out", ["print(1)", "PY"], ("PY", "print(1)\n")),
        ("COPY <<conf.ini /etc/app/", ["[main]", "conf.ini"], ("conf.ini", "[main]\n")),
        ("RUN 3<<EOF cat /dev/fd/3", ["x", "EOF"], ("EOF", "x\n")),
        ("RUN <<EOF", ["EOF"], ("EOF", "")),
    ],
)
def test_heredoc_body_is_attached_and_what_follows_keeps_its_line(
    first: str, body: list[str], expected: tuple[str, str]
) -> None:
    stage = only_stage("FROM alpine", first, *body, "USER app")
    heredoc_instruction, user = stage.instructions
    assert heredoc_instruction.heredocs == (expected,)
    assert heredoc_instruction.location.line == 2
    assert heredoc_instruction.location.end_line == 2 + len(body)
    assert heredoc_instruction.location.end_column == len(body[-1]) + 1
    assert user.location.line == 3 + len(body)
    assert stage.user.value == "app"


def test_several_heredocs_on_one_line_are_read_one_after_the_other() -> None:
    stage = only_stage(
        "FROM alpine",
        "COPY <<a.txt <<b.txt /dest/",
        "first",
        "a.txt",
        "second",
        "b.txt",
        "RUN ls /dest",
    )
    copy, run = stage.instructions
    assert copy.heredocs == (("a.txt", "first\n"), ("b.txt", "second\n"))
    assert copy.arguments == "<<a.txt <<b.txt /dest/"
    assert (copy.location.line, copy.location.end_line) == (2, 6)
    assert run.location.line == 7


def test_heredoc_body_that_looks_like_instructions_is_not_read_as_instructions() -> None:
    assert instructions(
        "FROM alpine", "RUN <<EOF", "FROM evil", "USER root", "# x", "EOF", "USER app"
    ) == [("RUN", "<<EOF", 2, 6), ("USER", "app", 7, 7)]


def test_heredoc_starts_after_the_continuation_lines_of_its_instruction() -> None:
    run = instruction("FROM alpine", "RUN <<EOF \\", "  && echo after", "body", "EOF")
    assert run.arguments == "<<EOF   && echo after"
    assert run.heredocs == (("EOF", "body\n"),)
    assert run.location.end_line == 5


def test_heredoc_of_an_onbuild_instruction_is_attached() -> None:
    onbuild = instruction("FROM alpine", "ONBUILD RUN <<EOF", "body", "EOF", keyword="ONBUILD")
    assert onbuild.heredocs == (("EOF", "body\n"),)


def test_heredoc_markers_in_quotes_or_exec_form_are_not_heredocs() -> None:
    assert instructions("FROM alpine", "RUN echo '<<EOF'", 'RUN ["cat", "<<EOF"]') == [
        ("RUN", "echo '<<EOF'", 2, 2),
        ("RUN", '["cat", "<<EOF"]', 3, 3),
    ]


def test_heredoc_terminator_must_be_the_whole_line() -> None:
    run = instruction("FROM alpine", "RUN <<EOF", "  EOF", "EOF ", "EOF")
    assert run.heredocs == (("EOF", "  EOF\nEOF \n"),)


def test_unterminated_heredoc_is_a_parse_error_at_its_instruction() -> None:
    found = error("FROM alpine", "RUN true", "RUN <<EOF", "echo never closed")
    assert "unterminated heredoc <<EOF" in found.message
    assert found.line == 3


# Exec form and shell form


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('CMD ["nginx", "-g", "daemon off;"]', ("nginx", "-g", "daemon off;")),
        ('ENTRYPOINT [ "/entrypoint.sh" ]', ("/entrypoint.sh",)),
        ("CMD []", ()),
        (
            'RUN --mount=type=cache,target=/root/.cache ["pip", "install", "x"]',
            ("pip", "install", "x"),
        ),
        ("CMD nginx -g 'daemon off;'", None),
        ("CMD [nginx, -g]", None),
        ("CMD ['nginx']", None),
        ('CMD ["nginx", 1]', None),
        ('CMD ["nginx"', None),
        ('LABEL ["not", "exec"]', None),
    ],
)
def test_exec_form_only_for_a_json_array_of_strings(
    line: str, expected: tuple[str, ...] | None
) -> None:
    (item,) = only_stage("FROM alpine", line).instructions
    assert item.exec_form == expected


# Stages, parents and inheritance


def test_multi_stage_build_names_stages_and_finds_parent_stages() -> None:
    image = parse(
        "FROM golang:1.22 AS Build",
        "FROM build AS test",
        "FROM 0",
        "FROM scratch",
        "FROM test2",
    )
    assert [s.name for s in image.stages] == ["Build", "test", None, None, None]
    assert [s.parent_stage for s in image.stages] == [None, 0, 0, None, None]
    assert [s.index for s in image.stages] == [0, 1, 2, 3, 4]
    scratch = image.stages[3].base.value
    assert (scratch.repository, scratch.tag, scratch.resolved) == ("scratch", None, True)


def test_stage_name_refers_only_to_earlier_stages() -> None:
    image = parse("FROM later", "FROM alpine AS later")
    assert image.stages[0].parent_stage is None


def test_child_stage_inherits_user_and_healthcheck_of_its_parent_stage() -> None:
    image = parse(
        "FROM alpine AS base",
        "USER app",
        "HEALTHCHECK CMD curl -f http://localhost/",
        "FROM base AS child",
        "RUN true",
        "FROM child",
        "HEALTHCHECK NONE",
        "FROM alpine",
    )
    base, child, grandchild, other = image.stages
    assert child.user == base.user
    assert (child.user.value, child.user.location.line) == ("app", 2)
    assert grandchild.user.location.line == 2
    assert child.healthcheck.value == "CMD curl -f http://localhost/"
    assert child.healthcheck.location.line == 3
    assert (grandchild.healthcheck.value, grandchild.healthcheck.location.line) == ("NONE", 7)
    assert (other.user.value, other.user.location) == (None, other.location)
    assert (other.healthcheck.value, other.healthcheck.location.line) == (None, 8)


def test_last_user_of_a_stage_is_the_one_in_force() -> None:
    stage = only_stage("FROM alpine", "USER root", "RUN apk add curl", "USER 1000:1000")
    assert (stage.user.value, stage.user.location.line, stage.user.is_set) == ("1000:1000", 4, True)


def test_stage_without_user_anywhere_has_no_user_located_at_its_from() -> None:
    image = parse("FROM alpine AS base", "RUN true", "FROM base")
    child = image.stages[1]
    assert child.user.value is None
    assert not child.user.is_set
    assert child.user.location == child.location


def test_child_stage_reads_env_of_its_parent_stage_but_not_its_args() -> None:
    image = parse(
        "FROM alpine AS base",
        "ENV APP_HOME=/srv/app",
        "ARG BUILD_ONLY=yes",
        "FROM base",
        "ENV DATA=$APP_HOME/data FLAG=$BUILD_ONLY",
    )
    child = image.stages[1]
    assert [(v.name, v.value) for v in child.env] == [
        ("DATA", "/srv/app/data"),
        ("FLAG", "$BUILD_ONLY"),
    ]
    assert all(v.location.line == 5 for v in child.env)


def test_instructions_belong_to_the_stage_they_follow() -> None:
    image = parse("FROM a AS one", "RUN x", "FROM b", "RUN y", "RUN z")
    assert [[i.arguments for i in s.instructions] for s in image.stages] == [["x"], ["y", "z"]]


# Variables


def test_global_arg_default_resolves_the_from_image() -> None:
    image = parse(
        "ARG REGISTRY=registry.example.com",
        "ARG TAG=3.19",
        "FROM ${REGISTRY}/alpine:$TAG AS base",
    )
    base = image.stages[0].base.value
    assert (base.registry, base.repository, base.tag, base.resolved) == (
        "registry.example.com",
        "alpine",
        "3.19",
        True,
    )
    assert [(v.name, v.value, v.location.line) for v in image.global_args] == [
        ("REGISTRY", "registry.example.com", 1),
        ("TAG", "3.19", 2),
    ]


def test_from_with_a_variable_that_cannot_be_resolved_keeps_the_raw_reference() -> None:
    image = parse("ARG BASE_IMAGE", "FROM $BASE_IMAGE", "FROM alpine:${TAG}")
    first, second = (s.base.value for s in image.stages)
    assert (first.raw, first.resolved) == ("$BASE_IMAGE", False)
    assert (second.raw, second.resolved) == ("alpine:${TAG}", False)
    assert image.global_args[0].value is None


def test_global_arg_needs_redeclaring_to_be_seen_inside_a_stage() -> None:
    image = parse(
        "ARG APP_USER=app",
        "FROM alpine AS unseen",
        "USER $APP_USER",
        "FROM alpine AS seen",
        "ARG APP_USER",
        "USER $APP_USER",
    )
    unseen, seen = image.stages
    assert (unseen.user.value, unseen.user.unresolved) == ("$APP_USER", "$APP_USER")
    assert (seen.user.value, seen.user.unresolved) == ("app", None)
    assert [(v.name, v.value, v.location.line) for v in seen.args] == [("APP_USER", "app", 5)]


def test_user_from_an_arg_default_is_substituted() -> None:
    stage = only_stage("FROM alpine", "ARG UID=10001 GID=", 'USER "${UID}:${GID:-10001}"')
    assert (stage.user.value, stage.user.unresolved, stage.user.location.line) == (
        "10001:10001",
        None,
        3,
    )


def test_user_with_an_unknown_variable_stays_raw_and_unresolved() -> None:
    stage = only_stage("FROM alpine", "USER ${RUNTIME_USER}")
    assert stage.user.value == "${RUNTIME_USER}"
    assert stage.user.unresolved == "${RUNTIME_USER}"
    assert stage.user.is_set


def test_env_in_key_value_and_legacy_forms() -> None:
    stage = only_stage(
        "FROM alpine",
        'ENV A=1 B="two words" C=three\\ words',
        "ENV LEGACY value with spaces",
        "ENV EMPTY=",
    )
    assert [(v.name, v.value, v.location.line) for v in stage.env] == [
        ("A", "1", 2),
        ("B", "two words", 2),
        ("C", "three words", 2),
        ("LEGACY", "value with spaces", 3),
        ("EMPTY", "", 4),
    ]


def test_env_values_of_one_instruction_read_variables_as_they_were_before_it() -> None:
    stage = only_stage("FROM alpine", "ENV abc=hello", "ENV abc=bye def=$abc", "ENV ghi=$abc")
    assert [(v.name, v.value) for v in stage.env][1:] == [
        ("abc", "bye"),
        ("def", "hello"),
        ("ghi", "bye"),
    ]


def test_env_wins_over_an_arg_of_the_same_name() -> None:
    stage = only_stage(
        "FROM alpine", "ARG MODE=arg", "ENV MODE=env", "ARG MODE=again", "USER $MODE"
    )
    assert stage.user.value == "env"


def test_value_depending_on_an_unknown_variable_stays_raw() -> None:
    stage = only_stage("FROM alpine", "ENV PATH=/opt/bin:$PATH", "ENV P2=$PATH")
    assert [v.value for v in stage.env] == ["/opt/bin:$PATH", "$PATH"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$SET", "x"),
        ("${SET}", "x"),
        ("${SET:-d}", "x"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${SET-d}", "x"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${SET:-$UNKNOWN}", "x"),
        ("${EMPTY:-${SET}y}", "xy"),
        ("pre-${SET}-post", "pre-x-post"),
        ("'$SET'", "$SET"),
        ('"$SET two"', "x two"),
        ("\\$SET", "$SET"),
        ("$", "$"),
        ("${UNKNOWN:-d}", "${UNKNOWN:-d}"),
        ("${UNKNOWN:+alt}", "${UNKNOWN:+alt}"),
        ("${SET#x}", "${SET#x}"),
        ("${SET", "${SET"),
    ],
)
def test_variable_substitution_follows_docker(expression: str, expected: str) -> None:
    stage = only_stage("FROM alpine", "ARG SET=x", "ARG EMPTY=", f"ENV OUT={expression}")
    assert stage.env[0].value == expected


def test_exposed_ports_are_one_per_token_located_at_their_expose() -> None:
    stage = only_stage("FROM alpine", "ARG PORT=8080", "EXPOSE 80 443/tcp", "EXPOSE $PORT $OTHER")
    assert [(p.value, p.unresolved, p.location.line) for p in stage.exposed_ports] == [
        ("80", None, 3),
        ("443/tcp", None, 3),
        ("8080", None, 4),
        ("$OTHER", "$OTHER", 4),
    ]


# Input Docker refuses


@pytest.mark.parametrize(
    ("lines", "message", "line"),
    [
        (("ARG VERSION=1", "# c", "ARG OTHER"), "no FROM instruction", 1),
        (("ARG A", "RUN echo hi", "FROM alpine"), "RUN before the first FROM", 2),
        (("FROM alpine", "RUN apk add \\", "    curl", "    git"), "unknown instruction GIT", 4),
        (("FROM alpine", "FROM"), "FROM needs an image", 2),
        (("FROM alpine AS a b",), "FROM takes an image and an optional AS name", 1),
        (("FROM alpine AS x", "FROM alpine AS X"), "stage name 'X' is used twice", 2),
        (("FROM alpine", "ENV ONLY_NAME"), "ENV ONLY_NAME has no value", 2),
        (("FROM alpine", "ENV A=1 B"), "ENV entry 'B' has no '='", 2),
        (("FROM alpine", "ARG =1"), "ARG with an empty name", 2),
        (("FROM alpine", "USER"), "USER needs a user name", 2),
    ],
)
def test_input_docker_refuses_is_a_parse_error_at_its_line(
    lines: tuple[str, ...], message: str, line: int
) -> None:
    found = error(*lines)
    assert message in found.message
    assert (found.line, found.column) == (line, 1)


def test_library_failure_becomes_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def __init__(self, **_: object) -> None:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "bad")

    monkeypatch.setattr(dockerfile, "DockerfileParser", Broken)
    assert "dockerfile-parse could not read the file" in error("FROM alpine").message


pieces = st.sampled_from(
    [
        *("FROM ", "RUN ", "ARG ", "ENV ", "USER ", "COPY ", "EXPOSE ", "ONBUILD ", "AS "),
        *("a", "b=", "$", "${", "}", ":-", "'", '"', "\\", "`", "\n", " ", "\t", "#", "0"),
        *("# escape=`\n", "<<", "<<-", "EOF", "\nEOF\n", "[", "]", '"x"', "--platform=x "),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(pieces, max_size=30).map("".join))
def test_any_text_gives_an_image_or_a_parse_error_and_joining_ourselves_agrees(
    text: str,
) -> None:
    """The library joins short continuations and we join long ones: both must agree."""

    def outcome() -> object:
        try:
            return parse_dockerfile(text, "Dockerfile")
        except ParseError as problem:
            return (problem.message, problem.line)

    natively = outcome()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dockerfile, "_LIBRARY_JOIN_LIMIT", 0)
        assert outcome() == natively


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\n" + "RUN echo hello\n" * 20_000,
        "FROM a\nRUN " + "a " * 500_000 + "\n",
        "FROM a\nENV X=" + "${A:-" * 50_000 + "}" * 50_000 + "\n",
        "FROM a\nENV X=" + '"' * 200_001 + "\n",
        "FROM a\nRUN " + "--f " * 200_000 + '["x"]\n',
        "FROM a\nRUN " + "[" * 200_000 + "\n",
        "FROM a\nRUN a\\" + " " * 500_000 + "x\n",
        "FROM a\nRUN " + "<<a " * 20_000 + "\n" + "a\n" * 20_000,
        "FROM a AS s0\n" + "".join(f"FROM s{i} AS s{i + 1}\nENV V{i}=$V\n" for i in range(5000)),
    ],
    ids=[
        "many-instructions",
        "long-line",
        "nested-substitution",
        "quotes",
        "many-flags",
        "deep-json",
        "spaces-after-escape",
        "many-heredocs",
        "stage-chain",
    ],
)
def test_pathological_input_is_read_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    parse_dockerfile(text, "Dockerfile")
    assert time.perf_counter() - started < 5
