"""Encodings and file-system oddities: decoded right with exact lines, or reported clearly;
never followed out of the root, never a hang on a fifo, never a traceback."""

from __future__ import annotations

import codecs
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))


import hostile_oracle
import pytest
from hostile_cases import COMPOSE, DOCKERFILE
from hostile_cases import POD as POD_TEMPLATE
from hostile_oracle import codes_at, run_stridescan, scan_tree

POD = POD_TEMPLATE.format(name="neighbour")


tree = hostile_oracle.tree  # the fixture, shared without a conftest.py


def _lines(report: object, path: str, code: str) -> set[int]:
    return {line for line, found in codes_at(report, path) if found == code}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(COMPOSE.encode(), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + COMPOSE.encode(), id="utf-8-bom"),
        pytest.param(COMPOSE.encode("utf-16"), id="utf-16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + COMPOSE.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(COMPOSE.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(COMPOSE.replace("\n", "\r\n").encode("utf-16"), id="utf-16-crlf"),
    ],
)
def test_every_accepted_encoding_gives_the_same_finding_at_the_same_line(tree, data) -> None:
    report = scan_tree(tree({"compose.yaml": data}))
    assert report.problems == ()
    assert _lines(report, "compose.yaml", "E001") == {4}


def test_crlf_dockerfile_lines_stay_exact(tree) -> None:
    text = "# syntax=docker/dockerfile:1\r\nFROM alpine:3.19\r\nRUN a \\\r\n  b\r\nUSER root\r\n"
    report = scan_tree(tree({"Dockerfile": text}))
    assert report.problems == ()
    assert _lines(report, "Dockerfile", "E003") == {5}


def test_unicode_line_separators_in_yaml_do_not_shift_lines(tree) -> None:
    text = "x-note: 'a\u2028b\x85c\u2029d'\n" + COMPOSE
    report = scan_tree(tree({"compose.yaml": text}))
    assert report.problems == ()
    (result,) = [r for r in report.results if r.rule.code == "E001"]
    assert result.location.line == 5
    assert result.source_line == "    privileged: true"


def test_form_feeds_in_a_dockerfile_do_not_shift_lines(tree) -> None:
    text = "FROM alpine:3.19\n# page\x0cbreak\x1c\nRUN echo \u2028 \x85\nUSER root\n"
    report = scan_tree(tree({"Dockerfile": text}))
    assert report.problems == ()
    (result,) = [r for r in report.results if r.rule.code == "E003"]
    assert (result.location.line, result.source_line) == (4, "USER root")


def test_a_lone_carriage_return_in_yaml_keeps_lines_within_the_file(tree) -> None:
    report = scan_tree(tree({"compose.yaml": "services:\r  web: [\r"}))
    (problem,) = report.problems
    assert problem.line is not None and problem.line <= 2


def test_invalid_utf8_is_reported_at_its_line(tree) -> None:
    report = scan_tree(
        tree({"compose.yaml": b"services:\n  web:\n    image: \xff\n", "ok.yaml": POD})
    )
    (problem,) = report.problems
    assert (problem.path, problem.line) == ("compose.yaml", 3)
    assert "not valid UTF-8" in problem.message
    assert _lines(report, "ok.yaml", "E001") == {10}


@pytest.mark.parametrize("name", ["Dockerfile", "compose.yaml"])
def test_nul_bytes_in_a_scanned_name_are_binary_content(tree, name) -> None:
    report = scan_tree(tree({name: bytes(range(256)) * 8}))
    (problem,) = report.problems
    assert problem.path == name
    assert "binary content" in problem.message


def test_binary_yaml_with_an_unscanned_name_stays_silent(tree) -> None:
    report = scan_tree(tree({"blob.yaml": bytes(range(256)), "data.json": b"\x00\x01"}))
    assert report.problems == ()


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\ufeff", "\ufeff# c\n"])
def test_empty_and_comment_only_files_are_not_problems(tree, text) -> None:
    report = scan_tree(tree({"compose.yaml": text, "Dockerfile": text, "pod.yaml": text}))
    assert report.problems == ()
    assert report.results == ()


def test_a_symbolic_link_loop_is_skipped_when_walking_and_reported_when_named(tree) -> None:
    root = tree({"ok.yaml": POD})
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    (root / "Dockerfile").symlink_to("loop1")
    walked = scan_tree(root)
    assert walked.problems == ()
    assert _lines(walked, "ok.yaml", "E001") == {10}
    named = scan_tree(root, ("Dockerfile", "ok.yaml"))
    (problem,) = named.problems
    assert problem.path == "Dockerfile"
    assert "symbolic links" in problem.message


