"""Compose files to workloads: one per service, each running the one container it describes.

Values mean what Compose (compose-go) makes of them: booleans are YAML booleans or the strings
"true"/"false", numbers may be written as strings, and the short syntaxes of `volumes` and
`ports` are split the way Docker splits them. A service of the wrong shape is a Problem for
that service alone, so one typo does not hide the rest of the file from the rules.

Compose substitutes `${VAR}` and `$VAR` from the environment and `.env` before it reads any
type. Without that environment such a value cannot be known: wherever a boolean, number or
path is read, text holding a variable stays set but unresolved (see `_resolve`), instead of
being refused as the wrong type or guessed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import partial
from typing import TypeVar

from stridescan._frozen import builder
from stridescan.diagnostics import ParseError, Problem
from stridescan.imageref import parse_image_ref
from stridescan.interpolation import interpolate
from stridescan.model import (
    BuildRef,
    Capabilities,
    Container,
    ContainerRole,
    ImageRef,
    Located,
    Location,
    Mount,
    Port,
    Resources,
    SourceKind,
    Variable,
    Workload,
)
from stridescan.parsers._nodes import (
    Reader,
    describe,
    expect_mapping,
    is_null,
    key_location,
    new_located,
    new_location,
    node_location,
    scalar_text,
)
from stridescan.yamlsource import Mapping, Node, Scalar, Sequence

T = TypeVar("T")

HINT = "see https://docs.docker.com/reference/compose-file/services/"

_VARIABLE = re.compile(r"\$(?:\{|[A-Za-z_])")
_REMOTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|git@|github\.com/)")
_WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")
_PROPAGATIONS = frozenset(("shared", "rshared", "slave", "rslave", "private", "rprivate"))
_NO_NEW_PRIVILEGES = "no-new-privileges"
_BOOLEANS = ("true", "false")
# What Docker's strconv.ParseBool accepts after `no-new-privileges:`.
_GO_TRUE = frozenset(("1", "t", "true"))
_GO_FALSE = frozenset(("0", "f", "false"))

# The model objects of a service, built the fast way (see `_frozen.builder`).
_new_workload = builder(Workload)
_new_container = builder(Container)
_new_mount = builder(Mount)
_new_port = builder(Port)
_new_variable = builder(Variable)
_new_resources = builder(Resources)
_new_capabilities = builder(Capabilities)
_new_buildref = builder(BuildRef)


def is_compose_document(root: Node) -> bool:
    """A mapping whose `services` maps names to mappings (or nothing): a compose file.

    A top-level `version` alone is not enough: other YAML files have one too.
    """
    if not isinstance(root, Mapping):
        return False
    services = root.get("services")
    if not isinstance(services, Mapping):
        return False
    return all(isinstance(node, Mapping) or is_null(node) for _, node in services.entries.values())


# The variables known for the file being read (its `.env`), for `_resolve` and `_image`.
_VARIABLES: ContextVar[dict[str, str] | None] = ContextVar("compose_variables", default=None)


def parse_compose(
    root: Mapping, path: str, variables: dict[str, str] | None = None
) -> tuple[list[Workload], list[Problem]]:
    """The services of one compose document; a broken service is a Problem, not the end.

    `services` itself of the wrong type raises ParseError at its line: nothing can be read.
    `variables` (from the `.env` beside the file) resolve `${VAR}` where they are defined.
    """
    token = _VARIABLES.set(variables)
    try:
        return _parse_services(root, path)
    finally:
        _VARIABLES.reset(token)


def _parse_services(root: Mapping, path: str) -> tuple[list[Workload], list[Problem]]:
    services = _services(root)
    workloads: list[Workload] = []
    problems: list[Problem] = []
    if services is None:
        return workloads, problems
    for name, (key, value) in services.entries.items():
        try:
            workloads.append(_workload(path, name, key, value))
        except ParseError as error:
            problems.append(_problem(error, path))
    return workloads, problems


def _services(root: Mapping) -> Mapping | None:
    try:
        return expect_mapping(root.get("services"), "services")
    except ParseError as error:
        raise ParseError(error.message, error.line, error.column, HINT) from None


def _problem(error: ParseError, path: str) -> Problem:
    problem = error.to_problem(path)
    if problem.hint:
        return problem
    return Problem(
        path=path, line=problem.line, column=problem.column, message=problem.message, hint=HINT
    )


def _workload(path: str, name: str, key: Scalar, value: Node) -> Workload:
    location = new_location(path=path, line=key.line, column=key.column)
    service = Reader(path, expect_mapping(value, f"services.{name}"), location, f"services.{name}")
    return _new_workload(
        name=name,
        kind="ComposeService",
        source_kind=SourceKind.COMPOSE,
        namespace=None,
        location=location,
        containers=(_container(service, name),),
        host_network=_host_mode(service, "network_mode"),
        network_mode=_text(service, "network_mode"),
        extends=_extends(service),
        host_pid=_host_mode(service, "pid"),
        host_ipc=_host_mode(service, "ipc"),
        host_uts=_host_mode(service, "uts"),
        host_userns=_host_mode(service, "userns_mode"),
        automount_service_account_token=service.absent,
        service_account=service.absent,
        networks=_names(service, "networks"),
        secrets=_names(service, "secrets"),
    )


def _names(service: Reader, key: str) -> tuple[Located[str], ...]:
    """The names under `networks:` or `secrets:`, in the list, mapping or long
    (`- source: name`) syntax, each where it is written. Context for the threat model,
    which no rule reads: a malformed entry is left out rather than reported."""
    node = service.node(key)
    names: list[Located[str]] = []
    if isinstance(node, Mapping):
        for name, (key_node, _) in node.entries.items():
            names.append(new_located(name, node_location(service.path, key_node)))
    elif isinstance(node, Sequence):
        for item in node.items:
            written = item.get("source") if isinstance(item, Mapping) else item
            if isinstance(written, Scalar) and written.value:
                names.append(new_located(written.value, node_location(service.path, written)))
    return tuple(names)


def _extends(service: Reader) -> tuple[str, str | None] | None:
    """`extends: name` or `extends: {service: name, file: path}`; None when unknown."""
    node = service.node("extends")
    if node is None:
        return None
    if isinstance(node, Mapping):
        extends = service.child("extends")
        name, file = _text(extends, "service"), _text(extends, "file")
        if name.value is None or file.unresolved is not None:
            return None
        return name.value, file.value
    name = _text(service, "extends")
    return (name.value, None) if name.value is not None else None


def _container(service: Reader, name: str) -> Container:
    user = _text(service, "user")
    options = _texts(service, "security_opt")
    return _new_container(
        name=name,
        role=ContainerRole.SERVICE,
        source_kind=SourceKind.COMPOSE,
        location=service.owner,
        workload_name=name,
        image=_image(service),
        privileged=_boolean(service, "privileged"),
        no_new_privileges=_no_new_privileges(options, service.absent),
        user=user,
        run_as_user=_uid(user),
        run_as_non_root=service.absent,
        read_only_root_filesystem=_boolean(service, "read_only"),
        capabilities=_capabilities(service),
        security_context=_key_or_owner(service, "security_opt"),
        security_options=options,
        mounts=tuple(_mounts(service)),
        ports=tuple(_ports(service)),
        environment=tuple(_environment(service)),
        resources=_resources(service),
        build=_build(service),
        devices=tuple(_devices(service)),
        seccomp_profile=_security_profile(options, "seccomp", service.absent),
        apparmor_profile=_security_profile(options, "apparmor", service.absent),
        healthcheck=_healthcheck(service),
        restart_policy=_restart_policy(service),
        logging_driver=_text(service.child("logging", owner=service.owner), "driver"),
        cgroup_parent=_text(service, "cgroup_parent"),
    )


# --- reading values -------------------------------------------------------------------------


def _has_variable(text: str) -> bool:
    """Whether Compose would substitute something in `text`; `$$` is a literal `$`."""
    return "$" in text and _VARIABLE.search(text.replace("$$", "")) is not None


def _resolve(
    text: str, location: Location, convert: Callable[[str], T | None]
) -> Located[T | None]:
    """Written text to a value; text holding a variable stays set but unresolved.

    The one place where interpolation will slot in: substitute the known variables here,
    then convert what is left.
    """
    if _has_variable(text):
        known = _interpolated(text)
        if known is None:
            return new_located(None, location, unresolved=text)
        return new_located(convert(known), location)
    return new_located(convert(text), location)


def _interpolated(text: str) -> str | None:
    """`text` with the known variables replaced; None when one of them is unknown."""
    variables = _VARIABLES.get()
    return interpolate(text, variables) if variables else None


def _read(reader: Reader, key: str, convert: Callable[[str], T | None]) -> Located[T | None]:
    """The scalar at `key` converted (numbers as their text), or absent at the owner."""
    written = reader.text(key)
    if written.value is None:
        return reader.absent
    return _resolve(written.value, written.location, convert)


def _text(reader: Reader, key: str) -> Located[str | None]:
    """`_read` of text as it is: without a variable, the value read is the value."""
    written = reader.text(key)
    if written.value is None or "$" not in written.value:
        return written
    return _resolve(written.value, written.location, _same)


def _same(text: str) -> str:
    return text


def _boolean(reader: Reader, key: str) -> Located[bool | None]:
    """A YAML boolean, or the string "true"/"false" (in any case), as Compose accepts."""
    node = reader.node(key)
    if node is None:
        return reader.absent

    def convert(text: str) -> bool:
        lowered = text.lower()
        if isinstance(node, Scalar) and node.tag in ("bool", "str") and lowered in _BOOLEANS:
            return lowered == "true"
        assert node is not None  # for mypy: the closure does not see the check above
        raise ParseError(
            f"{_join(reader.where, key)} must be true or false, not {describe(node)}",
            node.line,
            node.column,
        )

    return _read(reader, key, convert)


def _texts(reader: Reader, key: str) -> tuple[Located[str], ...]:
    """The strings listed under `key`, each located at its item; empty items are skipped."""
    return reader.texts(key)


def _items(reader: Reader, key: str) -> Iterator[tuple[Node, str, Location]]:
    """The items listed under `key` with how the user names each and where it is."""
    items = reader.sequence_at(key)
    if items is None:
        return
    for index, item in enumerate(items.items):
        yield item, f"{_join(reader.where, key)}[{index}]", node_location(reader.path, item)


def _key_or_owner(reader: Reader, key: str) -> Location:
    """Where `key` is written (its key alone), or the owner when it is absent or empty."""
    if reader.mapping is None or reader.node(key) is None:
        return reader.owner
    return key_location(reader.path, reader.mapping, key, reader.owner)


def _first_set(*values: Located[T | None]) -> Located[T | None]:
    """The first value written: Compose's service-level keys win over `deploy`."""
    for value in values:
        if value.is_set:
            return value
    return values[-1]


