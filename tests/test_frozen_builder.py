"""`stridescan._frozen.builder` must build exactly what the class builds."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from stridescan import _frozen
from stridescan.model import Container, Located, Location, Port


def _sample(*, kw_only: bool) -> Any:
    @_frozen.frozen_dataclass(frozen=True, slots=True, kw_only=kw_only)
    class Sample:
        """A sample."""

        name: str
        count: int = 0
        tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)
        note: str = ""

    return Sample


@pytest.mark.parametrize("kw_only", [True, False])
def test_built_object_is_the_one_the_class_makes(kw_only: bool) -> None:
    sample = _sample(kw_only=kw_only)
    build = _frozen.builder(sample)
    built, made = build(name="a", count=2), sample(name="a", count=2)
    assert type(built) is sample
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)
    assert built.tags == () and build(name="b").count == 0
    assert dataclasses.replace(built, count=3) == sample(name="a", count=3)


def _wide(width: int, **options: Any) -> Any:
    """A class of `width` int fields, the first without a default."""
    body: dict[str, Any] = {"__doc__": "Wide.", "__annotations__": {}}
    for index in range(width):
        body["__annotations__"][f"f{index}"] = "int"
        if index:
            body[f"f{index}"] = index
    return _frozen.frozen_dataclass(type("Wide", (), body), **options)


@pytest.mark.parametrize("width", [3, 12])
def test_init_of_a_narrow_or_wide_class_matches_the_standard_one(width: int) -> None:
    fast = _wide(width, frozen=True, slots=True, kw_only=True)
    standard = dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(
        type("Wide", (), {"__annotations__": {f"f{i}": "int" for i in range(width)}})
    )
    values = {f"f{index}": index * 10 for index in range(width)}
    made = fast(**values)
    assert type(made) is fast
    assert repr(made) == repr(standard(**values))
    assert fast(f0=5) == fast(**{f"f{index}": index or 5 for index in range(width)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.f0 = 1


@pytest.mark.parametrize("width", [3, 12])
def test_an_instance_of_a_subclass_is_initialised_like_the_class_itself(width: int) -> None:
    wide = _wide(width, frozen=True, slots=True, kw_only=True)

    class Extended(wide):  # type: ignore[misc, valid-type]
        pass

    extended = Extended(f0=7)
    assert type(extended) is Extended
    assert [getattr(extended, f"f{index}") for index in range(width)] == [7, *range(1, width)]


def test_fields_named_like_builtins_do_not_hide_them() -> None:
    @_frozen.frozen_dataclass(frozen=True, slots=True, kw_only=True)
    class Shadowing:
        """Fields named like the builtins a generated `__init__` could use."""

        type: str
        object: str
        self_: str = ""
        setattr: str = ""

    made = Shadowing(type="t", object="o", setattr="s")
    built = _frozen.builder(Shadowing)(type="t", object="o", setattr="s")
    assert made == built and (made.type, made.object, made.setattr) == ("t", "o", "s")


def test_built_model_object_pickles_as_the_class_does() -> None:
    at = Location(path="a", line=1)
    built = _frozen.builder(Port)(
        container_port=Located("80", at),
        host_port=Located(None, at),
        host_ip=Located(None, at),
        location=at,
    )
    made = Port(
        container_port=Located("80", at),
        host_port=Located(None, at),
        host_ip=Located(None, at),
        location=at,
    )
    assert pickle.dumps(built) == pickle.dumps(made)
    assert pickle.loads(pickle.dumps(built)) == made


def test_builder_takes_the_class_parameters_once_compiled_by_its_first_call() -> None:
    sample = _sample(kw_only=True)
    build = _frozen.builder(sample)
    assert str(inspect.signature(build)) == "(*args, **kwargs)"
    assert build(name="a") == sample(name="a")
    expected = inspect.signature(sample).parameters
    assert list(inspect.signature(build).parameters.values()) == list(expected.values())
    assert build is _frozen.builder(sample)


def test_builder_of_each_model_class_takes_the_class_parameters() -> None:
    at = Location(path="a", line=1)
    located = _frozen.builder(Located)
    examples = [
        (_frozen.builder(Location), {"path": "a", "line": 1}, Location),
        (located, {"value": 1, "location": at}, Located),
        (
            _frozen.builder(Port),
            {
                "container_port": located(None, at),
                "host_port": located(None, at),
                "host_ip": located(None, at),
                "location": at,
            },
            Port,
        ),
    ]
    for build, arguments, cls in examples:
        assert build(**arguments) == cls(**arguments)
        expected = inspect.signature(cls).parameters
        assert list(inspect.signature(build).parameters.values()) == list(expected.values())


def test_built_object_stays_frozen() -> None:
    location = _frozen.builder(Location)(path="a", line=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        location.line = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del location.path  # type: ignore[misc]


def test_generic_model_class_is_built_with_all_its_fields() -> None:
    at = Location(path="a", line=1, column=3, end_line=1, end_column=9)
    built = _frozen.builder(Located)("x", at, unresolved="${X}")
    assert built == Located("x", at, unresolved="${X}") and type(built) is Located
    assert built.is_set and _frozen.builder(Located)(None, at) == Located(None, at)


def test_builder_refuses_a_wrong_call_like_the_class() -> None:
    build = _frozen.builder(Port)
    with pytest.raises(TypeError, match="location"):
        build(container_port=None, host_port=None, host_ip=None)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        build(None, None, None, "tcp", None)  # type: ignore[misc]


def test_one_builder_per_class() -> None:
    assert _frozen.builder(Container) is _frozen.builder(Container)


def test_builder_refuses_a_class_not_built_by_frozen() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Standard:
        value: int

    with pytest.raises(TypeError, match="not a frozen, slotted class built by _frozen"):
        _frozen.builder(Standard)
