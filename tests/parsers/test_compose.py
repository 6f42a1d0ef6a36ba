from __future__ import annotations

from typing import TypeVar

import pytest

from stridescan.diagnostics import ParseError, Problem
from stridescan.model import (
    Container,
    ContainerRole,
    Located,
    Location,
    Mount,
    Port,
    SourceKind,
    Workload,
)
from stridescan.parsers.compose import HINT, is_compose_document, parse_compose
from stridescan.yamlsource import Mapping, Node, load_documents

T = TypeVar("T")

PATH = "compose.yaml"


def _root(text: str) -> Node:
    document = next(load_documents(text))
    assert document.root is not None, document.error
    return document.root


def _mapping(text: str) -> Mapping:
    root = _root(text)
    assert isinstance(root, Mapping)
    return root


def _parse(text: str, path: str = PATH) -> tuple[list[Workload], list[Problem]]:
    return parse_compose(_mapping(text), path)


def _workloads(text: str, path: str = PATH) -> list[Workload]:
    workloads, problems = _parse(text, path)
    assert problems == []
    return workloads


def _only(text: str, path: str = PATH) -> Workload:
    (workload,) = _workloads(text, path)
    return workload


def _container(text: str, path: str = PATH) -> Container:
    (container,) = _only(text, path).containers
    return container


def _at(location: Location) -> tuple[int, int]:
    return location.line, location.column


def _value_at(located: Located[T]) -> tuple[T, int, int]:
    return located.value, located.location.line, located.location.column


def _service(body: str) -> str:
    """A compose file with one service `web` (key at 2:3) whose settings start on line 3."""
    indented = "".join(f"    {line}\n" for line in body.splitlines())
    return f"services:\n  web:\n{indented}"


# --- recognising compose documents ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "services:\n  web:\n    image: nginx\n",
        "services: {}\n",
        "services:\n  web:\n  db:\n    image: postgres\n",
        "version: '3.8'\nservices:\n  web: {}\n",
    ],
)
def test_a_mapping_of_services_is_a_compose_document(text: str) -> None:
    assert is_compose_document(_root(text))


@pytest.mark.parametrize(
    "text",
    [
        "version: '3.8'\n",
        "services:\n",
        "services: [web, db]\n",
        "services: web\n",
        "services:\n  web: [nginx]\n",
        "services:\n  web: nginx\n",
        "- services\n",
        "apiVersion: v1\nkind: Service\n",
    ],
)
def test_other_yaml_is_not_a_compose_document(text: str) -> None:
    assert not is_compose_document(_root(text))


# --- services and their locations -----------------------------------------------------------


def test_each_service_is_a_workload_with_one_service_container() -> None:
    workloads = _workloads(
        "services:\n  web:\n    image: nginx:1.27.2\n  db:\n    image: postgres:17.2\n"
    )
    assert [(w.name, w.kind, _at(w.location)) for w in workloads] == [
        ("web", "ComposeService", (2, 3)),
        ("db", "ComposeService", (4, 3)),
    ]
    web = workloads[0]
    assert web.source_kind is SourceKind.COMPOSE
    assert web.namespace is None
    assert web.volumes == ()
    (container,) = web.containers
    assert container.name == container.workload_name == "web"
    assert container.role is ContainerRole.SERVICE
    assert container.source_kind is SourceKind.COMPOSE
    assert container.location == Location(path=PATH, line=2, column=3)


def test_a_service_without_settings_is_still_a_workload() -> None:
    container = _container("services:\n  web:\n")
    assert container.image == Located(None, Location(path=PATH, line=2, column=3))