# --- the service's settings -----------------------------------------------------------------


def _image(service: Reader) -> Located[ImageRef | None]:
    raw = service.text("image")
    if raw.value is None:
        return new_located(None, raw.location)
    image = parse_image_ref(raw.value)
    if not _has_variable(raw.value):
        return new_located(image, raw.location)
    known = _interpolated(raw.value)
    if known is not None:
        return new_located(parse_image_ref(known), raw.location)
    # Still parsed, with resolved=False: the registry of `registry/app:${TAG}` is known.
    return new_located(image, raw.location, unresolved=raw.value)


def _host_mode(service: Reader, key: str) -> Located[bool | None]:
    """`network_mode: host`, `pid: host`, ...: the service shares that host namespace."""
    return _read(service, key, lambda text: text.strip() == "host")


def _uid(user: Located[str | None]) -> Located[int | None]:
    """The uid a `user` names, when it names one: `1000:1000` is 1000; `root` is uid 0."""
    if user.value is None:
        return new_located(None, user.location, unresolved=user.unresolved)
    name = user.value.strip().split(":", 1)[0]
    if name == "root":
        return new_located(0, user.location)
    if name.isascii() and name.isdigit():
        return new_located(int(name), user.location)
    return new_located(None, user.location)


def _no_new_privileges(
    options: tuple[Located[str], ...], absent: Located[bool | None]
) -> Located[bool | None]:
    """The last `no-new-privileges[:|=]value` of `security_opt`, as Docker applies them;
    `absent` (at the service) when there is none.

    An option whose name holds a variable may be this one, so it makes the setting unknown.
    """
    setting = absent
    for option in options:
        name = re.split(r"[:=]", option.value.strip(), maxsplit=1)[0]
        if name == _NO_NEW_PRIVILEGES or _has_variable(name):
            setting = _resolve(option.value, option.location, partial(_flag, at=option.location))
    return setting


