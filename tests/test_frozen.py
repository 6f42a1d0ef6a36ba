"""`stridescan._frozen.dataclass` must behave exactly like `dataclasses.dataclass`."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from stridescan import _frozen, model


def _pair(**options: Any) -> tuple[type, type]:
    """The same class body built by the standard library and by `_frozen`."""

    def body() -> type:
        class Sample:
            """A sample."""

            name: str
            count: int = 0
            tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)
            note: str = dataclasses.field(default="", compare=False, repr=False)

        return Sample

    return dataclasses.dataclass(body(), **options), _frozen.frozen_dataclass(body(), **options)


def _outcome(action: Any, *arguments: Any) -> tuple[str, str]:
    try:
        return ("ok", repr(action(*arguments)))
    except Exception as error:
        return (type(error).__name__, str(error))


@pytest.mark.parametrize("kw_only", [True, False])
def test_frozen_slotted_class_matches_the_standard_one(kw_only: bool) -> None:
    standard, fast = _pair(frozen=True, slots=True, kw_only=kw_only)
    assert str(inspect.signature(fast)) == str(inspect.signature(standard))
    assert fast.__match_args__ == standard.__match_args__
    assert fast.__slots__ == standard.__slots__
    assert fast.__dataclass_params__.frozen and fast.__dataclass_params__.eq
    assert [f.name for f in dataclasses.fields(fast)] == ["name", "count", "tags", "note"]
    one, other = fast(name="a", count=2, note="x"), standard(name="a", count=2, note="x")
    assert repr(one) == repr(other).replace(standard.__qualname__, fast.__qualname__)
    assert hash(one) == hash(other)
    assert one == fast(name="a", count=2, note="different") != fast(name="b")
    assert one.tags == () and one.tags is fast(name="b").tags
    assert one.__getstate__() == other.__getstate__()
    assert dataclasses.replace(one, count=3) == fast(name="a", count=3)
    for action in (lambda o: setattr(o, "count", 1), lambda o: delattr(o, "count")):
        assert _outcome(action, one) == _outcome(action, other)
    assert _outcome(lambda: fast(count=1)) == _outcome(lambda: standard(count=1))


def test_the_first_instance_compiles_init_and_a_bad_first_call_fails_as_usual() -> None:
    standard, fast = _pair(frozen=True, slots=True, kw_only=True)
    placeholder = fast.__dict__["__init__"]
    assert _outcome(lambda: fast(count=1)) == _outcome(lambda: standard(count=1))
    assert fast.__dict__["__init__"] is not placeholder
    assert fast(name="a").name == "a"
    assert str(inspect.signature(fast)) == str(inspect.signature(standard))


def test_other_forms_take_the_standard_path() -> None:
    @_frozen.frozen_dataclass(frozen=True, slots=True)
    class WithPostInit:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    @_frozen.frozen_dataclass
    class Mutable:
        value: int

    with pytest.raises(ValueError, match="negative"):
        WithPostInit(-1)
    item = Mutable(1)
    item.value = 2
    assert item == Mutable(2)


def test_model_classes_without_a_docstring_get_the_standard_one() -> None:
    assert model.Port.__doc__ is not None
    assert model.Port.__doc__.startswith("Port(*, container_port: 'Located[str | None]'")


def test_model_objects_stay_frozen_and_comparable() -> None:
    ref = model.ImageRef(raw="nginx:1.25", repository="nginx", tag="1.25")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.tag = "latest"  # type: ignore[misc]
    assert ref == dataclasses.replace(ref) and {ref, dataclasses.replace(ref)} == {ref}
    assert pickle.loads(pickle.dumps(ref)) == ref
    assert repr(ref).startswith("ImageRef(raw='nginx:1.25', registry=None, repository='nginx'")