def test_absent_values_are_located_at_the_service_key() -> None:
    text = "x-note: ignored\nservices:\n  api:\n    image: nginx:1.27.2\n"
    workload = _only(text)
    container = workload.containers[0]
    service = Location(path=PATH, line=3, column=3)
    absent: Located[None] = Located(None, service)
    assert workload.host_network == absent
    assert workload.host_pid == absent
    assert workload.host_ipc == absent
    assert workload.host_uts == absent
    assert workload.host_userns == absent
    assert workload.automount_service_account_token == absent
    assert workload.service_account == absent
    for value in (
        container.privileged,
        container.no_new_privileges,
        container.user,
        container.run_as_user,
        container.run_as_non_root,
        container.read_only_root_filesystem,
        container.resources.memory_limit,
        container.resources.memory_request,
        container.resources.cpu_limit,
        container.resources.cpu_request,
        container.resources.pids_limit,
    ):
        assert value == absent
    assert container.capabilities.add_location == service
    assert container.capabilities.drop_location == service
    assert container.security_context == service
    assert (container.mounts, container.ports, container.environment) == ((), (), ())
    assert container.build is None


def test_present_values_span_from_their_key_to_the_end_of_the_value() -> None:
    container = _container(_service("image: nginx:1.27.2\nprivileged: true\nuser: app"))
    assert container.image.location == Location(
        path=PATH, line=3, column=5, end_line=3, end_column=24
    )
    assert container.privileged == Located(
        True, Location(path=PATH, line=4, column=5, end_line=4, end_column=21)
    )
    assert _value_at(container.user) == ("app", 5, 5)


def test_every_location_carries_the_display_path() -> None:
    container = _container(_service("image: nginx\nports: ['80']"), path="deploy/compose.yaml")
    assert container.location.path == "deploy/compose.yaml"
    assert container.image.location.path == "deploy/compose.yaml"
    assert container.ports[0].location.path == "deploy/compose.yaml"


def test_the_image_is_parsed_as_a_reference() -> None:
    image = _container(_service("image: registry.example.com/shop/web:1.4.2")).image.value
    assert image is not None
    assert (image.registry, image.repository, image.tag) == (
        "registry.example.com",
        "shop/web",
        "1.4.2",
    )


# --- booleans and host namespaces -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [("true", True), ("false", False), ("True", True), ('"true"', True), ("'FALSE'", False)],
)
def test_booleans_are_yaml_booleans_or_the_strings_true_and_false(
    written: str, value: bool
) -> None:
    container = _container(_service(f"privileged: {written}\nread_only: {written}"))
    assert _value_at(container.privileged) == (value, 3, 5)
    assert _value_at(container.read_only_root_filesystem) == (value, 4, 5)


@pytest.mark.parametrize("written", ["yes", "1", '"on"', "[true]"])
def test_a_boolean_of_another_form_is_a_problem_of_its_service(written: str) -> None:
    workloads, problems = _parse(_service(f"read_only: {written}"))
    assert workloads == []
    (problem,) = problems
    assert (problem.path, problem.line) == (PATH, 3)
    assert "services.web.read_only must be" in problem.message
    assert problem.hint == HINT


def test_host_namespace_modes_are_true_only_for_host() -> None:
    workload = _only(
        _service("network_mode: host\npid: host\nipc: shareable\nuts: host\nuserns_mode: 'host'")
    )
    assert _value_at(workload.host_network) == (True, 3, 5)
    assert _value_at(workload.host_pid) == (True, 4, 5)
    assert _value_at(workload.host_ipc) == (False, 5, 5)
    assert _value_at(workload.host_uts) == (True, 6, 5)
    assert _value_at(workload.host_userns) == (True, 7, 5)


def test_another_network_mode_is_located_false() -> None:
    workload = _only(_service("network_mode: service:proxy"))
    assert _value_at(workload.host_network) == (False, 3, 5)


