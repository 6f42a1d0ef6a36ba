"""The views several rules share (a container's noun and control-plane flags, a Dockerfile's
RUN scripts and COPY/ADD words) keep the last object's answer: asked about objects in any
order, each answer is still that object's own."""

from __future__ import annotations

from stridescan.model import Container, Image, SourceKind
from stridescan.parsing import parse_source
from stridescan.rules._control_plane import control_plane_flags
from stridescan.rules._describe import container_noun
from stridescan.rules._dockerfile import run_scripts, transfer_of, transfers

PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: kube-system}
spec:
  containers:
    - name: api
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command: [kube-apiserver, --anonymous-auth=false]
    - name: web
      image: registry.example.com/web:1.0
---
apiVersion: v1
kind: Pod
metadata: {name: api-2, namespace: kube-system}
spec:
  containers:
    - name: api
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command: [kube-apiserver, --anonymous-auth=true]
"""

FIRST = """\
FROM alpine:3.20
RUN apk add curl
COPY --chmod=777 app /app
ADD https://example.com/tool.tgz /opt/
"""

SECOND = """\
FROM alpine:3.20 AS build
RUN make
FROM scratch
COPY --from=build /out /
"""


def _containers() -> list[Container]:
    parsed = parse_source(PODS, "pods.yaml", SourceKind.KUBERNETES)
    return [container for workload in parsed.workloads for container in workload.containers]


def _image(text: str) -> Image:
    (image,) = parse_source(text, "Dockerfile", SourceKind.DOCKERFILE).images
    return image


def test_control_plane_flags_answer_for_each_container_asked_in_turn() -> None:
    first_api, web, second_api = _containers()
    for _ in range(2):
        first = control_plane_flags(first_api)
        assert first is not None and first.value("anonymous-auth") == "false"
        assert control_plane_flags(web) is None
        second = control_plane_flags(second_api)
        assert second is not None and second.value("anonymous-auth") == "true"


def test_an_equal_container_asked_again_gets_the_same_flags() -> None:
    first_api, _, _ = _containers()
    again, _, _ = _containers()
    assert again == first_api and again is not first_api
    assert control_plane_flags(first_api) == control_plane_flags(again)


def test_container_noun_names_each_container_asked_in_turn() -> None:
    first_api, web, second_api = _containers()
    for _ in range(2):
        assert container_noun(first_api) == "container 'api' of 'api'"
        assert container_noun(web) == "container 'web' of 'api'"
        assert container_noun(second_api) == "container 'api' of 'api-2'"


def test_run_scripts_and_transfers_are_each_images_own() -> None:
    first, second = _image(FIRST), _image(SECOND)
    for _ in range(2):
        assert [script for _, _, script in run_scripts(first)] == ["apk add curl"]
        assert [script for _, _, script in run_scripts(second)] == ["make"]
        assert [(i.keyword, t.destination) for i, t in transfers(first)] == [
            ("COPY", "/app"),
            ("ADD", "/opt/"),
        ]
        assert [t.flags for _, t in transfers(second)] == [{"from": "build"}]


def test_transfers_are_the_copies_and_adds_transfer_of_can_split() -> None:
    image = _image(FIRST + "COPY onlyone\n")
    every = [
        instruction
        for stage in image.stages
        for instruction in stage.instructions
        if transfer_of(instruction) is not None
    ]
    assert [instruction for instruction, _ in transfers(image)] == every
    assert [instruction.keyword for instruction in every] == ["COPY", "ADD"]