def _flag(option: str, *, at: Location) -> bool:
    """`no-new-privileges` alone is true; after `:` or `=` Docker parses a Go boolean."""
    value = option.strip()[len(_NO_NEW_PRIVILEGES) :]
    if not value:
        return True
    lowered = value[1:].lower()
    if lowered in _GO_TRUE | _GO_FALSE:
        return lowered in _GO_TRUE
    raise ParseError(
        f"security option {option!r} must be no-new-privileges:true or :false",
        at.line,
        at.column,
    )


def _capabilities(service: Reader) -> Capabilities:
    return _new_capabilities(
        added=tuple(_capability(name) for name in _texts(service, "cap_add")),
        dropped=tuple(_capability(name) for name in _texts(service, "cap_drop")),
        add_location=_key_or_owner(service, "cap_add"),
        drop_location=_key_or_owner(service, "cap_drop"),
    )


def _capability(written: Located[str]) -> Located[str]:
    """`cap_net_raw` and `NET_RAW` are the same capability; a variable stays as written."""
    name = _resolve(written.value, written.location, _capability_name)
    if name.value is None:
        return new_located(written.value, written.location, unresolved=written.value)
    return new_located(name.value, written.location)


def _capability_name(text: str) -> str:
    return text.strip().upper().removeprefix("CAP_")