# --- user -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "user", "uid"),
    [
        ('"1000:1000"', "1000:1000", 1000),
        ("1000", "1000", 1000),
        ('"0"', "0", 0),
        ("root", "root", 0),
        ("root:root", "root:root", 0),
        ("app", "app", None),
        ("app:1000", "app:1000", None),
    ],
)
def test_the_user_is_kept_as_written_and_its_uid_read_when_it_names_one(
    written: str, user: str, uid: int | None
) -> None:
    container = _container(_service(f"user: {written}"))
    assert _value_at(container.user) == (user, 3, 5)
    assert _value_at(container.run_as_user) == (uid, 3, 5)
    assert container.run_as_non_root == Located(None, Location(path=PATH, line=2, column=3))


# --- security_opt and capabilities ----------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("no-new-privileges:true", True),
        ("no-new-privileges=true", True),
        ("no-new-privileges", True),
        ("no-new-privileges:false", False),
        ("no-new-privileges=false", False),
    ],
)
def test_no_new_privileges_is_read_from_every_security_opt_form(option: str, value: bool) -> None:
    container = _container(_service(f"security_opt:\n  - seccomp=./profile.json\n  - {option}"))
    assert _value_at(container.no_new_privileges) == (value, 5, 9)
    assert container.security_context == Location(path=PATH, line=3, column=5)
    assert [_value_at(o) for o in container.security_options] == [
        ("seccomp=./profile.json", 4, 9),
        (option, 5, 9),
    ]


def test_security_opt_without_no_new_privileges_leaves_it_absent_at_the_service() -> None:
    container = _container(_service("security_opt: ['apparmor:docker-default']"))
    assert container.no_new_privileges == Located(None, Location(path=PATH, line=2, column=3))
    assert _at(container.security_context) == (3, 5)


def test_a_no_new_privileges_value_that_is_not_a_boolean_is_a_problem() -> None:
    _, problems = _parse(_service("security_opt:\n  - no-new-privileges:maybe"))
    assert [(p.line, p.column) for p in problems] == [(4, 9)]


def test_capabilities_are_upper_case_without_the_cap_prefix() -> None:
    capabilities = _container(
        _service("cap_add:\n  - cap_net_admin\n  - SYS_TIME\ncap_drop: [CAP_NET_RAW, all]")
    ).capabilities
    assert [_value_at(c) for c in capabilities.added] == [("NET_ADMIN", 4, 9), ("SYS_TIME", 5, 9)]
    assert [_value_at(c) for c in capabilities.dropped] == [("NET_RAW", 6, 16), ("ALL", 6, 29)]
    assert _at(capabilities.add_location) == (3, 5)
    assert _at(capabilities.drop_location) == (6, 5)


# --- resources ------------------------------------------------------------------------------


def test_resources_are_read_from_the_service_keys_as_text() -> None:
    resources = _container(
        _service("mem_limit: 512m\nmem_reservation: 256m\ncpus: 0.5\npids_limit: 100")
    ).resources
    assert _value_at(resources.memory_limit) == ("512m", 3, 5)
    assert _value_at(resources.memory_request) == ("256m", 4, 5)
    assert _value_at(resources.cpu_limit) == ("0.5", 5, 5)
    assert _value_at(resources.pids_limit) == ("100", 6, 5)


def test_resources_are_read_from_deploy_resources() -> None:
    resources = _container(
        _service(
            "deploy:\n"
            "  resources:\n"
            "    limits:\n"
            "      memory: 1g\n"
            "      cpus: '2'\n"
            "      pids: 300\n"
            "    reservations:\n"
            "      memory: 512m\n"
            "      cpus: 0.25\n"
        )
    ).resources
    assert _value_at(resources.memory_limit) == ("1g", 6, 11)
    assert _value_at(resources.cpu_limit) == ("2", 7, 11)
    assert _value_at(resources.pids_limit) == ("300", 8, 11)
    assert _value_at(resources.memory_request) == ("512m", 10, 11)
    assert _value_at(resources.cpu_request) == ("0.25", 11, 11)


def test_a_service_level_resource_key_wins_over_deploy() -> None:
    resources = _container(
        _service("mem_limit: 256m\ndeploy:\n  resources:\n    limits:\n      memory: 1g")
    ).resources
    assert _value_at(resources.memory_limit) == ("256m", 3, 5)


