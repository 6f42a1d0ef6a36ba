"""`stridescan._frozen.replace` must do what `dataclasses.replace` does."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from stridescan import _frozen
from stridescan.model import Located, Location, SourceKind
from stridescan.parsing import ParsedFile, parse_source

_COMPOSE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    build: ./api
    privileged: true
    ports: ["8080:80"]
    deploy:
      resources:
        limits: {memory: 256m}
"""


def _sample(*, kw_only: bool) -> Any:
    @_frozen.frozen_dataclass(frozen=True, slots=True, kw_only=kw_only)
    class Sample:
        """A sample."""

        name: str
        count: int = 0
        tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)
        note: str = dataclasses.field(default="", compare=False, repr=False)

    return Sample


def _outcome(action: Any, *arguments: Any, **keywords: Any) -> tuple[str, str]:
    try:
        return ("ok", repr(action(*arguments, **keywords)))
    except Exception as error:
        return (type(error).__name__, str(error))


def _compose_file() -> ParsedFile:
    return parse_source(_COMPOSE, "compose.yaml", SourceKind.COMPOSE)


@pytest.mark.parametrize("kw_only", [True, False])
def test_copy_matches_the_standard_one(kw_only: bool) -> None:
    sample = _sample(kw_only=kw_only)
    original = sample(name="a", count=2, tags=("x",), note="kept")
    for changes in ({}, {"count": 3}, {"name": "b", "note": "new"}, {"tags": ()}):
        copied, standard = (
            _frozen.replace(original, **changes),
            dataclasses.replace(original, **changes),
        )
        assert type(copied) is sample and copied is not original
        assert copied == standard and hash(copied) == hash(standard)
        assert repr(copied) == repr(standard) and copied.note == standard.note
        assert copied.__getstate__() == standard.__getstate__()
    assert original == sample(name="a", count=2, tags=("x",)) and original.note == "kept"


def test_copy_stays_frozen() -> None:
    copied = _frozen.replace(_sample(kw_only=True)(name="a"), count=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        copied.count = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        del copied.name


@pytest.mark.parametrize(
    ("arguments", "changes"),
    [((), {"unknown": 1}), ((), {"count": 1, "unknown": 1}), ((1,), {})],
)
def test_a_wrong_call_raises_the_standard_error(arguments: Any, changes: Any) -> None:
    original = _sample(kw_only=True)(name="a")
    standard = _outcome(dataclasses.replace, original, *arguments, **changes)
    assert standard[0] == "TypeError"
    assert _outcome(_frozen.replace, original, *arguments, **changes) == standard


def test_a_field_not_taken_by_init_is_refused_as_the_standard_function_refuses_it() -> None:
    @_frozen.frozen_dataclass(frozen=True, slots=True, kw_only=True)
    class Derived:
        """A class with a computed field."""

        value: int
        doubled: int = dataclasses.field(init=False, default=0)

    original = Derived(value=1)
    standard = _outcome(dataclasses.replace, original, doubled=4)
    assert standard[0] == "ValueError" and "init=False" in standard[1]
    assert _outcome(_frozen.replace, original, doubled=4) == standard
    assert _frozen.replace(original, value=2) == dataclasses.replace(original, value=2)


def test_post_init_runs_again_on_the_copy() -> None:
    @_frozen.frozen_dataclass(frozen=True, slots=True)
    class Checked:
        """A class that validates its value."""

        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    with pytest.raises(ValueError, match="negative"):
        _frozen.replace(Checked(1), value=-1)


def test_init_put_in_place_after_the_class_was_built_runs_on_the_copy() -> None:
    sample = _sample(kw_only=True)
    sample(name="compiles the built __init__")
    built_init = sample.__init__

    def shouting_init(self: Any, **values: Any) -> None:
        built_init(self, **{**values, "name": values["name"].upper()})

    sample.__init__ = shouting_init
    assert _frozen.replace(sample(name="a"), name="b").name == "B"


def test_instance_of_a_subclass_keeps_its_class() -> None:
    sample = _sample(kw_only=True)

    class Extended(sample):  # type: ignore[misc, valid-type]
        pass

    copied = _frozen.replace(Extended(name="a"), count=5)
    assert type(copied) is Extended and (copied.name, copied.count) == ("a", 5)


def test_other_objects_take_the_standard_path() -> None:
    @dataclasses.dataclass(frozen=True)
    class Standard:
        value: int

    assert _frozen.replace(Standard(1), value=2) == Standard(2)
    standard = _outcome(dataclasses.replace, "not a dataclass")
    assert standard[0] == "TypeError"
    assert _outcome(_frozen.replace, "not a dataclass") == standard
    assert _outcome(_frozen.replace, Standard) == _outcome(dataclasses.replace, Standard)


def test_fields_named_like_the_copy_internals_are_copied() -> None:
    @_frozen.frozen_dataclass(frozen=True, slots=True, kw_only=True)
    class Shadowing:
        """Fields named like what a compiled copy could use."""

        obj: str
        type: str = ""
        setattr: str = ""

    original = Shadowing(obj="o", type="t", setattr="s")
    copied = _frozen.replace(original, obj="x", type="y")
    assert copied == Shadowing(obj="x", type="y", setattr="s")


def test_class_without_fields_is_copied() -> None:
    @_frozen.frozen_dataclass(frozen=True, slots=True)
    class Empty:
        """Nothing."""

    copied = _frozen.replace(Empty())
    assert type(copied) is Empty and copied == Empty()


def test_located_values_go_through_their_own_init() -> None:
    at = Location(path="a", line=1)
    assert _frozen.replace(at, line=2) == Location(path="a", line=2)
    assert _frozen.replace(Located("x", at), unresolved="${X}") == Located("x", at, "${X}")


def test_model_objects_are_copied_without_the_standard_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = _compose_file()
    workload = file.workloads[0]
    container = workload.containers[0]
    image = parse_source("FROM alpine:3.20\nUSER app\n", "api/Dockerfile", SourceKind.DOCKERFILE)
    expected = [
        dataclasses.replace(file, workloads=()),
        dataclasses.replace(workload, api_access=True),
        dataclasses.replace(container, built_image=image.images[0]),
        dataclasses.replace(container.resources),
    ]

    def refuse(obj: object, /, **changes: Any) -> object:
        raise AssertionError(f"standard replace of {type(obj).__name__}")

    monkeypatch.setattr(dataclasses, "replace", refuse)
    copied: list[Any] = [
        _frozen.replace(file, workloads=()),
        _frozen.replace(workload, api_access=True),
        _frozen.replace(container, built_image=image.images[0]),
        _frozen.replace(container.resources),
    ]
    assert copied == expected
    assert [hash(item) for item in copied] == [hash(item) for item in expected]
    assert copied[2].ports is container.ports  # a shallow copy, like the standard one