def _resources(service: Reader) -> Resources:
    """Limits from the service keys or from `deploy.resources`; the service keys win."""
    deploy = service.child("deploy", owner=service.owner)
    resources = deploy.child("resources", owner=service.owner)
    limits = resources.child("limits", owner=service.owner)
    reservations = resources.child("reservations", owner=service.owner)
    return _new_resources(
        memory_limit=_first_set(_text(service, "mem_limit"), _text(limits, "memory")),
        memory_request=_first_set(_text(service, "mem_reservation"), _text(reservations, "memory")),
        # cpu_quota counts microseconds per period, not CPUs: used only when nothing else is.
        cpu_limit=_first_set(
            _text(service, "cpus"), _text(limits, "cpus"), _text(service, "cpu_quota")
        ),
        cpu_request=_text(reservations, "cpus"),
        pids_limit=_first_set(_text(service, "pids_limit"), _text(limits, "pids")),
    )


def _environment(service: Reader) -> Iterator[Variable]:
    """`KEY: value` entries or `KEY=value` items; a bare `KEY` takes its value from the shell."""
    node = service.node("environment")
    where = _join(service.where, "environment")
    if node is not None and not isinstance(node, (Mapping, Sequence)):
        raise ParseError(
            f"{where} must be a mapping or a list, not {describe(node)}", node.line, node.column
        )
    if isinstance(node, Mapping):
        for name, (key, value) in node.entries.items():
            text = scalar_text(value, f"{where}.{name}")
            yield _new_variable(
                name=name, value=text, location=node_location(service.path, value, key)
            )
        return
    for item, item_where, location in _items(service, "environment"):
        text = scalar_text(item, item_where)
        if text is not None:
            name, equals, written = text.partition("=")
            yield _new_variable(name=name, value=written if equals else None, location=location)


def _devices(service: Reader) -> Iterator[Located[str]]:
    """`host[:container[:permissions]]` items, or long-syntax mappings with a `source`."""
    for item, where, location in _items(service, "devices"):
        if isinstance(item, Mapping):
            source = Reader(service.path, item, location, where).text("source").value
            text = source
        else:
            text = scalar_text(item, where)
        if text is not None:
            yield new_located(text, location)


def _security_profile(
    options: tuple[Located[str], ...], name: str, absent: Located[str | None]
) -> Located[str | None]:
    """The last `seccomp:...` / `apparmor=...` of `security_opt`; "unconfined" in lower case;
    `absent` (at the service) when there is none."""
    profile = absent
    for option in options:
        parts = re.split(r"([:=])", option.value.strip(), maxsplit=1)
        key, separator, value = [*parts, "", ""][:3]
        if key.strip() == name and separator:
            profile = _resolve(value.strip(), option.location, _profile_name)
    return profile


def _profile_name(text: str) -> str:
    return "unconfined" if text.lower() == "unconfined" else text


def _healthcheck(service: Reader) -> Located[str | None]:
    """The health check test as written; "NONE" when disabled; unset when only timings are given.

    A `healthcheck` without `test` keeps the image's test, so it counts as not set here.
    """
    health = service.child("healthcheck", owner=service.owner)
    disable = _boolean(health, "disable")
    if disable.value is True:
        return new_located("NONE", disable.location)
    node = health.node("test")
    if node is None:
        return service.absent
    if isinstance(node, Sequence):
        words = [scalar_text(item, f"{health.where}.test") or "" for item in node.items]
        text = " ".join(words)
        if words and words[0].upper() == "NONE":
            text = "NONE"
    else:
        text = scalar_text(node, f"{health.where}.test") or ""
        text = "NONE" if text.strip().upper() == "NONE" else text
    return _resolve(text, health.location("test"), _same)