def test_cpu_quota_is_the_cpu_limit_only_when_nothing_else_is() -> None:
    resources = _container(_service("cpu_quota: 50000")).resources
    assert _value_at(resources.cpu_limit) == ("50000", 3, 5)


def test_an_empty_deploy_leaves_resources_absent() -> None:
    resources = _container(_service("deploy:\n  resources:")).resources
    assert resources.memory_limit == Located(None, Location(path=PATH, line=2, column=3))


# --- volumes --------------------------------------------------------------------------------


def _mount_values(mount: Mount) -> tuple[object, ...]:
    return (
        mount.kind,
        mount.source.value,
        mount.target.value,
        mount.host_path.value,
        mount.read_only.value,
        mount.propagation.value,
    )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            "/var/run/docker.sock:/var/run/docker.sock:ro",
            (
                "bind",
                "/var/run/docker.sock",
                "/var/run/docker.sock",
                "/var/run/docker.sock",
                True,
                None,
            ),
        ),
        ("./conf:/etc/app:rw,Z", ("bind", "./conf", "/etc/app", "./conf", False, None)),
        ("~/cache:/cache:ro,rslave", ("bind", "~/cache", "/cache", "~/cache", True, "rslave")),
        ("data:/var/lib/data", ("volume", "data", "/var/lib/data", None, None, None)),
        ("data:/var/lib/data:nocopy", ("volume", "data", "/var/lib/data", None, None, None)),
        ("/var/lib/data", ("volume", None, "/var/lib/data", None, None, None)),
        ("C:\\data:/data:ro", ("bind", "C:\\data", "/data", "C:\\data", True, None)),
        ("c:/data:C:/target", ("bind", "c:/data", "C:/target", "c:/data", None, None)),
    ],
)
def test_short_volume_syntax_is_split_the_way_compose_splits_it(
    spec: str, expected: tuple[object, ...]
) -> None:
    (mount,) = _container(_service(f"volumes:\n  - '{spec}'")).mounts
    assert _mount_values(mount) == expected


def test_short_volume_values_are_located_at_the_list_item() -> None:
    (mount,) = _container(_service("volumes:\n  - /srv/app:/app:ro")).mounts
    item = Location(path=PATH, line=4, column=9, end_line=4, end_column=25)
    assert mount.location == item
    for value in (mount.source, mount.target, mount.host_path, mount.read_only):
        assert value.location == item
    assert mount.propagation == Located(None, item)


def test_long_volume_syntax_locates_each_value_at_its_key() -> None:
    (bind, volume) = _container(
        _service(
            "volumes:\n"
            "  - type: bind\n"
            "    source: /run/docker.sock\n"
            "    target: /var/run/docker.sock\n"
            "    read_only: true\n"
            "    bind:\n"
            "      propagation: rshared\n"
            "  - type: volume\n"
            "    source: data\n"
            "    target: /data\n"
        )
    ).mounts
    assert _mount_values(bind) == (
        "bind",
        "/run/docker.sock",
        "/var/run/docker.sock",
        "/run/docker.sock",
        True,
        "rshared",
    )
    assert _at(bind.location) == (4, 9)
    assert _value_at(bind.source) == ("/run/docker.sock", 5, 9)
    assert _value_at(bind.host_path) == ("/run/docker.sock", 5, 9)
    assert _value_at(bind.target) == ("/var/run/docker.sock", 6, 9)
    assert _value_at(bind.read_only) == (True, 7, 9)
    assert _value_at(bind.propagation) == ("rshared", 9, 11)
    assert _mount_values(volume) == ("volume", "data", "/data", None, None, None)
    assert _at(volume.location) == (10, 9)
    assert _at(volume.host_path.location) == (10, 9)
    assert _at(volume.read_only.location) == (10, 9)


