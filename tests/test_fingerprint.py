from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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


def github_line_hashes(text: str) -> list[tuple[int, str]]:
    """github/codeql-action `hash()` in fingerprints.ts, transcribed one character at a time:
    the reference the fast implementation must match."""
    window = [0] * 100
    line_numbers = [-1] * 100
    hash_raw = index = line_number = 0
    line_start, prev_cr = True, False
    counts: dict[int, int] = {}
    hashes: list[tuple[int, str]] = []

    def output_hash() -> None:
        counts[hash_raw] = counts.get(hash_raw, 0) + 1
        hashes.append((line_numbers[index], f"{hash_raw:x}:{counts[hash_raw]}"))
        line_numbers[index] = -1

    def update_hash(current: int) -> None:
        nonlocal hash_raw, index
        begin, window[index] = window[index], current
        hash_raw = (37 * hash_raw + current - pow(37, 100) * begin) % 2**64
        index = (index + 1) % 100

    def process_character(current: int) -> None:
        nonlocal line_start, line_number, prev_cr
        if current in (0x20, 0x09) or (prev_cr and current == 0x0A):
            prev_cr = False
            return
        prev_cr = current == 0x0D
        current = 0x0A if prev_cr else current
        if line_numbers[index] != -1:
            output_hash()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        line_start = current == 0x0A
        update_hash(current)

    encoded = text.encode("utf-16-le", "surrogatepass")  # JavaScript strings: UTF-16 units
    for at in range(0, len(encoded), 2):
        process_character(int.from_bytes(encoded[at : at + 2], "little"))
    process_character(65535)
    for _ in range(100):
        if line_numbers[index] != -1:
            output_hash()
        update_hash(0)
    return hashes


# Line content that stresses the fast path: spaces and tabs (ignored), non-ASCII in and out
# of Latin-1, a character outside the BMP (two UTF-16 units), U+FFFF (the end-of-file
# marker's value), NUL (the padding's), and lines longer than a window or a fold.
_PIECES = st.sampled_from(
    [
        "a",
        "b",
        "key:",
        " ",
        "\t",
        "  ",
        "\u00e9",
        "\u4e2d",
        "\U0001f600",
        "\uffff",
        "\0",
        "x" * 150,
        "y" * 300,
    ]
)
_LINES = st.lists(st.lists(_PIECES, max_size=8).map("".join), max_size=300)
_ENDS = st.sampled_from(["\n", "\r\n", "\r", "\r\r\n", "\n\n"])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    lines = draw(_LINES)
    return "".join(line + draw(_ENDS) for line in lines) + draw(st.sampled_from(["", "tail", " "]))


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_line_hashes_match_githubs_character_by_character_algorithm(text: str) -> None:
    assert list(line_hashes(text)) == github_line_hashes(text)


@settings(max_examples=200, deadline=None)
@given(_texts(), st.integers(min_value=1, max_value=400))
def test_hashing_up_to_a_line_gives_that_prefix_of_githubs_hashes(
    text: str, last_line: int
) -> None:
    expected = [value for _, value in github_line_hashes(text)][:last_line]
    assert line_hash_table(text, last_line) == expected
    hashes = FileLineHashes(lambda: text, last_line)
    in_file = expected if text else ["" for _ in expected]  # an empty file has no lines to flag
    assert [hashes.of_line(line) for line in range(1, len(expected) + 1)] == in_file


def test_a_line_far_before_the_end_of_a_long_file_hashes_as_in_the_whole_file() -> None:
    text = "".join(f"  - name: item-{n}\r\n" for n in range(2000))
    whole = github_line_hashes(text)
    assert line_hash_table(text, last_line=7) == [value for _, value in whole[:7]]
    assert FileLineHashes(lambda: text, 1990).of_line(1990) == whole[1989][1]


def test_file_line_hashes_number_repeated_hashes_in_file_order() -> None:
    hashes = FileLineHashes(lambda: "x\n" * 80, last_line=80)
    assert hashes.of_line(3).endswith(":3")
    assert hashes.of_line(1).endswith(":1")
    assert hashes.of_line(3) == dict(line_hashes("x\n" * 80))[3]


def test_a_window_that_spans_a_hundred_empty_lines_reads_every_one_of_them() -> None:
    # Each empty line is one significant unit, its end: the window of line 1 ends exactly
    # where line 101 starts, the shortest reach the hashing of a prefix of the file allows.
    text = "key: value\n" + "\n" * 120 + "tail: \U0001f600\n"
    whole = [value for _, value in github_line_hashes(text)]
    for last_line in (1, 2, 21):
        assert line_hash_table(text, last_line) == whole[:last_line]
