"""Docker daemon configuration (`daemon.json`) to the model.

The file is JSON, which the YAML reader composes with positions, so every setting keeps its
line. dockerd refuses a file with a value of the wrong type, and so do we: a ParseError at
the value. Unknown keys are left alone (dockerd refuses those too, but judging them is not
a security question).
"""

from __future__ import annotations

from stridescan.diagnostics import ParseError
from stridescan.model import DaemonConfig, Located, Location, SourceKind
from stridescan.parsers._nodes import Reader, describe, node_location, scalar_text
from stridescan.yamlsource import Mapping, load_documents

HINT = "see https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file"


def parse_daemon(text: str, path: str) -> DaemonConfig:
    """Read one daemon.json; anything but a single JSON object is a ParseError."""
    documents = list(load_documents(text))
    if not documents:
        raise ParseError("daemon.json is empty: it must hold a JSON object", 1, 1, hint=HINT)
    document = documents[0]
    if document.error is not None:
        error = document.error
        raise ParseError(error.message, error.line, error.column, hint=HINT)
    root = document.root
    if not isinstance(root, Mapping):
        line = root.line if root is not None else 1
        what = describe(root) if root is not None else "nothing"
        raise ParseError(f"daemon.json must hold a JSON object, not {what}", line, 1, hint=HINT)
    location = Location(path=path, line=root.line, column=root.column)
    config = Reader(path, root, location, "")
    return DaemonConfig(
        path=path,
        source_kind=SourceKind.DAEMON,
        location=location,
        icc=config.boolean("icc"),
        log_level=config.text("log-level"),
        live_restore=config.boolean("live-restore"),
        no_new_privileges=config.boolean("no-new-privileges"),
        userns_remap=config.text("userns-remap"),
        insecure_registries=_texts(config, "insecure-registries"),
        userland_proxy=config.boolean("userland-proxy"),
        hosts=_texts(config, "hosts"),
        tls_verify=config.boolean("tlsverify"),
        authorization_plugins=_texts(config, "authorization-plugins"),
        log_driver=config.text("log-driver"),
        experimental=config.boolean("experimental"),
        seccomp_profile=config.text("seccomp-profile"),
        iptables=config.boolean("iptables"),
        storage_driver=config.text("storage-driver"),
    )


def _texts(config: Reader, key: str) -> tuple[Located[str], ...]:
    """The strings listed under `key`, each at its own line."""
    items = config.sequence_at(key)
    if items is None:
        return ()
    found: list[Located[str]] = []
    for index, item in enumerate(items.items):
        text = scalar_text(item, f"{key}[{index}]")
        if text is not None:
            found.append(Located(text, node_location(config.path, item)))
    return tuple(found)