def test_a_long_volume_without_a_type_is_a_problem() -> None:
    _, problems = _parse(_service("volumes:\n  - source: /srv\n    target: /srv"))
    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 9, "services.web.volumes[0] has no type (bind, volume, tmpfs, ...)")
    ]


@pytest.mark.parametrize("spec", ["a:b:ro:extra", "/srv::ro", ":/data"])
def test_a_malformed_short_volume_is_a_problem(spec: str) -> None:
    _, problems = _parse(_service(f"volumes:\n  - '{spec}'"))
    assert [(p.line, p.column) for p in problems] == [(4, 9)]


# --- ports ----------------------------------------------------------------------------------


def _port_values(port: Port) -> tuple[object, ...]:
    return (port.host_ip.value, port.host_port.value, port.container_port.value, port.protocol)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("'80'", (None, None, "80", "tcp")),
        ("80", (None, None, "80", "tcp")),
        ("'8080:80'", (None, "8080", "80", "tcp")),
        ("'127.0.0.1:8080:80'", ("127.0.0.1", "8080", "80", "tcp")),
        ("'127.0.0.1::80'", ("127.0.0.1", None, "80", "tcp")),
        ("'8080:80/udp'", (None, "8080", "80", "udp")),
        ("'[::1]:8080:80'", ("::1", "8080", "80", "tcp")),
        ("'[::1]:53:53/UDP'", ("::1", "53", "53", "udp")),
        ("'8000-8010:8000-8010'", (None, "8000-8010", "8000-8010", "tcp")),
        ("'9090-9091'", (None, None, "9090-9091", "tcp")),
    ],
)
def test_short_port_syntax_is_split_the_way_docker_splits_it(
    spec: str, expected: tuple[object, ...]
) -> None:
    (port,) = _container(_service(f"ports:\n  - {spec}")).ports
    assert _port_values(port) == expected
    assert _at(port.location) == (4, 9)
    assert _at(port.container_port.location) == (4, 9)
    assert _at(port.host_port.location) == (4, 9)


def test_long_port_syntax_locates_each_value_at_its_key() -> None:
    (port,) = _container(
        _service(
            "ports:\n"
            "  - target: 80\n"
            "    published: '8080'\n"
            "    host_ip: 0.0.0.0\n"
            "    protocol: UDP\n"
        )
    ).ports
    assert _port_values(port) == ("0.0.0.0", "8080", "80", "udp")
    assert _at(port.location) == (4, 9)
    assert _value_at(port.container_port) == ("80", 4, 9)
    assert _value_at(port.host_port) == ("8080", 5, 9)
    assert _value_at(port.host_ip) == ("0.0.0.0", 6, 9)


def test_absent_long_port_values_are_located_at_the_list_item() -> None:
    (port,) = _container(_service("ports:\n  - target: 80")).ports
    assert _port_values(port) == (None, None, "80", "tcp")
    assert _at(port.host_port.location) == (4, 9)


@pytest.mark.parametrize("spec", ["'8080:'", "'[::1:80:80'", "'80/tcp/udp'", "[80]"])
def test_a_malformed_port_is_a_problem(spec: str) -> None:
    _, problems = _parse(_service(f"ports:\n  - {spec}"))
    assert [p.line for p in problems] == [4]


# --- environment ----------------------------------------------------------------------------


def test_environment_as_a_mapping_keeps_values_as_text() -> None:
    environment = _container(
        _service("environment:\n  DEBUG: 'false'\n  WORKERS: 4\n  TOKEN:\n  FLAG: true")
    ).environment
    assert [(v.name, v.value, _at(v.location), v.from_secret) for v in environment] == [
        ("DEBUG", "false", (4, 7), False),
        ("WORKERS", "4", (5, 7), False),
        ("TOKEN", None, (6, 7), False),
        ("FLAG", "true", (7, 7), False),
    ]


