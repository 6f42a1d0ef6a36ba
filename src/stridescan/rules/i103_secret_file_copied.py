"""
## What it flags
A `COPY` or `ADD` from the build context of a file that holds credentials: `.env` files
(not `.env.example`, `.env.sample`, `.env.template`, `.env.dist`), SSH private keys
(`id_rsa`, `id_ed25519`, ...), private keys and key stores (`*.key`, `*.p12`, `*.pfx`,
`*.jks`, `*.pem` unless named as a certificate or CA bundle), `.npmrc`, `.pypirc`, `.netrc`,
`.git-credentials`, `.aws/credentials`, `.docker/config.json`, `.kube/config`. The
`extra-files` and `ignore-files` options add and remove file name or path globs.

## Why it matters
Information disclosure. Every layer of an image is readable by whoever can pull it, and a
file deleted in a later layer is still in the earlier one: the credential ships to every
registry, cache and laptop the image reaches. Whoever reads it can act as its owner
(Spoofing).

## Example
```dockerfile
FROM node:22.11.0-bookworm-slim
COPY .npmrc /root/.npmrc
RUN npm ci
```

## Fix
Mount the secret for the one RUN that needs it with BuildKit; it never enters a layer.
```dockerfile
# syntax=docker/dockerfile:1
FROM node:22.11.0-bookworm-slim
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
```
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from fnmatch import fnmatchcase

from stridescan import lazy_re
from stridescan.model import Image
from stridescan.rules._dockerfile import transfers
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._options import SecretFileOptions
from stridescan.rules._registry import Finding, rule

_SECRET_NAMES = frozenset(
    (
        ".env", ".npmrc", ".pypirc", ".netrc", "_netrc", ".git-credentials", ".htpasswd",
        "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "credentials.json", "secrets.json",
    )
)  # fmt: skip
_SECRET_PATHS = (".aws/credentials", ".docker/config.json", ".kube/config", ".ssh/")
_ENV_FILE = lazy_re.compile(r"^\.env\.(?!example$|sample$|template$|dist$|defaults?$)[\w.-]+$")
_KEY_FILE = lazy_re.compile(r"\.(key|p12|pfx|jks|keystore|pem)$", re.IGNORECASE)
_CERTIFICATE = lazy_re.compile(
    r"(^|[-_.])(ca|cacert|cert|certs|certificate|chain|fullchain|bundle|pub|public|trust)"
    r"([-_.]|$)",
    re.IGNORECASE,
)


def secret_file(source: str) -> bool:
    """Whether a build-context path names a file that holds credentials."""
    path = posixpath.normpath(source.strip().strip("\"'"))
    name = posixpath.basename(path)
    if name in _SECRET_NAMES or _ENV_FILE.match(name):
        return True
    if any(part in f"/{path}/" for part in _SECRET_PATHS):
        return not name.endswith(".pub") and name != "known_hosts"
    if _KEY_FILE.search(name):
        stem = name.rsplit(".", 1)[0]
        return not (name.lower().endswith(".pem") and _CERTIFICATE.search(stem))
    return False


@rule(
    code="I103",
    slug="secret-file-copied",
    title="Secret file copied into the image",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.HIGH,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.10", "cis-docker-1.2:4.10"),
    options=SecretFileOptions,
)
def check(image: Image, options: SecretFileOptions) -> Iterator[Finding]:
    for instruction, transfer in transfers(image):
        if "from" in transfer.flags:
            continue
        for source in transfer.sources:
            if "$" not in source and _reported(source, options):
                yield Finding(
                    at=instruction.location,
                    message=f"{instruction.keyword} copies secret file {source!r} into a layer",
                )
                break


def _reported(source: str, options: SecretFileOptions) -> bool:
    path = posixpath.normpath(source.strip().strip("\"'")).lstrip("/")
    if _matches(path, options.ignore_files):
        return False
    return secret_file(source) or _matches(path, options.extra_files)


def _matches(path: str, globs: tuple[str, ...]) -> bool:
    name = posixpath.basename(path)
    return any(fnmatchcase(name, glob) or fnmatchcase(path, glob) for glob in globs)