def test_links_out_of_the_root_are_not_followed(tree, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    root = tree({"ok.yaml": POD})
    (root / "compose.yaml").symlink_to(outside / "compose.yaml")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    walked = scan_tree(root)
    assert {r.location.path for r in walked.results} == {"ok.yaml"}
    assert walked.problems == ()
    named = scan_tree(root, ("compose.yaml", "linked"))
    assert {(p.path, p.message) for p in named.problems} == {
        ("compose.yaml", "symbolic link pointing outside the scan root; not followed"),
        ("linked", "symbolic link pointing outside the scan root; not followed"),
    }
    assert named.results == ()


def test_a_compose_build_through_a_link_loop_or_nul_is_no_crash(tree) -> None:
    compose = (
        "services:\n"
        "  a: {image: x:1, build: {context: ., dockerfile: loop1}}\n"
        '  b: {image: x:1, build: {context: ., dockerfile: "x\\0y"}}\n'
        f"  c: {{image: x:1, build: {{context: ., dockerfile: {'d' * 5000}}}}}\n"
        f"  d: {{image: x:1, build: {'/'.join(['e' * 255] * 20)}}}\n"
    )
    root = tree({"compose.yaml": compose})
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    report = scan_tree(root)
    assert report.files_scanned == 1
    assert all("internal error" not in p.message for p in report.problems)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_is_reported(tree) -> None:
    root = tree({"compose.yaml": COMPOSE, "ok.yaml": POD})
    (root / "compose.yaml").chmod(0)
    try:
        report = scan_tree(root)
    finally:
        (root / "compose.yaml").chmod(0o644)
    (problem,) = report.problems
    assert (problem.path, problem.message) == (
        "compose.yaml",
        "cannot read the file: Permission denied",
    )


def test_a_file_that_cannot_be_opened_is_reported_even_as_root(tree) -> None:
    # A dangling link inside the root fails to open for every user, root included.
    root = tree({"ok.yaml": POD})
    (root / "Dockerfile").symlink_to("missing-target")
    report = scan_tree(root, ("Dockerfile", "ok.yaml"))
    (problem,) = report.problems
    assert problem.path == "Dockerfile"
    assert problem.message.startswith("cannot read the file")


def test_a_fifo_with_a_scanned_name_is_never_opened(tree) -> None:
    root = tree({"ok.yaml": POD})
    os.mkfifo(root / "compose.yaml")
    os.mkfifo(root / "Dockerfile")
    # Opening a fifo blocks until a writer comes: the subprocess guard turns a hang into
    # a test failure instead of a stuck suite.
    done = run_stridescan(root, "scan", ".", "Dockerfile", "--format", "json")
    assert done.returncode == 1, done.stderr
    errors = json.loads(done.stdout)["errors"]
    assert {(e["path"], e["message"]) for e in errors} == {
        ("compose.yaml", "not a regular file (a fifo, socket or device); it was not read"),
        ("Dockerfile", "not a regular file (a fifo, socket or device); it was not read"),
    }


def test_directories_with_scanned_names_are_walked_not_read(tree) -> None:
    root = tree({"Dockerfile/compose.yaml": COMPOSE, "compose.yaml/Dockerfile": DOCKERFILE})
    report = scan_tree(root)
    assert report.problems == ()
    assert {r.location.path for r in report.results} >= {
        "Dockerfile/compose.yaml",
        "compose.yaml/Dockerfile",
    }


def test_very_long_paths_are_scanned(tree) -> None:
    deep = "/".join(["d" * 200] * 20)
    report = scan_tree(tree({f"{deep}/compose.yaml": COMPOSE}))
    assert report.problems == ()
    assert _lines(report, f"{deep}/compose.yaml", "E001") == {4}


def test_odd_file_names_are_escaped_in_text_and_exact_in_json(tree) -> None:
    names = ["Dockerfile.with space", "Dockerfile.new\nline", "Dockerfile.é\x1b[31m"]
    root = tree(dict.fromkeys(names, DOCKERFILE))
    text = run_stridescan(root, "scan", "--format", "text")
    assert "Dockerfile.new\\x0aline:2:1" in text.stdout
    assert "Dockerfile.é\\x1b[31m:2:1" in text.stdout
    assert "\x1b" not in text.stdout
    assert "Dockerfile.with space:2:1" in text.stdout
    as_json = run_stridescan(root, "scan", "--format", "json")
    paths = {f["location"]["path"] for f in json.loads(as_json.stdout)["findings"]}
    assert paths == set(names)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_gives_valid_utf8_output(tree) -> None:
    root = tree({})
    with open(os.path.join(os.fsencode(root), b"Dockerfile.\xff"), "wb") as handle:  # noqa: PTH118, PTH123
        handle.write(DOCKERFILE.encode())
    for output_format in ("text", "json"):
        done = run_stridescan(root, "scan", "--format", output_format)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
    raw = run_stridescan_bytes(root, "scan", "--format", "json")
    document = json.loads(raw.decode("utf-8"))
    assert {f["location"]["path"] for f in document["findings"]} == {"Dockerfile.\udcff"}


def run_stridescan_bytes(root: Path, *args: str) -> bytes:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "stridescan", *args],
        cwd=root,
        capture_output=True,
        timeout=300,
        check=False,
    )
    return done.stdout