def test_environment_as_a_list_splits_at_the_first_equals_sign() -> None:
    environment = _container(
        _service("environment:\n  - URL=postgres://db?a=b\n  - EMPTY=\n  - FROM_SHELL")
    ).environment
    assert [(v.name, v.value, _at(v.location)) for v in environment] == [
        ("URL", "postgres://db?a=b", (4, 9)),
        ("EMPTY", "", (5, 9)),
        ("FROM_SHELL", None, (6, 9)),
    ]


def test_environment_as_a_string_is_a_problem() -> None:
    _, problems = _parse(_service("environment: DEBUG=1"))
    assert [(p.line, p.column) for p in problems] == [(3, 18)]


# --- build ----------------------------------------------------------------------------------


def test_a_build_string_is_the_context_next_to_the_compose_file() -> None:
    build = _container(_service("build: ./app"), path="deploy/compose.yaml").build
    assert build is not None
    assert (build.context, build.dockerfile) == ("deploy/app", "deploy/app/Dockerfile")
    assert _at(build.location) == (3, 5)


def test_a_build_mapping_joins_the_dockerfile_onto_the_context() -> None:
    build = _container(
        _service("build:\n  context: ../services/api\n  dockerfile: docker/Prod.Dockerfile"),
        path="deploy/stack/compose.yaml",
    ).build
    assert build is not None
    assert build.context == "deploy/services/api"
    assert build.dockerfile == "deploy/services/api/docker/Prod.Dockerfile"
    assert build.location.line == 3


def test_a_build_mapping_without_context_builds_next_to_the_compose_file() -> None:
    build = _container(_service("build:\n  target: prod")).build
    assert build is not None
    assert (build.context, build.dockerfile) == (".", "Dockerfile")


@pytest.mark.parametrize(
    "build",
    [
        "https://github.com/example/app.git#main",
        "git@github.com:example/app.git",
        "github.com/example/app",
        "/srv/app",
        "~/app",
        "C:\\app",
        "${APP_DIR}",
        "{context: ., dockerfile: /etc/Dockerfile}",
        "{context: ., dockerfile_inline: 'FROM alpine'}",
    ],
)
def test_a_build_outside_the_tree_links_no_dockerfile(build: str) -> None:
    assert _container(_service(f"build: {build}")).build is None


# --- merge keys and variables ---------------------------------------------------------------


def test_merged_values_keep_the_location_of_the_anchor() -> None:
    text = (
        "x-defaults: &defaults\n"
        "  read_only: true\n"
        "  mem_limit: 256m\n"
        "  environment: &env\n"
        "    MODE: prod\n"
        "services:\n"
        "  web:\n"
        "    <<: *defaults\n"
        "    mem_limit: 512m\n"
        "  worker:\n"
        "    <<: *defaults\n"
    )
    web, worker = _workloads(text)
    web_container, worker_container = web.containers[0], worker.containers[0]
    assert _value_at(web_container.read_only_root_filesystem) == (True, 2, 3)
    assert _value_at(web_container.resources.memory_limit) == ("512m", 9, 5)
    assert _value_at(worker_container.resources.memory_limit) == ("256m", 3, 3)
    assert [(v.name, v.value, _at(v.location)) for v in worker_container.environment] == [
        ("MODE", "prod", (5, 5))
    ]


@pytest.mark.parametrize("written", ["${PRIVILEGED}", "$PRIVILEGED", "'${PRIVILEGED:-false}'"])
def test_a_variable_where_a_boolean_is_read_is_unresolved(written: str) -> None:
    container = _container(_service(f"privileged: {written}"))
    assert container.privileged.value is None
    assert container.privileged.unresolved == written.strip("'")
    assert _at(container.privileged.location) == (3, 5)
    assert container.privileged.is_set


