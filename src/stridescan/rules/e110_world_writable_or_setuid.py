"""
## What it flags
Permission changes that open the image up: `chmod` in a RUN (or `COPY`/`ADD --chmod`) that
makes files writable by everyone (`777`, `666`, `o+w`, `a+w`) or sets the setuid or setgid
bit (`u+s`, `g+s`, `+s`, `4755`, `2755`). Sticky directories such as `chmod 1777 /tmp` are
not flagged.

## Why it matters
Elevation of privilege. A setuid binary runs as its owner, usually root, for whoever calls
it: one bug in it is root in the container. A world-writable file or directory lets any
process, including a compromised unprivileged one, replace code or configuration that a
more privileged process later trusts (Tampering).

## Example
```dockerfile
FROM alpine:3.20
COPY app /app
RUN chmod -R 777 /app
```

## Fix
Give ownership to the user that needs to write, with the narrowest mode.
```dockerfile
FROM alpine:3.20
COPY --chown=10001:10001 app /app
RUN chmod -R u=rwX,go=rX /app
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stridescan import lazy_re
from stridescan.model import Image
from stridescan.rules._dockerfile import run_scripts, transfers
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_CHMOD = lazy_re.compile(r"\bchmod\s+((?:-\S+\s+)*)(\S+)")
_SYMBOLIC = lazy_re.compile(r"^([ugoa]*)([-+=])([rwxXst]*)$")


def dangerous_mode(mode: str) -> str | None:
    """What is wrong with a chmod mode: "world-writable", "setuid/setgid", or None."""
    mode = mode.strip("\"'")
    if re.fullmatch(r"[0-7]{3,4}", mode):
        special = int(mode[:-3] or "0", 8)
        if special & 0o6:
            return "setuid/setgid"
        sticky = special & 0o1  # 1777: shared but undeletable, as /tmp is meant to be
        return "world-writable" if int(mode[-1], 8) & 0o2 and not sticky else None
    for clause in mode.split(","):
        parts = _SYMBOLIC.match(clause)
        if parts is None or parts.group(2) == "-":
            continue
        who, perms = parts.group(1), parts.group(3)
        if "s" in perms and (not who or set(who) & set("uga")):
            return "setuid/setgid"
        if "w" in perms and set(who) & set("oa"):
            return "world-writable"
    return None


@rule(
    code="E110",
    slug="world-writable-or-setuid",
    title="World-writable permissions or setuid bit set",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.8", "cis-docker-1.2:4.8"),
)
def check(image: Image) -> Iterator[Finding]:
    for instruction, transfer in transfers(image):
        mode = transfer.flags.get("chmod")
        problem = dangerous_mode(mode) if mode else None
        if problem:
            yield Finding(
                at=instruction.location,
                message=f"{instruction.keyword} --chmod={mode!r} makes files {problem}",
            )
    for _, instruction, script in run_scripts(image):
        for match in _CHMOD.finditer(script):
            problem = dangerous_mode(match.group(2))
            if problem:
                yield Finding(
                    at=instruction.location,
                    message=f"RUN chmod {match.group(2)!r} makes files {problem}",
                )
                break
