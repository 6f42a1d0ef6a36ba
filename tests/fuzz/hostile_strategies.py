"""Hypothesis strategies for hostile input: shared by the property tests and the fuzzer.

The generators aim where parsers break: YAML built from the keys stridescan reads, with
anchors, aliases, merge keys, tags, flow/block mixes and broken indentation; Dockerfiles from
real instructions with continuations, heredocs, JSON forms, directives and substitutions.
Plain bytes and mutated text cover everything else.
"""

from __future__ import annotations

from hypothesis import strategies as st

_KEYS = (
    "services", "image", "build", "context", "dockerfile", "ports", "volumes", "user",
    "privileged", "cap_add", "cap_drop", "security_opt", "read_only", "environment",
    "deploy", "resources", "limits", "memory", "pids_limit", "mem_limit", "network_mode",
    "pid", "ipc", "apiVersion", "kind", "metadata", "name", "namespace", "annotations", "spec",
    "template", "jobTemplate", "containers", "initContainers", "ephemeralContainers",
    "securityContext", "runAsUser", "runAsNonRoot", "allowPrivilegeEscalation",
    "capabilities", "add", "drop", "volumeMounts", "mountPath", "hostPath", "path",
    "hostNetwork", "hostPID", "items", "target", "published", "host_ip", "containerPort",
    "hostPort", "env", "value", "valueFrom", "readOnlyRootFilesystem", "type", "source",
    "<<", "x-defaults", "version", "",
)  # fmt: skip
_SCALARS = (
    "true", "false", "yes", "no", "on", "off", "null", "~", "0", "-1", "0x1F", "0o17", "1e9",
    ".inf", ".nan", "nginx:1.25", "docker.io/library/nginx@sha256:" + "a" * 64,
    "/var/run/docker.sock:/var/run/docker.sock", "8080:80", "127.0.0.1:80:80/udp", "ALL",
    "NET_RAW", "SYS_ADMIN", "no-new-privileges:true", "root", "1000:1000", "${UID:-0}",
    "$$HOME", "{{ .Values.image }}", "'quoted'", '"dq \\u0000 \\x00"', "- dash", "a: b",
    "host", "Pod", "Deployment", "CronJob", "List", "PodList", "apps/v1", "v1", "batch/v1",
    "512m", "1Gi", "",
)  # fmt: skip
_TAGS = (
    "!!python/object/apply:os.system",
    "!!python/object:os.system",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!binary",
    "!!set",
    "!!omap",
    "!!str",
    "!!int",
    "!!map",
    "!!seq",
    "!custom",
    "!<tag:example.com,2000:x>",
)


def _scalar() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_SCALARS),
        st.text(max_size=12),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def _yaml_value(depth: int) -> st.SearchStrategy[str]:
    """A YAML fragment: scalar, flow collection or indented block (indentation may break)."""
    leaf = _scalar().map(_quote_some)
    if depth <= 0:
        return leaf
    child = _yaml_value(depth - 1)
    flow_seq = st.lists(child, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    flow_map = st.lists(st.tuples(st.sampled_from(_KEYS), child), max_size=4).map(
        lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    )
    block_map = st.lists(
        st.tuples(st.sampled_from(_KEYS), child, st.sampled_from((2, 2, 2, 2, 2, 4, 1, 0))),
        min_size=1,
        max_size=5,
    ).map(_block_map)
    block_seq = st.lists(st.tuples(child, st.sampled_from((2, 2, 2, 0))), min_size=1, max_size=4)
    tagged = st.tuples(st.sampled_from(_TAGS), leaf).map(lambda t: f"{t[0]} {t[1]}")
    # Valid shapes first: hypothesis favours earlier branches when it shrinks and explores.
    return st.one_of(block_map, block_seq.map(_block_seq), leaf, flow_map, flow_seq, tagged)


def _quote_some(text: str) -> str:
    if text in _SCALARS:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent(text: str, by: int) -> str:
    return "\n".join(" " * by + line for line in text.split("\n"))


def _block_map(pairs: list[tuple[str, str, int]]) -> str:
    lines = []
    for key, value, indent in pairs:
        nested = ": " in value and not value.startswith(("{", "[", '"', "!"))
        if "\n" in value or nested or value.startswith(("- ", "&")):
            lines.append(f"{key}:\n{_indent(value, indent)}")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)


def _block_seq(items: list[tuple[str, int]]) -> str:
    return "\n".join(
        "- " + _indent(value, indent).lstrip(" ")
        if "\n" not in value
        else "-\n" + _indent(value, 2)
        for value, indent in items
    )