def test_variables_in_numbers_and_paths_are_unresolved_not_guessed() -> None:
    container = _container(
        _service(
            "user: ${UID}\n"
            "mem_limit: ${MEMORY}\n"
            "read_only: ${RO:-true}\n"
            "volumes:\n"
            "  - ${DATA_DIR:-./data}:/data:ro\n"
            "  - ./logs:${LOG_DIR}\n"
            "ports:\n"
            "  - ${WEB_PORT:-8080}:80\n"
            "network_mode: ${NETWORK}\n"
            "security_opt: ['no-new-privileges:${NNP}']\n"
            "cap_drop: [$DROP]\n"
            "image: registry.example.com/web:${TAG}\n"
        )
    )
    assert (container.user.value, container.user.unresolved) == (None, "${UID}")
    assert (container.run_as_user.value, container.run_as_user.unresolved) == (None, "${UID}")
    assert container.resources.memory_limit.unresolved == "${MEMORY}"
    assert container.read_only_root_filesystem.unresolved == "${RO:-true}"
    unknown, logs = container.mounts
    assert unknown.kind == "unknown"
    assert unknown.source == Located(None, unknown.location, "${DATA_DIR:-./data}")
    assert unknown.host_path.unresolved == "${DATA_DIR:-./data}"
    assert (unknown.target.value, unknown.read_only.value) == ("/data", True)
    assert (logs.kind, logs.host_path.value, logs.target.unresolved) == (
        "bind",
        "./logs",
        "${LOG_DIR}",
    )
    (port,) = container.ports
    assert (port.host_port.unresolved, port.container_port.value) == ("${WEB_PORT:-8080}", "80")
    assert container.no_new_privileges.unresolved == "no-new-privileges:${NNP}"
    assert container.capabilities.dropped[0].unresolved == "$DROP"
    image = container.image
    assert image.unresolved == "registry.example.com/web:${TAG}"
    assert image.value is not None and image.value.registry == "registry.example.com"
    assert not image.value.resolved


def test_a_variable_in_the_network_mode_is_unresolved() -> None:
    workload = _only(_service("network_mode: ${NETWORK}"))
    assert workload.host_network == Located(None, workload.host_network.location, "${NETWORK}")
    assert _at(workload.host_network.location) == (3, 5)


def test_a_doubled_dollar_is_a_literal_not_a_variable() -> None:
    container = _container(_service("user: $$app\nvolumes: ['/srv/$$HOME:/data']"))
    assert container.user.value == "$$app"
    assert container.mounts[0].host_path.value == "/srv/$$HOME"


# --- broken services and files --------------------------------------------------------------


def test_a_service_of_the_wrong_type_is_a_problem_and_the_others_still_parse() -> None:
    text = (
        "services:\n"
        "  web: nginx\n"
        "  db:\n"
        "    image: postgres:17.2\n"
        "  cache:\n"
        "    privileged: 1\n"
        "  api:\n"
        "    ports: 8080\n"
        "  worker:\n"
        "    image: [redis]\n"
    )
    workloads, problems = _parse(text)
    assert [w.name for w in workloads] == ["db"]
    assert [(p.path, p.line, p.column, p.message, p.hint) for p in problems] == [
        (PATH, 2, 8, "services.web must be a mapping, not the string 'nginx'", HINT),
        (PATH, 6, 17, "services.cache.privileged must be true or false, not the number 1", HINT),
        (PATH, 8, 12, "services.api.ports must be a list, not the number 8080", HINT),
        (PATH, 10, None, "services.worker.image must be a single value, not a list", HINT),
    ]


def test_a_null_services_key_has_no_workloads() -> None:
    assert _parse("services:\n") == ([], [])


@pytest.mark.parametrize(
    ("text", "line"),
    [("version: '3'\nservices:\n  - web\n", 3), ("services: web\n", 1), ("services: [a]\n", 1)],
)
def test_services_of_the_wrong_type_raise_at_the_value(text: str, line: int) -> None:
    with pytest.raises(ParseError) as caught:
        _parse(text)
    assert caught.value.line == line
    assert caught.value.message.startswith("services must be a mapping")
    assert caught.value.hint == HINT