def _restart_policy(service: Reader) -> Located[str | None]:
    """`restart`, else Swarm's `deploy.restart_policy` as `condition[:max_attempts]`."""
    restart = _text(service, "restart")
    if restart.is_set:
        return restart
    deploy = service.child("deploy", owner=service.owner)
    if deploy.node("restart_policy") is None:
        return restart
    policy = deploy.child("restart_policy")
    condition, attempts = _text(policy, "condition"), _text(policy, "max_attempts")
    if condition.unresolved is not None or attempts.unresolved is not None:
        return new_located(None, policy.owner, unresolved="${...}")
    text = condition.value or "any"  # Swarm's default condition
    if attempts.value is not None:
        text += f":{attempts.value}"
    return new_located(text, condition.location if condition.is_set else policy.owner)


# --- build ----------------------------------------------------------------------------------


def _build(service: Reader) -> BuildRef | None:
    """The Dockerfile a service builds, as a path from the scan root, when it is in the tree.

    None for remote or absolute contexts, inline Dockerfiles, and paths holding variables:
    there is no file in the tree to link.
    """
    node = service.node("build")
    if node is None:
        return None
    location = service.location("build")
    if isinstance(node, Mapping):
        build = service.child("build")
        if build.node("dockerfile_inline") is not None:
            return None
        context, dockerfile = _text(build, "context"), _text(build, "dockerfile")
    else:
        context, dockerfile = _text(service, "build"), new_located(None, location)
    if context.unresolved is not None or dockerfile.unresolved is not None:
        return None
    return _build_ref(
        service.path, context.value or ".", dockerfile.value or "Dockerfile", location
    )


def _build_ref(path: str, context: str, dockerfile: str, location: Location) -> BuildRef | None:
    if any(_outside_tree(written) for written in (context, dockerfile)):
        return None
    directory = posixpath.normpath(posixpath.join(posixpath.dirname(path), context))
    return _new_buildref(
        context=directory,
        dockerfile=posixpath.normpath(posixpath.join(directory, dockerfile)),
        location=location,
    )


def _outside_tree(written: str) -> bool:
    return (
        written.startswith(("/", "~"))
        or _WINDOWS_ABSOLUTE.match(written) is not None
        or _REMOTE.match(written) is not None
    )


# --- volumes --------------------------------------------------------------------------------


def _mounts(service: Reader) -> Iterator[Mount]:
    for item, where, location in _items(service, "volumes"):
        if isinstance(item, Mapping):
            yield _long_mount(Reader(service.path, item, location, where), location)
        elif isinstance(item, Scalar) and not is_null(item):
            yield _short_mount(item.value, where, location)
        else:
            raise _wrong_item(item, where)


def _short_mount(spec: str, where: str, location: Location) -> Mount:
    """`[source:]target[:options]`; a source written as a path is a bind mount.

    Everything is located at the list item, the only place it is written.
    """
    parts = _split(spec.strip(), ":", drives=True)
    if len(parts) > 3 or "" in parts:
        raise ParseError(
            f"{where} {spec!r} is not [source:]target[:options]", location.line, location.column
        )
    source_text = parts[0] if len(parts) > 1 else None
    target_text = parts[1] if len(parts) > 1 else parts[0]
    options = parts[2] if len(parts) == 3 else ""
    source = _optional(source_text, location)
    # A source known from `.env` is judged by its value: `${DATA}` may name a volume.
    kind = _short_mount_kind(source.value if source.value is not None else source_text)
    return _new_mount(
        kind=kind,
        source=source,
        target=_optional(target_text, location),
        host_path=source if kind != "volume" else new_located(None, location),
        read_only=_resolve(options, location, _read_only_option),
        propagation=_resolve(options, location, _propagation_option),
        location=location,
    )


def _short_mount_kind(source: str | None) -> str:
    """What Compose makes of a short-syntax source; "unknown" when a variable starts it."""
    if source is None:
        return "volume"  # an anonymous volume: `- /data`
    if source.startswith((".", "/", "~")) or _WINDOWS_ABSOLUTE.match(source):
        return "bind"
    return "unknown" if source.startswith("$") and _has_variable(source) else "volume"


def _optional(text: str | None, location: Location) -> Located[str | None]:
    return new_located(None, location) if text is None else _resolve(text, location, _same)


def _read_only_option(options: str) -> bool | None:
    """The last of `ro`/`rw` in a short-syntax option list, None when neither is given."""
    found: bool | None = None
    for option in options.split(","):
        if option in ("ro", "rw"):
            found = option == "ro"
    return found


