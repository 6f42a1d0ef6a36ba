"""The catalogue of hostile and broken inputs, generated here so no large file is committed.

Each case is a small tree: file name -> bytes. `tests/hostile/` checks each one's precise
outcome; the outputs test renders every case in every format.
"""

from __future__ import annotations

import codecs

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: app
    image: registry.example.com/app:1.0
    securityContext:
      privileged: true
"""
COMPOSE = "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n"
DOCKERFILE = "FROM alpine:3.19\nUSER root\n"


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The alias bomb: `width ** levels` leaves when expanded, a few hundred bytes written."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    bomb = "\n".join("  " + line for line in lines)
    return f"x-bomb:\n{bomb}\nservices:\n  web:\n    image: nginx:1.25\n    labels: *a{levels}\n"


def deep_flow(depth: int) -> str:
    return "services:\n  web:\n    labels: " + "[" * depth + "]" * depth + "\n"


def deep_block(depth: int) -> str:
    """Block sequences nested on one line: `- - - - x`, which crashed libyaml's composer."""
    return "services:\n  web:\n    labels:\n      " + "- " * depth + "x\n"


def deep_block_indented(depth: int) -> str:
    lines = [" " * level + f"k{level}:" for level in range(depth)]
    return "services:\n  web:\n    labels:\n" + "\n".join(" " * 6 + line for line in lines) + "\n"


def many_containers(count: int) -> str:
    containers = "".join(
        f"  - name: c{index}\n    image: registry.example.com/app:1.0\n"
        "    securityContext: {privileged: true}\n"
        for index in range(count)
    )
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n" + containers


def many_stages(count: int) -> str:
    stages = "".join(f"FROM alpine:3.19 AS s{index}\nRUN echo {index}\n" for index in range(count))
    return stages + f"FROM s{count - 1}\nUSER root\n"


def huge_compose(megabytes: int) -> str:
    """A compose file of about `megabytes` MB: many small services."""
    service = "  s{0}:\n    image: nginx:1.25\n    labels: [a, b, c, d, e, f, g, h]\n"
    count = megabytes * 1024 * 1024 // len(service.format(100000))
    return "services:\n" + "".join(service.format(index) for index in range(count))


def cases() -> dict[str, dict[str, bytes]]:
    """Every hostile case as a tree to scan; `ok.yaml` is a valid neighbour in each."""
    utf8 = str.encode
    trees: dict[str, dict[str, bytes]] = {
        "yaml-syntax-error": {"compose.yaml": b"services:\n  web: {image: [\n"},
        "helm-template": {
            "deploy.yaml": b"apiVersion: apps/v1\nkind: Deployment\nspec:\n"
            b"  {{- if .Values.x }}\n  replicas: 1\n  {{- end }}\n"
        },
        "services-as-list": {"compose.yaml": b"services:\n  - web\n  - db\n"},
        "ports-as-mapping": {
            "compose.yaml": b"services:\n  web:\n    image: x:1\n    ports: {http: 80}\n"
        },
        "null-spec": {"pod.yaml": b"apiVersion: v1\nkind: Pod\nspec:\n"},
        "string-containers": {"pod.yaml": b"apiVersion: v1\nkind: Pod\nspec:\n  containers: x\n"},
        "bad-document-among-good": {
            "pods.yaml": utf8(POD.format(name="a") + "---\nkind: [\n---\n" + POD.format(name="b"))
        },
        "unsafe-tags": {
            "compose.yaml": b"services:\n  web:\n    image: !!python/object/apply:os.system\n"
            b"      - touch pwned\n    privileged: true\n",
            "pod.yaml": b"!!python/object/apply:os.system ['touch pwned']\n",
        },
        "duplicate-keys": {
            "compose.yaml": b"services:\n  web:\n    image: x:1\n    privileged: false\n"
            b"    privileged: true\n"
        },
        "dockerfile-unterminated-continuation": {"Dockerfile": b"FROM alpine:3.19\nRUN echo \\"},
        "dockerfile-unterminated-heredoc": {"Dockerfile": b"FROM alpine:3.19\nRUN <<EOF\necho\n"},
        "dockerfile-broken-json": {"Dockerfile": b'FROM alpine:3.19\nCMD ["a", \nUSER root\n'},
        "utf8-bom": {"compose.yaml": codecs.BOM_UTF8 + utf8(COMPOSE)},
        "utf16-bom": {"compose.yaml": COMPOSE.encode("utf-16")},
        "invalid-utf8": {"compose.yaml": b"services:\n  web:\n    image: \xff\xfe\xfa\n"},
        "nul-bytes": {"compose.yaml": b"services:\n\x00\x00"},
        "binary-dockerfile": {"Dockerfile": bytes(range(256)) * 4},
        "crlf": {"compose.yaml": COMPOSE.replace("\n", "\r\n").encode()},
        "empty": {"compose.yaml": b"", "Dockerfile": b""},
        "comment-only": {"compose.yaml": b"# nothing yet\n", "Dockerfile": b"# later\n"},
        "billion-laughs": {"compose.yaml": utf8(billion_laughs())},
        "deep-flow": {"compose.yaml": utf8(deep_flow(20_000))},
        "deep-block": {"compose.yaml": utf8(deep_block(20_000))},
        "long-line": {"compose.yaml": utf8(COMPOSE + "    command: " + "x" * 2_000_000 + "\n")},
        "many-containers": {"pod.yaml": utf8(many_containers(100))},
        "many-stages": {"Dockerfile": utf8(many_stages(300))},
        "odd-names": {
            "Dockerfile.with space": utf8(DOCKERFILE),
            "Dockerfile.new\nline": utf8(DOCKERFILE),
            "Dockerfile.é\x1b[31m": utf8(DOCKERFILE),
            "Dockerfile.a|b`c,d:e%0Af": utf8(DOCKERFILE),
        },
    }
    for tree in trees.values():
        tree["ok.yaml"] = utf8(POD.format(name="neighbour"))
    return trees
