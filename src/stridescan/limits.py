"""The bounds that keep one hostile file from costing unbounded time or memory.

All in one place so README's "Limits" section, the command line and the parsers agree.
Each can be raised (or lowered) with an environment variable, and the file size also with
`stridescan scan --max-file-size`. A file over a bound is reported with its path and line and
fails the run; every other file is still scanned.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import fields, replace

from stridescan._frozen import dataclass
from stridescan.diagnostics import UsageError

#: Files larger than this are not read (bytes). Real manifests are kilobytes.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: YAML nodes per document, an alias counted once: the largest real documents (big CRDs)
#: hold tens of thousands; composing costs about 600 bytes a node.
MAX_YAML_NODES = 500_000
#: Nesting depth of YAML collections (block and flow): the composer recurses per level.
MAX_YAML_DEPTH = 200


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = MAX_FILE_BYTES
    max_yaml_nodes: int = MAX_YAML_NODES
    max_yaml_depth: int = MAX_YAML_DEPTH


#: The environment variable that overrides each limit.
ENVIRONMENT = {
    "max_file_bytes": "STRIDESCAN_MAX_FILE_SIZE",
    "max_yaml_nodes": "STRIDESCAN_MAX_YAML_NODES",
    "max_yaml_depth": "STRIDESCAN_MAX_YAML_DEPTH",
}
_SIZE = re.compile(r"\s*([0-9]+)\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_active: Limits | None = None


def parse_size(text: str, what: str) -> int:
    """`32M`, `512k`, `1GiB` or a plain number of bytes; UsageError names `what`."""
    match = _SIZE.fullmatch(text)
    if match is None or int(match.group(1)) < 1:
        raise UsageError(
            f"{what}: {text!r} is not a positive number; use digits, for sizes with an "
            "optional K/M/G suffix, e.g. 64M"
        )
    unit = (match.group(2) or "").lower()[:1]
    return int(match.group(1)) * _UNITS[unit]


def from_environment(environ: Mapping[str, str] = os.environ) -> Limits:
    """The defaults, overridden by the STRIDESCAN_MAX_* variables that are set."""
    limits = Limits()
    for field in fields(Limits):
        name = ENVIRONMENT[field.name]
        text = environ.get(name, "").strip()
        if text:
            limits = replace(limits, **{field.name: parse_size(text, name)})
    return limits


def active() -> Limits:
    """The limits in force: those of `applied`, else the environment's (read each time, so
    worker processes and tests see changes)."""
    if _active is not None:
        return _active
    try:
        return from_environment()
    except UsageError:  # the command line reports bad values before scanning
        return Limits()


@contextlib.contextmanager
def applied(limits: Limits) -> Iterator[None]:
    """Put `limits` in force for the duration of one scan."""
    global _active
    previous, _active = _active, limits
    try:
        yield
    finally:
        _active = previous