def _propagation_option(options: str) -> str | None:
    found = [option for option in options.split(",") if option in _PROPAGATIONS]
    return found[-1] if found else None


def _long_mount(mount: Reader, location: Location) -> Mount:
    """`type`/`source`/`target` mappings; each value located at its own key."""
    kind = mount.text("type").value
    if kind is None:
        raise ParseError(
            f"{mount.where} has no type (bind, volume, tmpfs, ...)", location.line, location.column
        )
    source = _text(mount, "source")
    return _new_mount(
        kind=kind,
        source=source,
        target=_text(mount, "target"),
        host_path=source if kind == "bind" else new_located(None, location),
        read_only=_boolean(mount, "read_only"),
        propagation=_text(mount.child("bind", owner=location), "propagation"),
        location=location,
    )


# --- ports ----------------------------------------------------------------------------------


def _ports(service: Reader) -> Iterator[Port]:
    for item, where, location in _items(service, "ports"):
        if isinstance(item, Mapping):
            yield _long_port(Reader(service.path, item, location, where), location)
        elif isinstance(item, Scalar) and not is_null(item):
            yield _short_port(item.value, where, location)
        else:
            raise _wrong_item(item, where)


def _short_port(spec: str, where: str, location: Location) -> Port:
    """`[[host_ip:]host_port:]container_port[/protocol]`, as Docker splits it.

    An IPv6 host address is written in brackets (`[::1]:80:80`); ports may be ranges.
    """
    pieces = _split(spec.strip(), "/")
    if len(pieces) > 2:
        raise _bad_port(spec, where, location)
    text, protocol = pieces[0], (pieces[1].lower() if len(pieces) == 2 else "tcp")
    host_ip: str | None = None
    if text.startswith("["):
        host_ip, bracket, rest = text[1:].partition("]")
        if not bracket or not rest.startswith(":"):
            raise _bad_port(spec, where, location)
        parts = _split(rest[1:], ":")
        if len(parts) == 1:
            parts.insert(0, "")
    else:
        parts = _split(text, ":")
        if len(parts) > 2:
            host_ip, parts = ":".join(parts[:-2]), parts[-2:]
    if not parts[-1] or len(parts) > 2:
        raise _bad_port(spec, where, location)
    host_port = parts[0] if len(parts) == 2 else ""
    return _new_port(
        container_port=_resolve(parts[-1], location, _same),
        host_port=_optional(host_port or None, location),
        host_ip=_optional(host_ip or None, location),
        protocol=protocol,
        location=location,
    )


def _bad_port(spec: str, where: str, location: Location) -> ParseError:
    return ParseError(
        f"{where} {spec!r} is not [[host_ip:]host_port:]container_port[/protocol]",
        location.line,
        location.column,
    )


def _long_port(port: Reader, location: Location) -> Port:
    return _new_port(
        container_port=_text(port, "target"),
        host_port=_text(port, "published"),
        host_ip=_text(port, "host_ip"),
        protocol=(port.text("protocol").value or "tcp").lower(),
        location=location,
    )


# --- helpers --------------------------------------------------------------------------------


def _split(text: str, separator: str, *, drives: bool = False) -> list[str]:
    """Split at `separator`, but not inside `${VAR:-default}` nor after a drive letter (`C:\\`).

    Defaults of variables may hold the separator; Windows paths hold a colon.
    """
    if "$" not in text:  # no variable: a plain split, unless a part may be a drive letter
        parts = text.split(separator)
        if not drives or all(len(part) != 1 for part in parts[:-1]):
            return parts
    parts = []
    current = ""
    depth = 0
    index = 0
    while index < len(text):
        pair = text[index : index + 2]
        if pair in ("$$", "${"):
            depth += pair == "${"
            current += pair
            index += 2
            continue
        char = text[index]
        if char == "}" and depth:
            depth -= 1
        elif char == separator and not depth and not (drives and _is_drive(current, text, index)):
            parts.append(current)
            current = ""
            index += 1
            continue
        current += char
        index += 1
    parts.append(current)
    return parts


def _is_drive(current: str, text: str, index: int) -> bool:
    following = text[index + 1 : index + 2]
    return (
        len(current) == 1 and current.isascii() and current.isalpha() and following in ("\\", "/")
    )


def _wrong_item(item: Node, where: str) -> ParseError:
    return ParseError(
        f"{where} must be a string or a mapping, not {describe(item)}", item.line, item.column
    )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