def _with_anchors(text: str, data: st.DataObject) -> str:
    """Sprinkle anchors and aliases (some dangling) into a document."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(0, 3))):
        index = data.draw(st.integers(0, max(0, len(lines) - 1)))
        name = data.draw(st.sampled_from(("a", "b", "base")))
        line = lines[index]
        if ": " in line and data.draw(st.booleans()):
            key, _, value = line.partition(": ")
            lines[index] = f"{key}: &{name} {value}"
        else:
            key = line.partition(":")[0] or "x"
            lines[index] = f"{key}: *{name}"
    return "\n".join(lines)


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """A YAML stream of 1-3 documents shaped like compose files and manifests."""
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from(("compose", "pod", "workload", "list", "free")))
        body = draw(_yaml_value(3))
        if shape == "compose":
            body = "services:\n  web:\n" + _indent(body, 4)
        elif shape == "pod":
            body = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - " + body.replace(
                "\n", "\n    "
            )
        elif shape == "workload":
            kind = draw(st.sampled_from(("Deployment", "CronJob", "Job", "DaemonSet")))
            body = f"apiVersion: apps/v1\nkind: {kind}\nspec:\n" + _indent(body, 2)
        elif shape == "list":
            body = "apiVersion: v1\nkind: List\nitems:\n- " + body.replace("\n", "\n  ")
        documents.append(_with_anchors(body, draw(st.data())))
    separator = draw(st.sampled_from(("\n---\n", "\n--- \n", "\n...\n---\n")))
    text = separator.join(documents)
    return draw(st.sampled_from(("", "%YAML 1.2\n---\n", "---\n"))) + text


_INSTRUCTIONS = (
    "FROM", "RUN", "CMD", "ENTRYPOINT", "USER", "ENV", "ARG", "COPY", "ADD", "EXPOSE",
    "HEALTHCHECK", "SHELL", "WORKDIR", "LABEL", "ONBUILD", "STOPSIGNAL", "VOLUME",
    "MAINTAINER", "from", "Run", "USER", "RUN", "FROM", "COPY", "ENV", "ARG", "BOGUS",
)  # fmt: skip
_WORDS = (
    "alpine:3.19", "ubuntu", "scratch", "build", "AS", "as", "base", "--platform=$BUILDPLATFORM",
    "root", "0", "1000:1000", "nobody", "$USER", "${USER}", "${U:-root}", "${U:+x}", "${U#r}",
    "${U%%t}", "${U/a/b}", "${", "$", "\\", "`", '"', "'", "[", "]", '["sh", "-c"]', '["a",',
    '[1, 2]', '{"a": 1}', "<<EOF", "<<-EOF", '<<"EOF"', "<<'EOF'", "EOF", "&&", "||", ";",
    "--chown=0:0", "--from=build", "--mount=type=secret,id=x", "NONE", "CMD", "=", "A=B",
    "A=\"b c\"", "--interval=5s", "80/tcp", "#", "# comment", "\t", "héllo", "\u202e",
)  # fmt: skip


_DIRECTIVES = ("# escape=`", "# escape=\\", "# syntax=x", "#escape=q", "# check=skip=all")


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    """Dockerfile text: directives, instructions, continuations, heredocs and comments."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(_DIRECTIVES)))
    if draw(st.integers(0, 4)):
        lines.append("FROM " + draw(st.sampled_from(("alpine:3.19", "ubuntu", "base AS b", "x"))))
    for _ in range(draw(st.integers(0, 12))):
        choice = draw(st.integers(0, 9))
        if choice == 0:
            lines.append(draw(st.sampled_from(("", "# note", "   ", "\\", "`"))))
            continue
        keyword = draw(st.sampled_from(_INSTRUCTIONS))
        word = st.sampled_from(_WORDS) if draw(st.integers(0, 5)) else st.text(max_size=6)
        words = draw(st.lists(word, max_size=5))
        line = " ".join((keyword, *words))
        if draw(st.integers(0, 4)) == 0:
            line += draw(st.sampled_from((" \\", " `", "\\", " \\ ")))
        lines.append(line)
        if "<<" in line and draw(st.booleans()):
            body = st.sampled_from(("echo hi", "EOF", "  EOF", ""))
            lines.extend(draw(st.lists(body, max_size=3)))
    return "\n".join(lines) + draw(st.sampled_from(("", "\n", "\r\n", "\\")))


_PIECES = ("\n", " ", ":", "-", "[", "{", "\t", "&", "*", "!", "'", '"', "#", "\\", "\x00", "\r")


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """`base` text with a few characters inserted, deleted or replaced."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.integers(0, 2))
        piece = draw(st.sampled_from(_PIECES))
        if action == 0:
            text = text[:position] + piece + text[position:]
        elif action == 1:
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + piece + text[position + 1 :]
    return text


#: File names that pick each parser: content-classified YAML, compose, Dockerfile.
SCANNED_NAMES = ("deploy.yaml", "compose.yaml", "Dockerfile", "data.json", "daemon.json")


def encoded(text: str, encoding: str) -> bytes:
    """`text` as bytes in one of the encodings stridescan accepts, BOM included."""
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if encoding == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


def hostile_text() -> st.SearchStrategy[str]:
    """Any of the text generators, mutated or not."""
    return st.one_of(
        yaml_documents(),
        dockerfiles(),
        mutated(yaml_documents()),
        mutated(dockerfiles()),
        st.text(max_size=200),
    )


def hostile_bytes() -> st.SearchStrategy[bytes]:
    """Raw bytes, or hostile text in an accepted or broken encoding."""
    as_text = st.tuples(hostile_text(), st.sampled_from(("utf-8", "utf-8-sig", "utf-16"))).map(
        lambda pair: encoded(*pair)
    )
    return st.one_of(as_text, st.binary(max_size=300))
