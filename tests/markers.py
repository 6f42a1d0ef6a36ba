"""Expectation markers in fixture files, for tests that compare findings with them.

`# expect: CODE[,CODE]` ends a YAML line; in Dockerfiles `# expect-next: CODE` on its own
line marks the next instruction; JSON, which has no comments, has a sidecar
`<name>.expect` with one `LINE CODE` per line.
"""

from __future__ import annotations

import re
from pathlib import Path

_EXPECT = re.compile(r"#\s*expect:\s*([A-Z]\d{3}(?:\s*,\s*[A-Z]\d{3})*)")
_EXPECT_NEXT = re.compile(r"^\s*#\s*expect-next:\s*([A-Z]\d{3}(?:\s*,\s*[A-Z]\d{3})*)\s*$")


def expected_markers(path: Path) -> set[tuple[int, str]]:
    """The (line, code) pairs the markers of `path` (or its sidecar) expect."""
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.is_file():
        pairs = (line.split() for line in sidecar.read_text(encoding="utf-8").splitlines())
        return {(int(pair[0]), pair[1]) for pair in pairs if len(pair) == 2}
    expected: set[tuple[int, str]] = set()
    pending: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        next_marker = _EXPECT_NEXT.match(line)
        if next_marker:
            pending.extend(code.strip() for code in next_marker.group(1).split(","))
            continue
        if pending and line.strip() and not line.lstrip().startswith("#"):
            expected.update((number, code) for code in pending)
            pending = []
        inline = _EXPECT.search(line)
        if inline:
            expected.update((number, code.strip()) for code in inline.group(1).split(","))
    return expected
