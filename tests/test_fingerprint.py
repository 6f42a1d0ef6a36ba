from __future__ import annotations

from stridescan.fingerprint import FileLineHashes, line_hash_table, line_hashes, logical_fingerprint

# Test vectors of ../shared/INTEGRATIONS.md, checked there against the reference (Node) run.
COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"
COMPOSE_HASHES = [
    (1, "8f30fe570a3a2b7d:1"),
    (2, "940a88e0357e9079:1"),
    (3, "ccf1e1d3bcaf0057:1"),
    (4, "b7f3e93dae7346de:1"),
    (5, "c129715d7a2bc9a3:1"),
]
DOCKERFILE_CRLF = "FROM alpine:3.20\r\nUSER root\r\n"


def test_compose_vector_matches_github_line_hashes() -> None:
    assert list(line_hashes(COMPOSE)) == COMPOSE_HASHES


def test_crlf_vector_matches_github_line_hashes() -> None:
    hashes = dict(line_hashes(DOCKERFILE_CRLF))
    assert hashes[1] == "9451bf0ae3df2a34:1"
    assert hashes[2] == "43f93dba3974e70:1"


def test_crlf_lone_cr_and_lf_line_endings_hash_alike() -> None:
    lf = list(line_hashes("FROM alpine:3.20\nUSER root\n"))
    assert list(line_hashes(DOCKERFILE_CRLF)) == lf
    assert list(line_hashes("FROM alpine:3.20\rUSER root\r")) == lf


def test_spaces_and_tabs_do_not_count_so_reindenting_keeps_the_hash() -> None:
    reindented = "services:\n\tweb:\n\t\timage:   nginx:1.27\n        privileged: true\n"
    assert list(line_hashes(reindented)) == COMPOSE_HASHES


def test_identical_lines_are_told_apart_by_their_occurrence() -> None:
    # Lines whose next 100 significant characters are the same hash alike; the suffix counts.
    text = "x\n" * 80
    suffixes = [value.rsplit(":", 1)[1] for _, value in line_hashes(text)]
    values = [value.rsplit(":", 1)[0] for _, value in line_hashes(text)]
    assert len(set(values[:20])) == 1
    assert suffixes[:3] == ["1", "2", "3"]


def test_inserting_lines_above_keeps_a_lines_hash() -> None:
    moved = "# deployed by ops\nx-common: {}\n" + COMPOSE
    assert dict(line_hashes(moved))[6] == dict(COMPOSE_HASHES)[4]


def test_hash_table_can_stop_early_with_the_same_values() -> None:
    text = "".join(f"line {n}\n" for n in range(300))
    full = line_hash_table(text)
    assert line_hash_table(text, last_line=42) == full[:42]
    assert len(full) == 301  # 300 lines and the empty tail after the last newline


def test_emoji_tabs_and_mixed_line_endings_match_a_run_of_the_typescript_algorithm() -> None:
    # Values from fingerprints.ts's hash() run under Node 20 (Long swapped for BigInt): the
    # emoji is two UTF-16 code units there, "\r\r\n" is two line ends, the long line fills
    # a whole window.
    text = (
        "FROM alpine:3.20 # \U0001f600 caf\u00e9\r\n\tUSER root\r\r\n"
        + "RUN echo hi\n" * 3
        + "x" * 150
        + "\n"
    )
    assert list(line_hashes(text)) == [
        (1, "69964cc4ec2aee8b:1"),
        (2, "a611a75953a56dac:1"),
        (3, "d77acf899ce80987:1"),
        (4, "2c9fd8ddae68ce91:1"),
        (5, "24be4e3a03d4ac7e:1"),
        (6, "1819e70805e3e743:1"),
        (7, "52b56201ffb58620:1"),
        (8, "c129715d7a2bc9a3:1"),
    ]


def test_logical_fingerprint_ignores_the_line_and_tells_occurrences_apart() -> None:
    first = logical_fingerprint("E001", "compose.yaml", "service 'api' runs privileged")
    assert first == logical_fingerprint("E001", "compose.yaml", "service 'api' runs privileged")
    assert first != logical_fingerprint("E001", "other.yaml", "service 'api' runs privileged")
    assert first != logical_fingerprint(
        "E001", "compose.yaml", "service 'api' runs privileged", occurrence=2
    )


def test_file_line_hashes_read_the_text_once_and_only_when_asked() -> None:
    reads: list[int] = []

    def text() -> str:
        reads.append(1)
        return COMPOSE

    hashes = FileLineHashes(text, last_line=4)
    assert reads == []
    assert hashes.of_line(4) == dict(COMPOSE_HASHES)[4]
    assert hashes.of_line(2) == dict(COMPOSE_HASHES)[2]
    assert hashes.of_line(99) == ""
    assert reads == [1]
