"""The parse floor: what any scan of the same tree must spend, with no rules and no output.

Walks the tree as `stridescan scan` does (its own `discover`, so the same files), reads
every file, and parses each with the libraries stridescan uses: YAML composed with marks
by ruamel.yaml's C composer, every document of a stream; Dockerfiles by dockerfile-parse
(`.structure`); daemon.json by `json`. YAML whose name says nothing and whose text has
neither `apiVersion` nor `services` is read but not composed, as the scanner's sniff does
(`stridescan.parsing`): no scan must compose a CI file. Nothing else happens: no model,
no rules, no report. `targets.py` runs it as its own process, start-up included, and
compares stridescan's wall time with it.

The resolver: stridescan composes with a resolver that tags every scalar a string (the
implicit resolver of ruamel runs in Python per scalar); the floor does the same by default,
so it is not inflated by work the scanner avoids. `--resolver default` shows ruamel's stock
cost.

    python bench/parse_floor.py CORPUS_DIR
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

# The scanner's content sniff (stridescan.parsing), copied so the floor does not import it.
_DOCKERFILE_START = re.compile(r"^\s*(FROM|ARG)\s", re.IGNORECASE)
_FIRST_CODE_LINE = re.compile(r"^\s*([^\s#][^\n]*)", re.MULTILINE)
_KUBERNETES_HINT = re.compile(r"\bapiVersion\b")
_COMPOSE_HINT = re.compile(r"\bservices\b")


def composer(resolver: str) -> Any:
    """ruamel.yaml's C-backed safe loader, used only to compose (nodes with marks): with the
    scanner's own plain resolver, or ruamel's stock one (`default`)."""
    if resolver == "plain":
        from stridescan.yamlsource import plain_composer

        return plain_composer()
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


def parse_tree(root: Path, resolver: str = "plain") -> dict[str, int]:
    """Parse every file a scan of `root` reads; returns counts, so nothing is optimised away."""
    from dockerfile_parse import DockerfileParser

    from stridescan.discovery import discover
    from stridescan.model import SourceKind

    yaml = composer(resolver)
    counts = {"files": 0, "yaml_documents": 0, "dockerfile_instructions": 0, "json": 0}
    for source in discover([str(root)], root=root).files:
        assert source.path is not None
        data = source.path.read_bytes()
        counts["files"] += 1
        text = data.decode("utf-8", errors="replace")
        kind = source.kind
        if kind is None and _looks_like_dockerfile(text):
            kind = SourceKind.DOCKERFILE
        if kind is SourceKind.DOCKERFILE:
            structure = DockerfileParser(fileobj=io.BytesIO(data)).structure
            counts["dockerfile_instructions"] += len(structure)
        elif kind is SourceKind.DAEMON:
            json.loads(text)
            counts["json"] += 1
        elif (
            kind is SourceKind.COMPOSE
            or _KUBERNETES_HINT.search(text)
            or _COMPOSE_HINT.search(text)
        ):
            counts["yaml_documents"] += sum(1 for _ in yaml.compose_all(text))
    return counts


def _looks_like_dockerfile(text: str) -> bool:
    first = _FIRST_CODE_LINE.search(text)
    return first is not None and bool(_DOCKERFILE_START.match(first.group(1)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("root", type=Path)
    parser.add_argument("--resolver", choices=("plain", "default"), default="plain")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = parse_tree(args.root.resolve(), args.resolver)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{key} {value}" for key, value in counts.items())
    print(f"parse floor: {summary} in {elapsed:.2f} s (in-process)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
